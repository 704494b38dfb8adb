"""The periodic check in a few words, for the tray menu and the window's status bar (translated)."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication

from core.scheduler_state import SchedulerState


def _fill(text: str, *values: object) -> str:
    """A translated ``text`` with %1, %2... filled in."""
    for number, value in enumerate(values, start=1):
        text = text.replace(f"%{number}", str(value))
    return text


def in_words(delta: timedelta) -> str:
    """A time to come, for a menu row: "in 3 h 20 min", "in 2 d 5 h", "in less than a minute"."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return QCoreApplication.translate("scheduler", "in less than a minute")
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days and hours:
        return _fill(QCoreApplication.translate("scheduler", "in %1 d %2 h"), days, hours)
    if days:
        return _fill(QCoreApplication.translate("scheduler", "in %1 d"), days)
    if hours and minutes:
        return _fill(QCoreApplication.translate("scheduler", "in %1 h %2 min"), hours, minutes)
    if hours:
        return _fill(QCoreApplication.translate("scheduler", "in %1 h"), hours)
    return _fill(QCoreApplication.translate("scheduler", "in %1 min"), minutes)


def next_check_text(state: SchedulerState, now: datetime) -> str:
    """The greyed row saying when the next periodic check runs."""
    if not state.running:
        return QCoreApplication.translate("scheduler", "Periodic checks are off")
    if state.next_run_at is None:
        return _fill(QCoreApplication.translate("scheduler", "Periodic checks every %1 h"), state.interval_hours)
    if state.next_run_at <= now:
        return QCoreApplication.translate("scheduler", "Next check: now")
    return _fill(QCoreApplication.translate("scheduler", "Next check: %1"), in_words(state.next_run_at - now))


def status_text(state: SchedulerState, now: datetime) -> str:
    """The periodic check in one line: "Periodic checks every 6 h; next check in 3 h 20 min"."""
    if not state.running or state.next_run_at is None:
        return next_check_text(state, now)
    when = (QCoreApplication.translate("scheduler", "now") if state.next_run_at <= now
            else in_words(state.next_run_at - now))
    return _fill(QCoreApplication.translate("scheduler", "Periodic checks every %1 h; next check %2"),
                 state.interval_hours, when)
