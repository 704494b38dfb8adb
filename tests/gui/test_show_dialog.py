"""The add/edit dialog against a real engine, loopback feeds and an AniList-shaped server."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMenu, QTableView, QToolBar
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from core.models import WatchlistItem
from core.service import CoreService
from gui.dialogs.show_dialog import ShowDialog
from gui.models.preview import PreviewColumn
from gui.windows.main_window import MainWindow
from tests.conftest import add_show as add
from tests.gui.conftest import feed
from tests.loopback import LoopbackServer
from tests.providers.anilist_server import FakeAniList

WAIT_MS = 5_000


def opened(service: CoreService, qtbot: QtBot, item: WatchlistItem | None = None, source: str = "") -> ShowDialog:
    dialog = ShowDialog(service, None, item, source=source)
    qtbot.addWidget(dialog)
    dialog.open()
    return dialog


def ok_enabled(dialog: ShowDialog) -> bool:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def preview_rows(dialog: ShowDialog) -> list[tuple[str, str, str]]:
    model = dialog.preview
    return [tuple(model.index(row, column.value).data()
                  for column in (PreviewColumn.TAKE, PreviewColumn.EPISODE, PreviewColumn.RELEASE))
            for row in range(model.rowCount())]


def fill(dialog: ShowDialog, loopback: LoopbackServer, path: str = "/rss") -> None:
    dialog.title.setText("Frieren")
    dialog.url.setText(loopback.url(path))


def test_a_bad_url_is_marked_beside_its_field_and_blocks_ok(service: CoreService, qtbot: QtBot) -> None:
    dialog = opened(service, qtbot)
    dialog.title.setText("Frieren")
    dialog.url.setText("notaurl")
    mark = dialog.marks["anime_url"]
    assert mark.isVisible() and "http" in mark.text()
    assert not ok_enabled(dialog)
    assert not dialog.marks["anime_title"].isVisible()

    dialog.url.setText("https://example.org/rss")
    assert not mark.isVisible()
    assert ok_enabled(dialog)


def test_a_new_form_marks_nothing_until_a_field_is_edited(service: CoreService, qtbot: QtBot) -> None:
    dialog = opened(service, qtbot)
    assert not any(mark.isVisible() for mark in dialog.marks.values())
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled() and "empty" in ok.toolTip()

    dialog.title.setText("x")
    dialog.title.clear()
    assert dialog.marks["anime_title"].isVisible()
    assert not dialog.marks["anime_url"].isVisible()


def test_the_preview_lists_the_feed_with_take_or_skip(
    service: CoreService, loopback: LoopbackServer, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    loopback.route("/rss", feed(loopback, 1, 2))
    dialog = opened(service, qtbot)
    fill(dialog, loopback)
    dialog.lists["blocked_groups"].setText("nobody")
    qtbot.waitUntil(lambda: dialog.preview.rowCount() == 2, timeout=WAIT_MS)
    qtmodeltester.check(dialog.preview)
    assert sorted(preview_rows(dialog)) == [("take", "1", "[G] Frieren - 01 (1080p)"),
                                            ("take", "2", "[G] Frieren - 02 (1080p)")]

    dialog.lists["blocked_groups"].setText("G")  # the same source, now refused by the matcher
    qtbot.waitUntil(lambda: {row[0] for row in preview_rows(dialog)} == {"skip"}, timeout=WAIT_MS)
    reason = dialog.preview.index(0, PreviewColumn.REASON.value).data()
    assert "G" in reason
    qtmodeltester.check(dialog.preview)


def test_an_unreachable_source_shows_a_message_above_an_empty_table(
    service: CoreService, loopback: LoopbackServer, qtbot: QtBot
) -> None:
    loopback.route("/rss", feed(loopback, 1))
    dialog = opened(service, qtbot)
    fill(dialog, loopback, "/missing")
    qtbot.waitUntil(lambda: "could not be read" in dialog.preview_message.text(), timeout=WAIT_MS)
    assert dialog.preview_message.isVisible() and dialog.preview.rowCount() == 0

    dialog.url.setText(loopback.url("/rss"))
    qtbot.waitUntil(lambda: dialog.preview.rowCount() == 1, timeout=WAIT_MS)
    assert not dialog.preview_message.isVisible()


def test_the_preview_puts_what_would_be_taken_first(service: CoreService, loopback: LoopbackServer,
                                                    qtbot: QtBot) -> None:
    other = "".join(f'<item><title>[G] Dandadan - {number:02d} (1080p)</title><enclosure '
                    f'url="{loopback.url(f"/d{number}.mkv")}" type="video/x-matroska" length="9"/></item>'
                    for number in (1, 2))
    loopback.route("/rss", feed(loopback, 1).replace("<item>", other + "<item>", 1))  # another show's come first
    dialog = opened(service, qtbot)
    fill(dialog, loopback)
    qtbot.waitUntil(lambda: dialog.preview.rowCount() == 3, timeout=WAIT_MS)
    assert [row[0] for row in preview_rows(dialog)] == ["take", "skip", "skip"]


def test_a_stale_preview_answer_is_dropped(service: CoreService, loopback: LoopbackServer, qtbot: QtBot) -> None:
    loopback.route("/slow", feed(loopback, 7), delay=1.0)
    loopback.route("/rss", feed(loopback, 1))
    dialog = opened(service, qtbot)
    fill(dialog, loopback, "/slow")
    dialog.refresh_preview()  # asked now: its answer comes in a second
    dialog.url.setText(loopback.url("/rss"))
    dialog.refresh_preview()
    qtbot.waitUntil(lambda: dialog.preview.rowCount() == 1, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: len(loopback.requests_to("/slow")) == 1, timeout=WAIT_MS)
    qtbot.wait(1_500)  # the slow answer has come back by now
    assert [row[1] for row in preview_rows(dialog)] == ["1"]


def test_an_anilist_search_fills_the_title_and_the_id(
    service: CoreService, loopback: LoopbackServer, anilist: FakeAniList, qtbot: QtBot
) -> None:
    dialog = opened(service, qtbot)
    dialog.title.setText("frieren")
    dialog.search_button.click()
    results = dialog.results.list
    qtbot.waitUntil(lambda: results.count() == 1, timeout=WAIT_MS)
    assert "28 episode" in results.item(0).text()
    assert results.visualItemRect(results.item(0)).height() <= results.viewport().height() < 80  # fits its one row

    results.itemClicked.emit(results.item(0))
    assert dialog.title.text() == "Sousou no Frieren"
    assert dialog.fields()["anilist_id"] == 154587
    assert "28 episode" in dialog.episodes.text()


def test_picking_an_anilist_entry_keeps_its_other_titles_and_the_typed_one_as_aliases(
    service: CoreService, loopback: LoopbackServer, anilist: FakeAniList, qtbot: QtBot
) -> None:
    loopback.route("/rss", feed(loopback, 1))  # the feed names the show as the user typed it
    dialog = opened(service, qtbot)
    dialog.lists["title_aliases"].setText("Frieren the Slayer")
    dialog.title.setText("frieren")
    dialog.search_button.click()
    results = dialog.results.list
    qtbot.waitUntil(lambda: results.count() == 1, timeout=WAIT_MS)

    results.itemClicked.emit(results.item(0))
    dialog.url.setText(loopback.url("/rss"))

    assert dialog.fields()["title_aliases"] == [
        "Frieren the Slayer", "frieren", "Frieren: Beyond Journey's End", "葬送のフリーレン",
        "Frieren at the Funeral", "장송의 프리렌"]
    qtbot.waitUntil(lambda: dialog.preview.rowCount() == 1, timeout=WAIT_MS)
    assert preview_rows(dialog) == [("take", "1", "[G] Frieren - 01 (1080p)")]


def test_add_saves_the_show_and_closes(
    service: CoreService, loopback: LoopbackServer, anilist: FakeAniList, qtbot: QtBot
) -> None:
    loopback.route("/rss", feed(loopback))
    dialog = opened(service, qtbot)
    fill(dialog, loopback)
    dialog.lists["title_aliases"].setText("Sousou no Frieren, , Frieren TV")
    dialog.offset.setValue(2)
    dialog.pick(anilist_entry(service))
    with qtbot.waitSignals([dialog.saved, service.check_finished], timeout=WAIT_MS):  # checked at once
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        assert not ok_enabled(dialog)  # while AniList is asked
    [item] = service.list_items()
    assert (item.anime_title, item.anime_url, item.episode_offset, item.anilist_id) == (
        "Sousou no Frieren", loopback.url("/rss"), 2, 154587)
    assert item.episode_count == 28 and "Frieren TV" in item.title_aliases
    assert not dialog.isVisible()


def anilist_entry(service: CoreService):  # type: ignore[no-untyped-def]
    return service.search_anilist("frieren")[0]


def test_edit_saves_only_what_changed(service: CoreService, loopback: LoopbackServer, qtbot: QtBot) -> None:
    loopback.route("/rss", feed(loopback))
    item = add(service, loopback, preferred_groups=["G"])
    dialog = opened(service, qtbot, item)
    assert dialog.url.text() == loopback.url("/rss") and dialog.lists["preferred_groups"].text() == "G"
    dialog.lang.setCurrentText("dub")
    dialog.auto_download.setChecked(False)
    assert dialog.changes() == {"lang": "dub", "auto_download": False}
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS) as saved:
        dialog.save()
    assert saved.args[0].before.lang == "sub"
    after = service.get_item(item.id)
    assert (after.lang, after.auto_download, after.preferred_groups) == ("dub", False, ["G"])


def test_a_save_error_shows_inline_and_the_dialog_stays(
    service: CoreService, loopback: LoopbackServer, qtbot: QtBot
) -> None:
    loopback.route("/rss", feed(loopback))
    add(service, loopback)
    dialog = opened(service, qtbot)
    fill(dialog, loopback)  # the same show again
    dialog.save()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=WAIT_MS)
    assert dialog.error.text() and dialog.isVisible() and ok_enabled(dialog)
    assert len(service.list_items()) == 1


def test_a_dropped_path_opens_add_with_a_directory_source(service: CoreService, qtbot: QtBot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dialog = opened(service, qtbot, source=str(tmp_path))
    assert dialog.url.text() == str(tmp_path) and dialog.provider.currentText() == "directory"
    assert dialog.windowTitle() == "Add show"


@pytest.fixture
def window(service: CoreService, qtbot: QtBot) -> MainWindow:
    made = MainWindow(service)
    qtbot.addWidget(made)
    made.show()
    return made


def show_menu(window: MainWindow) -> list[QAction]:
    return cast(QMenu, window.menuBar().actions()[0].menu()).actions()


def dialogs(window: MainWindow) -> list[ShowDialog]:
    return window.findChildren(ShowDialog)


def dropped(mime: QMimeData) -> tuple[QDragEnterEvent, QDropEvent]:
    where, actions = QPointF(10, 10), Qt.DropAction.CopyAction
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    return (QDragEnterEvent(where.toPoint(), actions, mime, buttons, keys),
            QDropEvent(where, actions, mime, buttons, keys))


def test_dropping_a_url_on_the_window_opens_add_with_it(window: MainWindow, qtbot: QtBot) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl("https://example.org/rss.xml")])
    enter, drop = dropped(mime)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(window, drop)
    [dialog] = dialogs(window)
    assert dialog.isVisible() and dialog.url.text() == "https://example.org/rss.xml"
    assert dialog.provider.currentText() == "feed"


def test_text_that_is_no_url_is_not_taken(window: MainWindow) -> None:
    mime = QMimeData()
    mime.setText("just some words")
    enter, drop = dropped(mime)
    enter.setAccepted(False)
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()
    QApplication.sendEvent(window, drop)
    assert dialogs(window) == []


def test_add_and_edit_actions_open_the_dialog(
    window: MainWindow, service: CoreService, loopback: LoopbackServer, qtbot: QtBot
) -> None:
    loopback.route("/rss", feed(loopback))
    actions = show_menu(window)
    assert actions[0].text() == "&Add show…" and actions[0].shortcut() == QKeySequence("Ctrl+N")
    assert window.findChild(QToolBar).actions()[0] is actions[0]  # type: ignore[union-attr]
    edit = next(action for action in actions if action.text() == "&Edit…")
    assert edit.shortcut() == QKeySequence("Ctrl+E") and not edit.isEnabled()

    actions[0].trigger()
    [added] = dialogs(window)
    assert added.windowTitle() == "Add show" and not added.isModal()
    added.reject()

    item = add(service, loopback)
    window.show_item(item.id)
    assert edit.isEnabled()
    edit.trigger()
    qtbot.waitUntil(lambda: any(d.isVisible() and d.title.text() == "Frieren" for d in dialogs(window)))


def test_double_clicking_a_show_edits_it(
    window: MainWindow, service: CoreService, loopback: LoopbackServer, qtbot: QtBot
) -> None:
    loopback.route("/rss", feed(loopback))
    add(service, loopback, anime_title="Dungeon Meshi")
    [table] = [view for view in window.findChildren(QTableView) if view.model() is window.filter]
    rect = table.visualRect(window.filter.index(0, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    [dialog] = dialogs(window)
    assert dialog.windowTitle() == "Edit show" and dialog.title.text() == "Dungeon Meshi"


def test_pasting_a_url_opens_add_with_it(window: MainWindow) -> None:
    QGuiApplication.clipboard().setText("  https://example.org/feed.xml\n")
    paste = next(action for action in show_menu(window)
                 if action.shortcut() == QKeySequence(QKeySequence.StandardKey.Paste))
    paste.trigger()
    [dialog] = dialogs(window)
    assert dialog.url.text() == "https://example.org/feed.xml"


def test_an_answer_after_the_dialog_closed_is_dropped(
    window: MainWindow, loopback: LoopbackServer, qtbot: QtBot
) -> None:
    loopback.route("/slow", feed(loopback, 7), delay=0.5)
    dialog = window.add_show(loopback.url("/slow"))
    dialog.title.setText("Frieren")
    dialog.refresh_preview()
    with qtbot.waitSignal(dialog.destroyed, timeout=WAIT_MS):
        dialog.reject()  # deleted on close
    qtbot.waitUntil(lambda: len(loopback.requests_to("/slow")) == 1, timeout=WAIT_MS)
    qtbot.wait(800)  # the answer comes back to a dialog that is gone: nothing happens
    assert dialogs(window) == []


def test_a_folder_typed_as_the_source_picks_the_directory_provider_unless_one_was_chosen(
    service: CoreService, qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = ShowDialog(service)
    qtbot.addWidget(dialog)

    dialog.url.setText(str(tmp_path))
    assert dialog.provider.currentText() == "directory"
    dialog.url.setText("https://example.org/feed.xml")
    assert dialog.provider.currentText() == "feed"
    dialog.provider.setCurrentText("ytdlp")
    dialog.url.setText(str(tmp_path))
    assert dialog.provider.currentText() == "ytdlp"


def test_the_season_is_set_and_cleared_from_the_form(service: CoreService, loopback: LoopbackServer,
                                                     qtbot: QtBot) -> None:
    loopback.route("/rss", feed(loopback, 1))
    item = add(service, loopback)
    dialog = opened(service, qtbot, item)
    assert dialog.season.text() == "from its titles"
    dialog.season.setValue(2)
    assert dialog.changes() == {"season": 2}
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.save()
    assert service.get_item(item.id).season == 2

    again = opened(service, qtbot, service.get_item(item.id))
    assert again.season.value() == 2
    again.season.setValue(0)
    assert again.changes() == {"season": None}
