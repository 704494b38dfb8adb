"""The selected show: poster, synopsis, genres, links, and its episode timeline.

The timeline answers "why didn't it download?" where the user looks: every
episode with its state and reason. A found episode can be downloaded from
here, a done one opened.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.episodes import EpisodeRecord, EpisodeState
from core.errors import TsuzukiError
from core.models import WatchlistItem
from core.service import CoreService
from gui.dialogs.marks import error_label, say
from gui.models.episodes import EpisodeTimelineModel
from gui.models.rows import OBJECT_ROLE
from gui.posters import Posters

POSTER_WIDTH = 150


class DetailsPane(QWidget):
    """Details of one show; ``show_item(None)`` empties it.

    Signals:
        problem(str): an action failed; the window shows it to the user.
    """

    problem = Signal(str)

    def __init__(self, service: CoreService, posters: Posters, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._posters = posters
        self._item: WatchlistItem | None = None
        self._watchlist_has_shows = True
        self._poster = QLabel(alignment=Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self._poster.setFixedWidth(POSTER_WIDTH)
        self._title = QLabel(wordWrap=True, textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse)
        self._title.setObjectName("detailsTitle")
        font = self._title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self._title.setFont(font)
        self._facts = QLabel(wordWrap=True, openExternalLinks=True)
        self._source_error = error_label()
        self._synopsis = QLabel(wordWrap=True, alignment=Qt.AlignmentFlag.AlignTop)
        self._timeline = EpisodeTimelineModel(service, self)
        self._episodes = QTableView(self)
        self._episodes.setModel(self._timeline)
        self._episodes.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._episodes.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._episodes.verticalHeader().hide()
        self._episodes.horizontalHeader().setStretchLastSection(True)
        self._episodes.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self._episodes.doubleClicked.connect(self._open_or_download)
        self._download = QPushButton(self.tr("&Download episode"))
        self._download.clicked.connect(self._download_selected)
        self._open = QPushButton(self.tr("&Open file"))
        self._open.clicked.connect(self._open_selected)
        self._episodes.selectionModel().selectionChanged.connect(self._update_buttons)
        self._timeline.modelReset.connect(self._update_buttons)
        self._timeline.dataChanged.connect(self._update_buttons)
        posters.ready.connect(self._poster_ready)
        self._lay_out()
        self.show_item(None)

    def _lay_out(self) -> None:
        text = QVBoxLayout()
        text.addWidget(self._title)
        text.addWidget(self._facts)
        text.addWidget(self._source_error)
        text.addWidget(self._synopsis, 1)
        top = QHBoxLayout()
        top.addWidget(self._poster)
        top.addLayout(text, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self._download)
        buttons.addWidget(self._open)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(QLabel(self.tr("Episodes")))
        layout.addWidget(self._episodes, 1)
        layout.addLayout(buttons)

    def set_watchlist_empty(self, empty: bool) -> None:
        """With no show at all, the empty pane says how to add one."""
        if self._watchlist_has_shows == (not empty):
            return
        self._watchlist_has_shows = not empty
        if self._item is None:
            self.show_item(None)

    def item(self) -> WatchlistItem | None:
        return self._item

    def show_item(self, item: WatchlistItem | None) -> None:
        """Show ``item`` (or nothing); the timeline follows the show's episode signals from now on."""
        self._item = item
        self._timeline.set_item(item.id if item else None)
        if item is None:
            self._title.setText(self.tr("No show selected") if self._watchlist_has_shows else self.tr("Welcome"))
            self._facts.clear()
            say(self._source_error, "")
            self._synopsis.setText(
                self.tr("Select a show to see its episodes and why each was or was not taken.")
                if self._watchlist_has_shows else
                self.tr("Your watchlist is empty. Add a show with Add show (Ctrl+N), or drop a feed address or "
                        "a folder of episodes on this window. Tsuzuki then checks it every few hours and "
                        "downloads each new episode once."))
            self._poster.clear()
            self._update_buttons()
            return
        self._title.setText(item.anime_title)
        facts = [", ".join(item.genres)] if item.genres else []
        if item.episode_count:
            facts.append(self.tr("%n episode(s)", "", item.episode_count))
        if item.anilist_id:
            facts.append(f'<a href="https://anilist.co/anime/{item.anilist_id}">AniList</a>')
        self._facts.setText(" · ".join(facts))
        say(self._source_error, f'{self.tr("Source failed:")} {item.last_error}' if item.last_error else "")
        self._synopsis.setText(item.synopsis or "")
        self._paint_poster()
        self._update_buttons()

    def _paint_poster(self) -> None:
        pixmap = self._posters.pixmap(self._item.poster_image if self._item else None)
        if pixmap is None:
            self._poster.setText(self.tr("No poster") if self._item and not self._item.poster_image else "")
            return
        self._poster.setPixmap(pixmap.scaledToWidth(POSTER_WIDTH, Qt.TransformationMode.SmoothTransformation))

    def _poster_ready(self, url: str) -> None:
        if self._item is not None and self._item.poster_image == url:
            self._paint_poster()

    def _selected(self) -> EpisodeRecord | None:
        rows = self._episodes.selectionModel().selectedRows()
        return rows[0].data(OBJECT_ROLE) if rows else None

    def _update_buttons(self) -> None:
        record = self._selected()
        downloadable = {EpisodeState.FOUND, EpisodeState.FAILED, EpisodeState.SKIPPED}
        self._download.setEnabled(record is not None and record.state in downloadable)
        self._open.setEnabled(record is not None and record.state is EpisodeState.DONE and bool(record.path))

    def _open_or_download(self, index: QModelIndex) -> None:
        record = index.data(OBJECT_ROLE)
        if record is not None and record.state is EpisodeState.DONE:
            self._open_selected()
        else:
            self._download_selected()

    def _download_selected(self) -> None:
        record = self._selected()
        if self._item is None or record is None:
            return
        try:
            self._service.download_episode(self._item.id, record.episode)
        except TsuzukiError as error:
            self.problem.emit(str(error))

    def _open_selected(self) -> None:
        record = self._selected()
        if record is not None and record.path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(record.path))
