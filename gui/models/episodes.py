"""One show's episode timeline: every episode recorded, in order, with its state and why."""

from __future__ import annotations

import bisect
from enum import IntEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt

from core.downloads.jobs import DownloadJob, JobState
from core.episodes import EpisodeRecord, EpisodeState
from gui.models.formatting import shown_time, time_key
from gui.models.progress import LiveProgress, TransferProgress
from gui.models.rows import PROGRESS_ROLE, SORT_ROLE, KeyedTableModel

if TYPE_CHECKING:
    from core.service import CoreService

Role = Qt.ItemDataRole


class EpisodeColumn(IntEnum):
    EPISODE = 0
    STATE = 1
    PROGRESS = 2
    RELEASE = 3
    REASON = 4
    PATH = 5
    UPDATED = 6


class EpisodeTimelineModel(KeyedTableModel[EpisodeRecord, EpisodeColumn]):
    """The episodes of the show ``set_item`` chose (none at first), with the live progress of a download."""

    def __init__(self, service: CoreService, parent: QObject | None = None) -> None:
        super().__init__(EpisodeColumn, lambda record: record.episode, parent)
        self._service = service
        self._item_id: str | None = None
        self._jobs: dict[str, int] = {}  # running job id -> its episode, for this show
        self.live = LiveProgress(service, self)
        self.live.moved.connect(self._on_moved)
        service.episode_changed.connect(self._on_episode)
        service.download_changed.connect(self._on_download)
        service.item_removed.connect(self._on_item_removed)

    def item_id(self) -> str | None:
        return self._item_id

    def set_item(self, item_id: str | None) -> None:
        """Show this show's timeline (None: nothing)."""
        self._item_id = item_id
        self._jobs = {} if item_id is None else {
            job.id: job.episode for job in self._service.downloads()
            if job.item_id == item_id and job.state is JobState.RUNNING}
        self.reset([] if item_id is None else self._service.episode_timeline(item_id))

    def state_words(self) -> dict[EpisodeState, str]:
        return {EpisodeState.FOUND: self.tr("Found"), EpisodeState.QUEUED: self.tr("Queued"),
                EpisodeState.DOWNLOADING: self.tr("Downloading"), EpisodeState.DONE: self.tr("Downloaded"),
                EpisodeState.FAILED: self.tr("Failed"), EpisodeState.SKIPPED: self.tr("Skipped")}

    def titles(self) -> dict[EpisodeColumn, str]:
        column = EpisodeColumn
        return {column.EPISODE: self.tr("Episode"), column.STATE: self.tr("State"),
                column.PROGRESS: self.tr("Progress"), column.RELEASE: self.tr("Release"),
                column.REASON: self.tr("Why"), column.PATH: self.tr("File"), column.UPDATED: self.tr("Updated")}

    def progress(self, record: EpisodeRecord) -> TransferProgress | None:
        if record.state is not EpisodeState.DOWNLOADING:
            return None
        job_id = next((job_id for job_id, episode in self._jobs.items() if episode == record.episode), None)
        return None if job_id is None else self.live.get(job_id)

    def cell(self, record: EpisodeRecord, column: EpisodeColumn, role: int) -> object:
        if role == Role.DisplayRole:
            return self._text(record, column)
        if role == SORT_ROLE:
            if column is EpisodeColumn.EPISODE:
                return record.episode
            if column is EpisodeColumn.UPDATED:
                return time_key(record.updated_at)
            return (self._text(record, column) or "").casefold()
        if role == Role.ToolTipRole and column in (EpisodeColumn.REASON, EpisodeColumn.PATH, EpisodeColumn.RELEASE):
            return self._text(record, column) or None
        if role == PROGRESS_ROLE and column is EpisodeColumn.PROGRESS:
            return self.progress(record)
        return None

    def _text(self, record: EpisodeRecord, column: EpisodeColumn) -> str:
        match column:
            case EpisodeColumn.EPISODE:
                return str(record.episode)
            case EpisodeColumn.STATE:
                return self.state_words()[record.state]
            case EpisodeColumn.PROGRESS:
                progress = self.progress(record)
                return "" if progress is None else progress.text()
            case EpisodeColumn.RELEASE:
                return record.release_name
            case EpisodeColumn.REASON:
                return record.reason or ""
            case EpisodeColumn.PATH:
                return record.path or ""
            case EpisodeColumn.UPDATED:
                return shown_time(record.updated_at)

    def _on_episode(self, item_id: str, record: EpisodeRecord) -> None:
        if item_id != self._item_id:
            return
        self.put(record, bisect.bisect(self._rows, record.episode, key=lambda row: row.episode))

    def _on_download(self, job: DownloadJob) -> None:
        if job.state is not JobState.RUNNING:
            self.live.forget(job.id)
            self._jobs.pop(job.id, None)
        elif job.item_id == self._item_id:
            self._jobs[job.id] = job.episode
        if job.item_id == self._item_id:
            self.repaint(job.episode, EpisodeColumn.PROGRESS)

    def _on_item_removed(self, item_id: str) -> None:
        if item_id == self._item_id:
            self.set_item(None)

    def _on_moved(self, job_ids: list[str]) -> None:
        for job_id in job_ids:
            if job_id in self._jobs:
                self.repaint(self._jobs[job_id], EpisodeColumn.PROGRESS)
