"""``tsuzuki check``, ``tsuzuki scheduler status`` and ``tsuzuki --headless``: the engine from a terminal."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, NoReturn

from PySide6.QtCore import QCoreApplication, QEventLoop
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TransferSpeedColumn,
)

from core.cli import output
from core.cli.context import Context
from core.downloads.jobs import DownloadJob, JobState
from core.instance import InstanceLock
from core.instance_client import CHECK, InstanceClient
from core.instance_commands import InstanceServer
from core.scheduler import saved_state
from core.service import CoreService
from core.stop_signals import end_process_now, stop_signals

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
    end_process_now(code)


class _Interrupted(Exception):
    """SIGINT or SIGTERM arrived; ``code`` is the conventional 128 + signal number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.code = 128 + signum


def cmd_check(ctx: Context, args: argparse.Namespace) -> int:
    """Check now, download what is new, wait for the downloads; exit 1 if anything failed,
    128 + the signal's number (130 for Ctrl+C) if interrupted. A running instance does it
    when there is one (and its other downloads carry on)."""
    try:
        door = ctx.door
        if isinstance(door, InstanceClient):
            result = door.call(CHECK, ref=args.id, every=args.all)
        else:
            result = _check(ctx, args)
    except _Interrupted as stop:
        return stop.code
    failure = next((error["error"] for error in result["errors"] if error["item_id"] is None), None)
    if ctx.json:
        output.print_json(result)
        if failure:  # scripts read the JSON; a person still sees why nothing ran
            output.print_problem("error", failure)
    elif not args.id and not args.all and result["checked"] == 0 and not failure:
        _say_nothing_due(ctx)
    else:
        _say_report(ctx, result, explain_ref=ctx.actions.get_item(args.id).id[:8] if args.id else "ID")
    return 1 if result["failed"] or result["errors"] else 0


def _check(ctx: Context, args: argparse.Namespace) -> dict[str, Any]:
    """The check in this process: a service of its own, for as long as the check and its downloads run."""
    with _running_service(ctx, "this check", autostart=False) as service:
        loop = QEventLoop()
        with stop_signals(loop.quit) as received, \
                _download_bars(service, enabled=not ctx.json and output.stderr_console().is_terminal):
            service.start()  # resumes downloads a killed run left behind
            run = service.run_check(args.id, every=args.all)
            run.finished.connect(loop.quit)
            if not run.is_over():
                loop.exec()
            if received:
                output.print_problem("warning", "Interrupted: downloads in progress will resume next time.")
                raise _Interrupted(received[0])
        return run.summary()


def _say_nothing_due(ctx: Context) -> None:
    settings = ctx.actions.settings()
    when = ctx.actions.watchlist.next_due_at(settings)
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


def cmd_scheduler(ctx: Context, args: argparse.Namespace) -> None:
    door = ctx.door
    if isinstance(door, InstanceClient):
        state = door.call("scheduler_state")
    else:  # as saved; nothing runs it now
        saved = saved_state(ctx.folder, ctx.actions.settings().check_interval_hours)
        state = replace(saved, running=False, next_run_at=None)
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


def cmd_downloads(ctx: Context, args: argparse.Namespace) -> None:
    """The download queue and history: list, cancel, retry, remove (by id or unique prefix)."""
    door = ctx.door
    action = args.action or "list"
    if action == "list":
        jobs = door.downloads()
        if ctx.json:
            output.print_json(jobs)
        elif jobs:
            ctx.say(output.downloads_table(jobs))
        else:
            ctx.say("No downloads yet: a check queues what is new.")
        return
    job = {"cancel": door.cancel_download, "retry": door.retry_download,
           "remove": door.remove_download}[action](ref=args.job)
    if ctx.json:
        output.print_json(job)
        return
    done = {"cancel": "Cancelling" if job.state is JobState.RUNNING and not job.info_hash else "Cancelled",
            "retry": "Queued again", "remove": "Removed"}[action]
    ctx.say(f"{done}: {job.anime_title} episode {job.episode} (id {job.id[:output.SHORT_ID]}).")


def run_headless(ctx: Context) -> int:
    """The engine without a window: scheduler on, downloads running, commands taken from the
    command line, until SIGINT or SIGTERM."""
    app = _application()
    with _running_service(ctx, "headless mode", autostart=True) as service:
        service.check_finished.connect(
            lambda report: output.print_problem("error", report.failure) if report.failure else
            ctx.say(f"Checked {report.checked} show(s): {len(report.new_episodes)} new, "
                    f"{len(report.queued)} queued, {len(report.errors)} source error(s).")
        )
        service.download_finished.connect(lambda job: ctx.say(f"Downloaded {job.anime_title} {job.episode}: {job.path}"))
        service.download_failed.connect(lambda job: output.print_problem("error", f"{job.anime_title} {job.episode}: {job.error}"))
        service.activation_requested.connect(lambda: ctx.say(
            "A window was asked for, but this Tsuzuki runs headless: stop it (Ctrl+C), then start tsuzuki."))
        server = InstanceServer(service)
        server.listen()
        service.start_scheduler()
        service.start(follow_airing=True)
        state = service.scheduler_state()
        ctx.say(f"Tsuzuki is running headless (every {state.interval_hours} h). Stop with Ctrl+C.")
        try:
            with stop_signals(app.quit):
                app.exec()  # until SIGINT or SIGTERM: the way headless mode is meant to end, so exit 0
        finally:
            server.close()
        ctx.say("Stopping: downloads in progress will resume next time.")
    return 0
