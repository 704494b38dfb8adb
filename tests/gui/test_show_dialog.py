"""The add/edit dialog against a real engine, loopback feeds and an AniList-shaped server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from core import metadata
from core.models import WatchlistItem
from core.service import CoreService
from gui.dialogs.show_dialog import ShowDialog
from gui.models.preview import PreviewColumn
from tests.gui.conftest import add, feed
from tests.loopback import LoopbackServer
from tests.providers.anilist_server import PATH, FakeAniList

WAIT_MS = 5_000


@pytest.fixture
def anilist(loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAniList]:
    monkeypatch.setenv(metadata.ENDPOINT_ENV, loopback.url(PATH))
    metadata.anilist.cache_clear()
    yield FakeAniList(loopback)
    metadata.anilist.cache_clear()


def opened(service: CoreService, qtbot: QtBot, item: WatchlistItem | None = None, **options: str) -> ShowDialog:
    dialog = ShowDialog(service, None, item, **options)
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

    results.itemClicked.emit(results.item(0))
    assert dialog.title.text() == "Sousou no Frieren"
    assert dialog.fields()["anilist_id"] == 154587
    assert "28 episode" in dialog.episodes.text()


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
