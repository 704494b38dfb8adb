"""CoreService: the engine behind the window, the tray, headless mode and a command-line check.

Every rule lives in the Qt-free ``Actions``; the service adds what needs an
event loop: the check and the transfers in worker threads (one ``TaskRunner``),
the scheduler, notifications sent in the background, and a signal for every
change. It lives in the thread that created it (the GUI thread, or the
headless/CLI main thread) and never blocks it on the network: methods
documented as blocking are for ``background()``.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal

from core import metadata
from core.actions import Actions, Explanation, Saved
from core.airing import Airing, AiringBook
from core.changes import ChangeListener
from core.check_run import CheckRun
from core.checker import CheckReport, EpisodeChecker
from core.datafolder import DataFolder
from core.downloads.jobs import DownloadJob
from core.downloads.manager import DownloadManager
from core.downloads.transfers import TransferRunner
from core.episodes import EpisodeRecord
from core.models import (
    NewEpisodeInfo,
    NotificationEvent,
    WatchlistItem,
    WatchlistSettings,
    WatchlistStatistics,
    WatchlistStatus,
)
from core.notifications import ChannelConfig, Notification
from core.scheduler import HOUR_SECONDS, CheckScheduler
from core.scheduler_state import SchedulerState
from core.source_cache import SourceCache
from core.storage import Recovery
from core.tasks import Task, TaskRunner
from providers.link_kinds import LinkKind

if TYPE_CHECKING:
    from core.downloads.torrent_base import TorrentClientSettings
    from providers.anilist import AnimeMetadata

log = logging.getLogger(__name__)

SHUTDOWN_MS = 1_000  # how long a quit waits for worker threads before abandoning them
MAX_SEPARATE_MESSAGES = 3  # more new episodes than this at once are told in one message
T = TypeVar("T")


class _Signals(ChangeListener):
    """Turns each change the application layer announces into the service's signal (any thread)."""

    def __init__(self, service: CoreService) -> None:
        self._service = service

    def show_added(self, item: WatchlistItem) -> None:
        self._service.item_added.emit(item)

    def show_changed(self, item: WatchlistItem) -> None:
        self._service.item_changed.emit(item)

    def show_removed(self, item_id: str) -> None:
        self._service.item_removed.emit(item_id)

    def episode_changed(self, item_id: str, record: EpisodeRecord) -> None:
        self._service.episode_changed.emit(item_id, record)

    def settings_changed(self, settings: WatchlistSettings) -> None:
        self._service.settings_changed.emit(settings)

    def download_changed(self, job: DownloadJob) -> None:
        self._service.download_changed.emit(job)

    def download_removed(self, job_id: str) -> None:
        self._service.download_removed.emit(job_id)


class CoreService(QObject):
    """Everything Tsuzuki does, behind methods and signals (the window binds to these only).

    Signals:
        item_added(WatchlistItem) / item_changed(WatchlistItem): a show was added; a show changed
            (edited, paused, checked, or moved on by a finished download).
        items_changed(list[WatchlistItem]): the shows a check just checked, in one signal, so a
            window repaints once for them all.
        item_removed(str): a show was removed (its id), with its unfinished downloads.
        episode_changed(str, EpisodeRecord): an episode of that show moved (found, queued,
            downloading, done, failed or skipped, with why): the show's timeline.
        episode_found(NewEpisodeInfo): a check saw a new episode.
        settings_changed(WatchlistSettings)
        check_started(int): a check of that many shows began.  check_finished(CheckReport)
        download_changed(DownloadJob): a download was queued or changed state.
        download_removed(str): a download left the queue or history (its id).
        download_progress(str, int, object): job id, bytes done, total (None: unknown), a few
            times a second at most.
        download_finished(DownloadJob) / download_failed(DownloadJob)
        downloads_idle(): no transfer is queued or running.
        scheduler_changed(SchedulerState): on every change (started, stopped, next run moved).
        notification(Notification): for the tray: every event worth telling the user.
        delivery_failed(str, str): a notification channel's label and why it missed a message.
        problem(str): something the user should read (a damaged file moved aside), in plain words.
        activation_requested(): a second launch asked this instance to show its window.
        airing_changed(dict[int, Airing]): AniList's airing of these shows (by AniList id) is
            newer; ``airing()`` has them all.
    """

    item_added = Signal(object)
    item_changed = Signal(object)
    items_changed = Signal(list)
    item_removed = Signal(str)
    episode_changed = Signal(str, object)
    episode_found = Signal(object)
    settings_changed = Signal(object)
    check_started = Signal(int)
    check_finished = Signal(object)
    download_changed = Signal(object)
    download_removed = Signal(str)
    download_progress = Signal(str, int, object)
    download_finished = Signal(object)
    download_failed = Signal(object)
    downloads_idle = Signal()
    scheduler_changed = Signal(object)
    notification = Signal(object)
    delivery_failed = Signal(str, str)
    problem = Signal(str)
    activation_requested = Signal()
    airing_changed = Signal(object)
    _check_wanted = Signal(list)  # ids to check, from any thread: the check starts in the service's thread

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
        recovery: Callable[[Recovery], None] = self._report_recovery
        self._actions = Actions(folder, _Signals(self), on_recovery=recovery)
        self._tasks = TaskRunner(self)
        transfers = TransferRunner(folder, self._actions.secrets)
        self._downloads = DownloadManager(self._actions.queue, self._actions.settings, transfers, self._tasks,
                                          transfers.torrent_progress, parent=self)
        self._checker = EpisodeChecker(self._actions.watchlist, self._actions.episodes,
                                       SourceCache(folder, on_recovery=recovery), self._downloads.enqueue,
                                       relations=self._actions.relations)
        self._scheduler = CheckScheduler(
            folder, self._actions.settings().check_interval_hours, parent=self, on_recovery=recovery,
            autostart=scheduler_autostart, unit_seconds=scheduler_unit_seconds,
        )
        self._hour_seconds = scheduler_unit_seconds
        self._check: threading.Event | None = None  # the running check's stop flag
        self._pending: set[str] | None = None  # a check asked for while one runs; empty = all due
        self._errors_before: dict[str, str | None] = {}  # each checked show's last_error as the check began
        self._outbox: deque[Notification] = deque()
        self._airing_book = AiringBook(folder, on_recovery=recovery)
        self._airing: dict[int, Airing] = {}
        self._airing_refresh: bool | None = None  # None: idle; False: running; True: to run again after
        self._sending = False
        self._downloads.progress.connect(self.download_progress)
        self._downloads.finished.connect(self._on_download_finished)
        self._downloads.failed.connect(self._on_download_failed)
        self._downloads.idle.connect(self.downloads_idle)
        self._scheduler.check_due.connect(self.check_due)
        self._scheduler.state_changed.connect(self.scheduler_changed)
        self._check_wanted.connect(self.check_items)  # direct from this thread, queued from a worker

    # Background work ---------------------------------------------------------------------

    def background(
        self,
        work: Callable[[], T],
        on_done: Callable[[T], object] | None = None,
        on_failed: Callable[[BaseException], object] | None = None,
        *,
        name: str = "task",
    ) -> Task[T] | None:
        """Run a blocking call (``explain``, ``search_anilist``, ``test_channel``...) in a worker
        thread; ``on_done(result)`` or ``on_failed(error)`` follow in this thread. None after shutdown."""
        return self._tasks.run(work, on_done, on_failed, name=name)

    # Shows -------------------------------------------------------------------------------

    def list_items(self, status: WatchlistStatus | None = None) -> list[WatchlistItem]:
        return self._actions.list_items(status)

    def get_item(self, ref: str) -> WatchlistItem:
        return self._actions.get_item(ref)

    def statistics(self) -> WatchlistStatistics:
        return self._actions.statistics()

    def add_item(self, fields: dict[str, object]) -> Saved:
        """Add a show and check it at once (with an ``anilist_id`` this blocks on AniList, so it may
        run in ``background()``: the check then starts in the service's thread)."""
        saved = self._actions.add_item(fields)
        if saved.item.status is WatchlistStatus.ACTIVE:
            self._check_wanted.emit([saved.item.id])
        return saved

    def update_item(self, ref: str, fields: dict[str, object]) -> Saved:
        return self._actions.update_item(ref, fields)

    def remove_item(self, ref: str) -> WatchlistItem:
        """Remove a show with its unfinished downloads (stopping those running) and episode states."""
        return self._actions.remove_item(ref, self._downloads.stop_removed)

    def pause_item(self, ref: str) -> WatchlistItem:
        return self._actions.pause_item(ref)

    def resume_item(self, ref: str) -> WatchlistItem:
        return self._actions.resume_item(ref)

    def episode_timeline(self, ref: str) -> list[EpisodeRecord]:
        return self._actions.episode_timeline(ref)

    def provider_ids(self) -> list[str]:
        """Every source kind a show may use, sorted (for a form's choice)."""
        return self._actions.provider_ids()

    def field_problems(self, fields: dict[str, object]) -> dict[str, str]:
        """What is wrong with a show's fields, by field name (offline, quick: for inline marks)."""
        return self._actions.field_problems(fields)

    def preview(self, fields: dict[str, object]) -> Explanation:
        """What the first check of an unsaved show would take, and why. Blocks on the network."""
        return self._actions.preview(fields)

    def episode_timelines(self, item_ids: list[str]) -> dict[str, list[EpisodeRecord]]:
        """Several shows' timelines at once (the window's first load), by full id."""
        return self._actions.episode_timelines(item_ids)

    def explain(self, ref: str) -> Explanation:
        """What a check would take from the show's source, and why. Blocks on the network."""
        return self._actions.explain(ref)

    def poster(self, url: str) -> bytes:
        """A poster's image bytes (cached on disk; the first time blocks on the network)."""
        return self._actions.poster(url)

    def search_anilist(self, title: str) -> list[AnimeMetadata]:
        """AniList entries for ``title``. Blocks on the network."""
        return self._actions.search_anilist(title)

    # Settings, torrent client, notification channels -------------------------------------

    def settings(self) -> WatchlistSettings:
        return self._actions.settings()

    def setting(self, key: str) -> tuple[str, object]:
        return self._actions.setting(key)

    def update_settings(self, changes: dict[str, object]) -> WatchlistSettings:
        """Change settings (values may be typed text); the scheduler follows a new interval."""
        settings = self._actions.update_settings(changes)
        if "check_interval_hours" in changes:
            self._scheduler.set_interval(settings.check_interval_hours)
        self._downloads.wake()  # a higher limit may let queued downloads start
        return settings

    def torrent_client(self) -> TorrentClientSettings | None:
        return self._actions.torrent_client()

    def set_torrent_client(self, fields: dict[str, object], password: str) -> TorrentClientSettings:
        """Use this torrent client (its password goes to the keyring when it has a user name)."""
        return self._actions.set_torrent_client(fields, lambda client: password)

    def clear_torrent_client(self) -> str | None:
        """Forget the torrent client; returns a warning when its password stays in the keyring."""
        return self._actions.clear_torrent_client()

    def test_torrent_client(self) -> str:
        """The torrent client's version. Blocks on the network."""
        return self._actions.test_torrent_client()

    def channels(self) -> list[ChannelConfig]:
        return self._actions.notifier.channels()

    def add_channel(self, label: str, url: str, events: list[NotificationEvent] | None = None) -> ChannelConfig:
        """Add a notification channel (its address goes to the keyring; ``InputError`` if unusable)."""
        return self._actions.notifier.add_channel(label, url, events)

    def remove_channel(self, channel_id: str) -> None:
        self._actions.notifier.remove_channel(channel_id)

    def set_channel_events(self, channel_id: str, events: list[NotificationEvent]) -> ChannelConfig:
        return self._actions.notifier.set_channel_events(channel_id, events)

    def set_channel_enabled(self, channel_id: str, enabled: bool) -> ChannelConfig:
        return self._actions.notifier.set_channel_enabled(channel_id, enabled)

    def keyring_problem(self) -> str | None:
        """Why secrets cannot be kept in the keyring now (None: they can); blocking, so ask in the background."""
        return self._actions.keyring_problem()

    def shown_address(self, channel_id: str) -> str:
        """A channel's address as it may be shown ("discord://…"), read from the keyring."""
        return self._actions.notifier.shown_address(channel_id)

    def test_channel(self, channel_id: str) -> None:
        """Send a test message to a channel; raises ``DeliveryError``. Blocks on the network."""
        self._actions.notifier.test_channel(channel_id)

    # Checks ------------------------------------------------------------------------------

    def is_checking(self) -> bool:
        return self._check is not None

    def check_due(self) -> None:
        """Check every show that is due (the scheduler's tick)."""
        watchlist, settings = self._actions.watchlist, self._actions.settings
        self._start_check(lambda: watchlist.due_for_check(settings(), self._hour_seconds), pending=set())

    def check_items(self, refs: list[str]) -> None:
        """Check these shows now, due or not ("check now" on a selection)."""
        self._check_these(self._actions.watchlist.get_many(refs))

    def check_all(self) -> None:
        """Check every active show now, due or not ("check all"); the watchlist is read in the check's
        thread (10,000 shows take a while to read)."""
        if self._check is not None:  # to be remembered for afterwards, by id
            self._check_these(self._every_active())
        else:
            self._start_check(self._every_active, pending=set())

    def _every_active(self) -> list[WatchlistItem]:
        settings = self._actions.settings()
        wanted = {WatchlistStatus.ACTIVE} | ({WatchlistStatus.COMPLETED} if settings.include_completed_anime else set())
        return [item for item in self._actions.list_items() if item.status in wanted]

    def run_check(self, ref: str | None = None, *, every: bool = False, own_downloads_only: bool = False) -> CheckRun:
        """Check one show (``ref``), every active one (``every``) or the due ones, and follow the
        downloads it starts: the returned run's ``finished`` says when all of them have ended."""
        shows = self._actions.watchlist.get_many([ref]) if ref is not None else None  # a bad id fails first
        run = CheckRun(self, own_downloads_only=own_downloads_only)
        if shows is not None:
            self._check_these(shows)
        elif every:
            self.check_all()
        else:
            self.check_due()
        return run

    def cancel_check(self) -> None:
        if self._check is not None:
            self._check.set()

    def _check_these(self, items: list[WatchlistItem]) -> None:
        self._start_check(lambda: items, pending={item.id for item in items})

    def _start_check(self, shows: Callable[[], list[WatchlistItem]], pending: set[str]) -> None:
        """Check the shows ``shows()`` gives (called in the check's thread)."""
        if self._check is not None:  # one check at a time: remember this one for afterwards
            self._pending = pending if self._pending is None else self._pending | pending
            return
        stop = threading.Event()

        def check() -> CheckReport:
            items = shows()
            self._errors_before = {item.id: item.last_error for item in items}  # read once the check is done
            self.check_started.emit(len(items))
            return self._checker.check(items, self._actions.settings(), stop)

        if self._tasks.run(check, self._on_check_done, self._on_check_crashed, name="check") is not None:
            self._check = stop  # else shutting down

    def _on_check_done(self, report: CheckReport) -> None:
        self._check = None
        settings = self._actions.settings()
        for info in report.new_episodes:
            self.episode_found.emit(info)
        if settings.notify_on_new_episodes:
            self._notify_new(report.new_episodes)
        for error in report.errors:
            if self._errors_before.get(error.item_id) != error.error:  # newly broken, not still broken
                self._notify(NotificationEvent.SOURCE_BROKEN, f"{error.anime_title}: source unavailable",
                             error.error, error.item_id)
        if report.shows:
            self.items_changed.emit(list(report.shows))
        self.check_finished.emit(report)
        self._run_pending()

    def _on_check_crashed(self, error: BaseException) -> None:
        self._check = None
        log.error("check failed", exc_info=error)
        self.check_finished.emit(CheckReport(0, (), (), (), failure=f"The check could not run: {error}"))
        self._run_pending()

    def _run_pending(self) -> None:
        pending, self._pending = self._pending, None
        if pending is None:
            return
        if pending:
            self.check_items(sorted(pending))
        else:
            self.check_due()

    # Airing ------------------------------------------------------------------------------

    def airing(self) -> dict[int, Airing]:
        """What is known of each linked show's airing, by AniList id (from memory: safe anywhere)."""
        return dict(self._airing)

    def refresh_airing(self) -> None:
        """In the background: read ``airing.json``, then ask AniList about the linked shows whose
        entry is due (see ``core.airing``); ``airing_changed`` follows. Failures are only logged."""
        if self._airing_refresh is not None:  # one at a time: run again once this one ends
            self._airing_refresh = True
            return
        book, actions = self._airing_book, self._actions

        def refresh() -> dict[int, Airing]:
            known = book.known()
            return {**known, **book.refresh((item.anilist_id for item in actions.list_items()), metadata.anilist())}

        if self.background(refresh, self._on_airing, self._on_airing_crashed, name="airing") is not None:
            self._airing_refresh = False

    def _on_airing(self, airing: dict[int, Airing]) -> None:
        changed = {anilist_id: entry for anilist_id, entry in airing.items() if self._airing.get(anilist_id) != entry}
        self._airing.update(changed)
        if changed:
            self.airing_changed.emit(changed)
        self._airing_done()

    def _on_airing_crashed(self, error: BaseException) -> None:
        log.warning("the airing times could not be refreshed: %s", error)
        self._airing_done()

    def _airing_done(self) -> None:
        again, self._airing_refresh = self._airing_refresh, None
        if again:
            self.refresh_airing()

    def _refresh_if_new_link(self, item: WatchlistItem) -> None:
        if item.anilist_id is not None and item.anilist_id not in self._airing:
            self.refresh_airing()

    # Downloads ---------------------------------------------------------------------------

    def downloads(self) -> list[DownloadJob]:
        """The queue and the history (pending jobs first, newest last)."""
        return self._downloads.jobs()

    def cancel_download(self, ref: str) -> DownloadJob:
        return self._downloads.cancel(ref)

    def retry_download(self, ref: str) -> DownloadJob:
        return self._downloads.retry(ref)

    def remove_download(self, ref: str) -> DownloadJob:
        """Forget a download; a running one is cancelled and removed once it has stopped."""
        return self._downloads.remove(ref)

    def download_episode(self, ref: str, episode: int) -> DownloadJob:
        """Download a found episode from the release its record keeps (no new listing)."""
        return self._downloads.download_episode(ref, episode)

    def downloads_busy(self, job_ids: set[str] | None = None) -> bool:
        """Whether a transfer is queued or running (of these jobs only, when given)."""
        return self._downloads.is_busy() if job_ids is None else self._downloads.transferring(job_ids)

    def _on_download_finished(self, job: DownloadJob) -> None:
        self.download_finished.emit(job)
        on_disk = job.kind in (LinkKind.HTTP, LinkKind.YTDLP)  # not a torrent client's: a file of ours
        self._notify(NotificationEvent.DOWNLOAD_FINISHED, f"{job.anime_title} — episode {job.episode}",
                     f"Downloaded to {job.path}", job.item_id, job.path if on_disk else None)

    def _on_download_failed(self, job: DownloadJob) -> None:
        self.download_failed.emit(job)
        self._notify(NotificationEvent.DOWNLOAD_FAILED, f"{job.anime_title} — episode {job.episode} failed",
                     job.error or "the download failed", job.item_id)

    # Notifications -----------------------------------------------------------------------

    def _notify_new(self, new: tuple[NewEpisodeInfo, ...]) -> None:
        """One message per new episode; many at once (a first check) make one message, not a flood."""
        if len(new) <= MAX_SEPARATE_MESSAGES:
            for info in new:
                self._notify(NotificationEvent.NEW_EPISODE, f"{info.anime_title} — episode {info.episode}",
                             f"New: {info.release_name}", info.item_id)
            return
        shows = list(dict.fromkeys(info.anime_title for info in new))
        listed = ", ".join(shows[:MAX_SEPARATE_MESSAGES]) + (f" and {len(shows) - MAX_SEPARATE_MESSAGES} more"
                                                             if len(shows) > MAX_SEPARATE_MESSAGES else "")
        self._notify(NotificationEvent.NEW_EPISODE, f"{len(new)} new episodes", f"New: {listed}",
                     new[0].item_id if len(shows) == 1 else None)

    def _notify(self, event: NotificationEvent, title: str, body: str, item_id: str | None,
                path: str | None = None) -> None:
        """Tell the tray now; send to the channels in the background, one message after another."""
        notification = Notification(event, title, body, item_id, path)
        self.notification.emit(notification)
        self._outbox.append(notification)
        self._send_next()

    def _send_next(self) -> None:
        if self._sending or not self._outbox:
            return
        notification = self._outbox.popleft()
        notifier = self._actions.notifier
        self._sending = self.background(lambda: notifier.deliver(notification), self._on_delivered,
                                        self._on_delivery_crashed, name="notify") is not None

    def _on_delivered(self, failures: list[tuple[str, str]]) -> None:
        self._sending = False
        for label, reason in failures:
            self.delivery_failed.emit(label, reason)
        self._send_next()

    def _on_delivery_crashed(self, error: BaseException) -> None:
        self._sending = False
        log.error("sending a notification failed", exc_info=error)
        self._send_next()

    # Scheduler and lifecycle -------------------------------------------------------------

    def scheduler_state(self) -> SchedulerState:
        return self._scheduler.state()

    def start_scheduler(self) -> None:
        """Turn periodic checks on (kept on at the next launch)."""
        self._scheduler.start()

    def stop_scheduler(self) -> None:
        """Turn periodic checks off (kept off at the next launch)."""
        self._scheduler.stop()

    def run_scheduled_check_now(self) -> None:
        """Check the due shows now; the next periodic check comes one interval later."""
        self._scheduler.run_now()

    def request_activation(self) -> None:
        """A second launch wants this instance's window shown (the window connects to the signal)."""
        self.activation_requested.emit()

    def start(self, *, periodic_by_default: bool = False, follow_airing: bool = False) -> None:
        """Resume interrupted downloads; the scheduler catches up on checks missed while off.

        ``periodic_by_default`` (the desktop app): on a first run, turn periodic checks on.
        ``follow_airing`` (the window, headless): refresh the airing times now, after each check
        and when a show is linked to AniList (a one-off command leaves AniList alone)."""
        self._downloads.start()
        if periodic_by_default and self._scheduler.never_set():
            self._scheduler.start()
        self._scheduler.catch_up()
        if follow_airing:
            self.item_added.connect(self._refresh_if_new_link)
            self.item_changed.connect(self._refresh_if_new_link)
            self.check_finished.connect(lambda _report: self.refresh_airing())
            self.refresh_airing()

    def shutdown(self, timeout_ms: int = SHUTDOWN_MS) -> bool:
        """Stop: cancel the check, pause downloads (they resume next time), stop timers.

        Waits at most about ``timeout_ms`` for worker threads, after which no late result
        starts anything; returns False when one is still stuck (a read from a slow source),
        so the caller must end the process without destroying it (``os._exit``): what it
        wrote so far is kept and resumed."""
        self.cancel_check()
        self._downloads.stop()
        self._scheduler.shutdown()
        self._outbox.clear()
        return self._tasks.shutdown(timeout_ms)

    def _report_recovery(self, recovery: Recovery) -> None:
        log.warning("%s", recovery.message())
        self.problem.emit(recovery.message())  # queued to this thread when a worker found the damage
