"""TaskRunner: results on the caller's thread, every failure reported, bounded shutdown, no late results."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from core.tasks import TaskRunner


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[TaskRunner]:
    made = TaskRunner()
    yield made
    assert made.shutdown(3000)


def test_the_result_comes_back_on_the_callers_thread(runner: TaskRunner, qtbot: QtBot) -> None:
    seen: list[tuple[int, int]] = []
    runner.run(threading.get_ident, lambda worker: seen.append((worker, threading.get_ident())))
    qtbot.waitUntil(lambda: bool(seen))
    [(worker, delivered_on)] = seen
    assert worker != threading.get_ident()  # the work ran elsewhere...
    assert delivered_on == threading.get_ident()  # ...and its result came back here


class Bug(Exception):
    pass


@pytest.mark.parametrize("error", [Bug("a typo in a parser"), KeyError("missing"), ZeroDivisionError()])
def test_any_exception_of_the_work_reaches_on_failed_on_the_callers_thread(
    runner: TaskRunner, qtbot: QtBot, error: Exception
) -> None:
    def work() -> None:
        raise error

    done: list[object] = []
    failed: list[tuple[BaseException, int]] = []
    runner.run(work, done.append, lambda caught: failed.append((caught, threading.get_ident())))
    qtbot.waitUntil(lambda: bool(failed))
    assert failed == [(error, threading.get_ident())] and done == []


def test_shutdown_is_bounded_while_a_task_is_stuck_and_drops_its_late_result(
    runner: TaskRunner, qtbot: QtBot
) -> None:
    release = threading.Event()
    started = threading.Event()

    def stuck() -> str:
        started.set()
        release.wait(30)  # a slow read that does not watch any stop flag
        return "late"

    delivered: list[object] = []
    follow_up: list[object] = []

    def on_done(result: object) -> None:  # what a real caller does: start more work
        delivered.append(result)
        follow_up.append(runner.run(lambda: None))

    assert runner.run(stuck, on_done, delivered.append) is not None
    assert started.wait(5)

    began = time.monotonic()
    assert runner.shutdown(300) is False
    assert time.monotonic() - began < 1.5
    assert runner.busy()
    assert runner.run(lambda: "new work") is None

    release.set()
    assert runner.shutdown(3000) is True
    qtbot.wait(100)  # let any queued result arrive, if one were sent
    assert delivered == [] and follow_up == []
    assert not runner.busy()


def test_shutdown_with_nothing_stuck_returns_true_at_once(runner: TaskRunner, qtbot: QtBot) -> None:
    results: list[int] = []
    runner.run(lambda: 1, results.append)
    qtbot.waitUntil(lambda: results == [1])
    began = time.monotonic()
    assert runner.shutdown(3000) is True
    assert time.monotonic() - began < 1.0


def test_many_tasks_all_report_and_leave_no_thread_behind(runner: TaskRunner, qtbot: QtBot) -> None:
    results: list[int] = []
    failures: list[BaseException] = []
    for number in range(200):
        def work(number: int = number) -> int:
            if number % 10 == 0:
                raise ValueError(number)
            return number

        runner.run(work, results.append, failures.append, name=f"quick-{number}")
    qtbot.waitUntil(lambda: len(results) + len(failures) == 200, timeout=20_000)
    assert sorted(results) == [n for n in range(200) if n % 10]
    assert sorted(int(str(error)) for error in failures) == list(range(0, 200, 10))
    qtbot.waitUntil(lambda: not runner.busy() and not runner.findChildren(QThread), timeout=10_000)
