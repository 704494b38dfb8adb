"""One "check now" followed to its end: the check, then the downloads it started.

What ``tsuzuki check`` prints, whether the check runs in this process or in the
running instance the command was sent to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from core.checker import CheckReport
from core.downloads.jobs import DownloadJob

if TYPE_CHECKING:
    from core.service import CoreService


class CheckRun(QObject):
    """Collects a check's report and the downloads that end after it; ``finished`` fires once,
    when the check has ended and its downloads are done, failed, or handed to the torrent client.

    With ``own_downloads_only`` (a running instance serving a command), only the downloads this
    check queued are waited for and reported; otherwise (a one-off check) every download of the
    process is, those a killed run left behind included.

    A run asked for while another check runs is that check's follower: the service runs it
    next, so the report (and the downloads queued) of the check running now are not its own.

    Signals:
        finished(CheckRun): the run is over; read ``report``, ``downloaded``, ``failed``.
    """

    finished = Signal(object)

    def __init__(self, service: CoreService, *, own_downloads_only: bool) -> None:
        super().__init__(service)
        self._service = service
        self._own_only = own_downloads_only
        self.report: CheckReport | None = None
        self.downloaded: list[DownloadJob] = []
        self.failed: list[DownloadJob] = []
        self._queued: set[str] = set()  # job ids this check queued
        self._behind = service.is_checking()  # created before its check is asked for: another one runs
        self._done = False
        service.check_finished.connect(self._on_report)
        service.download_changed.connect(self._on_download_changed)
        service.download_finished.connect(self._on_finished)
        service.download_failed.connect(self._on_failed)
        service.downloads_idle.connect(self._settle)

    def is_over(self) -> bool:
        return self._done

    def summary(self) -> dict[str, Any]:
        """What ``tsuzuki check --json`` prints: checked, new_episodes, downloaded, failed, errors
        (a check that could not run is an error without a show)."""
        report = self.report or CheckReport(0, (), (), (), failure="the check did not end")
        return {
            "checked": report.checked,
            "new_episodes": [info.model_dump(mode="json") for info in report.new_episodes],
            "downloaded": [{"item_id": job.item_id, "anime_title": job.anime_title, "episode": job.episode,
                            "path": job.path} for job in self.downloaded],
            "failed": [{"item_id": job.item_id, "anime_title": job.anime_title, "episode": job.episode,
                        "error": job.error} for job in self.failed],
            "errors": [{"item_id": e.item_id, "anime_title": e.anime_title, "error": e.error} for e in report.errors]
            + ([{"item_id": None, "anime_title": None, "error": report.failure}] if report.failure else []),
        }

    def _on_report(self, report: CheckReport) -> None:
        if self._behind:  # the report of the check that ran before this run's
            self._behind = False
        elif self.report is None:
            self.report = report
            self._settle()

    def _on_download_changed(self, job: DownloadJob) -> None:
        if self.report is None and not self._behind and job.attempts == 0 and job.auto:  # queued by this check
            self._queued.add(job.id)
        if job.info_hash:  # in the torrent client's hands now: as far as a check follows it
            self._ended(self.downloaded, job)

    def _on_finished(self, job: DownloadJob) -> None:
        self._ended(self.downloaded, job)

    def _on_failed(self, job: DownloadJob) -> None:
        self._ended(self.failed, job)

    def _ended(self, where: list[DownloadJob], job: DownloadJob) -> None:
        where[:] = [*(other for other in where if other.id != job.id), job]
        self._settle()

    def _settle(self, *_: object) -> None:
        if self._done or self.report is None:
            return
        busy = self._service.downloads_busy(self._queued if self._own_only else None)
        if not busy:
            self._done = True
            if self._own_only:
                self.downloaded = [job for job in self.downloaded if job.id in self._queued]
                self.failed = [job for job in self.failed if job.id in self._queued]
            for signal, slot in ((self._service.check_finished, self._on_report),
                                 (self._service.download_changed, self._on_download_changed),
                                 (self._service.download_finished, self._on_finished),
                                 (self._service.download_failed, self._on_failed),
                                 (self._service.downloads_idle, self._settle)):
                signal.disconnect(slot)
            self.finished.emit(self)
