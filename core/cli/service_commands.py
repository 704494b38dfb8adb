"""``tsuzuki check``, ``tsuzuki scheduler status`` and ``tsuzuki --headless``: the engine from a terminal."""

from __future__ import annotations

import argparse
import logging
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer, SignalInstance
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
    """A CoreService holding the instance lock, shut down cleanly however the block ends."""
    _application()
    lock = InstanceLock(ctx.folder)
    lock.acquire(what)
    service = CoreService(ctx.folder, scheduler_autostart=autostart)
    service.problem.connect(lambda message: output.print_problem("warning", message))
    try:
        yield service
    finally:
        service.shutdown()
        lock.release()


def cmd_check(ctx: Context, args: argparse.Namespace) -> int:
    """Check now, download what is new, wait for the downloads; exit 1 if anything failed."""
    with _running_service(ctx, "this check", autostart=False) as service:
        downloaded: list[DownloadJob] = []
        failed: list[DownloadJob] = []
        service.download_finished.connect(downloaded.append)
        service.download_failed.connect(failed.append)
        reports: list[CheckReport] = []
        service.check_finished.connect(reports.append)
        service.start()  # resumes downloads a killed run left behind
        with _download_bars(service, enabled=not ctx.json and output.stderr_console().is_terminal):
            if args.id:
                service.check_items([args.id])
            elif args.all:
                service.check_all()
            else:
                service.check_due()
            _wait(lambda: bool(reports) and not service.downloads.is_busy(),
                  service.check_finished, service.downloads_idle)
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


def _wait(finished: Callable[[], bool], *wake_signals: SignalInstance) -> None:
    """Run the event loop until ``finished()`` is true, re-checking whenever a signal fires."""
    loop = QEventLoop()

    def check(*_: object) -> None:
        if finished():
            loop.quit()

    for wake in wake_signals:
        wake.connect(check)
    if not finished():
        loop.exec()


def cmd_scheduler(ctx: Context, args: argparse.Namespace) -> None:
    state = saved_state(ctx.folder, ctx.settings.get().check_interval_hours)
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
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: app.quit())
        ticker = QTimer()  # lets Python run its signal handlers while Qt waits
        ticker.timeout.connect(lambda: None)
        ticker.start(250)
        app.exec()
        ctx.say("Stopping: downloads in progress will resume next time.")
    return 0
