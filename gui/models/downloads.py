"""The downloads table: the queue and the history, one row per job, fed only by CoreService signals."""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt

from core.downloads.jobs import DownloadJob, JobState
from gui.models.formatting import shown_duration, shown_size
from gui.models.progress import LiveProgress, TransferProgress
from gui.models.rows import PROGRESS_ROLE, SORT_ROLE, KeyedTableModel

if TYPE_CHECKING:
    from core.service import CoreService

Role = Qt.ItemDataRole


class DownloadColumn(IntEnum):
    SHOW = 0
    EPISODE = 1
    STATE = 2
    PROGRESS = 3
    SPEED = 4
    ETA = 5
    FILE = 6


LIVE_COLUMNS = (DownloadColumn.PROGRESS, DownloadColumn.SPEED, DownloadColumn.ETA)


class DownloadsModel(KeyedTableModel[DownloadJob, DownloadColumn]):
    """Every download, queued, running or finished (pending first, newest last)."""

    def __init__(self, service: CoreService, parent: QObject | None = None) -> None:
        super().__init__(DownloadColumn, lambda job: job.id, parent)
        self.live = LiveProgress(service, self)
        self.live.moved.connect(self._on_moved)
        service.download_changed.connect(self._on_changed)
        service.download_removed.connect(self._on_removed)
        self.reset(service.downloads())

    def state_words(self) -> dict[JobState, str]:
        return {JobState.QUEUED: self.tr("Queued"), JobState.RUNNING: self.tr("Downloading"),
                JobState.DONE: self.tr("Done"), JobState.FAILED: self.tr("Failed"),
                JobState.CANCELLED: self.tr("Cancelled")}

    def titles(self) -> dict[DownloadColumn, str]:
        column = DownloadColumn
        return {column.SHOW: self.tr("Show"), column.EPISODE: self.tr("Episode"), column.STATE: self.tr("State"),
                column.PROGRESS: self.tr("Progress"), column.SPEED: self.tr("Speed"), column.ETA: self.tr("Left"),
                column.FILE: self.tr("File")}

    def progress(self, job: DownloadJob) -> TransferProgress:
        """The live progress of a running job, else the one last saved (a finished job is whole)."""
        live = self.live.get(job.id)
        if live is not None:
            return live
        if job.state is JobState.DONE:  # whole, whatever bytes were last saved (often none)
            whole = job.total_bytes or job.done_bytes or 1
            return TransferProgress(whole, whole)
        return TransferProgress(job.done_bytes, job.total_bytes)

    def cell(self, job: DownloadJob, column: DownloadColumn, role: int) -> object:
        if role == Role.DisplayRole:
            return self._text(job, column)
        if role == SORT_ROLE:
            return self._sort_key(job, column)
        if role == Role.ToolTipRole:
            if column is DownloadColumn.STATE and job.state is JobState.FAILED:
                return job.error or self.tr("no reason was recorded")
            if column is DownloadColumn.FILE:
                return job.path or job.release_name
            return None
        if role == PROGRESS_ROLE and column is DownloadColumn.PROGRESS:
            return self.progress(job)
        return None

    def _text(self, job: DownloadJob, column: DownloadColumn) -> str | None:
        running = job.state is JobState.RUNNING
        match column:
            case DownloadColumn.SHOW:
                return job.anime_title
            case DownloadColumn.EPISODE:
                return str(job.episode)
            case DownloadColumn.STATE:
                return self.state_words()[job.state]
            case DownloadColumn.PROGRESS:
                return self.progress(job).text()
            case DownloadColumn.SPEED:
                speed = self.live.speed(job.id) if running else None
                return "" if speed is None else self.tr("%1/s").replace("%1", shown_size(round(speed)))
            case DownloadColumn.ETA:
                eta = self.live.eta(job.id) if running else None
                return "" if eta is None else shown_duration(eta)
            case DownloadColumn.FILE:  # its folder is in the tooltip
                return Path(job.path).name if job.path else job.release_name
        return None

    def _sort_key(self, job: DownloadJob, column: DownloadColumn) -> object:
        match column:
            case DownloadColumn.EPISODE:
                return job.episode
            case DownloadColumn.STATE:
                return list(JobState).index(job.state)
            case DownloadColumn.PROGRESS:
                return self.progress(job).fraction or 0.0
            case DownloadColumn.SPEED:
                return self.live.speed(job.id) or 0.0
            case DownloadColumn.ETA:
                eta = self.live.eta(job.id)
                return float("inf") if eta is None else eta
        return (self._text(job, column) or "").casefold()

    def _on_changed(self, job: DownloadJob) -> None:
        if job.state is not JobState.RUNNING:
            self.live.forget(job.id)
        self.put(job)

    def _on_removed(self, job_id: str) -> None:
        self.live.forget(job_id)
        self.drop(job_id)

    def _on_moved(self, job_ids: list[str]) -> None:
        for job_id in job_ids:
            self.repaint(job_id, *LIVE_COLUMNS)

