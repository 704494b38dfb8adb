"""What the periodic check is doing: a plain value, shown by the window, the tray and the command line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SchedulerState:
    """What the scheduler is doing, for the status bar and ``tsuzuki scheduler status``.

    Attributes:
        running: whether periodic checks are on.
        interval_hours: the time between two checks.
        next_run_at: when the next check is due (UTC; None when not running).
        last_run_at: when the last check was started (None: never).
    """

    running: bool
    interval_hours: int
    next_run_at: datetime | None
    last_run_at: datetime | None
