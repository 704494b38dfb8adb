"""What the application layer announces as it changes things.

``Actions``, the download queue and the episode book call a ``ChangeListener``
after each change they save. The command line keeps the silent default;
``CoreService`` turns every call into a Qt signal, which is why each method
must be safe to call from any thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.downloads.jobs import DownloadJob
    from core.episodes import EpisodeRecord
    from core.models import WatchlistItem, WatchlistSettings


class ChangeListener:
    """Told of every saved change; every method does nothing unless overridden."""

    def show_added(self, item: WatchlistItem) -> None:
        """A show is on the watchlist now."""

    def show_changed(self, item: WatchlistItem) -> None:
        """A show was edited, paused, checked, or moved on by a download."""

    def show_removed(self, item_id: str) -> None:
        """A show left the watchlist, with its episode states and unfinished downloads."""

    def episode_changed(self, item_id: str, record: EpisodeRecord) -> None:
        """An episode of a show moved to a new state (found, queued, downloading, done, ...)."""

    def settings_changed(self, settings: WatchlistSettings) -> None:
        """The global settings were saved."""

    def download_changed(self, job: DownloadJob) -> None:
        """A download was queued, started, finished, failed, cancelled."""

    def download_removed(self, job_id: str) -> None:
        """A download left the queue or the history."""
