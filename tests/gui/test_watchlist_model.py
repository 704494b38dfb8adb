"""WatchlistModel and WatchlistFilter follow CoreService's signals, one row at a time."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPixmap
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from core.episodes import EPISODES_FOLDER, EpisodeFile, EpisodeRecord, EpisodeState
from core.models import WatchlistItem, WatchlistStatus, utc_now
from core.service import CoreService
from gui.models.progress import EpisodeProgress
from gui.models.rows import OBJECT_ROLE, PROGRESS_ROLE
from gui.models.watchlist import WatchlistColumn, WatchlistFilter, WatchlistModel
from tests.conftest import add_show as add
from tests.gui.conftest import Repaints, feed
from tests.loopback import LoopbackServer

Role = Qt.ItemDataRole


def cell(model: WatchlistModel, item: WatchlistItem, column: WatchlistColumn, role: int = Role.DisplayRole) -> object:
    row = next(row for row in range(model.rowCount()) if model.index(row, 0).data(OBJECT_ROLE).id == item.id)
    return model.index(row, column).data(role)


def loaded(service: CoreService, qtbot: QtBot) -> WatchlistModel:
    """A new model over ``service``, once its rows are read (in the background)."""
    model = WatchlistModel(service)
    qtbot.waitUntil(model.is_loaded)
    return model


def titles(model: WatchlistModel) -> list[str]:
    return [model.index(row, WatchlistColumn.TITLE).data() for row in range(model.rowCount())]


def hold_then_write(pipe: Path, data: bytes, release: threading.Event) -> threading.Thread:
    """A named pipe whose reader waits (a disk that does not answer) until ``release`` is set, or
    2 s have passed; then ``data`` is written to it."""
    os.mkfifo(pipe)

    def write() -> None:
        release.wait(2)
        pipe.write_bytes(data)  # opening waits for the reader

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    return writer


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="a named pipe stands for a slow disk")
def test_the_rows_are_read_off_the_gui_thread_and_changes_meanwhile_are_kept(
    service: CoreService, loopback: LoopbackServer, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    slow = add(service, loopback, status="paused")
    gone = add(service, loopback, anime_title="Dandadan", status="paused")
    service.folder.file(EPISODES_FOLDER).mkdir(exist_ok=True)
    records = {number: EpisodeRecord(episode=number, state=state, release_name=f"[G] Frieren - {number:02d}",
                                     link=loopback.url(f"/{number:02d}.mkv"), updated_at=utc_now())
               for number, state in ((1, EpisodeState.DONE), (2, EpisodeState.FOUND))}
    release = threading.Event()
    writer = hold_then_write(service.folder.file(f"{EPISODES_FOLDER}/{slow.id}.json"),
                             EpisodeFile(episodes=records).model_dump_json().encode(), release)

    started = time.monotonic()
    model = WatchlistModel(service)
    took = time.monotonic() - started
    assert took < 0.5, f"the GUI thread waited {took:.1f} s for a show's episode file"
    assert not model.is_loaded()
    qtmodeltester.check(model)
    added = add(service, loopback, anime_title="Mushishi", status="paused")  # while the read waits
    assert "Mushishi" in titles(model)  # shown at once
    service.remove_item(gone.id)
    qtbot.waitUntil(lambda: titles(model) == ["Frieren", "Mushishi"])  # the shows first, changes on top
    assert cell(model, slow, WatchlistColumn.PROGRESS, PROGRESS_ROLE) == EpisodeProgress(0, 0, None)
    release.set()

    qtbot.waitUntil(model.is_loaded, timeout=5_000)  # then their episode counts
    writer.join(5)
    assert titles(model) == ["Frieren", "Mushishi"]
    assert cell(model, slow, WatchlistColumn.PROGRESS, PROGRESS_ROLE) == EpisodeProgress(1, 2, None)
    assert cell(model, added, WatchlistColumn.PROGRESS, PROGRESS_ROLE) == EpisodeProgress(0, 0, None)
    qtmodeltester.check(model)


def test_shows_added_changed_and_removed_through_the_service_follow_one_row_at_a_time(
    service: CoreService, loopback: LoopbackServer, qtmodeltester: ModelTester
) -> None:
    model = WatchlistModel(service)
    qtmodeltester.check(model)
    first = add(service, loopback, status="paused")
    second = add(service, loopback, anime_title="Dandadan", status="paused")
    assert [model.index(row, WatchlistColumn.TITLE).data() for row in range(model.rowCount())] == [
        "Frieren", "Dandadan"]
    repaints = Repaints(model)

    service.update_item(second.id, {"lang": "dub"})

    assert repaints.rows() == {1}
    assert cell(model, second, WatchlistColumn.LANGUAGE) == "dub"
    assert cell(model, second, WatchlistColumn.STATUS) == "Paused"
    service.remove_item(first.id)
    assert model.rowCount() == 1 and model.index(0, 0).data(OBJECT_ROLE).id == second.id
    qtmodeltester.check(model)


def test_a_check_fills_in_the_found_count_and_the_last_check_of_its_row_only(
    service: CoreService, loopback: LoopbackServer, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    loopback.route("/rss", feed(loopback, 1, 2))
    model = loaded(service, qtbot)
    other = add(service, loopback, anime_title="Dandadan", status="paused")
    repaints = Repaints(model)

    with qtbot.waitSignal(service.check_finished, timeout=10_000):
        item = add(service, loopback, auto_download=False, episode_count=12)

    assert repaints.rows() == {1}  # the new show's row; the other one is left alone
    assert cell(model, item, WatchlistColumn.PROGRESS, PROGRESS_ROLE) == EpisodeProgress(0, 2, 12)
    assert cell(model, item, WatchlistColumn.PROGRESS) == "0 / 2 / 12"
    assert cell(model, item, WatchlistColumn.LAST_CHECK) != "never"
    assert cell(model, other, WatchlistColumn.LAST_CHECK) == "never"
    assert loaded(service, qtbot).index(1, WatchlistColumn.PROGRESS).data(PROGRESS_ROLE) == EpisodeProgress(0, 2, 12)
    qtmodeltester.check(model)


def test_a_broken_source_gets_a_problem_mark_with_the_reason_in_its_tooltip(
    service: CoreService, loopback: LoopbackServer, qtbot: QtBot
) -> None:
    loopback.route("/rss", "gone", status=500)
    model = WatchlistModel(service)
    fine = add(service, loopback, anime_title="Dandadan", status="paused")
    with qtbot.waitSignal(service.check_finished, timeout=10_000):
        broken = add(service, loopback)

    assert cell(model, broken, WatchlistColumn.PROBLEM, Role.DecorationRole) is not None
    assert "source failed" in str(cell(model, broken, WatchlistColumn.PROBLEM, Role.ToolTipRole))
    assert cell(model, fine, WatchlistColumn.PROBLEM, Role.DecorationRole) is None
    assert cell(model, fine, WatchlistColumn.PROBLEM, Role.ToolTipRole) is None


def test_the_next_check_follows_the_interval_setting(
    service: CoreService, loopback: LoopbackServer, qtbot: QtBot
) -> None:
    loopback.route("/rss", feed(loopback))
    model = WatchlistModel(service)
    with qtbot.waitSignal(service.check_finished, timeout=10_000):
        item = add(service, loopback)
    paused = add(service, loopback, anime_title="Dandadan", status="paused")
    before = cell(model, item, WatchlistColumn.NEXT_CHECK)
    repaints = Repaints(model)

    service.update_settings({"check_interval_hours": 48})

    assert (0, 1, WatchlistColumn.NEXT_CHECK, WatchlistColumn.NEXT_CHECK) in repaints.ranges
    assert cell(model, item, WatchlistColumn.NEXT_CHECK) != before
    assert cell(model, paused, WatchlistColumn.NEXT_CHECK) == "not checked"


def test_the_filter_searches_titles_and_aliases_and_keeps_one_status(
    service: CoreService, loopback: LoopbackServer, qtmodeltester: ModelTester
) -> None:
    model = WatchlistModel(service)
    proxy = WatchlistFilter(model)
    add(service, loopback, status="paused", title_aliases=["Sousou no Frieren"])
    add(service, loopback, anime_title="Dandadan", status="paused")
    add(service, loopback, anime_title="Mushishi", status="archived")
    qtmodeltester.check(proxy)

    def titles() -> list[str]:
        return [proxy.index(row, WatchlistColumn.TITLE).data() for row in range(proxy.rowCount())]

    proxy.set_text("SOUSOU")
    assert titles() == ["Frieren"]
    proxy.set_text("")
    proxy.set_status(WatchlistStatus.PAUSED)
    assert titles() == ["Frieren", "Dandadan"]
    proxy.set_text("shi")
    assert titles() == []
    assert proxy.counts() == {WatchlistStatus.ARCHIVED: 1}
    proxy.set_status(None)
    proxy.set_text("")
    assert proxy.counts() == {WatchlistStatus.PAUSED: 2, WatchlistStatus.ARCHIVED: 1}
    proxy.sort(WatchlistColumn.TITLE, Qt.SortOrder.AscendingOrder)
    assert titles() == ["Dandadan", "Frieren", "Mushishi"]
    proxy.sort(WatchlistColumn.STATUS, Qt.SortOrder.DescendingOrder)
    assert titles()[0] == "Mushishi"
    qtmodeltester.check(proxy)


def test_a_failed_download_marks_its_show_until_the_download_is_removed(
    service: CoreService, loopback: LoopbackServer, qtbot: QtBot
) -> None:
    loopback.route("/rss", feed(loopback, 1))  # /01.mkv is not served: 404
    model = WatchlistModel(service)
    with qtbot.waitSignal(service.download_failed, timeout=15_000) as failed:
        item = add(service, loopback)
    assert "episode 1 failed to download" in str(cell(model, item, WatchlistColumn.PROBLEM, Role.ToolTipRole))
    assert loaded(service, qtbot).index(0, WatchlistColumn.PROBLEM).data(Role.ToolTipRole) == cell(
        model, item, WatchlistColumn.PROBLEM, Role.ToolTipRole)  # loaded as followed
    repaints = Repaints(model)

    service.remove_download(failed.args[0].id)

    assert cell(model, item, WatchlistColumn.PROBLEM, Role.DecorationRole) is None
    assert repaints.ranges == [(0, 0, WatchlistColumn.PROBLEM, WatchlistColumn.PROBLEM)]


def test_a_poster_handed_over_repaints_its_cell_only(service: CoreService, loopback: LoopbackServer) -> None:
    model = WatchlistModel(service)
    item = add(service, loopback, status="paused")
    placeholder = cell(model, item, WatchlistColumn.POSTER, Role.DecorationRole)
    assert isinstance(placeholder, QColor)
    repaints = Repaints(model)
    poster = QPixmap(4, 6)

    model.set_poster(item.id, poster)

    assert repaints.ranges == [(0, 0, WatchlistColumn.POSTER, WatchlistColumn.POSTER)]
    assert isinstance(cell(model, item, WatchlistColumn.POSTER, Role.DecorationRole), QPixmap)


def test_the_sort_order_holds_as_shows_come_change_and_are_searched(
    service: CoreService, loopback: LoopbackServer, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    model = loaded(service, qtbot)
    proxy = WatchlistFilter(model)
    proxy.sort(WatchlistColumn.TITLE, Qt.SortOrder.AscendingOrder)  # as the window's header does
    shows = {title: add(service, loopback, anime_title=title, status="paused")
             for title in ("Mushishi", "Frieren", "Dandadan")}

    def shown() -> list[str]:
        return [proxy.index(row, WatchlistColumn.TITLE).data() for row in range(proxy.rowCount())]

    assert shown() == ["Dandadan", "Frieren", "Mushishi"]
    service.update_item(shows["Frieren"].id, {"anime_title": "Aria"})
    assert shown() == ["Aria", "Dandadan", "Mushishi"]
    proxy.set_text("i")
    assert shown() == ["Aria", "Mushishi"]
    proxy.set_text("")
    assert shown() == ["Aria", "Dandadan", "Mushishi"]
    proxy.sort(WatchlistColumn.TITLE, Qt.SortOrder.DescendingOrder)
    assert shown() == ["Mushishi", "Dandadan", "Aria"]
    add(service, loopback, anime_title="Bocchi", status="paused")
    assert shown() == ["Mushishi", "Dandadan", "Bocchi", "Aria"]
    qtmodeltester.check(proxy)
