"""The fixed sets of values a person chooses from: a show's status and quality, the notification events.

Plain enums, free of pydantic, so that the command line can offer them as choices
(and ``tsuzuki --help`` can list them) without loading the models. ``core.models``
re-exports them.
"""

from __future__ import annotations

from enum import StrEnum


class WatchlistStatus(StrEnum):
    """Where a show stands; only active shows (and, if allowed, completed ones) are checked."""

    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"
    ARCHIVED = "archived"


class QualityPreference(StrEnum):
    """Preferred video height; ``auto`` takes the best a source offers."""

    AUTO = "auto"
    P1080 = "1080p"
    P720 = "720p"
    P480 = "480p"


class NotificationEvent(StrEnum):
    """What happened; each notification channel chooses which of these it is told about."""

    NEW_EPISODE = "new_episode"
    DOWNLOAD_FINISHED = "download_finished"
    DOWNLOAD_FAILED = "download_failed"
    SOURCE_BROKEN = "source_broken"


class WindowOnStart(StrEnum):
    """How the desktop app's window starts: shown, minimised, or hidden in the tray (minimised
    where there is no tray)."""

    NORMAL = "normal"
    MINIMIZED = "minimized"
    HIDDEN = "hidden"
