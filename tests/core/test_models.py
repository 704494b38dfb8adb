from __future__ import annotations

import pytest
from pydantic import ValidationError

from core.errors import describe_validation_error
from core.models import (
    NewEpisodeInfo,
    QualityPreference,
    WatchlistItem,
    WatchlistItemCreate,
    WatchlistItemUpdate,
    WatchlistSettings,
    WatchlistStatus,
    new_item_id,
    utc_now,
)

BASE = {"anime_title": "Frieren", "anime_url": "https://example.org/feed.xml", "provider_id": "feed"}


def problem(model: type, **fields: object) -> str:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(fields)
    return describe_validation_error(caught.value)


def test_new_show_has_the_documented_defaults() -> None:
    show = WatchlistItemCreate.model_validate(BASE)
    assert show.lang == "sub"
    assert show.auto_download is True
    assert show.quality_preference is QualityPreference.AUTO
    assert show.status is WatchlistStatus.ACTIVE
    assert show.last_episode_downloaded == 0
    assert show.genres == []


def test_enums_keep_the_original_values() -> None:
    assert [s.value for s in WatchlistStatus] == ["active", "paused", "completed", "archived"]
    assert [q.value for q in QualityPreference] == ["auto", "1080p", "720p", "480p"]


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("quality_preference", "4k", "'auto', '1080p', '720p' or '480p'"),
        ("status", "watching", "'active', 'paused', 'completed' or 'archived'"),
        ("anime_url", "notaurl", "anime_url: must be an http(s):// or file:// URL"),
        ("anime_url", "ftp://example.org/x", "anime_url: must be an http(s)://"),
        ("anime_url", "https:///nohost", "anime_url: has no host name"),
        ("anime_url", "https://exa mple.org", "contains spaces (write them as %20)"),
        ("anime_url", "relative/folder", "absolute folder path"),
        ("anime_title", "   ", "anime_title: must not be empty"),
        ("lang", "french language", "lang: must be a short language tag"),
        ("provider_id", "9feed", "provider_id: must be a provider name"),
        ("last_episode_downloaded", -1, "last_episode_downloaded: Input should be greater than or equal to 0"),
        ("poster_image", "javascript:alert(1)", "poster_image: must be an http(s):// URL"),
        ("genres", ["Action", ""], "genres: each genre must be 1 to 50 characters"),
        ("unknown_field", 1, "unknown_field: is not a known field"),
    ],
)
def test_invalid_show_fields_are_named_with_what_is_allowed(field: str, value: object, expected: str) -> None:
    assert expected in problem(WatchlistItemCreate, **{**BASE, field: value})


@pytest.mark.parametrize(
    ("url", "stored"),
    [
        ("https://example.org/feed.xml", "https://example.org/feed.xml"),
        ("  http://127.0.0.1:8080/rss  ", "http://127.0.0.1:8080/rss"),
        ("file:///srv/anime", "file:///srv/anime"),
        ("/srv/anime/frieren", "/srv/anime/frieren"),
        ("C:\\Anime\\Frieren", "C:\\Anime\\Frieren"),
    ],
)
def test_source_urls_and_folders_are_accepted(url: str, stored: str) -> None:
    assert WatchlistItemCreate.model_validate({**BASE, "anime_url": url}).anime_url == stored


def test_text_fields_are_normalised() -> None:
    show = WatchlistItemCreate.model_validate(
        {**BASE, "anime_title": "  Sousou   no Frieren ", "lang": " VOSTFR ", "provider_id": "Feed",
         "genres": ["Fantasy", " Fantasy ", "Drama"]}
    )
    assert (show.anime_title, show.lang, show.provider_id) == ("Sousou no Frieren", "vostfr", "feed")
    assert show.genres == ["Fantasy", "Drama"]


def test_stored_items_are_frozen_and_timestamps_are_utc() -> None:
    naive = utc_now().replace(tzinfo=None)
    item = WatchlistItem(**BASE, id=new_item_id(), created_at=naive, updated_at=naive)
    assert item.created_at.tzinfo is not None
    with pytest.raises(ValidationError):
        item.status = WatchlistStatus.PAUSED  # type: ignore[misc]
    assert "id: must be 32 lowercase hex digits" in problem(
        WatchlistItem, **BASE, id="xyz", created_at=naive, updated_at=naive
    )


def test_update_reports_only_the_fields_set() -> None:
    update = WatchlistItemUpdate(status=WatchlistStatus.PAUSED, auto_download=False)
    assert update.changes() == {"status": WatchlistStatus.PAUSED, "auto_download": False}
    assert WatchlistItemUpdate().changes() == {}


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("check_interval_hours", 0, "greater than or equal to 1"),
        ("check_interval_hours", 169, "less than or equal to 168"),
        ("max_parallel_downloads", 0, "greater than or equal to 1"),
        ("max_concurrent_auto_downloads", 11, "less than or equal to 10"),
        ("download_dir", "downloads", "download_dir: must be an absolute folder path"),
        ("notify_on_new_episodes", "maybe", "valid boolean"),
    ],
)
def test_settings_out_of_range_are_refused(field: str, value: object, expected: str) -> None:
    message = problem(WatchlistSettings, **{field: value})
    assert message.startswith(field) and expected in message


def test_settings_defaults_and_bounds() -> None:
    settings = WatchlistSettings()
    assert (settings.check_interval_hours, settings.max_concurrent_auto_downloads,
            settings.max_parallel_downloads) == (6, 2, 3)
    assert settings.download_dir.is_absolute()
    assert WatchlistSettings(check_interval_hours=1).check_interval_hours == 1
    assert WatchlistSettings(check_interval_hours=168).check_interval_hours == 168


def test_episode_models_validate_their_fields() -> None:
    item_id = new_item_id()
    found = NewEpisodeInfo(
        item_id=item_id, anime_title="Frieren", episode=12, release_name="[Group] Frieren - 12 (1080p).mkv",
        download_url="https://example.org/12.mkv", quality="1080p", found_at=utc_now(),
    )
    assert found.episode == 12
    assert "episode" in problem(NewEpisodeInfo, **(found.model_dump() | {"episode": -1}))
