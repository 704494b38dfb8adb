"""EpisodeTimelineModel shows one show's episodes in order, with the live progress of its download."""

from __future__ import annotations

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from core.episodes import EpisodeState
from core.service import CoreService
from gui.models.episodes import EpisodeColumn, EpisodeTimelineModel
from gui.models.progress import TransferProgress
from gui.models.rows import OBJECT_ROLE, PROGRESS_ROLE
from tests.conftest import add_show as add
from tests.gui.conftest import VIDEO, Repaints, feed
from tests.loopback import PIECE, LoopbackServer, ServedFile


def states(model: EpisodeTimelineModel) -> list[tuple[int, EpisodeState]]:
    return [(record.episode, record.state)
            for record in (model.index(row, 0).data(OBJECT_ROLE) for row in range(model.rowCount()))]


def test_the_timeline_follows_its_show_in_order_with_live_download_progress(
    service: CoreService, loopback: LoopbackServer, qtbot: QtBot, qtmodeltester: ModelTester,
    request: pytest.FixtureRequest
) -> None:
    loopback.route("/rss", feed(loopback, 2, 1))
    served = ServedFile(VIDEO, hold_at=2 * PIECE)
    loopback.route("/01.mkv", handler=served)
    loopback.route("/02.mkv", handler=served)
    request.addfinalizer(served.gate.set)
    model = EpisodeTimelineModel(service)
    qtmodeltester.check(model)
    item = add(service, loopback, status="paused")
    model.set_item(item.id)
    other = add(service, loopback, anime_title="Dandadan", status="paused")
    repaints = Repaints(model)

    service.update_settings({"max_parallel_downloads": 1})  # one held transfer at a time
    service.resume_item(item.id)
    service.check_items([item.id])
    qtbot.waitUntil(lambda: EpisodeState.DOWNLOADING in dict(states(model)).values(), timeout=10_000)
    qtbot.waitUntil(lambda: served.sent == [2 * PIECE], timeout=10_000)

    qtbot.waitUntil(lambda: len(states(model)) == 2, timeout=10_000)  # the check may still be claiming one
    assert [episode for episode, _ in states(model)] == [1, 2]
    row = next(row for row, (_, state) in enumerate(states(model)) if state is EpisodeState.DOWNLOADING)
    qtbot.waitUntil(lambda: model.index(row, EpisodeColumn.PROGRESS).data(PROGRESS_ROLE) is not None,
                    timeout=10_000)
    progress = model.index(row, EpisodeColumn.PROGRESS).data(PROGRESS_ROLE)
    assert isinstance(progress, TransferProgress) and progress.total == len(VIDEO)
    assert model.index(row, EpisodeColumn.PROGRESS).data() == progress.text()
    assert model.index(1 - row, EpisodeColumn.PROGRESS).data(PROGRESS_ROLE) is None
    qtmodeltester.check(model)
    assert repaints.ranges  # came by signal, not by set_item

    served.gate.set()
    qtbot.waitUntil(lambda: [state for _, state in states(model)] == [EpisodeState.DONE] * 2, timeout=15_000)
    assert model.index(0, EpisodeColumn.PATH).data().endswith(".mkv")
    assert model.index(0, EpisodeColumn.PROGRESS).data(PROGRESS_ROLE) is None
    model.set_item(other.id)
    assert model.rowCount() == 0


def test_another_shows_episodes_leave_it_alone_and_a_removed_show_empties_it(
    service: CoreService, loopback: LoopbackServer, qtbot: QtBot
) -> None:
    loopback.route("/rss", feed(loopback, 1))
    model = EpisodeTimelineModel(service)
    shown = add(service, loopback, anime_title="Dandadan", status="paused")
    model.set_item(shown.id)
    repaints = Repaints(model)
    with qtbot.waitSignal(service.check_finished, timeout=10_000):
        add(service, loopback, auto_download=False)

    assert model.rowCount() == 0 and repaints.ranges == []
    model.set_item(None)
    assert model.item_id() is None
    model.set_item(shown.id)
    service.remove_item(shown.id)
    assert model.item_id() is None and model.rowCount() == 0
