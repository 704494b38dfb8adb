"""A search of AniList inside the show dialog: results with poster thumbnails, one to pick.

The search blocks on the network, so it runs through ``CoreService.background``;
only the latest search's answer is shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from core.service import CoreService
from gui.posters import Posters

if TYPE_CHECKING:
    from providers.anilist import AnimeMetadata

THUMBNAIL = QSize(32, 46)
ROW_PADDING = 6  # a result's row, beyond its thumbnail
MOST_ROWS_SHOWN = 3  # the list grows with its results up to this many rows, then scrolls
META_ROLE = Qt.ItemDataRole.UserRole


class AniListResults(QWidget):
    """The entries AniList found for a title, with posters as they arrive.

    Signals:
        picked(AnimeMetadata): the user chose this entry (clicked or activated it).
    """

    picked = Signal(object)

    def __init__(self, service: CoreService, posters: Posters, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._posters = posters
        self._asked = 0  # the latest search's number: older answers are dropped
        self.status = QLabel()
        self.list = QListWidget()
        self.list.setIconSize(THUMBNAIL)
        self.list.itemClicked.connect(self._chosen)
        self.list.itemActivated.connect(self._chosen)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        layout.addWidget(self.list)
        posters.ready.connect(self._poster_ready)
        self.hide()

    def search(self, title: str) -> None:
        """Look ``title`` up on AniList in the background."""
        title = title.strip()
        if not title:
            return
        self._asked += 1
        asked = self._asked
        self.show()
        self.list.clear()
        self._fit()
        self.status.setText(self.tr("Searching AniList…"))
        service = self._service
        service.background(lambda: service.search_anilist(title), lambda found: self._found(asked, found),
                           lambda error: self._failed(asked, error), name="anilist-search")

    def forget(self) -> None:
        """Drop the answer of a search still running (the dialog is closing)."""
        self._asked += 1

    def _found(self, asked: int, found: list[AnimeMetadata]) -> None:
        if asked != self._asked:
            return
        self.status.setText(self.tr("Nothing found on AniList.") if not found else
                            self.tr("Pick the show (%n found):", "", len(found)))
        for entry in found:
            row = QListWidgetItem(self._label(entry), self.list)
            row.setData(META_ROLE, entry)
            self._set_icon(row)
        self._fit()

    def _fit(self) -> None:
        """As tall as its results (no empty box under a single one), up to ``MOST_ROWS_SHOWN``."""
        rows = min(self.list.count(), MOST_ROWS_SHOWN)
        self.list.setVisible(rows > 0)
        self.list.setFixedHeight(rows * (THUMBNAIL.height() + ROW_PADDING) + 2 * self.list.frameWidth())

    def _failed(self, asked: int, error: BaseException) -> None:
        if asked == self._asked:
            self.status.setText(self.tr("AniList could not be searched: %1").replace("%1", str(error)))

    def _label(self, entry: AnimeMetadata) -> str:
        title = entry.titles[0] if entry.titles else str(entry.anilist_id)
        if entry.episodes:
            return self.tr("%1 (%n episode(s))", "", entry.episodes).replace("%1", title)
        return title

    def _set_icon(self, row: QListWidgetItem) -> None:
        entry: AnimeMetadata = row.data(META_ROLE)
        pixmap = self._posters.pixmap(entry.cover_image)
        if pixmap is not None:
            row.setIcon(QIcon(pixmap.scaled(THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio,
                                            Qt.TransformationMode.SmoothTransformation)))

    def _poster_ready(self, url: str) -> None:
        for number in range(self.list.count()):
            row = self.list.item(number)
            if row.data(META_ROLE).cover_image == url:
                self._set_icon(row)

    def _chosen(self, row: QListWidgetItem) -> None:
        self.picked.emit(row.data(META_ROLE))
