"""The show dialog's live preview: what the first check of the show being edited would take, and why."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QObject, Qt

from core.matching import Decision
from gui.models.rows import SORT_ROLE, KeyedTableModel

Role = Qt.ItemDataRole


class PreviewColumn(IntEnum):
    TAKE = 0
    EPISODE = 1
    RELEASE = 2
    REASON = 3


class PreviewModel(KeyedTableModel[Decision, PreviewColumn]):
    """One row per release the source lists, with the matcher's decision (replaced whole by ``show``)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(PreviewColumn, id, parent)

    def show(self, decisions: list[Decision]) -> None:
        """Show these decisions instead of the ones shown now: what would be taken first, then the rest,
        each in the source's order."""
        self.reset(sorted(decisions, key=lambda decision: not decision.take))

    def titles(self) -> dict[PreviewColumn, str]:
        column = PreviewColumn
        return {column.TAKE: self.tr("Take"), column.EPISODE: self.tr("Episode"),
                column.RELEASE: self.tr("Release"), column.REASON: self.tr("Why")}

    def cell(self, row: Decision, column: PreviewColumn, role: int) -> object:
        if role == Role.DisplayRole:
            return self._text(row, column)
        if role == Role.ToolTipRole and column in (PreviewColumn.RELEASE, PreviewColumn.REASON):
            return self._text(row, column)
        if role == SORT_ROLE and column is PreviewColumn.EPISODE:
            return -1 if row.episode is None else row.episode
        return None

    def _text(self, row: Decision, column: PreviewColumn) -> str:
        if column is PreviewColumn.TAKE:
            return self.tr("take") if row.take else self.tr("skip")
        if column is PreviewColumn.EPISODE:
            return "" if row.episode is None else str(row.episode)
        if column is PreviewColumn.RELEASE:
            return row.release.name
        return row.reason
