"""CoreService: the one door the desktop window, the tray and the command line use.

It owns the stores, the scheduler, the download manager and the notifier,
runs checks in a worker QThread, and reports everything by signal. It lives in
the thread that created it (the GUI thread, or the headless/CLI main thread)
and never blocks it on the network.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QDeadlineTimer, QObject, QThread, Signal, Slot

from core.check_worker import CheckWorker
from core.checker import CheckReport, EpisodeChecker
from core.datafolder import DataFolder
from core.downloads.jobs import DownloadJob, JobBook
from core.downloads.manager import DownloadManager
from core.downloads.transfers import TransferRunner
from core.episodes import EpisodeBook
from core.models import (
    WatchlistItem,
    WatchlistItemCreate,
    WatchlistItemUpdate,
    WatchlistSettings,
    WatchlistStatistics,
    WatchlistStatus,
)
from core.notifications import Notification, NotificationEvent, Notifier
from core.removal import remove_show
from core.scheduler import HOUR_SECONDS, CheckScheduler, SchedulerState
from core.secrets import SecretStore
from core.settings import SettingsStore
from core.source_cache import SourceCache
from core.storage import Recovery
from core.watchlist import WatchlistManager

log = logging.getLogger(__name__)

SHUTDOWN_MS = 1_000  # how long a quit waits for worker threads before abandoning them


class CoreService(QObject):
    """Everything Tsuzuki does, behind methods and signals.

    Signals:
        item_changed(WatchlistItem): a show was added or changed.
        item_removed(str): a show was removed (its id), and its unfinished downloads with it.
        episode_found(NewEpisodeInfo): a check saw a new episode.
        check_started(int): a check of that many shows began.
        check_finished(CheckReport): a check ended.
        download_changed(DownloadJob): a download was queued or changed state.
        download_progress(str, int, object): job id, bytes done, total (None: unknown).
        download_finished(DownloadJob) / download_failed(DownloadJob)
        downloads_idle(): nothing is queued or running.
        scheduler_changed(SchedulerState)
        problem(str): something went wrong that the user should read (a damaged file
            moved aside), in plain words. A check that could not run ends with a
            report whose ``failure`` says why.
    """

    item_changed = Signal(object)
    item_removed = Signal(str)
    episode_found = Signal(object)
    check_started = Signal(int)
    check_finished = Signal(object)
    download_changed = Signal(object)
    download_progress = Signal(str, int, object)
    download_finished = Signal(object)
    download_failed = Signal(object)
    downloads_idle = Signal()
    scheduler_changed = Signal(object)
    problem = Signal(str)
    _recovered = Signal(str)

    def __init__(
        self,
        folder: DataFolder,
        parent: QObject | None = None,
        *,
        scheduler_autostart: bool = True,
        scheduler_unit_seconds: float = HOUR_SECONDS,
    ) -> None:
        """``scheduler_autostart`` False keeps the scheduler off (a one-off command);
        ``scheduler_unit_seconds`` is the length of an interval "hour" (tests shorten it)."""
        super().__init__(parent)
        self.folder = folder
        self._recovered.connect(self.problem)  # queued when a worker thread finds a damaged file
        recovery: Callable[[Recovery], None] = self._report_recovery
        self._watchlist = WatchlistManager(folder, on_recovery=recovery)
        self._settings = SettingsStore(folder, on_recovery=recovery)
        self._episodes = EpisodeBook(folder, on_recovery=recovery)
        secrets = SecretStore(folder)
        self._jobs = JobBook(folder, on_recovery=recovery)
        self.downloads = DownloadManager(
            self._jobs, self._episodes, self._watchlist, self._settings.get,
            TransferRunner(folder, secrets), parent=self,
        )
        self.notifier = Notifier(folder, secrets, on_recovery=recovery, parent=self)
        self._checker = EpisodeChecker(
            self._watchlist, self._episodes, SourceCache(folder, on_recovery=recovery), self.downloads.enqueue
        )
        self.scheduler = CheckScheduler(
            folder, self._settings.get().check_interval_hours, parent=self, on_recovery=recovery,
            autostart=scheduler_autostart, unit_seconds=scheduler_unit_seconds,
        )
        self._hour_seconds = scheduler_unit_seconds
        self._check: tuple[QThread, CheckWorker, threading.Event] | None = None
        self._pending: set[str] | None = None  # a check asked for while one runs; empty = all due
        self._errors_before: dict[str, str | None] = {}  # each checked show's last_error as the check began
        self.downloads.job_changed.connect(self.download_changed)
        self.downloads.progress.connect(self.download_progress)
        self.downloads.finished.connect(self._on_download_finished)
        self.downloads.failed.connect(self._on_download_failed)
        self.downloads.idle.connect(self.downloads_idle)
        self.scheduler.check_due.connect(self.check_due)
        self.scheduler.state_changed.connect(self.scheduler_changed)

    # Watchlist ---------------------------------------------------------------------------

    def list_items(self, status: WatchlistStatus | None = None) -> list[WatchlistItem]:
        return self._watchlist.list_items(status)

    def get_item(self, ref: str) -> WatchlistItem:
        return self._watchlist.get(ref)

    def add_item(self, data: WatchlistItemCreate) -> WatchlistItem:
        item = self._watchlist.create(data)
        self.item_changed.emit(item)
        return item

    def update_item(self, ref: str, changes: WatchlistItemUpdate) -> WatchlistItem:
        item = self._watchlist.update(ref, changes)
        self.item_changed.emit(item)
        return item

    def remove_item(self, ref: str) -> WatchlistItem:
        """Remove a show with its unfinished downloads and episode states (see ``remove_show``)."""
        item = remove_show(ref, self._watchlist, self._episodes, self._jobs, self._settings.get().download_dir,
                           self.downloads.stop_removed)
        self.item_removed.emit(item.id)
        return item

    def pause_item(self, ref: str) -> WatchlistItem:
        item = self._watchlist.pause(ref)
        self.item_changed.emit(item)
        return item

    def resume_item(self, ref: str) -> WatchlistItem:
        item = self._watchlist.resume(ref)
        self.item_changed.emit(item)
        return item

    def statistics(self) -> WatchlistStatistics:
        return self._watchlist.statistics()

    # Settings ----------------------------------------------------------------------------

    def settings(self) -> WatchlistSettings:
        return self._settings.get()

    def update_settings(self, **changes: object) -> WatchlistSettings:
        """Change settings (values may be typed text); the scheduler follows a new interval."""
        settings = self._settings.set_values(**changes)
        if "check_interval_hours" in changes:
            self.scheduler.set_interval(settings.check_interval_hours)
        self.downloads.wake()  # a higher limit may let queued downloads start
        return settings

    # Checks ------------------------------------------------------------------------------

    def is_checking(self) -> bool:
        return self._check is not None

    @Slot()
    def check_due(self) -> None:
        """Check every show that is due (the scheduler's tick)."""
        self._start_check(self._watchlist.due_for_check(self._settings.get(), self._hour_seconds), pending=set())

    def check_items(self, refs: list[str]) -> None:
        """Check these shows now, due or not ("check now" on a selection)."""
        self._check_these(self._watchlist.get_many(refs))

    def check_all(self) -> None:
        """Check every active show now, due or not ("check all")."""
        settings = self._settings.get()
        wanted = {WatchlistStatus.ACTIVE} | ({WatchlistStatus.COMPLETED} if settings.include_completed_anime else set())
        self._check_these([item for item in self._watchlist.list_items() if item.status in wanted])

    def _check_these(self, items: list[WatchlistItem]) -> None:
        self._start_check(items, pending={item.id for item in items})

    def cancel_check(self) -> None:
        if self._check is not None:
            self._check[2].set()

    def _start_check(self, items: list[WatchlistItem], pending: set[str]) -> None:
        if self._check is not None:  # one check at a time: remember this one for afterwards
            self._pending = pending if self._pending is None else self._pending | pending
            return
        stop = threading.Event()
        thread = QThread(self)
        self._errors_before = {item.id: item.last_error for item in items}
        worker = CheckWorker(self._checker, items, self._settings.get(), stop)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.done.connect(self._on_check_done)
        worker.crashed.connect(self._on_check_crashed)
        self._check = (thread, worker, stop)
        self.check_started.emit(len(items))
        thread.start()

    @Slot(object)
    def _on_check_done(self, report: CheckReport) -> None:
        self._end_check()
        settings = self._settings.get()
        for info in report.new_episodes:
            self.episode_found.emit(info)
            if settings.notify_on_new_episodes:
                self._notify(NotificationEvent.NEW_EPISODE, f"{info.anime_title} — episode {info.episode}",
                             f"New: {info.release_name}", info.item_id)
        for error in report.errors:
            if self._errors_before.get(error.item_id) != error.error:  # newly broken, not still broken
                self._notify(NotificationEvent.SOURCE_BROKEN, f"{error.anime_title}: source unavailable",
                             error.error, error.item_id)
        for item in report.shows:
            self.item_changed.emit(item)
        self.check_finished.emit(report)
        self._run_pending()

    @Slot(str)
    def _on_check_crashed(self, message: str) -> None:
        self._end_check()
        self.check_finished.emit(CheckReport(0, (), (), (), failure=message))
        self._run_pending()

    def _end_check(self, timeout_ms: int | None = None) -> bool:
        """Let the check's thread end (waiting at most ``timeout_ms``); False if it is still running."""
        if self._check is None:
            return True
        thread, worker, _ = self._check
        thread.quit()
        if not (thread.wait() if timeout_ms is None else thread.wait(timeout_ms)):
            return False  # stuck in a slow read: left to the process's exit
        self._check = None
        worker.deleteLater()
        thread.deleteLater()
        return True

    def _run_pending(self) -> None:
        pending, self._pending = self._pending, None
        if pending is None:
            return
        if pending:
            self.check_items(sorted(pending))
        else:
            self.check_due()

    # Downloads, notifications, lifecycle -------------------------------------------------

    @Slot(object)
    def _on_download_finished(self, job: DownloadJob) -> None:
        self.download_finished.emit(job)
        self._notify(NotificationEvent.DOWNLOAD_FINISHED, f"{job.anime_title} — episode {job.episode}",
                     f"Downloaded to {job.path}", job.item_id)

    @Slot(object)
    def _on_download_failed(self, job: DownloadJob) -> None:
        self.download_failed.emit(job)
        self._notify(NotificationEvent.DOWNLOAD_FAILED, f"{job.anime_title} — episode {job.episode} failed",
                     job.error or "the download failed", job.item_id)

    def _notify(self, event: NotificationEvent, title: str, body: str, item_id: str | None) -> None:
        self.notifier.notify(Notification(event, title, body, item_id))

    def scheduler_state(self) -> SchedulerState:
        return self.scheduler.state()

    def start(self) -> None:
        """Resume interrupted downloads; the scheduler catches up on checks missed while off."""
        self.downloads.start()
        self.scheduler.catch_up()

    def shutdown(self, timeout_ms: int = SHUTDOWN_MS) -> bool:
        """Stop: cancel the check, pause downloads (they resume next time), stop timers.

        Waits at most about ``timeout_ms`` for worker threads; returns False when one is
        still stuck (a read from a slow source), so the caller must end the process
        without destroying it (``os._exit``): what it wrote so far is kept and resumed."""
        self.cancel_check()
        self.downloads.stop()
        self.scheduler.shutdown()
        self.notifier.close()
        deadline = QDeadlineTimer(timeout_ms)
        check_ended = self._end_check(max(0, deadline.remainingTime()))
        return self.downloads.shutdown(max(0, deadline.remainingTime())) and check_ended

    def _report_recovery(self, recovery: Recovery) -> None:
        log.warning("%s", recovery.message())
        self._recovered.emit(recovery.message())

