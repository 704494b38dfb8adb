"""``tsuzuki check``, ``tsuzuki scheduler status`` and ``tsuzuki --headless``: the engine from a terminal."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, NoReturn

from PySide6.QtCore import QCoreApplication, QEventLoop, QSocketNotifier, QTimer, SignalInstance
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TransferSpeedColumn,
)

from core.checker import CheckReport
from core.cli import output
from core.cli.context import Context
from core.downloads.jobs import DownloadJob
from core.instance import InstanceLock
from core.scheduler import saved_state
from core.service import CoreService

log = logging.getLogger(__name__)


def _application() -> QCoreApplication:
    return QCoreApplication.instance() or QCoreApplication([])


@contextmanager
def _running_service(ctx: Context, what: str, *, autostart: bool) -> Iterator[CoreService]:
    """A CoreService holding the instance lock, shut down promptly however the block ends.

    A worker thread still stuck in a slow read after the shutdown's grace is abandoned:
    the process ends at once (``os._exit``) rather than wait for the source; jobs it was
    running stay "running" in downloads.json and resume from their ``.part`` next time."""
    _application()
    lock = InstanceLock(ctx.folder)
    lock.acquire(what)
    service = CoreService(ctx.folder, scheduler_autostart=autostart)
    service.problem.connect(lambda message: output.print_problem("warning", message))
    try:
        yield service
    finally:
        stopped = service.shutdown()
        lock.release()
        if not stopped:
            _abandon(sys.exc_info()[1])


def _abandon(error: BaseException | None) -> NoReturn:
    """End the process now, leaving stuck worker threads behind (Qt aborts on destroying them)."""
    code = error.code if isinstance(error, _Interrupted) else 1 if error is not None else 0
    if error is not None and not isinstance(error, _Interrupted):
        log.error("stopped on an error with worker threads still running", exc_info=error)
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


class _Interrupted(Exception):
    """SIGINT or SIGTERM arrived; ``code`` is the conventional 128 + signal number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.code = 128 + signum


@contextmanager
def _stop_signals(quit_loop: Callable[[], None]) -> Iterator[list[int]]:
    """While inside, SIGINT and SIGTERM are recorded in the yielded list and quit the event loop.

    Python runs a signal handler only when it gets control back, and Qt waits in C: the signal
    also writes a byte to a socket Qt watches, which wakes the loop (no polling timer).
    """
    received: list[int] = []

    def handle(signum: int, _frame: object) -> None:
        received.append(signum)
        QTimer.singleShot(0, quit_loop)  # queued: also quits a loop that has not started yet

    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(lambda: reader.recv(64))  # Python's handler has run by now
    previous_fd = signal.set_wakeup_fd(writer.fileno())
    previous = {signum: signal.signal(signum, handle) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield received
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        signal.set_wakeup_fd(previous_fd)
        notifier.setEnabled(False)
        reader.close()
        writer.close()


def cmd_check(ctx: Context, args: argparse.Namespace) -> int:
    """Check now, download what is new, wait for the downloads; exit 1 if anything failed,
    128 + the signal's number (130 for Ctrl+C) if interrupted."""
    try:
        return _check(ctx, args)
    except _Interrupted as stop:
        return stop.code


def _check(ctx: Context, args: argparse.Namespace) -> int:
    with _running_service(ctx, "this check", autostart=False) as service:
        downloaded: list[DownloadJob] = []
        failed: list[DownloadJob] = []
        service.download_finished.connect(downloaded.append)
        service.download_failed.connect(failed.append)
        reports: list[CheckReport] = []
        service.check_finished.connect(reports.append)
        loop = QEventLoop()
        with _stop_signals(loop.quit) as received, \
                _download_bars(service, enabled=not ctx.json and output.stderr_console().is_terminal):
            service.start()  # resumes downloads a killed run left behind
            if args.id:
                service.check_items([args.id])
            elif args.all:
                service.check_all()
            else:
                service.check_due()
            _wait(loop, lambda: bool(received) or (bool(reports) and not service.downloads.is_busy()),
                  service.check_finished, service.downloads_idle)
            if received:
                output.print_problem("warning", "Interrupted: downloads in progress will resume next time.")
                raise _Interrupted(received[0])
    report = reports[0]
    result = {
        "checked": report.checked,
        "new_episodes": [info.model_dump(mode="json") for info in report.new_episodes],
        "downloaded": [{"item_id": job.item_id, "anime_title": job.anime_title, "episode": job.episode,
                        "path": job.path} for job in downloaded],
        "failed": [{"item_id": job.item_id, "anime_title": job.anime_title, "episode": job.episode,
                    "error": job.error} for job in failed],
        "errors": [{"item_id": e.item_id, "anime_title": e.anime_title, "error": e.error} for e in report.errors]
        + ([{"item_id": None, "anime_title": None, "error": report.failure}] if report.failure else []),
    }
    if ctx.json:
        output.print_json(result)
        if report.failure:  # scripts read the JSON; a person still sees why nothing ran
            output.print_problem("error", report.failure)
    elif not args.id and not args.all and report.checked == 0 and not report.failure:
        _say_nothing_due(ctx)
    else:
        _say_report(ctx, result, explain_ref=service.get_item(args.id).id[:8] if args.id else "ID")
    return 1 if failed or result["errors"] else 0


def _say_nothing_due(ctx: Context) -> None:
    settings = ctx.settings.get()
    when = ctx.watchlist.next_due_at(settings)
    ctx.say("No show is due for a check.")
    ctx.say(f"Next check: {when:%Y-%m-%d %H:%M} UTC (every {settings.check_interval_hours} h)." if when
            else "Next check: none (no show is active).")
    ctx.say("`tsuzuki check --all` checks every show now.")


def _say_report(ctx: Context, result: dict[str, Any], explain_ref: str) -> None:
    ctx.say(f"Checked {result['checked']} show(s): {len(result['new_episodes'])} new episode(s).")
    for episode in result["new_episodes"]:
        ctx.say(f"  new  {episode['anime_title']} episode {episode['episode']}: {episode['release_name']}")
    for done in result["downloaded"]:
        ctx.say(f"  got  {done['anime_title']} episode {done['episode']} → {done['path']}")
    for failure in result["failed"]:
        output.print_problem("error", f"{failure['anime_title']} episode {failure['episode']} did not download: "
                                      f"{failure['error']}")
    for error in result["errors"]:
        output.print_problem("error", error["error"])
    if result["checked"] and not result["new_episodes"]:
        ctx.say(f"Nothing new to take: `tsuzuki explain {explain_ref}` shows every release and why it is not taken.")


@contextmanager
def _download_bars(service: CoreService, enabled: bool) -> Iterator[None]:
    """Live progress bars on a terminal, one per running download."""
    if not enabled:
        yield
        return
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn())
    with Progress(*columns, console=output.stderr_console(), transient=True) as bars:
        tasks: dict[str, Any] = {}

        def changed(job: DownloadJob) -> None:
            if job.id not in tasks:
                tasks[job.id] = bars.add_task(f"{job.anime_title} {job.episode}", total=None)

        def progressed(job_id: str, done: int, total: int | None) -> None:
            if job_id in tasks:
                bars.update(tasks[job_id], completed=done, total=total)

        service.download_changed.connect(changed)
        service.download_progress.connect(progressed)
        yield


def _wait(loop: QEventLoop, finished: Callable[[], bool], *wake_signals: SignalInstance) -> None:
    """Run ``loop`` until ``finished()`` is true (or it is quit), re-checking whenever a signal fires."""

    def check(*_: object) -> None:
        if finished():
            loop.quit()

    for wake in wake_signals:
        wake.connect(check)
    if not finished():
        loop.exec()


def cmd_scheduler(ctx: Context, args: argparse.Namespace) -> None:
    state = saved_state(ctx.folder, ctx.settings.get().check_interval_hours)
    if state.running and not InstanceLock(ctx.folder).held_elsewhere():  # on, but nothing runs it now
        state = replace(state, running=False, next_run_at=None)
    if ctx.json:
        output.print_json({
            "running": state.running,
            "interval_hours": state.interval_hours,
            "next_run_at": state.next_run_at.isoformat() if state.next_run_at else None,
            "last_run_at": state.last_run_at.isoformat() if state.last_run_at else None,
        })
        return
    ctx.say(f"Scheduler: {'running' if state.running else 'stopped'}, every {state.interval_hours} h.")
    ctx.say(f"Last check: {output.ago(state.last_run_at)}.")
    if state.next_run_at is not None:
        ctx.say(f"Next check: {state.next_run_at:%Y-%m-%d %H:%M} UTC.")


def run_headless(ctx: Context) -> int:
    """The engine without a window: scheduler on, downloads running, until SIGINT or SIGTERM."""
    app = _application()
    with _running_service(ctx, "headless mode", autostart=True) as service:
        service.check_finished.connect(
            lambda report: output.print_problem("error", report.failure) if report.failure else
            ctx.say(f"Checked {report.checked} show(s): {len(report.new_episodes)} new, "
                    f"{len(report.queued)} queued, {len(report.errors)} source error(s).")
        )
        service.download_finished.connect(lambda job: ctx.say(f"Downloaded {job.anime_title} {job.episode}: {job.path}"))
        service.download_failed.connect(lambda job: output.print_problem("error", f"{job.anime_title} {job.episode}: {job.error}"))
        service.scheduler.start()
        service.start()
        state = service.scheduler_state()
        ctx.say(f"Tsuzuki is running headless (every {state.interval_hours} h). Stop with Ctrl+C.")
        with _stop_signals(app.quit):
            app.exec()  # until SIGINT or SIGTERM: the way headless mode is meant to end, so exit 0
        ctx.say("Stopping: downloads in progress will resume next time.")
    return 0
