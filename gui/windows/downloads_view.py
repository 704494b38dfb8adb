"""The downloads: queue and history, with painted progress, and cancel / retry / remove / open."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.downloads.jobs import DownloadJob, JobState
from core.errors import TsuzukiError
from core.service import CoreService
from gui.delegates.progress import ProgressDelegate
from gui.models.downloads import DownloadColumn, DownloadsModel
from gui.models.rows import OBJECT_ROLE


class DownloadsView(QWidget):
    """Signals:
        problem(str): an action failed; the window shows it to the user.
    """

    problem = Signal(str)

    def __init__(self, service: CoreService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.model = DownloadsModel(service, self)
        self._table = QTableView(self)
        self._table.setModel(self.model)
        self._table.setItemDelegateForColumn(DownloadColumn.PROGRESS.value, ProgressDelegate(self._table))
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self._table.verticalHeader().hide()
        self._table.setWordWrap(False)  # one line a download; long names are elided
        header = self._table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self._table.setColumnWidth(DownloadColumn.SHOW.value, 260)
        self._table.setColumnWidth(DownloadColumn.PROGRESS.value, 180)
        self._buttons: dict[str, QPushButton] = {}
        buttons = QHBoxLayout()
        for key, text, slot in (
            ("cancel", self.tr("&Cancel"), self._cancel),
            ("retry", self.tr("&Retry"), self._retry),
            ("remove", self.tr("Re&move"), self._remove),
            ("open", self.tr("&Open file"), self._open_file),
            ("folder", self.tr("Open &folder"), self._open_folder),
        ):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self._buttons[key] = button
        self._buttons["remove"].setShortcut(QKeySequence.StandardKey.Delete)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self._table, 1)
        layout.addLayout(buttons)
        self._table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.dataChanged.connect(self._update_buttons)
        self.model.rowsRemoved.connect(self._update_buttons)
        self._update_buttons()

    def _selected(self) -> list[DownloadJob]:
        return [job for index in self._table.selectionModel().selectedRows()
                if (job := index.data(OBJECT_ROLE)) is not None]

    def _update_buttons(self) -> None:
        jobs = self._selected()
        states = {job.state for job in jobs}
        self._buttons["cancel"].setEnabled(bool(states & {JobState.QUEUED, JobState.RUNNING}))
        self._buttons["retry"].setEnabled(bool(states & {JobState.FAILED, JobState.CANCELLED}))
        self._buttons["remove"].setEnabled(bool(jobs))
        done = [job for job in jobs if job.state is JobState.DONE and job.path and Path(job.path).is_absolute()]
        self._buttons["open"].setEnabled(len(done) == 1)
        self._buttons["folder"].setEnabled(len(done) == 1)

    def _each(self, action: str, states: set[JobState] | None = None) -> None:
        for job in self._selected():
            if states is None or job.state in states:
                try:
                    getattr(self._service, action)(job.id)
                except TsuzukiError as error:
                    self.problem.emit(str(error))

    def _cancel(self) -> None:
        self._each("cancel_download", {JobState.QUEUED, JobState.RUNNING})

    def _retry(self) -> None:
        self._each("retry_download", {JobState.FAILED, JobState.CANCELLED})

    def _remove(self) -> None:
        self._each("remove_download")

    def _done_path(self) -> Path | None:
        done = [job for job in self._selected() if job.state is JobState.DONE and job.path]
        return Path(done[0].path or "") if len(done) == 1 else None

    def _open_file(self) -> None:
        if (path := self._done_path()) is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _open_folder(self) -> None:
        if (path := self._done_path()) is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
