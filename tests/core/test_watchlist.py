from __future__ import annotations

from collections.abc import Callable

import pytest

from core.datafolder import DataFolder
from core.errors import InputError
from core.models import (
    QualityPreference,
    WatchlistItemCreate,
    WatchlistItemUpdate,
    WatchlistSettings,
    WatchlistStatus,
)
from core.watchlist import WATCHLIST_FILE, WatchlistManager
from tests.conftest import Clock

NewShow = Callable[..., WatchlistItemCreate]


@pytest.fixture
def manager(folder: DataFolder, clock: Clock) -> WatchlistManager:
    return WatchlistManager(folder, clock=clock)


def test_create_get_list_update_delete(manager: WatchlistManager, show: NewShow, clock: Clock) -> None:
    created = manager.create(show(quality_preference="1080p"))
    assert created.created_at == created.updated_at == clock.now
    assert manager.get(created.id) == created
    assert manager.get(created.id[:5]) == created
    assert manager.list_items() == [created]

    clock.advance(minutes=5)
    updated = manager.update(created.id[:6], WatchlistItemUpdate(lang="vostfr", last_episode_downloaded=3))
    assert (updated.lang, updated.last_episode_downloaded) == ("vostfr", 3)
    assert updated.quality_preference is QualityPreference.P1080
    assert updated.updated_at == clock.now and updated.created_at == created.created_at

    assert manager.delete(created.id) == updated
    assert manager.list_items() == []
    with pytest.raises(InputError, match="No show on the watchlist has an id starting with"):
        manager.get(created.id)


def test_list_filters_by_status(manager: WatchlistManager, show: NewShow) -> None:
    active = manager.create(show())
    paused = manager.create(show(anime_url="https://example.org/2.xml", status="paused"))
    assert manager.list_items(WatchlistStatus.PAUSED) == [paused]
    assert manager.list_items(WatchlistStatus.ACTIVE) == [active]
    assert manager.list_items(WatchlistStatus.ARCHIVED) == []


def test_ids_by_unique_prefix_only(manager: WatchlistManager, show: NewShow) -> None:
    items = [manager.create(show(anime_url=f"https://example.org/{n}.xml")) for n in range(17)]
    first_digits = [item.id[0] for item in items]
    shared = next(d for d in first_digits if first_digits.count(d) > 1)  # 17 ids, 16 digits
    with pytest.raises(InputError, match=f"'{shared}' matches [0-9]+ shows .*give more of the id"):
        manager.get(shared)
    with pytest.raises(InputError, match="ids are made of hex digits"):
        manager.get("frieren")
    with pytest.raises(InputError, match="ids are made of hex digits"):
        manager.get("")


@pytest.mark.parametrize(
    "same_source",
    ["https://feeds.example.org/frieren.xml", "HTTPS://Feeds.Example.org/frieren.xml/", "https://feeds.example.org/frieren.xml#top"],
)
def test_same_show_source_and_language_is_refused(manager: WatchlistManager, show: NewShow, same_source: str) -> None:
    first = manager.create(show())
    with pytest.raises(InputError, match=f"'Frieren' \\(id {first.id[:8]}\\) already follows"):
        manager.create(show(anime_title=" FRIEREN ", anime_url=same_source))
    assert manager.list_items() == [first]


def test_a_feed_may_serve_several_shows(manager: WatchlistManager, show: NewShow) -> None:
    manager.create(show())
    manager.create(show(anime_title="Dungeon Meshi"))
    assert [item.anime_title for item in manager.list_items()] == ["Frieren", "Dungeon Meshi"]


def test_same_source_in_another_language_is_a_different_show(manager: WatchlistManager, show: NewShow) -> None:
    manager.create(show())
    dubbed = manager.create(show(lang="dub"))
    with pytest.raises(InputError, match="already follows"):
        manager.update(dubbed.id, WatchlistItemUpdate(lang="sub"))
    assert manager.get(dubbed.id).lang == "dub"


def test_pause_and_resume(manager: WatchlistManager, show: NewShow) -> None:
    item = manager.create(show(status="completed"))
    assert manager.pause(item.id).status is WatchlistStatus.PAUSED
    assert manager.pause(item.id).status is WatchlistStatus.PAUSED
    assert manager.resume(item.id).status is WatchlistStatus.ACTIVE


def test_statistics(manager: WatchlistManager, show: NewShow) -> None:
    manager.create(show())
    manager.create(show(anime_url="https://example.org/2.xml", status="paused", auto_download=False))
    manager.create(show(anime_url="/srv/anime/x", provider_id="directory", status="completed"))
    manager.create(show(anime_url="https://example.org/4.xml", status="archived"))
    stats = manager.statistics()
    assert (stats.total, stats.active, stats.paused, stats.completed, stats.archived) == (4, 1, 1, 1, 1)
    assert stats.auto_download_enabled == 3
    assert stats.by_provider == {"directory": 1, "feed": 3}


def test_due_for_check(manager: WatchlistManager, show: NewShow, clock: Clock) -> None:
    settings = WatchlistSettings(check_interval_hours=6)
    active = manager.create(show())
    completed = manager.create(show(anime_url="https://example.org/c.xml", status="completed"))
    manager.create(show(anime_url="https://example.org/p.xml", status="paused"))
    manager.create(show(anime_url="https://example.org/a.xml", status="archived"))

    assert [i.id for i in manager.due_for_check(settings)] == [active.id]
    include = settings.model_copy(update={"include_completed_anime": True})
    assert [i.id for i in manager.due_for_check(include)] == [active.id, completed.id]

    manager.record_checks({active.id: None})
    clock.advance(hours=5, minutes=59)
    assert manager.due_for_check(settings) == []
    clock.advance(minutes=1)
    assert [i.id for i in manager.due_for_check(settings)] == [active.id]


def test_record_checks_keeps_errors_without_touching_updated_at(
    manager: WatchlistManager, show: NewShow, clock: Clock
) -> None:
    item = manager.create(show())
    other = manager.create(show(anime_url="https://example.org/2.xml"))
    clock.advance(hours=1)
    manager.record_checks({item.id: "the feed answered 500", "f" * 32: None})
    failed = manager.get(item.id)
    assert (failed.last_checked_at, failed.last_error, failed.updated_at) == (clock.now, "the feed answered 500", item.updated_at)
    assert manager.get(other.id).last_checked_at is None
    manager.record_checks({item.id: None})
    assert manager.get(item.id).last_error is None


def test_two_instances_never_undo_each_other(folder: DataFolder, show: NewShow) -> None:
    long_running = WatchlistManager(folder)
    other_process = WatchlistManager(folder)
    kept = long_running.create(show())
    added_elsewhere = other_process.create(show(anime_title="Mushishi", anime_url="https://example.org/m.xml"))
    long_running.update(kept.id, WatchlistItemUpdate(status="paused"))
    other_process.update(added_elsewhere.id, WatchlistItemUpdate(quality_preference="720p"))
    items = {item.anime_title: item for item in long_running.list_items()}
    assert items["Frieren"].status is WatchlistStatus.PAUSED
    assert items["Mushishi"].quality_preference is QualityPreference.P720


def test_invalid_update_is_refused_and_nothing_changes(
    manager: WatchlistManager, show: NewShow, folder: DataFolder
) -> None:
    item = manager.create(show())
    before = folder.file(WATCHLIST_FILE).read_bytes()
    with pytest.raises(InputError, match="No show"):
        manager.update("abc", WatchlistItemUpdate(status="paused"))
    assert folder.file(WATCHLIST_FILE).read_bytes() == before
    assert manager.get(item.id) == item
