"""The main window against a real engine and loopback sources: it follows signals, never the disk."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from core.episodes import EpisodeState
from core.service import CoreService
from gui.models.rows import OBJECT_ROLE
from gui.models.watchlist import WatchlistColumn
from gui.windows.main_window import MainWindow
from tests.conftest import add_show as add
from tests.gui.conftest import VIDEO, feed
from tests.loopback import LoopbackServer, ServedFile

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
       b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND"
       b"\xaeB`\x82")


@pytest.fixture
def window(service: CoreService, qtbot: QtBot) -> Iterator[MainWindow]:
    made = MainWindow(service)
    qtbot.addWidget(made)
    made.show()
    qtbot.waitUntil(made.watchlist.is_loaded)  # its rows are read in the background
    yield made


def rows(window: MainWindow) -> list[str]:
    model = window.filter
    return [model.index(row, WatchlistColumn.TITLE.value).data() for row in range(model.rowCount())]


def test_a_check_fills_the_table_the_timeline_and_the_downloads_from_signals(
    window: MainWindow, service: CoreService, loopback: LoopbackServer, qtbot: QtBot
) -> None:
    loopback.route("/rss", feed(loopback, 1))
    loopback.route("/01.mkv", handler=ServedFile(VIDEO))

    with qtbot.waitSignal(service.download_finished, timeout=10_000):
        item = add(service, loopback)  # checked at once: the episode downloads
    assert rows(window) == ["Frieren"]

    window.show_item(item.id)
    assert window.details.item() == item or window.details.item().id == item.id  # type: ignore[union-attr]
    timeline = window.details._timeline
    qtbot.waitUntil(lambda: timeline.rowCount() == 1 and
                    timeline.index(0, 0).data(OBJECT_ROLE).state is EpisodeState.DONE, timeout=5_000)
    downloads = window.downloads.model
    assert downloads.rowCount() == 1
    assert downloads.index(0, 0).data(OBJECT_ROLE).state.value == "done"


def test_search_and_the_status_filter_with_counts(
    window: MainWindow, service: CoreService, loopback: LoopbackServer, qtbot: QtBot
) -> None:
    loopback.route("/rss", feed(loopback))
    for title in ("Frieren", "Dandadan", "Apothecary Diaries"):
        add(service, loopback, anime_title=title, status="paused")
    service.resume_item(service.list_items()[0].id)

    window._search.setText("dan")
    assert rows(window) == ["Dandadan"]
    window._search.clear()

    def labels() -> list[str]:
        return [window._status.itemText(row) for row in range(window._status.count())][:3]

    qtbot.waitUntil(lambda: labels() == ["All (3)", "Active (1)", "Paused (2)"], timeout=2_000)  # recounted once
    window._status.setCurrentIndex(2)
    assert sorted(rows(window)) == ["Apothecary Diaries", "Dandadan"]


def test_a_notification_click_shows_the_show_even_when_filtered_out(
    window: MainWindow, service: CoreService, loopback: LoopbackServer
) -> None:
    loopback.route("/rss", feed(loopback))
    shown = add(service, loopback, anime_title="Frieren", status="paused")
    add(service, loopback, anime_title="Dandadan", status="paused")
    window._search.setText("dandadan")

    window.show_item(shown.id)

    assert window._search.text() == ""
    assert [item.id for item in window.selected_items()] == [shown.id]
    assert window.details.item() is not None and window.details.item().id == shown.id  # type: ignore[union-attr]


@pytest.mark.parametrize(("answer", "left"), [(QMessageBox.StandardButton.No, ["Frieren"]),
                                              (QMessageBox.StandardButton.Yes, [])])
def test_remove_asks_first(
    window: MainWindow, service: CoreService, loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch,
    answer: QMessageBox.StandardButton, left: list[str],
) -> None:
    loopback.route("/rss", feed(loopback))
    item = add(service, loopback, status="paused")
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text: asked.append(text) or answer)
    window.show_item(item.id)

    window._actions["remove"].trigger()

    assert "Frieren" in asked[0]
    assert rows(window) == left
    assert [show.anime_title for show in service.list_items()] == left


def test_at_first_the_columns_fit_beside_the_details_pane(service: CoreService, qtbot: QtBot) -> None:
    window = MainWindow(service)
    qtbot.addWidget(window)
    window.show()
    header = window._table.horizontalHeader()

    shown = [column for column in WatchlistColumn if not header.isSectionHidden(column.value)]

    assert WatchlistColumn.LANGUAGE not in shown and WatchlistColumn.PROGRESS in shown
    assert sum(header.sectionSize(column.value) for column in shown) <= window._table.viewport().width()


def test_hidden_columns_and_the_layout_are_remembered(service: CoreService, qtbot: QtBot) -> None:
    first = MainWindow(service)
    qtbot.addWidget(first)
    first._table.horizontalHeader().setSectionHidden(WatchlistColumn.SOURCE.value, True)
    first._table.horizontalHeader().setSectionHidden(WatchlistColumn.QUALITY.value, False)  # hidden at first
    first.close()

    again = MainWindow(service)
    qtbot.addWidget(again)

    assert again._table.horizontalHeader().isSectionHidden(WatchlistColumn.SOURCE.value)
    assert not again._table.horizontalHeader().isSectionHidden(WatchlistColumn.QUALITY.value)
    assert not again._table.horizontalHeader().isSectionHidden(WatchlistColumn.TITLE.value)


def test_posters_arrive_in_the_background_once(
    window: MainWindow, service: CoreService, loopback: LoopbackServer, qtbot: QtBot
) -> None:
    loopback.route("/rss", feed(loopback))
    loopback.route("/cover.png", PNG, headers={"Content-Type": "image/png"})
    for title in ("Frieren", "Frieren Specials"):
        add(service, loopback, anime_title=title, status="paused", poster_image=loopback.url("/cover.png"))

    def poster(row: int) -> object:
        return window.watchlist.index(row, WatchlistColumn.POSTER.value).data(Qt.ItemDataRole.DecorationRole)

    qtbot.waitUntil(lambda: all(isinstance(poster(row), QPixmap) for row in range(2)), timeout=10_000)
    assert len(loopback.requests_to("/cover.png")) == 1


def test_an_empty_watchlist_says_how_to_add_a_show(window: MainWindow, service: CoreService,
                                                   loopback: LoopbackServer, qtbot: QtBot) -> None:
    loopback.route("/rss", feed(loopback))
    assert "Your watchlist is empty" in window.details._synopsis.text()

    add(service, loopback, status="paused")

    qtbot.waitUntil(lambda: "Select a show" in window.details._synopsis.text(), timeout=2_000)


def test_a_show_linked_later_gets_its_poster(
    window: MainWindow, service: CoreService, loopback: LoopbackServer, qtbot: QtBot
) -> None:
    loopback.route("/rss", feed(loopback))
    loopback.route("/cover.png", PNG, headers={"Content-Type": "image/png"})
    item = add(service, loopback, status="paused")

    service.update_item(item.id, {"poster_image": loopback.url("/cover.png")})

    qtbot.waitUntil(lambda: isinstance(window.watchlist.index(0, WatchlistColumn.POSTER.value).data(
        Qt.ItemDataRole.DecorationRole), QPixmap), timeout=10_000)


def test_no_column_starts_narrower_than_its_title(window: MainWindow) -> None:
    header = window._table.horizontalHeader()
    for column in WatchlistColumn:
        assert header.sectionSize(column.value) >= header.sectionSizeHint(column.value), column
