"""When to check the watchlist: every ``check_interval_hours``, on demand, and to catch up.

Threads. A stock APScheduler ``BackgroundScheduler`` keeps the interval in its own
thread (started by the first ``start()``, ended by ``shutdown()``). Its job,
``_fire``, runs inline in that thread (``DebugExecutor``: a pool would add threads
for one emit) and only emits ``_due``, queued to this object's thread; there
``_on_due`` starts the check if one is due by our clock, so a late or duplicate
wakeup (after a "check now" or a catch-up) starts nothing. ``check_due`` and
``state_changed`` are therefore always emitted in this object's thread. (Not
``QtScheduler``: under PySide6 it leaks a live single-shot timer per wakeup.)

Catching up. The app is off most of the time. At ``start()`` a check is due
at once if none ever ran or ``last_run_at + interval`` has passed; however
many intervals were missed, it is ONE run (the job has ``coalesce=True``,
``misfire_grace_time=None``, ``max_instances=1``, the next run is always
counted from the last one, and a wakeup that finds nothing due is dropped).
APScheduler waits on monotonic time, which stops while the machine sleeps, so a
coarse wall-clock watch (``catch_up()`` every ``wake_check_seconds``, also
callable on a wake-from-sleep notification) notices a check that fell due
during a suspension and runs it once.

Clocks. Our times come from ``clock`` (a test moves it by hand); APScheduler
keeps real time, so a moment is handed to it as "now + (moment - clock())".
``unit_seconds`` is the length of one interval "hour" (3600; a test makes it
0.1 so a one-hour interval takes 0.1 s of real time).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.executors.debug import DebugExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from pydantic import AwareDatetime
from PySide6.QtCore import QObject, Qt, QTimer, Signal

from core.datafolder import DataFolder
from core.errors import InputError, StorageError
from core.models import MAX_CHECK_INTERVAL_HOURS, MIN_CHECK_INTERVAL_HOURS, utc_now
from core.scheduler_state import SchedulerState
from core.storage import JsonStore, Recovery, VersionedDocument

log = logging.getLogger(__name__)

SCHEDULER_FILE = "scheduler.json"
HOUR_SECONDS = 3600.0
_JOB_ID = "check"


class SchedulerFile(VersionedDocument):
    """The layout of ``scheduler.json``: what must survive a restart."""

    schema_version: int = VersionedDocument.SCHEMA_VERSION
    last_run_at: AwareDatetime | None = None
    running: bool = False


def check_interval(hours: int) -> int:
    """Return ``hours`` if it is a usable check interval, else raise ``InputError``."""
    if isinstance(hours, bool) or not isinstance(hours, int) or not (
        MIN_CHECK_INTERVAL_HOURS <= hours <= MAX_CHECK_INTERVAL_HOURS
    ):
        raise InputError(
            f"The check interval must be a whole number of hours from {MIN_CHECK_INTERVAL_HOURS} "
            f"to {MAX_CHECK_INTERVAL_HOURS}; {hours!r} is not."
        )
    return hours


def next_due(last_run_at: datetime | None, interval: timedelta, now: datetime) -> datetime:
    """When the next check is due: one interval after the last, and never before ``now``."""
    if last_run_at is None:
        return now
    return max(last_run_at + interval, now)


def saved_state(
    folder: DataFolder, interval_hours: int, clock: Callable[[], datetime] = utc_now
) -> SchedulerState:
    """The state as saved in ``folder``, as a new instance would start it (for the CLI)."""
    saved = JsonStore(folder, SCHEDULER_FILE, SchedulerFile, SchedulerFile).read()
    interval = timedelta(hours=check_interval(interval_hours))
    next_run_at = next_due(saved.last_run_at, interval, clock()) if saved.running else None
    return SchedulerState(saved.running, interval_hours, next_run_at, saved.last_run_at)


class CheckScheduler(QObject):
    """Says when to check the watchlist; the service connects ``check_due`` to the checker.

    A new instance restores ``last_run_at`` from ``scheduler.json`` and starts by
    itself if it was running when the app last quit (unless ``autostart`` is False,
    as for a one-off command-line check) (its first ``check_due``
    comes from the event loop, so signals connected right after construction
    see it).

    Signals:
        check_due: time to check every due show (emitted in this object's thread).
        state_changed: a ``SchedulerState`` after any change.
    """

    check_due = Signal()
    state_changed = Signal(object)
    _due = Signal()

    def __init__(
        self,
        folder: DataFolder,
        interval_hours: int,
        clock: Callable[[], datetime] = utc_now,
        parent: QObject | None = None,
        *,
        unit_seconds: float = HOUR_SECONDS,
        wake_check_seconds: float = 60.0,
        on_recovery: Callable[[Recovery], None] | None = None,
        autostart: bool = True,
    ) -> None:
        super().__init__(parent)
        self._interval_hours = check_interval(interval_hours)
        self._clock = clock
        self._unit_seconds = unit_seconds
        self._store = JsonStore(folder, SCHEDULER_FILE, SchedulerFile, SchedulerFile, on_recovery)
        saved = self._store.read()
        self._last_run_at = saved.last_run_at
        self._running = False
        self._next_run_at: datetime | None = None
        self._watch = QTimer(self)
        self._watch.setInterval(int(wake_check_seconds * 1000))
        self._watch.timeout.connect(self.catch_up)
        self._scheduler = BackgroundScheduler(timezone=UTC, executors={"default": DebugExecutor()})
        self._due.connect(self._on_due, Qt.ConnectionType.QueuedConnection)
        if saved.running and autostart:
            self.start()

    def never_set(self) -> bool:
        """Whether periodic checks were never turned on or off in this data folder (a first run)."""
        return not self._store.path.exists()

    def state(self) -> SchedulerState:
        """What the scheduler is doing now."""
        return SchedulerState(self._running, self._interval_hours, self._next_run_at, self._last_run_at)

    def start(self) -> None:
        """Turn periodic checks on; a check already due runs at once (once)."""
        if self._running:
            return
        self._store_changes(running=True)
        self._running = True
        if not self._scheduler.running:
            self._scheduler.start()
        self._watch.start()
        self._arm(next_due(self._last_run_at, self._interval(), self._clock()))
        self.state_changed.emit(self.state())

    def stop(self) -> None:
        """Turn periodic checks off (and keep them off at the next launch)."""
        if not self._running:
            return
        self._store_changes(running=False)
        self._disarm()
        self.state_changed.emit(self.state())

    def restart(self) -> None:
        """Stop and start again; a check already due runs at once."""
        self.stop()
        self.start()

    def set_interval(self, hours: int) -> None:
        """Check every ``hours`` from now on, counted from the last check."""
        self._interval_hours = check_interval(hours)
        if self._running:
            self._arm(next_due(self._last_run_at, self._interval(), self._clock()))
        self.state_changed.emit(self.state())

    def run_now(self) -> None:
        """Check now ("check now"); the next periodic check comes one interval later."""
        self._record_run()

    def catch_up(self) -> bool:
        """Run one check now if one fell due by the wall clock; True if one was started.

        Called every ``wake_check_seconds`` while running; the GUI can also call
        it on a wake-from-sleep notification.
        """
        if not self._is_due():
            return False
        self._due.emit()
        return True

    def shutdown(self) -> None:
        """Stop for good (app quit), leaving no timer or thread; a saved "running" autostarts next launch."""
        self._disarm()
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)  # its thread ends at once: the job never blocks

    def _interval(self) -> timedelta:
        return timedelta(seconds=self._interval_hours * self._unit_seconds)

    def _arm(self, at: datetime) -> None:
        """(Re)place the job so its next run is at ``at`` on our clock."""
        self._next_run_at = at
        delay = at - self._clock()  # read before APScheduler's "now", so it never fires before ``at``
        self._scheduler.add_job(
            self._fire,
            IntervalTrigger(seconds=self._interval().total_seconds(), timezone=UTC),
            id=_JOB_ID,
            replace_existing=True,
            next_run_time=datetime.now(UTC) + delay,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=None,
        )

    def _disarm(self) -> None:
        if self._scheduler.get_job(_JOB_ID) is not None:
            self._scheduler.remove_job(_JOB_ID)
        self._watch.stop()
        self._running = False
        self._next_run_at = None

    def _is_due(self) -> bool:
        return self._running and self._next_run_at is not None and self._next_run_at <= self._clock()

    def _fire(self) -> None:
        """The job, in APScheduler's thread: it touches nothing, it only queues ``_on_due``."""
        self._due.emit()

    def _on_due(self) -> None:
        """A wakeup, queued here: one periodic check if one is due (a stale wakeup starts nothing)."""
        if self._is_due():
            self._record_run()

    def _record_run(self) -> None:
        """Count a check as started now, schedule the next one, and ask for the check."""
        self._last_run_at = self._clock()
        try:
            self._store_changes(last_run_at=self._last_run_at)
        except StorageError as error:  # the check matters more than its timestamp
            log.error("The time of this check was not saved: %s", error)
        if self._running:
            self._arm(self._last_run_at + self._interval())
        self.check_due.emit()
        self.state_changed.emit(self.state())

    def _store_changes(self, **changes: object) -> None:
        with self._store.edit() as document:
            for key, value in changes.items():
                setattr(document, key, value)
