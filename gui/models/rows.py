"""The part every list model shares: rows kept by key, with an id->row map so one change repaints one row."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from enum import IntEnum
from typing import Any, Generic, TypeVar

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

    ``sort()`` orders the rows themselves by their ``SORT_ROLE`` and keeps them in that order as
    they come and change: a proxy over this model need not sort (a sorting proxy calls Python
    twice per comparison, and again for every row a filter lets back in: half a second for
    10,000 rows).
    """

    def __init__(self, columns: type[C], key: Callable[[T], Hashable], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._key = key
        self._rows: list[T] = []
        self._index: dict[Hashable, int] = {}
        self._order: tuple[C, bool] | None = None  # the sort column, and whether it descends
        self._sort_keys: dict[Hashable, Any] = {}  # each row's key in that column, by row key
        self.generation = 0  # goes up whenever a row comes, goes, moves or is replaced (for caches by row)

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
        self._order_rows()
        self.endResetModel()

    def put(self, row: T, position: int | None = None) -> None:
        """Add ``row`` at ``position`` (default: the end), or replace the row with its key
        (repainting that row only)."""
        key = self._key(row)
        number = self._index.get(key)
        if number is None:
            if self._order is not None:
                position = self._sorted_position(row)
            position = len(self._rows) if position is None else position
            self.beginInsertRows(QModelIndex(), position, position)
            self._rows.insert(position, row)
            self._reindex()
            self.endInsertRows()
            return
        self._rows[number] = row
        self.generation += 1
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
            self.generation += 1
            self.dataChanged.emit(self.index(min(replaced), 0), self.index(max(replaced), len(self._columns) - 1))
            self._resort_if_moved(self._rows[number] for number in replaced)

    def drop(self, key: Hashable) -> None:
        number = self._index.get(key)
        if number is None:
            return
        self.beginRemoveRows(QModelIndex(), number, number)
        del self._rows[number]
        self._sort_keys.pop(key, None)
        self._reindex()
        self.endRemoveRows()

    def repaint(self, key: Hashable, *columns: C) -> None:
        """Emit dataChanged for this key's row: these columns, or all of them."""
        number = self._index.get(key)
        if number is None:
            return
        first, last = (min(columns), max(columns)) if columns else (0, len(self._columns) - 1)
        self.dataChanged.emit(self.index(number, first), self.index(number, last))
        if self._order is not None and first <= self._order[0] <= last:
            self._resort_if_moved([self._rows[number]])

    def repaint_column(self, column: C) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0, column), self.index(len(self._rows) - 1, column))
            if self._order is not None and self._order[0] == column:
                self._resort_if_moved(self._rows)

    # Sorting ---------------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by this column (and keep them so): what a sorting view asks for."""
        if not 0 <= column < len(self._columns):
            self._order = None
            return
        self._order = (self._columns[column], order is Qt.SortOrder.DescendingOrder)
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        kept = [(self._key(self._rows[index.row()]), index.column()) for index in before]
        self._order_rows()
        self.changePersistentIndexList(before, [self.index(self._index[key], column) for key, column in kept])
        self.layoutChanged.emit()

    def _order_key(self, row: T) -> Any:
        assert self._order is not None
        return self.cell(row, self._order[0], SORT_ROLE)

    def _order_rows(self) -> None:
        """Put the rows in the sort order (a stable sort: equal keys keep their order), and index them."""
        if self._order is not None:
            self._sort_keys = {self._key(row): self._order_key(row) for row in self._rows}
            self._rows.sort(key=lambda row: self._sort_keys[self._key(row)], reverse=self._order[1])
        self._reindex()

    def _sorted_position(self, row: T) -> int:
        """Where a new row goes to keep the rows sorted (after those with an equal key)."""
        assert self._order is not None
        key = self._sort_keys[self._key(row)] = self._order_key(row)
        descending = self._order[1]
        low, high = 0, len(self._rows)
        while low < high:
            middle = (low + high) // 2
            other = self._sort_keys[self._key(self._rows[middle])]
            if (key > other) if descending else (key < other):
                high = middle
            else:
                low = middle + 1
        return low

    def _resort_if_moved(self, rows: Iterable[T]) -> None:
        """Sort again if any of these rows' keys changed (a show checked, while sorted by last check)."""
        if self._order is None:
            return
        moved = False
        for row in rows:
            key, sort_key = self._key(row), self._order_key(row)
            moved = moved or self._sort_keys.get(key) != sort_key
            self._sort_keys[key] = sort_key
        if moved:
            self.sort(self._columns.index(self._order[0]),
                      Qt.SortOrder.DescendingOrder if self._order[1] else Qt.SortOrder.AscendingOrder)

    def index_of(self, key: Hashable) -> QModelIndex:
        """The first cell of this key's row (invalid when there is no such row)."""
        number = self._index.get(key)
        return QModelIndex() if number is None else self.index(number, 0)

    def objects(self, first: int = 0, last: int | None = None) -> list[T]:
        """The row objects from ``first`` to ``last`` (every one by default)."""
        return self._rows[first:None if last is None else last + 1]

    def row_object(self, key: Hashable) -> T | None:
        number = self._index.get(key)
        return None if number is None else self._rows[number]

    def _reindex(self) -> None:
        self.generation += 1
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
