"""Runs one check in a worker thread and hands the report back by signal."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal, Slot

from core.checker import EpisodeChecker
from core.models import WatchlistItem, WatchlistSettings

log = logging.getLogger(__name__)


class CheckWorker(QObject):
    """Checks a fixed list of shows when its thread starts.

    Signals:
        done(CheckReport): the check ended (shows whose source failed are in its errors).
        crashed(str): the check itself could not run (a storage error, a bug), in plain words.
    """

    done = Signal(object)
    crashed = Signal(str)

    def __init__(
        self,
        checker: EpisodeChecker,
        items: Sequence[WatchlistItem],
        settings: WatchlistSettings,
        stop: threading.Event,
    ) -> None:
        super().__init__()
        self._checker = checker
        self._items = tuple(items)
        self._settings = settings
        self._stop = stop

    @Slot()
    def run(self) -> None:
        try:
            report = self._checker.check(self._items, self._settings, self._stop)
        except Exception as error:  # reported to the user, not lost in the thread
            log.exception("check failed")
            self.crashed.emit(f"The check could not run: {error}")
        else:
            self.done.emit(report)
