"""The download manager: a persisted queue run by worker threads, a bounded number at a time.

Each running download is a ``TransferWorker`` moved to its own QThread; it
reports back by signal (queued to the manager's thread), success and failure
alike. Cancel is cooperative: a ``threading.Event`` the transfer checks
between chunks. Jobs left running by a crash go back to the queue at
``start()`` and resume from their partial files.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QDeadlineTimer, QObject, QThread, Signal, Slot

from core.downloads.http_transfer import DownloadCancelled, DownloadError
from core.downloads.job_files import discard_partial_files
from core.downloads.jobs import DownloadJob, JobBook, JobState
from core.downloads.transfers import Transfer
from core.episodes import EpisodeBook, EpisodeState
from core.errors import StorageError
from core.models import NewEpisodeInfo, WatchlistItem, WatchlistSettings
from core.removal import drop_downloads
from core.watchlist import WatchlistManager
from providers.base import Release

log = logging.getLogger(__name__)


class TransferWorker(QObject):
    """Runs one transfer in a worker thread and reports how it ended.

    Signals:
        progressed(job_id, done_bytes, total_bytes_or_None): throttled by the transfer.
        succeeded(job_id, where): the file's path, or the torrent client that took it.
        failed(job_id, reason): a plain-language reason.
        cancelled(job_id): the transfer stopped on request (its partial file is kept).
    """

    progressed = Signal(str, int, object)
    succeeded = Signal(str, str)
    failed = Signal(str, str)
    cancelled = Signal(str)

    def __init__(self, job: DownloadJob, transfer: Callable[..., str], stop: threading.Event) -> None:
        super().__init__()
        self._job = job
        self._transfer = transfer
        self._stop = stop

    @Slot()
    def run(self) -> None:
        job_id = self._job.id
        try:
            where = self._transfer(self._job, lambda done, total: self.progressed.emit(job_id, done, total), self._stop)
        except DownloadCancelled:
            self.cancelled.emit(job_id)
        except DownloadError as error:
            self.failed.emit(job_id, str(error))
        except Exception as error:  # a bug must end the job, not the thread silently
            log.exception("download %s crashed", job_id)
            self.failed.emit(job_id, f"unexpected error: {error}")
        else:
            self.succeeded.emit(job_id, where)


@dataclass
class _Running:
    """A job being transferred; ``removed``: its show was removed, so its partial files go once it stops."""

    job: DownloadJob
    download_dir: Path
    thread: QThread
    worker: TransferWorker
    stop: threading.Event
    removed: bool = False


class DownloadManager(QObject):
    """Queue, run, cancel, retry and remove downloads; keeps the episode states in step.

    Signals:
        job_changed(DownloadJob): a job was added or changed state.
        progress(job_id, done_bytes, total_bytes_or_None): live progress of a running job.
        finished(DownloadJob): a job is done.
        failed(DownloadJob): a job failed (``job.error`` says why).
        idle(): nothing is queued or running any more.
    """

    job_changed = Signal(object)
    progress = Signal(str, int, object)
    finished = Signal(object)
    failed = Signal(object)
    idle = Signal()
    _wake = Signal()

    def __init__(
        self,
        jobs: JobBook,
        episodes: EpisodeBook,
        watchlist: WatchlistManager,
        settings: Callable[[], WatchlistSettings],
        transfer: Transfer,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._jobs = jobs
        self._episodes = episodes
        self._watchlist = watchlist
        self._settings = settings
        self._transfer = transfer
        self._running: dict[str, _Running] = {}
        self._unsaved: set[str] = set()  # failed, but the failure could not be saved: left alone this run
        self._stopping = False
        self._wake.connect(self._pump)

    def start(self) -> None:
        """Put jobs interrupted by a crash or quit back in the queue and start what may run.

        Jobs of shows no longer on the watchlist (a removal cut short by a crash) are dropped.
        """
        self._stopping = False
        shows = {item.id for item in self._watchlist.list_items()}
        for job in drop_downloads(self._jobs, self._settings().download_dir, lambda job: job.item_id not in shows):
            self._episodes.forget(job.item_id)
        self._jobs.requeue_interrupted()
        self._pump()

    def enqueue(self, item: WatchlistItem, info: NewEpisodeInfo, release: Release, auto: bool = True) -> DownloadJob:
        """Queue an episode (already claimed in the episode book). Safe from any thread."""
        job = self._jobs.add(
            item_id=item.id, anime_title=item.anime_title, episode=info.episode, release_name=release.name,
            link=release.link, kind=release.kind, quality=item.quality_preference.value, auto=auto,
        )
        self.job_changed.emit(job)
        self.wake()
        return job

    def jobs(self) -> list[DownloadJob]:
        return self._jobs.jobs()

    def wake(self) -> None:
        """Start what may run now (after a settings change, say). Safe from any thread."""
        self._wake.emit()

    def is_busy(self) -> bool:
        return bool(self._running) or bool(self._queued())

    def _queued(self) -> list[DownloadJob]:
        return [job for job in self._jobs.jobs() if job.state is JobState.QUEUED and job.id not in self._unsaved]

    def cancel(self, job_id: str) -> None:
        """Stop a running job (its partial file is kept) or drop a queued one."""
        if job_id in self._running:
            self._running[job_id].stop.set()
            return
        job = self._jobs.get(job_id)
        if job is not None and job.state is JobState.QUEUED:
            self._finish(job_id, JobState.CANCELLED, EpisodeState.SKIPPED, reason="cancelled")

    def retry(self, job_id: str) -> None:
        """Queue a failed or cancelled job again."""
        job = self._jobs.get(job_id)
        if job is None or job.state not in (JobState.FAILED, JobState.CANCELLED):
            return
        if not self._episodes.claim(job.item_id, job.episode, job.release_name, job.link):
            self._finish(job_id, JobState.CANCELLED, None, reason="that episode is already queued or downloaded")
            return
        updated = self._jobs.update(job_id, state=JobState.QUEUED, error=None, finished_at=None)
        self.job_changed.emit(updated)
        self._pump()

    def remove(self, job_id: str) -> None:
        """Forget a finished job, or cancel and forget a pending one."""
        job = self._jobs.get(job_id)
        if job is None:
            return
        if job.state in (JobState.QUEUED, JobState.RUNNING):
            self.cancel(job_id)
        if job_id not in self._running:
            self._jobs.remove([job_id])

    def stop_removed(self, job: DownloadJob) -> bool:
        """Stop a job of a removed show (already gone from the queue) if it runs here, and delete
        its partial files once it has stopped; False if it is not running here."""
        running = self._running.get(job.id)
        if running is None:
            return False
        running.removed = True
        running.stop.set()
        return True

    def stop(self) -> None:
        """Ask every running transfer to stop (between chunks) and start nothing new."""
        self._stopping = True
        for running in self._running.values():
            running.stop.set()

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Stop every transfer and wait (``timeout_ms`` in all) for its thread; they resume at the
        next ``start()``. False when a thread is still blocked: the process must exit without it."""
        self.stop()
        deadline = QDeadlineTimer(timeout_ms)
        for running in self._running.values():
            running.thread.quit()
            running.thread.wait(deadline)
        return not any(running.thread.isRunning() for running in self._running.values())

    @Slot()
    def _pump(self) -> None:
        """Start queued jobs while there is room (and room for auto-downloads)."""
        if self._stopping:
            return
        settings = self._settings()
        queued = self._queued()
        for job in queued:
            if len(self._running) >= settings.max_parallel_downloads:
                break
            auto_running = sum(running.job.auto for running in self._running.values())
            if job.auto and auto_running >= settings.max_concurrent_auto_downloads:
                continue
            self._begin(job, settings.download_dir)
        if not self._running and not queued:
            self.idle.emit()

    def _begin(self, job: DownloadJob, download_dir: Path) -> None:
        stop = threading.Event()
        thread = QThread(self)
        def run(job: DownloadJob, progress: Callable[[int, int | None], None], stop: threading.Event) -> str:
            return self._transfer(job, download_dir, progress, stop)

        worker = TransferWorker(job, run, stop)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.progressed.connect(self.progress)
        worker.succeeded.connect(self._on_succeeded)
        worker.failed.connect(self._on_failed)
        worker.cancelled.connect(self._on_cancelled)
        try:
            started = self._jobs.update(job.id, state=JobState.RUNNING, attempts=job.attempts + 1)
            self._episodes.record(job.item_id, job.episode, EpisodeState.DOWNLOADING)
        except StorageError as error:  # a full disk, an I/O error: the job fails before it starts
            worker.deleteLater()
            thread.deleteLater()
            self._fail_unsaved(job.id, str(error))
            return
        self._running[job.id] = _Running(job, download_dir, thread, worker, stop)
        self.job_changed.emit(started)
        thread.start()

    @Slot(str, str)
    def _on_succeeded(self, job_id: str, where: str) -> None:
        job = self._finish(job_id, JobState.DONE, EpisodeState.DONE, path=where)
        if job is None:
            return
        try:
            self._watchlist.note_downloaded(job.item_id, job.episode, self._settings().complete_finished_shows)
        except StorageError as error:  # the file is there and the episode done; the show's progress is not saved
            self._fail_unsaved(job_id, f"downloaded to {where}, but {error}")
            return
        self.finished.emit(job)

    @Slot(str, str)
    def _on_failed(self, job_id: str, reason: str) -> None:
        job = self._finish(job_id, JobState.FAILED, EpisodeState.FAILED, reason=reason)
        if job is not None:
            self.failed.emit(job)

    @Slot(str)
    def _on_cancelled(self, job_id: str) -> None:
        if self._stopping:  # quitting, not cancelling: resume next time
            self._release(job_id)
            return
        self._finish(job_id, JobState.CANCELLED, EpisodeState.SKIPPED, reason="cancelled")

    def _finish(
        self,
        job_id: str,
        state: JobState,
        episode_state: EpisodeState | None,
        *,
        path: str | None = None,
        reason: str | None = None,
    ) -> DownloadJob | None:
        try:
            job = self._jobs.update(job_id, state=state, path=path, error=reason)
            if job is not None and episode_state is not None:
                self._episodes.record(job.item_id, job.episode, episode_state, reason=reason, path=path)
        except StorageError as error:  # a full disk, an I/O error: the job fails, the user is told
            self._release(job_id)
            self._fail_unsaved(job_id, str(error))
            self._pump()
            return None
        self._release(job_id)
        if job is not None:
            log.info("download %s of %r episode %d: %s%s", job.id, job.anime_title, job.episode, state.value,
                     f" ({reason})" if reason else "")
            self.job_changed.emit(job)
        self._pump()
        return job

    def _fail_unsaved(self, job_id: str, message: str) -> None:
        """Report a job whose new state could not be saved as failed, saving that if the disk allows."""
        log.error("download %s: %s", job_id, message)
        try:
            job = self._jobs.update(job_id, state=JobState.FAILED, error=message)
        except StorageError:
            self._unsaved.add(job_id)  # still queued on disk: not started again by this run
            job = self._jobs.get(job_id)
        if job is not None:
            job = job.model_copy(update={"state": JobState.FAILED, "error": message})
            self.job_changed.emit(job)
            self.failed.emit(job)

    def _release(self, job_id: str) -> None:
        running = self._running.pop(job_id, None)
        if running is not None:
            running.thread.quit()
            running.thread.wait()
            running.worker.deleteLater()
            running.thread.deleteLater()
            if running.removed:
                discard_partial_files(running.job, running.download_dir)
