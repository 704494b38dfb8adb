"""Removing a show: one rule for the window and the command line alike."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from core.downloads.job_files import discard_partial_files
from core.downloads.jobs import DownloadJob, JobBook
from core.episodes import EpisodeBook
from core.models import WatchlistItem
from core.watchlist import WatchlistManager

StopRunning = Callable[[DownloadJob], bool]


def remove_show(
    ref: str,
    watchlist: WatchlistManager,
    episodes: EpisodeBook,
    jobs: JobBook,
    download_dir: Path,
    stop_running: StopRunning = lambda job: False,
) -> WatchlistItem:
    """Remove a show and what it leaves behind: its queued downloads and those a crash
    interrupted, their partial files, and its episode states. Finished files stay.

    ``stop_running(job)`` stops a transfer running in this process and returns True; that
    job's partial files are deleted once it has stopped (``DownloadManager.stop_removed``).
    Returns the show as it was.
    """
    item = watchlist.delete(ref)
    drop_downloads(jobs, download_dir, lambda job: job.item_id == item.id, stop_running)
    episodes.forget(item.id)
    return item


def drop_downloads(
    jobs: JobBook,
    download_dir: Path,
    which: Callable[[DownloadJob], bool],
    stop_running: StopRunning = lambda job: False,
) -> list[DownloadJob]:
    """Forget the unfinished jobs ``which`` selects and delete their partial files (those of a
    job ``stop_running`` stops go when it has stopped); returns the jobs dropped."""
    dropped = jobs.drop_pending(which)
    for job in dropped:
        if not stop_running(job):
            discard_partial_files(job, download_dir)
    return dropped
