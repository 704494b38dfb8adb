"""Blocking work in the background: the one thread lifecycle of the code base.

``TaskRunner.run(work, on_done, on_failed)`` calls ``work()`` in a QThread of
its own and hands the result (or the exception) back to ``on_done`` /
``on_failed`` in the runner's thread, by queued signal. The check, every
transfer, a notification's delivery and each blocking call the window makes
(explain, AniList search, a notification or torrent-client test) go through
it. Cancelling is the caller's business (a ``threading.Event`` its ``work``
watches); ``shutdown()`` waits a bounded time for the threads and, from then
on, drops late results, so nothing finishing after a quit starts new work.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QDeadlineTimer, QObject, QThread, Signal, Slot

log = logging.getLogger(__name__)

T = TypeVar("T")


class _Worker(QObject):
    """Lives in the task's thread; runs ``work`` when the thread starts."""

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Callable[[], object]) -> None:
        super().__init__()
        self._work = work

    @Slot()
    def run(self) -> None:
        try:
            result = self._work()
        except BaseException as error:  # every ending goes back to the caller, a bug included
            self.failed.emit(error)
        else:
            self.succeeded.emit(result)


class Task(QObject, Generic[T]):
    """One call running in its own QThread (kept by the runner until the thread has ended)."""

    def __init__(
        self,
        runner: TaskRunner,
        work: Callable[[], T],
        on_done: Callable[[T], object] | None,
        on_failed: Callable[[BaseException], object] | None,
        name: str,
    ) -> None:
        super().__init__(runner)
        self._runner = runner
        self._on_done = on_done
        self._on_failed = on_failed
        self.name = name
        self._thread = QThread(self)
        self._thread.setObjectName(f"tsuzuki-{name}")
        self._worker = _Worker(work)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.succeeded.connect(self._succeeded)
        self._worker.failed.connect(self._failed)
        self._thread.finished.connect(self._ended)

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def start(self) -> None:
        self._thread.start()

    def quit(self, deadline: QDeadlineTimer) -> bool:
        """Ask the thread's loop to end once its work returns; wait until ``deadline``. True if it ended."""
        self._thread.quit()
        return self._thread.wait(deadline)

    @Slot(object)
    def _succeeded(self, result: Any) -> None:
        self._thread.quit()
        if not self._runner.closed and self._on_done is not None:
            self._on_done(result)

    @Slot(object)
    def _failed(self, error: BaseException) -> None:
        self._thread.quit()
        if self._runner.closed:
            return
        if self._on_failed is None:
            log.error("background task %s failed", self.name, exc_info=error)
        else:
            self._on_failed(error)

    @Slot()
    def _ended(self) -> None:
        self._runner._forget(self)
        self._worker.deleteLater()
        self.deleteLater()


class TaskRunner(QObject):
    """Starts tasks and, at quit, waits a bounded time for them.

    Attributes:
        closed: True after ``shutdown()``: no task starts, no late result is delivered.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.closed = False
        self._tasks: set[Task[Any]] = set()

    def run(
        self,
        work: Callable[[], T],
        on_done: Callable[[T], object] | None = None,
        on_failed: Callable[[BaseException], object] | None = None,
        *,
        name: str = "task",
    ) -> Task[T] | None:
        """Call ``work()`` in a new thread; ``on_done(result)`` or ``on_failed(error)`` follow in this
        object's thread. Returns the task, or None once the runner is shut down (nothing starts)."""
        if self.closed:
            log.info("not starting %s: shutting down", name)
            return None
        task = Task(self, work, on_done, on_failed, name)
        self._tasks.add(task)
        task.start()
        return task

    def busy(self) -> bool:
        return any(task.is_running() for task in self._tasks)

    def shutdown(self, timeout_ms: int) -> bool:
        """Drop late results from now on and wait up to ``timeout_ms`` in all for the threads to end.

        Returns False when one is still running (stuck in a slow read): the caller must then end
        the process without destroying it (Qt aborts on destroying a running QThread)."""
        self.closed = True
        deadline = QDeadlineTimer(timeout_ms)
        for task in list(self._tasks):
            task.quit(deadline)
        stuck = [task.name for task in self._tasks if task.is_running()]
        if stuck:
            log.warning("still running after %d ms: %s", timeout_ms, ", ".join(stuck))
        return not stuck

    def _forget(self, task: Task[Any]) -> None:
        self._tasks.discard(task)
