"""Progress as cells carry it, and the live transfer progress the downloads and episode lists share.

``LiveProgress`` keeps the latest sample of every running download and tells its model
which ones moved at most every ``REPAINT_MS``, so a busy queue repaints a few times a
second whatever the number of progress signals; its timer runs only while samples arrive.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from gui.models.formatting import shown_size

if TYPE_CHECKING:
    from core.service import CoreService

REPAINT_MS = 250
SPEED_WINDOW = 10.0  # seconds of samples a speed is measured over


@dataclass(frozen=True)
class EpisodeProgress:
    """A show's episodes: downloaded, found at its source (any state), how many it has (None:
    unknown) and how many have aired (None: not known from AniList)."""

    downloaded: int
    found: int
    total: int | None
    aired: int | None = None

    @property
    def out_of(self) -> int | None:
        """The third number: the episodes aired, else the season's count."""
        return self.total if self.aired is None else self.aired

    def text(self) -> str:
        return f"{self.downloaded} / {self.found} / {'?' if self.out_of is None else self.out_of}"


@dataclass(frozen=True)
class TransferProgress:
    """One download's bytes done, of ``total`` (None: unknown)."""

    done: int
    total: int | None

    @property
    def fraction(self) -> float | None:
        return None if not self.total else min(1.0, self.done / self.total)

    def text(self) -> str:
        """ "45%" when the size is known, else the bytes so far ("" before the first byte)."""
        fraction = self.fraction
        if fraction is None:
            return shown_size(self.done) if self.done else ""
        return f"{round(fraction * 100)}%"


class LiveProgress(QObject):
    """The latest progress of each running download, from ``download_progress``.

    Signals:
        moved(list[str]): these jobs' progress changed since the last time (at most every REPAINT_MS).
    """

    moved = Signal(list)

    def __init__(self, service: CoreService, parent: QObject | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self._clock = clock
        self._samples: dict[str, deque[tuple[float, int]]] = {}
        self._latest: dict[str, TransferProgress] = {}
        self._moved: set[str] = set()
        self._timer = QTimer(self)
        self._timer.setInterval(REPAINT_MS)
        self._timer.timeout.connect(self._flush)
        service.download_progress.connect(self._on_progress)

    def get(self, job_id: str) -> TransferProgress | None:
        return self._latest.get(job_id)

    def speed(self, job_id: str) -> float | None:
        """Bytes a second over the last SPEED_WINDOW seconds; None until two samples are apart."""
        samples = self._samples.get(job_id)
        if not samples or len(samples) < 2 or samples[-1][0] <= samples[0][0]:
            return None
        (start, first), (end, last) = samples[0], samples[-1]
        return max(0.0, (last - first) / (end - start))

    def eta(self, job_id: str) -> float | None:
        """Seconds left at the current speed; None when the total or the speed is unknown."""
        latest, speed = self._latest.get(job_id), self.speed(job_id)
        if latest is None or latest.total is None or not speed:
            return None
        return max(0, latest.total - latest.done) / speed

    def forget(self, job_id: str) -> None:
        """Drop a job that stopped running (its next run measures its speed afresh)."""
        self._samples.pop(job_id, None)
        self._latest.pop(job_id, None)
        self._moved.discard(job_id)

    def _on_progress(self, job_id: str, done: int, total: int | None) -> None:
        now = self._clock()
        samples = self._samples.setdefault(job_id, deque())
        samples.append((now, done))
        while len(samples) > 2 and now - samples[0][0] > SPEED_WINDOW:
            samples.popleft()
        self._latest[job_id] = TransferProgress(done, total)
        self._moved.add(job_id)
        if not self._timer.isActive():
            self._timer.start()

    def _flush(self) -> None:
        if not self._moved:  # a quiet interval: nothing is progressing
            self._timer.stop()
            return
        moved, self._moved = sorted(self._moved), set()
        self.moved.emit(moved)
