"""The check scheduler: catch-up, coalescing, persistence and timers that do not leak.

Most tests move a fake clock by hand; the periodic ones shorten the interval's
"hour" to 0.1 s of real time (``unit_seconds``).
"""

from __future__ import annotations

import gc
import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from core.datafolder import DataFolder
from core.errors import InputError
from core.models import utc_now
from core.scheduler import SCHEDULER_FILE, CheckScheduler, saved_state
from core.scheduler_state import SchedulerState
from core.storage import Recovery
from tests.conftest import Clock

HOURS_6 = timedelta(hours=6)
FAST = {"clock": utc_now, "unit_seconds": 0.1}  # a one-"hour" interval lasts 0.1 s


@pytest.fixture
def make(folder: DataFolder, clock: Clock) -> Iterator[Callable[..., CheckScheduler]]:
    """Builds schedulers on the test's data folder and fake clock; shuts them all down."""
    made: list[CheckScheduler] = []

    def build(interval_hours: int = 6, **options: object) -> CheckScheduler:
        options.setdefault("clock", clock)
        scheduler = CheckScheduler(folder, interval_hours, **options)  # type: ignore[arg-type]
        made.append(scheduler)
        return scheduler

    yield build
    for scheduler in made:
        scheduler.shutdown()


def counter(scheduler: CheckScheduler) -> list[None]:
    """A list that grows by one on every ``check_due``."""
    emitted: list[None] = []
    scheduler.check_due.connect(lambda: emitted.append(None))
    return emitted


def active_qtimers() -> int:
    """Live, running QTimer objects in this process (PySide's singleShot makes one each)."""
    gc.collect()
    return sum(1 for thing in gc.get_objects() if isinstance(thing, QTimer) and thing.isActive())


def apscheduler_threads() -> int:
    """Live APScheduler threads in this process (BackgroundScheduler names its thread so)."""
    return sum(1 for thread in threading.enumerate() if thread.name == "APScheduler")


def ran_once_at(make: Callable[..., CheckScheduler]) -> None:
    """Leave a saved last run at the fake clock's current time (while not running)."""
    make().run_now()


def test_start_checks_at_once_when_never_run(make: Callable[..., CheckScheduler], clock: Clock, qtbot: QtBot) -> None:
    scheduler = make()
    with qtbot.waitSignal(scheduler.check_due, timeout=2000):
        scheduler.start()
    assert scheduler.state() == SchedulerState(True, 6, clock.now + HOURS_6, clock.now)


def test_start_waits_when_the_last_check_is_recent(
    make: Callable[..., CheckScheduler], clock: Clock, qtbot: QtBot
) -> None:
    ran_once_at(make)
    last = clock.now
    clock.advance(hours=1)
    scheduler = make()
    with qtbot.assertNotEmitted(scheduler.check_due, wait=150):
        scheduler.start()
    assert scheduler.state() == SchedulerState(True, 6, last + HOURS_6, last)


def test_missed_intervals_while_off_make_one_check(
    make: Callable[..., CheckScheduler], clock: Clock, qtbot: QtBot
) -> None:
    ran_once_at(make)
    clock.advance(hours=31)  # five intervals missed
    scheduler = make()
    emitted = counter(scheduler)
    scheduler.start()
    assert scheduler.state().next_run_at == clock.now  # due now, not five intervals ago
    qtbot.waitUntil(lambda: len(emitted) == 1, timeout=2000)
    qtbot.wait(150)
    assert len(emitted) == 1
    assert scheduler.state().next_run_at == clock.now + HOURS_6


def test_a_frozen_process_makes_one_check_when_it_resumes(
    make: Callable[..., CheckScheduler], qtbot: QtBot
) -> None:
    scheduler = make(1, clock=utc_now, unit_seconds=0.2)
    emitted = counter(scheduler)
    scheduler.start()
    qtbot.waitUntil(lambda: len(emitted) == 1, timeout=2000)
    time.sleep(0.7)  # no event loop runs: three intervals pass by the wall clock
    qtbot.waitUntil(lambda: len(emitted) >= 2, timeout=2000)
    assert len(emitted) == 2  # the next one is a whole interval away


def test_a_run_now_while_a_scheduled_run_is_in_flight_counts_once(
    make: Callable[..., CheckScheduler], clock: Clock, qtbot: QtBot
) -> None:
    ran_once_at(make)
    scheduler = make()
    scheduler.start()
    emitted = counter(scheduler)
    scheduler._fire()  # what the APScheduler job does; its delivery is queued
    scheduler.run_now()
    qtbot.wait(100)
    assert len(emitted) == 1
    assert scheduler.state().next_run_at == clock.now + HOURS_6


def test_a_due_wakeup_and_a_run_now_make_one_check(
    make: Callable[..., CheckScheduler], clock: Clock, qtbot: QtBot
) -> None:
    ran_once_at(make)
    scheduler = make()
    scheduler.start()
    clock.advance(hours=7)  # due now by our clock
    emitted = counter(scheduler)
    scheduler._fire()  # the job's wakeup is queued...
    scheduler.run_now()  # ...and "check now" comes first
    qtbot.wait(100)
    assert len(emitted) == 1
    assert scheduler.state().next_run_at == clock.now + HOURS_6


def test_signals_come_in_our_thread_though_the_job_runs_in_apscheduler(
    make: Callable[..., CheckScheduler], qtbot: QtBot
) -> None:
    scheduler = make(1, **FAST)
    threads: list[threading.Thread] = []

    def record(*_: object) -> None:
        threads.append(threading.current_thread())

    scheduler.check_due.connect(record, Qt.ConnectionType.DirectConnection)  # runs in the emitting thread
    scheduler.state_changed.connect(record, Qt.ConnectionType.DirectConnection)
    scheduler.start()
    qtbot.waitUntil(lambda: threads.count(threading.main_thread()) >= 5, timeout=3000)  # periodic runs
    scheduler.shutdown()
    assert set(threads) == {threading.main_thread()}


def test_a_check_due_during_sleep_runs_once_after_wake(
    make: Callable[..., CheckScheduler], clock: Clock, qtbot: QtBot
) -> None:
    ran_once_at(make)
    scheduler = make(wake_check_seconds=0.02)
    emitted = counter(scheduler)
    scheduler.start()
    clock.advance(hours=20)  # the machine slept; monotonic timers did not see it
    qtbot.waitUntil(lambda: len(emitted) == 1, timeout=2000)
    qtbot.wait(150)  # several more wall-clock watches
    assert len(emitted) == 1
    assert scheduler.state().next_run_at == clock.now + HOURS_6


def test_catch_up_runs_a_due_check_once_however_often_called(
    make: Callable[..., CheckScheduler], clock: Clock, qtbot: QtBot
) -> None:
    ran_once_at(make)
    scheduler = make()
    emitted = counter(scheduler)
    scheduler.start()
    assert not scheduler.catch_up()
    clock.advance(hours=7)
    assert scheduler.catch_up()
    scheduler.catch_up()
    qtbot.waitUntil(lambda: len(emitted) == 1, timeout=2000)
    qtbot.wait(100)
    assert len(emitted) == 1
    assert not scheduler.catch_up()


def test_checks_repeat_every_interval(make: Callable[..., CheckScheduler], qtbot: QtBot) -> None:
    scheduler = make(1, **FAST)
    emitted = counter(scheduler)
    scheduler.start()
    qtbot.waitUntil(lambda: len(emitted) == 3, timeout=3000)
    state = scheduler.state()
    assert state.last_run_at is not None
    assert state.next_run_at == state.last_run_at + timedelta(seconds=0.1)


def test_stop_prevents_checks(make: Callable[..., CheckScheduler], folder: DataFolder, qtbot: QtBot) -> None:
    scheduler = make(1, **FAST)
    with qtbot.waitSignal(scheduler.check_due, timeout=2000):
        scheduler.start()
    with qtbot.waitSignal(scheduler.state_changed) as changed:
        scheduler.stop()
    assert changed.args == [scheduler.state()]
    assert not scheduler.state().running
    assert scheduler.state().next_run_at is None
    with qtbot.assertNotEmitted(scheduler.check_due, wait=350):
        pass
    assert not scheduler.catch_up()
    assert json.loads(folder.file(SCHEDULER_FILE).read_text())["running"] is False


def test_restart_keeps_the_phase_and_catches_up(
    make: Callable[..., CheckScheduler], clock: Clock, qtbot: QtBot
) -> None:
    scheduler = make()
    with qtbot.waitSignal(scheduler.check_due, timeout=2000):
        scheduler.start()
    last = clock.now
    clock.advance(hours=2)
    with qtbot.assertNotEmitted(scheduler.check_due, wait=100):
        scheduler.restart()
    assert scheduler.state() == SchedulerState(True, 6, last + HOURS_6, last)
    clock.advance(hours=5)
    with qtbot.waitSignal(scheduler.check_due, timeout=2000):
        scheduler.restart()
    assert scheduler.state().next_run_at == clock.now + HOURS_6


@pytest.mark.parametrize("hours", [0, 169, -6, True, 2.5, "6"])
def test_set_interval_refuses_bad_values(make: Callable[..., CheckScheduler], hours: object) -> None:
    scheduler = make()
    with pytest.raises(InputError, match="whole number of hours from 1 to 168"):
        scheduler.set_interval(hours)  # type: ignore[arg-type]
    assert scheduler.state().interval_hours == 6


def test_a_bad_interval_is_refused_at_construction(folder: DataFolder) -> None:
    with pytest.raises(InputError, match="from 1 to 168"):
        CheckScheduler(folder, 0)


def test_set_interval_counts_from_the_last_check(
    make: Callable[..., CheckScheduler], clock: Clock, qtbot: QtBot
) -> None:
    ran_once_at(make)
    last = clock.now
    scheduler = make()
    scheduler.start()
    clock.advance(hours=2)
    with qtbot.assertNotEmitted(scheduler.check_due, wait=100):
        scheduler.set_interval(12)
    assert scheduler.state() == SchedulerState(True, 12, last + timedelta(hours=12), last)
    with qtbot.waitSignal(scheduler.check_due, timeout=2000):
        scheduler.set_interval(1)  # last + 1 h has passed: check now
    assert scheduler.state().next_run_at == clock.now + timedelta(hours=1)


def test_set_interval_while_stopped_schedules_nothing(make: Callable[..., CheckScheduler], qtbot: QtBot) -> None:
    scheduler = make()
    with qtbot.assertNotEmitted(scheduler.check_due, wait=100):
        scheduler.set_interval(3)
    assert scheduler.state() == SchedulerState(False, 3, None, None)


def test_run_now_checks_and_moves_the_next_run(
    make: Callable[..., CheckScheduler], clock: Clock, qtbot: QtBot
) -> None:
    ran_once_at(make)
    scheduler = make()
    scheduler.start()
    clock.advance(hours=4)
    emitted = counter(scheduler)
    scheduler.run_now()
    assert len(emitted) == 1  # at once, not later
    assert scheduler.state().next_run_at == clock.now + HOURS_6
    assert scheduler.state().last_run_at == clock.now
    qtbot.wait(100)
    assert len(emitted) == 1


def test_state_is_saved_and_a_new_instance_resumes(
    make: Callable[..., CheckScheduler], folder: DataFolder, clock: Clock, qtbot: QtBot
) -> None:
    first = make()
    with qtbot.waitSignal(first.check_due, timeout=2000):
        first.start()
    first.shutdown()
    last = clock.now
    saved = json.loads(folder.file(SCHEDULER_FILE).read_text())
    assert saved == {"schema_version": 1, "last_run_at": last.isoformat().replace("+00:00", "Z"), "running": True}
    assert saved_state(folder, 6, clock) == SchedulerState(True, 6, last + HOURS_6, last)

    second = make()
    assert second.state() == SchedulerState(True, 6, last + HOURS_6, last)  # autostarted
    with qtbot.assertNotEmitted(second.check_due, wait=100):
        pass
    second.shutdown()
    clock.advance(hours=7)
    third = make()  # connected after construction, yet it sees the catch-up check
    with qtbot.waitSignal(third.check_due, timeout=2000):
        pass


def test_a_stopped_scheduler_stays_stopped_next_launch(make: Callable[..., CheckScheduler], qtbot: QtBot) -> None:
    first = make()
    first.start()
    first.stop()
    second = make()
    with qtbot.assertNotEmitted(second.check_due, wait=100):
        pass
    assert not second.state().running


def test_a_corrupt_file_is_moved_aside(make: Callable[..., CheckScheduler], folder: DataFolder) -> None:
    folder.ensure()
    folder.file(SCHEDULER_FILE).write_text("{not json")
    recoveries: list[Recovery] = []
    scheduler = make(on_recovery=recoveries.append)
    assert scheduler.state() == SchedulerState(False, 6, None, None)
    assert len(recoveries) == 1
    assert recoveries[0].moved_to.read_text() == "{not json"


def test_no_timer_leaks_after_many_reschedules(make: Callable[..., CheckScheduler], clock: Clock, qtbot: QtBot) -> None:
    before = active_qtimers()
    scheduler = make()
    scheduler.start()
    for round_ in range(50):
        scheduler.set_interval(1 + round_ % 12)
        scheduler.run_now()
        scheduler.restart()
        clock.advance(hours=13)
        scheduler.catch_up()
        qtbot.wait(1)
    assert active_qtimers() - before == 1  # the wall-clock watch (APScheduler keeps its own thread)
    scheduler.shutdown()
    assert active_qtimers() == before


def test_shutdown_is_idempotent_and_silences_everything(
    make: Callable[..., CheckScheduler], folder: DataFolder, qtbot: QtBot
) -> None:
    before = active_qtimers()
    scheduler = make(1, wake_check_seconds=0.02, **FAST)
    with qtbot.waitSignal(scheduler.check_due, timeout=2000):
        scheduler.start()
    scheduler.shutdown()
    scheduler.shutdown()
    assert active_qtimers() == before
    assert not scheduler.state().running
    with qtbot.assertNotEmitted(scheduler.check_due, wait=250):
        pass
    assert json.loads(folder.file(SCHEDULER_FILE).read_text())["running"] is True  # autostarts next time


def test_apscheduler_runs_one_thread_from_start_to_a_quick_shutdown(
    make: Callable[..., CheckScheduler], clock: Clock, qtbot: QtBot
) -> None:
    before = apscheduler_threads()
    scheduler = make(autostart=False)
    assert apscheduler_threads() == before  # a one-off command starts no thread
    for round_ in range(50):
        scheduler.start()
        scheduler.set_interval(1 + round_ % 12)
        scheduler.run_now()
        clock.advance(hours=13)
        scheduler.catch_up()
        scheduler.stop()
        qtbot.wait(1)
    assert apscheduler_threads() - before == 1
    started = time.monotonic()
    scheduler.shutdown()
    assert time.monotonic() - started < 0.5
    assert apscheduler_threads() == before
