"""The download manager: runs the persisted queue, a bounded number of transfers at a time.

Each transfer is a task of the ``TaskRunner`` (its own QThread; the ending
comes back by signal, success and failure alike). Cancel is cooperative: a
``threading.Event`` the transfer checks between chunks. A torrent handed to
the user's client stays running and is polled until the client has it all.
Jobs left running by a crash go back to the queue at ``start()`` and resume
from their partial files. The rules of each move live in ``DownloadQueue``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from core.downloads.errors import DownloadCancelled, DownloadError
from core.downloads.job_files import discard_partial_files
from core.downloads.jobs import DownloadJob, JobState
from core.downloads.queue import CANCELLED_REASON, DownloadQueue
from core.downloads.torrent_base import TorrentClientError, TorrentProgress, TorrentState
from core.downloads.transfers import TorrentHandoff, Transfer
from core.errors import StorageError
from core.models import NewEpisodeInfo, WatchlistItem, WatchlistSettings
from core.tasks import TaskRunner
from providers.base import Release

log = logging.getLogger(__name__)

TORRENT_POLL_MS = 5_000  # how often the torrent client is asked how its torrents are doing
TorrentPoll = Callable[[list[str]], dict[str, TorrentProgress | None]]


@dataclass(frozen=True)
class _Outcome:
    """How a transfer ended, saved already by its worker thread.

    Attributes:
        job: the job as saved (None: it was removed meanwhile, or not saved).
        handed_off: the torrent client took it.
        unsaved: why its new state could not be saved (a full disk), in plain words.
    """

    job: DownloadJob | None
    handed_off: TorrentHandoff | None = None
    unsaved: str | None = None


@dataclass
class _Running:
    """A job being transferred here.

    Attributes:
        removed: its show or the job itself was removed: its partial files go once it stops.
        forget: the user removed the job: it leaves the history once it stops.
    """

    job: DownloadJob
    download_dir: Path
    stop: threading.Event
    removed: bool = False
    forget: bool = False


class DownloadManager(QObject):
    """Runs, cancels, retries and removes downloads.

    Jobs added, changed and removed are announced by the queue's ``ChangeListener``.

    Signals:
        progress(job_id, done_bytes, total_bytes_or_None): live progress of a running job,
            a few times a second at most.
        finished(DownloadJob): a job is done.
        failed(DownloadJob): a job failed (``job.error`` says why).
        handed_off(DownloadJob): a torrent client took the job's torrent; it is followed until done.
        idle(): no transfer is queued or running any more (handed-off torrents aside).
    """

    progress = Signal(str, int, object)
    finished = Signal(object)
    failed = Signal(object)
    handed_off = Signal(object)
    idle = Signal()
    _wake = Signal()

    def __init__(
        self,
        queue: DownloadQueue,
        settings: Callable[[], WatchlistSettings],
        transfer: Transfer,
        runner: TaskRunner,
        torrent_poll: TorrentPoll | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._queue = queue
        self._settings = settings
        self._transfer = transfer
        self._runner = runner
        self._torrent_poll = torrent_poll
        self._running: dict[str, _Running] = {}
        self._unsaved: set[str] = set()  # failed, but the failure could not be saved: left alone this run
        self._stopping = False
        self._polling = False
        self._poll_timer = QTimer(self)
        self._poll_timer.setInterval(TORRENT_POLL_MS)
        self._poll_timer.timeout.connect(self._poll_torrents)
        self._wake.connect(self._pump)

    def start(self) -> None:
        """Put transfers interrupted by a crash or quit back in the queue, start what may run,
        and follow the torrents the client has."""
        self._stopping = False
        self._queue.resume_interrupted(self._settings().download_dir)
        self._pump()
        self._follow_torrents()

    def enqueue(self, item: WatchlistItem, info: NewEpisodeInfo, release: Release, auto: bool = True) -> DownloadJob:
        """Queue an episode (already claimed in the episode book). Safe from any thread."""
        job = self._queue.enqueue(item, info.episode, release.name, release.link, release.kind, auto=auto)
        self.wake()
        return job

    def download_episode(self, ref: str, episode: int) -> DownloadJob:
        """Download a found episode from the release its record keeps."""
        job = self._queue.download_episode(ref, episode)
        self._pump()
        return job

    def jobs(self) -> list[DownloadJob]:
        return self._queue.jobs()

    def wake(self) -> None:
        """Start what may run now (after a settings change, say). Safe from any thread."""
        self._wake.emit()

    def is_busy(self) -> bool:
        """Whether a transfer is queued or running here."""
        return bool(self._running) or bool(self._startable())

    def transferring(self, job_ids: set[str]) -> bool:
        """Whether any of these jobs is still queued or being transferred (handed-off torrents aside)."""
        return any(job.id in job_ids and job.id not in self._unsaved and (
            job.state is JobState.QUEUED or (job.state is JobState.RUNNING and not job.info_hash))
            for job in self._queue.jobs())

    def _startable(self) -> list[DownloadJob]:
        """Queued jobs not started yet (one just begun is saved as running by its own thread)."""
        return [job for job in self._queue.queued() if job.id not in self._unsaved and job.id not in self._running]

    def cancel(self, ref: str) -> DownloadJob:
        """Stop a running job (its partial file is kept) or cancel a queued one; returns it as it is now."""
        job = self._queue.find(ref)
        running = self._running.get(job.id)
        if running is not None:
            running.stop.set()
            return job
        if job.state in (JobState.QUEUED, JobState.RUNNING):  # running: a torrent in the client
            return self._save(lambda: self._queue.cancel_queued(job)) or job
        return job

    def retry(self, ref: str) -> DownloadJob:
        """Queue a failed or cancelled job again."""
        job = self._queue.retry(ref)
        self._pump()
        self._follow_torrents()
        return job

    def remove(self, ref: str) -> DownloadJob:
        """Forget a job: a pending one is cancelled first, a running one once it has stopped."""
        job = self._queue.find(ref)
        running = self._running.get(job.id)
        if running is not None:
            running.forget = running.removed = True
            running.stop.set()
            return job
        self._queue.forget(job, self._settings().download_dir)
        return job

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
        self._poll_timer.stop()
        for running in self._running.values():
            running.stop.set()

    @Slot()
    def _pump(self) -> None:
        """Start queued jobs while there is room (and room for auto-downloads)."""
        if self._stopping:
            return
        settings = self._settings()
        startable = self._startable()
        for job in startable:
            if len(self._running) >= settings.max_parallel_downloads:
                break
            auto_running = sum(running.job.auto for running in self._running.values())
            if job.auto and auto_running >= settings.max_concurrent_auto_downloads:
                continue
            self._begin(job, settings.download_dir)
        if not self._running and not startable:
            self.idle.emit()

    def _begin(self, job: DownloadJob, download_dir: Path) -> None:
        running = self._running[job.id] = _Running(job, download_dir, threading.Event())
        job_id = job.id

        def report(done: int, total: int | None) -> None:
            self.progress.emit(job_id, done, total)

        self._runner.run(
            lambda: self._transfer_job(job, download_dir, report, running.stop),
            lambda outcome: self._on_transferred(job_id, outcome),
            lambda error: self._on_transfer_error(job_id, error),
            name=f"download-{job_id[:8]}",
        )

    def _transfer_job(self, job: DownloadJob, download_dir: Path, report: Callable[[int, int | None], None],
                      stop: threading.Event) -> _Outcome:
        """In the worker thread: mark the job running, transfer it, and save how it ended, so the
        GUI thread never waits on those writes. A cancel or a failure is raised to ``on_failed``."""
        try:
            started = self._queue.move(job.id, JobState.RUNNING, attempts=job.attempts + 1)
        except StorageError as error:  # a full disk, an I/O error: the job fails before it starts
            return _Outcome(None, unsaved=str(error))
        if started is None:  # removed meanwhile
            return _Outcome(None)
        where = self._transfer(started, download_dir, report, stop)
        try:
            if isinstance(where, TorrentHandoff):
                return _Outcome(self._queue.move(job.id, JobState.RUNNING, episode=False, path=where.describe(),
                                                 info_hash=where.info_hash), handed_off=where)
            return _Outcome(self._queue.complete(job.id, where))
        except StorageError as error:  # the file is there; its state or the show's progress is not saved
            return _Outcome(None, unsaved=f"{where}: {error}" if isinstance(where, TorrentHandoff)
                            else f"downloaded to {where}, but {error}")

    def _on_transferred(self, job_id: str, outcome: _Outcome) -> None:
        running = self._running.pop(job_id, None)
        if outcome.unsaved is not None:
            self._fail_unsaved(job_id, outcome.unsaved)
        elif outcome.handed_off is not None and outcome.job is not None:
            if not outcome.handed_off.info_hash:  # a client that gives no hash cannot be followed
                self._done(job_id, outcome.handed_off.describe())
            else:
                self.handed_off.emit(outcome.job)
            self._follow_torrents()
        elif outcome.job is not None:
            log.info("download %s of %r episode %d: done", job_id, outcome.job.anime_title, outcome.job.episode)
            self.finished.emit(outcome.job)
        self._end(running)

    def _on_transfer_error(self, job_id: str, error: BaseException) -> None:
        running = self._running.pop(job_id, None)
        if isinstance(error, DownloadCancelled):
            if not self._stopping or (running is not None and running.forget):
                self._save(lambda: self._queue.move(job_id, JobState.CANCELLED, error=CANCELLED_REASON))
        else:
            if not isinstance(error, DownloadError):  # a bug must end the job, not vanish in the thread
                log.error("download %s crashed", job_id, exc_info=error)
            reason = str(error) if isinstance(error, DownloadError) else f"unexpected error: {error}"
            failed = self._save(lambda: self._queue.move(job_id, JobState.FAILED, error=reason))
            if failed is not None:
                self.failed.emit(failed)
        self._end(running)

    def _end(self, running: _Running | None) -> None:
        """Tidy up after a transfer stopped, then start what may run next."""
        if running is not None and running.removed:
            job = self._queue.get(running.job.id)
            if running.forget and job is not None:
                self._queue.forget(job, running.download_dir)
            else:
                discard_partial_files(running.job, running.download_dir)
        self._pump()

    def _done(self, job_id: str, where: str) -> None:
        try:
            job = self._queue.complete(job_id, where)
        except StorageError as error:  # the file is there; its state or the show's progress is not saved
            self._fail_unsaved(job_id, f"downloaded to {where}, but {error}")
            return
        if job is not None:
            log.info("download %s of %r episode %d: done", job.id, job.anime_title, job.episode)
            self.finished.emit(job)

    def _save(self, move: Callable[[], DownloadJob | None]) -> DownloadJob | None:
        """Run a move of the queue; None if it could not be saved (logged: the disk is full or failing)."""
        try:
            return move()
        except StorageError as error:
            log.error("download state not saved: %s", error)
            return None

    def _fail_unsaved(self, job_id: str, message: str) -> None:
        """Report a job whose new state could not be saved as failed, saving that if the disk allows."""
        log.error("download %s: %s", job_id, message)
        try:
            job = self._queue.move(job_id, JobState.FAILED, error=message)
        except StorageError:
            self._unsaved.add(job_id)  # still queued on disk: not started again by this run
            job = self._queue.get(job_id)
        if job is not None:
            job = job.model_copy(update={"state": JobState.FAILED, "error": message})
            self._queue.announce(job)
            self.failed.emit(job)

    # Torrents handed to the user's client ----------------------------------------------------

    def _handed_off(self) -> list[DownloadJob]:
        return [job for job in self._queue.jobs() if job.state is JobState.RUNNING and job.info_hash]

    def _follow_torrents(self) -> None:
        if self._torrent_poll is None or self._stopping:
            return
        if self._handed_off():
            if not self._poll_timer.isActive():
                self._poll_timer.start()
            self._poll_torrents()
        else:
            self._poll_timer.stop()

    @Slot()
    def _poll_torrents(self) -> None:
        """Ask the client about every handed-off torrent (in the background, one poll at a time)."""
        jobs = self._handed_off()
        if not jobs:  # the last one is done, failed, cancelled or removed
            self._poll_timer.stop()
        if self._polling or self._torrent_poll is None or not jobs:
            return
        self._polling = True
        poll = self._torrent_poll
        hashes = [job.info_hash for job in jobs if job.info_hash]
        self._runner.run(lambda: poll(hashes), self._on_polled, self._on_poll_failed, name="torrent-poll")

    def _on_polled(self, answers: dict[str, TorrentProgress | None]) -> None:
        self._polling = False
        for job in self._handed_off():
            if job.info_hash not in answers:
                continue
            torrent = answers[job.info_hash]
            client = (job.path or "").partition(":")[0] or "the torrent client"
            if torrent is None:
                self._fail_torrent(job, f"the torrent is no longer in {client}: it was removed before it finished")
            elif torrent.state is TorrentState.ERROR:
                self._fail_torrent(job, f"{client} reports a problem with the torrent ({torrent.client_state})")
            elif torrent.state is TorrentState.DONE:
                self._done(job.id, job.path or client)
            else:
                total = torrent.size
                self.progress.emit(job.id, round(torrent.fraction * total) if total else 0, total)

    def _on_poll_failed(self, error: BaseException) -> None:
        self._polling = False  # the client is down or restarting: the next poll asks again
        if not isinstance(error, TorrentClientError):
            log.error("following torrents failed", exc_info=error)
        else:
            log.warning("could not ask the torrent client how its torrents are doing: %s", error)

    def _fail_torrent(self, job: DownloadJob, reason: str) -> None:
        failed = self._save(lambda: self._queue.move(job.id, JobState.FAILED, error=reason))
        if failed is not None:
            self.failed.emit(failed)
