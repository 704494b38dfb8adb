"""The part every list model shares: rows kept by key, with an id->row map so one change repaints one row."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from enum import IntEnum
from typing import Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

T = TypeVar("T")
C = TypeVar("C", bound=IntEnum)
Index = QModelIndex | QPersistentModelIndex

OBJECT_ROLE = Qt.ItemDataRole.UserRole  # the row's own object (WatchlistItem, DownloadJob, EpisodeRecord)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # a number or text that sorts the column right
PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 2  # what ProgressDelegate paints (EpisodeProgress, TransferProgress)


class KeyedTableModel(QAbstractTableModel, Generic[T, C]):
    """A table of objects, one per row, found by key.

    Subclasses give the columns (an IntEnum), their titles and ``cell()``; they change rows
    only through ``reset``, ``put`` and ``drop``, and repaint through ``repaint``.
    """

    def __init__(self, columns: type[C], key: Callable[[T], Hashable], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._key = key
        self._rows: list[T] = []
        self._index: dict[Hashable, int] = {}

    # What subclasses give -------------------------------------------------------------------

    def titles(self) -> dict[C, str]:
        raise NotImplementedError

    def cell(self, row: T, column: C, role: int) -> object:
        """The data of one cell for a display, tooltip, decoration, sort or progress role (None: none)."""
        raise NotImplementedError

    # Changing rows ---------------------------------------------------------------------------

    def reset(self, rows: Iterable[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._reindex()
        self.endResetModel()

    def put(self, row: T, position: int | None = None) -> None:
        """Add ``row`` at ``position`` (default: the end), or replace the row with its key
        (repainting that row only)."""
        key = self._key(row)
        number = self._index.get(key)
        if number is None:
            position = len(self._rows) if position is None else position
            self.beginInsertRows(QModelIndex(), position, position)
            self._rows.insert(position, row)
            self._reindex()
            self.endInsertRows()
            return
        self._rows[number] = row
        self.repaint(key)

    def put_many(self, rows: Iterable[T]) -> None:
        """``put`` each row, repainting the rows replaced with one signal (a burst of changes)."""
        replaced: list[int] = []
        for row in rows:
            number = self._index.get(self._key(row))
            if number is None:
                self.put(row)
            else:
                self._rows[number] = row
                replaced.append(number)
        if replaced:
            self.dataChanged.emit(self.index(min(replaced), 0), self.index(max(replaced), len(self._columns) - 1))

    def drop(self, key: Hashable) -> None:
        number = self._index.get(key)
        if number is None:
            return
        self.beginRemoveRows(QModelIndex(), number, number)
        del self._rows[number]
        self._reindex()
        self.endRemoveRows()

    def repaint(self, key: Hashable, *columns: C) -> None:
        """Emit dataChanged for this key's row: these columns, or all of them."""
        number = self._index.get(key)
        if number is None:
            return
        first, last = (min(columns), max(columns)) if columns else (0, len(self._columns) - 1)
        self.dataChanged.emit(self.index(number, first), self.index(number, last))

    def repaint_column(self, column: C) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0, column), self.index(len(self._rows) - 1, column))

    def index_of(self, key: Hashable) -> QModelIndex:
        """The first cell of this key's row (invalid when there is no such row)."""
        number = self._index.get(key)
        return QModelIndex() if number is None else self.index(number, 0)

    def row_object(self, key: Hashable) -> T | None:
        number = self._index.get(key)
        return None if number is None else self._rows[number]

    def _reindex(self) -> None:
        self._index = {self._key(row): number for number, row in enumerate(self._rows)}

    # QAbstractTableModel -----------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == OBJECT_ROLE:
            return row
        return self.cell(row, self._columns[index.column()], role)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if (orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self._columns)):
            return self.titles()[self._columns[section]]
        return None
