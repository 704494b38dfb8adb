"""The main window: the watchlist with its filter, the selected show's details, and the downloads.

It binds to ``CoreService`` only: its methods for actions, its signals for
every change. Nothing here touches the network or the disk on the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.actions import Saved
from core.errors import TsuzukiError
from core.models import WatchlistItem, WatchlistStatus, utc_now
from core.scheduler_state import SchedulerState
from core.service import CoreService
from gui.delegates.progress import ProgressDelegate
from gui.dialogs.dropped import dropped_source
from gui.dialogs.settings_dialog import SettingsDialog
from gui.dialogs.show_dialog import ShowDialog
from gui.models.rows import OBJECT_ROLE
from gui.models.watchlist import WatchlistColumn, WatchlistFilter, WatchlistModel
from gui.posters import Posters
from gui.scheduler_text import next_check_text
from gui.window_state import WindowStateStore
from gui.windows.details_pane import DetailsPane
from gui.windows.downloads_view import DownloadsView
from gui.windows.help_menu import add_help_menu

THUMBNAIL_HEIGHT = 48
COLUMN_WIDTHS = {  # until the user drags them (remembered in window.json)
    WatchlistColumn.POSTER: 40, WatchlistColumn.TITLE: 210, WatchlistColumn.STATUS: 80, WatchlistColumn.SOURCE: 110,
    WatchlistColumn.LANGUAGE: 80, WatchlistColumn.QUALITY: 60, WatchlistColumn.PROGRESS: 140,
    WatchlistColumn.NEXT_CHECK: 130, WatchlistColumn.LAST_CHECK: 130, WatchlistColumn.PROBLEM: 30,
    WatchlistColumn.NEXT_AIRING: 120,
}
WATCHLIST_WIDTH = 820  # of the 1180 px window at first; the details pane has the rest
HIDDEN_AT_FIRST = (WatchlistColumn.LANGUAGE, WatchlistColumn.QUALITY, WatchlistColumn.NEXT_CHECK,  # the header's
                   WatchlistColumn.LAST_CHECK)  # menu adds them (the next airing is shown instead of the next check)


class MainWindow(QMainWindow):
    """The watchlist, the selected show and the downloads, over ``service``."""

    def __init__(self, service: CoreService) -> None:
        super().__init__()
        self._service = service
        self._state = WindowStateStore(service.folder)
        self.setWindowTitle("Tsuzuki")
        self.resize(1180, 720)
        self._posters = Posters(service, self)
        self.watchlist = WatchlistModel(service, self)
        self.filter = WatchlistFilter(self.watchlist, self)
        self._table = self._watchlist_table()
        self._search = QLineEdit(placeholderText=self.tr("Search titles and aliases  (Ctrl+F)"), clearButtonEnabled=True)
        self._search.setObjectName("search")  # bench/gui.py types in it
        self._search.textChanged.connect(self.filter.set_text)
        self._status = QComboBox()
        self._status.currentIndexChanged.connect(self._status_chosen)
        self.details = DetailsPane(service, self._posters, self)
        self.downloads = DownloadsView(service, self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._watchlist_page(), self.tr("&Watchlist"))
        self.tabs.addTab(self.downloads, self.tr("&Downloads"))
        self.setCentralWidget(self.tabs)
        self._scheduler_label = QLabel()
        self._check_label = QLabel()
        self.statusBar().addPermanentWidget(self._check_label)
        self.statusBar().addPermanentWidget(self._scheduler_label)
        self._actions: dict[str, QAction] = {}
        self._build_actions()
        self._connect_service()
        self._tick = QTimer(self)  # "next check in ..." counts down once a minute
        self._tick.timeout.connect(self._show_scheduler)
        self._tick.start(60_000)
        self._show_scheduler(service.scheduler_state())
        self._refresh_counts()
        self._posters.ready.connect(self._poster_ready)
        self.watchlist.modelReset.connect(lambda: self._want_posters(self._shows()))
        self.watchlist.rowsInserted.connect(lambda _parent, first, last: self._want_posters(self._shows(first, last)))
        self._want_posters(self._shows())
        self._restore()
        self.setAcceptDrops(True)  # a URL or folder dropped here opens Add with it

    # Building ----------------------------------------------------------------------------

    def _watchlist_table(self) -> QTableView:
        table = QTableView(self)
        table.setModel(self.filter)
        table.setSortingEnabled(True)
        table.sortByColumn(WatchlistColumn.TITLE.value, Qt.SortOrder.AscendingOrder)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setItemDelegateForColumn(WatchlistColumn.PROGRESS.value, ProgressDelegate(table))
        table.verticalHeader().hide()
        table.setWordWrap(False)
        header = table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._choose_columns)
        for column, width in COLUMN_WIDTHS.items():  # and never narrower than its title, in any language
            table.setColumnWidth(column.value, max(width, header.sectionSizeHint(column.value)))
        for column in HIDDEN_AT_FIRST:  # so the rest fits beside the details pane
            table.setColumnHidden(column.value, True)
        table.selectionModel().selectionChanged.connect(self._selection_changed)
        table.doubleClicked.connect(lambda index: self.edit_show(index.data(OBJECT_ROLE)))
        return table

    def _watchlist_page(self) -> QWidget:
        bar = QHBoxLayout()
        bar.addWidget(self._search, 1)
        bar.addWidget(self._status)
        left = QWidget()
        layout = QVBoxLayout(left)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self._table, 1)
        self._splitter = QSplitter(Qt.Orientation.Horizontal)
        self._splitter.addWidget(left)
        self._splitter.addWidget(self.details)
        self._splitter.setStretchFactor(0, 3)
        self._splitter.setStretchFactor(1, 2)
        self._splitter.setSizes([WATCHLIST_WIDTH, self.width() - WATCHLIST_WIDTH])  # until the user drags it
        return self._splitter

    def _build_actions(self) -> None:
        show_menu = self.menuBar().addMenu(self.tr("&Show"))
        toolbar = self.addToolBar(self.tr("Actions"))
        toolbar.setObjectName("actions")
        for key, text, shortcut, slot, on_bar in (
            ("add", self.tr("&Add show…"), "Ctrl+N", lambda: self.add_show(), True),
            ("edit", self.tr("&Edit…"), "Ctrl+E", self._edit_selected, True),
            ("paste", self.tr("Add from &pasted URL"), QKeySequence.StandardKey.Paste, self._paste_source, False),
            ("pause", self.tr("&Pause / Resume"), "Ctrl+P", self._toggle_pause, True),
            ("remove", self.tr("&Remove…"), QKeySequence.StandardKey.Delete, self._remove_selected, True),
            ("check", self.tr("&Check now"), "F5", self._check_selected, True),
            ("check_all", self.tr("Check &all"), "Shift+F5", self._service.check_all, True),
            ("folder", self.tr("Open download &folder"), "Ctrl+O", self._open_download_folder, False),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            show_menu.addAction(action)
            if on_bar:
                toolbar.addAction(action)
            self._actions[key] = action
        show_menu.addSeparator()
        find = QAction(self.tr("&Find"), self, shortcut=QKeySequence(QKeySequence.StandardKey.Find))
        find.triggered.connect(self._find)
        show_menu.addAction(find)
        settings = QAction(self.tr("&Settings…"), self, shortcut=QKeySequence("Ctrl+,"))
        settings.triggered.connect(self._open_settings)
        show_menu.addAction(settings)
        self._actions["settings"] = settings
        quit_action = QAction(self.tr("&Quit"), self, shortcut=QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(QApplication.quit)  # the app then shuts the engine down, bounded
        show_menu.addAction(quit_action)
        add_help_menu(self, self._service)
        self._update_actions()

    def action(self, key: str) -> QAction:
        """One of the window's actions ("check_all", "settings", ...), for the tray's menu to share."""
        return self._actions[key]

    def _open_settings(self) -> None:
        dialog = SettingsDialog(self._service, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _find(self) -> None:
        self.tabs.setCurrentIndex(0)
        self._search.setFocus()

    def _connect_service(self) -> None:
        service = self._service
        service.scheduler_changed.connect(self._show_scheduler)
        service.check_started.connect(self._check_started)
        service.check_finished.connect(self._check_finished)
        service.item_changed.connect(self._item_changed)
        service.items_changed.connect(self._items_changed)
        service.item_removed.connect(self._item_removed)
        service.problem.connect(self.show_problem)
        self.watchlist.failed.connect(self.show_problem)
        self.watchlist.loaded.connect(self._refresh_counts)
        self._counts_due = QTimer(self, singleShot=True, interval=100)  # a check's 200 changes recount once
        self._counts_due.timeout.connect(self._refresh_counts)
        for model_signal in (self.filter.rowsInserted, self.filter.rowsRemoved, self.filter.modelReset,
                             self.watchlist.dataChanged):
            model_signal.connect(self._counts_due.start)
        self.details.problem.connect(self.show_problem)
        self.downloads.problem.connect(self.show_problem)

    # Selection and actions ---------------------------------------------------------------

    def selected_items(self) -> list[WatchlistItem]:
        return [item for index in self._table.selectionModel().selectedRows()
                if (item := index.data(OBJECT_ROLE)) is not None]

    def show_item(self, item_id: str) -> None:
        """Bring the window up on one show's details and timeline (a notification was clicked)."""
        self.tabs.setCurrentIndex(0)
        if self.filter.mapFromSource(self.watchlist.index_of(item_id)).isValid() is False:
            self._search.clear()
            self._status.setCurrentIndex(0)
        index = self.filter.mapFromSource(self.watchlist.index_of(item_id))
        if index.isValid():
            self._table.selectRow(index.row())
            self._table.scrollTo(index)

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        items = self.selected_items()
        self.details.show_item(items[0] if len(items) == 1 else None)
        self._update_actions()

    def _update_actions(self) -> None:
        chosen = bool(self._table.selectionModel().selectedRows())
        for key in ("pause", "remove", "check"):
            self._actions[key].setEnabled(chosen)
        self._actions["edit"].setEnabled(len(self._table.selectionModel().selectedRows()) == 1)

    def add_show(self, source: str = "") -> ShowDialog:
        """Open Add, its source URL filled in with ``source``."""
        return self._open_dialog(ShowDialog(self._service, self, source=source, posters=self._posters))

    def edit_show(self, item: WatchlistItem | None) -> ShowDialog | None:
        if item is None:
            return None
        return self._open_dialog(ShowDialog(self._service, self, item, posters=self._posters))

    def _edit_selected(self) -> None:
        items = self.selected_items()
        if len(items) == 1:
            self.edit_show(items[0])

    def _open_dialog(self, dialog: ShowDialog) -> ShowDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._show_saved)
        dialog.show()  # not modal: the window stays usable (another show's URL can be copied meanwhile)
        return dialog

    def _show_saved(self, saved: Saved) -> None:
        if saved.warnings:
            self.show_problem("\n".join(saved.warnings))

    def _paste_source(self) -> None:
        source = dropped_source(QGuiApplication.clipboard().mimeData())
        if source:
            self.add_show(source)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_source(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        source = dropped_source(event.mimeData())
        if source:
            event.acceptProposedAction()
            self.add_show(source)

    def _item_changed(self, item: WatchlistItem) -> None:
        self._items_changed([item])
        self._want_posters([item])  # linked to AniList since: it has a poster now

    def _items_changed(self, items: list[WatchlistItem]) -> None:
        shown = self.details.item()
        if shown is None:
            return
        for item in items:
            if item.id == shown.id:
                self.details.show_item(item)

    def _item_removed(self, item_id: str) -> None:
        shown = self.details.item()
        if shown is not None and shown.id == item_id:
            self.details.show_item(None)

    def _each(self, action: str, items: list[WatchlistItem]) -> None:
        for item in items:
            try:
                getattr(self._service, action)(item.id)
            except TsuzukiError as error:
                self.show_problem(str(error))

    def _toggle_pause(self) -> None:
        items = self.selected_items()
        paused = [item for item in items if item.status is WatchlistStatus.PAUSED]
        self._each("resume_item", paused)
        self._each("pause_item", [item for item in items if item not in paused])

    def _remove_selected(self) -> None:
        items = self.selected_items()
        if not items:
            return
        names = ", ".join(repr(item.anime_title) for item in items[:3]) + ("…" if len(items) > 3 else "")
        answer = QMessageBox.question(
            self, self.tr("Remove shows"),
            self.tr("Remove %n show(s) from the watchlist: %1?\n\nTheir queued downloads go too; "
                    "episodes already downloaded stay on disk.", "", len(items)).replace("%1", names),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._each("remove_item", items)

    def _check_selected(self) -> None:
        items = self.selected_items()
        if items:
            self._service.check_items([item.id for item in items])

    def _open_download_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._service.settings().download_dir)))

    # Posters -----------------------------------------------------------------------------

    def _shows(self, first: int = 0, last: int | None = None) -> list[WatchlistItem]:
        """The shows in these rows of the watchlist model (all by default)."""
        return self.watchlist.objects(first, last)

    def _want_posters(self, items: list[WatchlistItem]) -> None:
        """Ask for these shows' posters; those already loaded are handed to the model now."""
        for item in items:
            if item.poster_image and (pixmap := self._posters.pixmap(item.poster_image)) is not None:
                self.watchlist.set_poster(item.id, _thumbnail(pixmap))

    def _poster_ready(self, url: str) -> None:
        pixmap = self._posters.pixmap(url)
        for item in self._shows():
            if pixmap is not None and item.poster_image == url:
                self.watchlist.set_poster(item.id, _thumbnail(pixmap))

    # Status ------------------------------------------------------------------------------

    def _status_chosen(self, row: int) -> None:
        value = self._status.itemData(row)  # Qt hands the enum back as its text
        self.filter.set_status(None if value is None else WatchlistStatus(value))

    def _refresh_counts(self, *_: object) -> None:
        counts = self.filter.counts()
        self.details.set_watchlist_empty(self.watchlist.is_loaded() and self.watchlist.rowCount() == 0)
        current = self._status.currentData()  # keep the choice while the counts change
        self._status.blockSignals(True)
        self._status.clear()
        self._status.addItem(self.tr("All (%1)").replace("%1", str(sum(counts.values()))), None)
        for status, label in self.watchlist.status_words().items():
            self._status.addItem(f"{label} ({counts.get(status, 0)})", status.value)
        self._status.setCurrentIndex(max(0, self._status.findData(current)))
        self._status.blockSignals(False)

    def _show_scheduler(self, state: SchedulerState | None = None) -> None:
        self._scheduler_label.setText(next_check_text(state or self._service.scheduler_state(), utc_now()))

    def _check_started(self, count: int) -> None:
        self._check_label.setText(self.tr("Checking %n show(s)…", "", count))

    def _check_finished(self, report: object) -> None:
        failure = getattr(report, "failure", None)
        self._check_label.setText("")
        if failure:
            self.show_problem(str(failure))

    def show_problem(self, message: str) -> None:
        """Tell the user, in a dialog that does not block the window's updates."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Tsuzuki"), message, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # Columns and layout ------------------------------------------------------------------

    def _choose_columns(self, position: QPoint) -> None:
        header = self._table.horizontalHeader()
        menu = QMenu(self)
        for column in WatchlistColumn:
            action = menu.addAction(str(self.watchlist.headerData(column.value, Qt.Orientation.Horizontal)))
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column.value))
            action.setEnabled(column is not WatchlistColumn.TITLE)
            action.toggled.connect(lambda shown, section=column.value: header.setSectionHidden(section, not shown))
        menu.exec(header.mapToGlobal(position))

    def _restore(self) -> None:
        saved = self._state.load()
        if "geometry" in saved:
            self.restoreGeometry(saved["geometry"])
        if "watchlist_header" in saved:
            self._table.horizontalHeader().restoreState(saved["watchlist_header"])
        if "splitter" in saved:
            self._splitter.restoreState(saved["splitter"])

    def save_layout(self) -> None:
        self._state.save(geometry=self.saveGeometry(), watchlist_header=self._table.horizontalHeader().saveState(),
                         splitter=self._splitter.saveState())

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        super().closeEvent(event)


def _thumbnail(pixmap: QPixmap) -> QPixmap:
    return pixmap.scaledToHeight(THUMBNAIL_HEIGHT, Qt.TransformationMode.SmoothTransformation)

