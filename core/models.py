"""The watchlist's data: shows, their settings and what a check finds.

Field names follow the original service (``anime_title``, ``anime_url``,
``provider_id``, ...), so exported JSON stays familiar. Every validation error
names its field and, where there is a fixed set, the allowed values.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

import platformdirs
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from core.choices import Appearance, QualityPreference, WatchlistStatus, WindowOnStart
from core.choices import NotificationEvent as NotificationEvent  # re-exported: callers import them from here

MAX_URL_LENGTH = 2048
MIN_CHECK_INTERVAL_HOURS = 1
MAX_CHECK_INTERVAL_HOURS = 168
MAX_EPISODE_NUMBER = 100_000
_WINDOWS_ABSOLUTE = re.compile(r"^[A-Za-z]:[\\/]")
_LANG = re.compile(r"^[a-z]{2,8}(-[a-z0-9]{2,8})*$")
_PROVIDER_ID = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
_ITEM_ID = re.compile(r"^[0-9a-f]{32}$")


def utc_now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def new_item_id() -> str:
    """A fresh watchlist item id (32 hex digits; any unique prefix names it)."""
    return uuid.uuid4().hex


def _check_source_url(value: str) -> str:
    """Accept an http(s)/file URL or an absolute folder path; refuse anything else."""
    value = value.strip()
    hint = "must be an http(s):// or file:// URL, or an absolute folder path"
    if not value:
        raise ValueError(f"{hint}; it is empty")
    if len(value) > MAX_URL_LENGTH:
        raise ValueError(f"is longer than {MAX_URL_LENGTH} characters")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise ValueError(f"{hint}; it contains control characters (got {value!r})")
    if value.startswith(("/", "~")) or _WINDOWS_ABSOLUTE.match(value):
        return str(Path(value).expanduser())  # folder names may have spaces ("/srv/anime/My Show")
    parts = urlsplit(value)
    if parts.scheme.lower() != "file" and any(ch.isspace() for ch in value):
        raise ValueError(f"{hint}; it contains spaces (write them as %20) (got {value!r})")
    if parts.scheme.lower() in ("http", "https"):
        if not parts.hostname:
            raise ValueError(f"has no host name (got {value!r})")
        return value
    if parts.scheme.lower() == "file" and parts.path.startswith("/"):
        return value
    raise ValueError(f"{hint} (got {value!r})")


def _check_optional_web_url(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"must be an http(s):// URL (got {value!r})")
    return value


def _check_lang(value: str) -> str:
    value = value.strip().lower()
    if not _LANG.match(value):
        raise ValueError(
            f"must be a short language tag such as sub, dub, vostfr, vf, multi, en or pt-br (got {value!r})"
        )
    return value


def _check_provider_id(value: str) -> str:
    value = value.strip().lower()
    if not _PROVIDER_ID.match(value):
        raise ValueError(
            "must be a provider name: a letter, then letters, digits, '-' or '_' "
            f"(32 at most) (got {value!r})"
        )
    return value


def _check_title(value: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise ValueError("must not be empty")
    if len(value) > 300:
        raise ValueError("is longer than 300 characters")
    return value


def _short_names(limit: int, what: str) -> Callable[[list[str]], list[str]]:
    """A validator for a list of short names: whitespace collapsed, each 1..limit chars, no repeats."""

    def check(values: list[str]) -> list[str]:
        cleaned = [" ".join(value.split()) for value in values]
        if any(not value or len(value) > limit for value in cleaned):
            raise ValueError(f"each {what} must be 1 to {limit} characters")
        return list(dict.fromkeys(cleaned))

    return check


def check_item_id(value: str) -> str:
    """``value`` if it is a watchlist item id (32 lowercase hex digits), else ValueError."""
    if not _ITEM_ID.match(value):
        raise ValueError(f"must be 32 lowercase hex digits (got {value!r})")
    return value


def _as_utc(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _check_absolute_dir(value: Path) -> Path:
    value = value.expanduser()
    if not value.is_absolute():
        raise ValueError(f"must be an absolute folder path (got {str(value)!r})")
    return value


def _check_language_code(value: str) -> str:
    if len(value) != 2 or not value.isascii() or not value.isalpha() or not value.islower():
        raise ValueError(f"must be a two-letter language code such as en, fr or it (got {value!r})")
    return value


Title = Annotated[str, AfterValidator(_check_title)]
SourceUrl = Annotated[str, AfterValidator(_check_source_url)]
Lang = Annotated[str, AfterValidator(_check_lang)]
ProviderId = Annotated[str, AfterValidator(_check_provider_id)]
WebUrl = Annotated[str | None, AfterValidator(_check_optional_web_url)]
Genres = Annotated[list[str], Field(max_length=50), AfterValidator(_short_names(50, "genre"))]
Aliases = Annotated[list[str], Field(max_length=20), AfterValidator(_short_names(300, "alias"))]
GroupNames = Annotated[list[str], Field(max_length=20), AfterValidator(_short_names(100, "group name"))]
EpisodeOffset = Annotated[int, Field(ge=-10_000, le=10_000)]
SeasonNumber = Annotated[int | None, Field(ge=1, le=99)]
AniListId = Annotated[int | None, Field(ge=1)]
EpisodeCount = Annotated[int | None, Field(ge=1, le=100_000)]
Synopsis = Annotated[str | None, Field(max_length=20_000)]
EpisodeNumber = Annotated[int, Field(ge=0, le=MAX_EPISODE_NUMBER)]
ItemId = Annotated[str, AfterValidator(check_item_id)]
Timestamp = Annotated[datetime, AfterValidator(_as_utc)]
OptionalTimestamp = Annotated[datetime | None, AfterValidator(_as_utc)]


class _StrictModel(BaseModel):
    """Unknown fields are errors: a typo in a hand-edited file is reported, not ignored."""

    model_config = ConfigDict(extra="forbid", defer_build=True)


class _ShowFields(_StrictModel):
    """What the user says about a show; shared by creation and the stored item.

    Attributes:
        title_aliases: other titles its releases go by ("Sousou no Frieren").
        preferred_groups: release groups to prefer when several offer an episode.
        blocked_groups: release groups never to take.
        episode_offset: subtracted from a release's episode number, for sources that
            number episodes across seasons (absolute 29 is season-2 episode 1 with 28).
        season: the show's season, when its titles do not say it ("Frieren" followed as season 2):
            a release stating another season is not taken.
        anilist_id: the show on AniList, for its poster, synopsis and episode count.
        episode_count: how many episodes it has (from AniList), when known.
    """

    anime_title: Title
    anime_url: SourceUrl
    provider_id: ProviderId
    lang: Lang = "sub"
    auto_download: bool = True
    quality_preference: QualityPreference = QualityPreference.AUTO
    status: WatchlistStatus = WatchlistStatus.ACTIVE
    last_episode_downloaded: EpisodeNumber = 0
    poster_image: WebUrl = None
    synopsis: Synopsis = None
    genres: Genres = []
    anilist_id: AniListId = None
    episode_count: EpisodeCount = None
    title_aliases: Aliases = []
    preferred_groups: GroupNames = []
    blocked_groups: GroupNames = []
    episode_offset: EpisodeOffset = 0
    season: SeasonNumber = None


class WatchlistItemCreate(_ShowFields):
    """A new show, as given by the user (no id or timestamps yet)."""


class WatchlistItem(_ShowFields):
    """A show on the watchlist, as stored. Frozen: change it with ``model_copy``.

    Attributes:
        id: 32 hex digits; the command line accepts any unique prefix.
        last_checked_at: when its source was last checked (None: never).
        last_error: why the last check failed, in plain words (None: it did not).
    """

    model_config = ConfigDict(frozen=True)

    id: ItemId
    created_at: Timestamp
    updated_at: Timestamp
    last_checked_at: OptionalTimestamp = None
    last_error: str | None = None


class WatchlistItemUpdate(_StrictModel):
    """A partial change to a show: only the fields that are set are applied."""

    anime_title: Title | None = None
    anime_url: SourceUrl | None = None
    provider_id: ProviderId | None = None
    lang: Lang | None = None
    auto_download: bool | None = None
    quality_preference: QualityPreference | None = None
    status: WatchlistStatus | None = None
    last_episode_downloaded: EpisodeNumber | None = None
    poster_image: WebUrl = None
    synopsis: Synopsis = None
    genres: Genres | None = None
    anilist_id: AniListId = None
    episode_count: EpisodeCount = None
    title_aliases: Aliases | None = None
    preferred_groups: GroupNames | None = None
    blocked_groups: GroupNames | None = None
    episode_offset: EpisodeOffset | None = None
    season: SeasonNumber = None

    def changes(self) -> dict[str, object]:
        """The fields the caller set, and their new values."""
        return self.model_dump(exclude_unset=True)


def _default_download_dir() -> Path:
    return Path(platformdirs.user_downloads_dir()) / "Tsuzuki"


class WatchlistSettings(_StrictModel):
    """How often to check, what to download and where to; how the desktop app starts and closes.

    Numbers and switches are strictly typed: ``true`` is not one hour, ``"3"`` or
    ``2.0`` is not three downloads. Text typed by the user is converted by
    ``SettingsStore.set_values`` before it gets here.
    """

    check_interval_hours: int = Field(default=6, ge=MIN_CHECK_INTERVAL_HOURS, le=MAX_CHECK_INTERVAL_HOURS, strict=True)
    auto_download_enabled: bool = Field(default=True, strict=True)
    max_concurrent_auto_downloads: int = Field(default=2, ge=1, le=10, strict=True)
    notify_on_new_episodes: bool = Field(default=True, strict=True)
    include_completed_anime: bool = Field(default=False, strict=True)
    complete_finished_shows: bool = Field(default=True, strict=True)
    appearance: Appearance = Appearance.SYSTEM
    download_dir: Annotated[Path, AfterValidator(_check_absolute_dir)] = Field(
        default_factory=_default_download_dir
    )
    max_parallel_downloads: int = Field(default=3, ge=1, le=10, strict=True)
    window_on_start: WindowOnStart = WindowOnStart.NORMAL
    close_to_tray: bool = Field(default=True, strict=True)
    start_on_login: bool = Field(default=False, strict=True)
    # What a show's "sub" and "dub" mean: subtitles or dub in this language ("en", "it", "es", "pt", ...).
    subtitle_language: Annotated[str, AfterValidator(_check_language_code)] = "en"


class WatchlistStatistics(_StrictModel):
    """Counts over the watchlist, for the status bar and ``tsuzuki stats``."""

    total: int
    active: int
    paused: int
    completed: int
    archived: int
    auto_download_enabled: int
    by_provider: dict[str, int]


class NewEpisodeInfo(_StrictModel):
    """A release a check recognised as a new episode of a show."""

    model_config = ConfigDict(frozen=True)

    item_id: ItemId
    anime_title: Title
    episode: EpisodeNumber
    release_name: str
    download_url: str
    quality: str | None = None
    lang: str | None = None
    found_at: Timestamp
