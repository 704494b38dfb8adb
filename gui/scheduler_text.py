"""The periodic check in a few words, for the tray menu and the window's status bar."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.scheduler_state import SchedulerState


def in_words(delta: timedelta) -> str:
    """A time to come, for a menu row: "in 3 h 20 min", "in 2 d 5 h", "in less than a minute"."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return "in less than a minute"
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"in {days} d {hours} h" if hours else f"in {days} d"
    if hours:
        return f"in {hours} h {minutes} min" if minutes else f"in {hours} h"
    return f"in {minutes} min"


def next_check_text(state: SchedulerState, now: datetime) -> str:
    """The greyed row saying when the next periodic check runs."""
    if not state.running:
        return "Periodic checks are off"
    if state.next_run_at is None:
        return f"Periodic checks every {state.interval_hours} h"
    if state.next_run_at <= now:
        return "Next check: now"
    return f"Next check: {in_words(state.next_run_at - now)}"


def status_text(state: SchedulerState, now: datetime) -> str:
    """The periodic check in one line: "Periodic checks every 6 h; next check in 3 h 20 min"."""
    if not state.running or state.next_run_at is None:
        return next_check_text(state, now)
    when = "now" if state.next_run_at <= now else in_words(state.next_run_at - now)
    return f"Periodic checks every {state.interval_hours} h; next check {when}"
