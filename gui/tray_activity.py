"""What Tsuzuki is doing, for the tray's icon, tooltip and menu: checking, downloading, or
something that failed since the user last looked. Driven by the engine's signals only (no timer)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Signal

from core.checker import CheckReport
from core.downloads.jobs import DownloadJob, JobState
from core.models import NotificationEvent
from core.notifications import Notification
from core.service import CoreService

PROBLEM_EVENTS = frozenset({NotificationEvent.DOWNLOAD_FAILED, NotificationEvent.SOURCE_BROKEN})


class TrayActivity(QObject):
    """The engine's activity, in a few counts.

    Signals:
        changed(): one of the counts changed.

    Attributes:
        checking: whether a check runs.
        downloading: how many downloads are running.
        problems: sources broken and downloads failed (or checks that could not run) since ``seen()``.
    """

    changed = Signal()

    def __init__(self, service: CoreService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.checking = False
        self._shows = 0  # how many the running check checks
        self.problems = 0
        self._running = {job.id for job in service.downloads() if job.state is JobState.RUNNING}
        service.check_started.connect(self._check_started)
        service.check_finished.connect(self._check_finished)
        service.download_changed.connect(self._download_changed)
        service.download_removed.connect(self._download_removed)
        service.notification.connect(self._notified)

    @property
    def downloading(self) -> int:
        return len(self._running)

    def busy(self) -> bool:
        return bool(self.checking or self._running)

    def lines(self) -> list[str]:
        """What is going on, one line each ("Checking 3 shows…", "2 downloading"); empty when idle."""
        lines = []
        if self.checking:
            lines.append(QCoreApplication.translate("MainWindow", "Checking %n show(s)…", "", self._shows)  # its words
                         if self._shows else self.tr("Checking…"))
        if self._running:
            lines.append(self.tr("%n downloading", "", len(self._running)))
        if self.problems:
            lines.append(self.tr("Problems since you last looked: %n", "", self.problems))
        return lines

    def tooltip(self) -> str:
        """The tray icon's tooltip: "Tsuzuki", then what is going on, or that nothing is."""
        return "\n".join(["Tsuzuki", *(self.lines() or [self.tr("Idle")])])

    def seen(self) -> None:
        """The user has looked (the window is up): the problems told so far are no longer news."""
        if self.problems:
            self.problems = 0
            self.changed.emit()

    def _check_started(self, count: int) -> None:
        self.checking, self._shows = True, count
        self.changed.emit()

    def _check_finished(self, report: CheckReport) -> None:
        self.checking = False
        if report.failure:
            self.problems += 1
        self.changed.emit()

    def _download_changed(self, job: DownloadJob) -> None:
        before = len(self._running)
        if job.state is JobState.RUNNING:
            self._running.add(job.id)
        else:
            self._running.discard(job.id)
        if len(self._running) != before:
            self.changed.emit()

    def _download_removed(self, job_id: str) -> None:
        if job_id in self._running:
            self._running.discard(job_id)
            self.changed.emit()

    def _notified(self, notification: Notification) -> None:
        if notification.event in PROBLEM_EVENTS:
            self.problems += 1
            self.changed.emit()
