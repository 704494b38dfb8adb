"""DownloadsModel follows the queue through CoreService's signals; progress repaints come in batches."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from core.downloads.jobs import JobState
from core.service import CoreService
from gui.models.downloads import LIVE_COLUMNS, DownloadColumn, DownloadsModel
from gui.models.progress import REPAINT_MS, LiveProgress, TransferProgress
from gui.models.rows import PROGRESS_ROLE
from tests.conftest import add_show as add
from tests.gui.conftest import Repaints, feed
from tests.loopback import PIECE, LoopbackServer, ServedFile

Role = Qt.ItemDataRole
LONG_VIDEO = bytes(40 * PIECE)


def repaint_timer(model: DownloadsModel) -> QTimer:
    timer = model.live.findChild(QTimer)
    assert timer is not None
    return timer


def test_a_download_appears_runs_with_batched_progress_and_finishes_whole(
    service: CoreService, loopback: LoopbackServer, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    loopback.route("/rss", feed(loopback, 1, size=len(LONG_VIDEO)))
    loopback.route("/01.mkv", handler=ServedFile(LONG_VIDEO, pace=0.03))  # about 1.2 s
    model = DownloadsModel(service)
    repaints = Repaints(model)
    started = time.monotonic()

    with qtbot.waitSignal(service.download_finished, timeout=15_000):
        add(service, loopback)

    elapsed = time.monotonic() - started
    live = [range_ for range_ in repaints.ranges if range_[2:] == (min(LIVE_COLUMNS), max(LIVE_COLUMNS))]
    assert live and len(live) <= elapsed * 1000 / REPAINT_MS + 1
    assert model.rowCount() == 1
    assert model.index(0, DownloadColumn.STATE).data() == "Done"
    assert model.index(0, DownloadColumn.PROGRESS).data(PROGRESS_ROLE).fraction == 1.0
    assert model.index(0, DownloadColumn.PROGRESS).data() == "100%"
    path = model.index(0, DownloadColumn.FILE).data(Qt.ItemDataRole.ToolTipRole)
    assert path.endswith(".mkv") and Path(path).is_absolute()
    assert model.index(0, DownloadColumn.FILE).data() == Path(path).name  # the folder is in the tooltip
    qtmodeltester.check(model)
    qtbot.waitUntil(lambda: not repaint_timer(model).isActive(), timeout=2 * REPAINT_MS + 500)


def test_a_queued_download_shows_an_empty_bar_without_a_size(service: CoreService, loopback: LoopbackServer,
                                                             qtbot: QtBot) -> None:
    service.update_settings({"max_parallel_downloads": 1})
    loopback.route("/rss", feed(loopback, 1, 2))
    held = ServedFile(LONG_VIDEO, hold_at=PIECE)
    loopback.route("/01.mkv", handler=held)
    model = DownloadsModel(service)

    add(service, loopback)
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=5_000)

    queued = [row for row in range(model.rowCount()) if model.index(row, DownloadColumn.STATE).data() == "Queued"]
    assert queued and model.index(queued[0], DownloadColumn.PROGRESS).data() == ""
    held.gate.set()


def test_a_burst_of_progress_is_one_repaint_and_the_timer_stops_when_quiet(
    service: CoreService, loopback: LoopbackServer, qtbot: QtBot, request: pytest.FixtureRequest
) -> None:
    loopback.route("/rss", feed(loopback, 1))
    served = ServedFile(LONG_VIDEO, hold_at=2 * PIECE)
    loopback.route("/01.mkv", handler=served)
    model = DownloadsModel(service)
    request.addfinalizer(served.gate.set)  # the transfer ends, whatever fails here
    add(service, loopback)
    qtbot.waitUntil(lambda: served.sent == [2 * PIECE], timeout=10_000)
    [job] = service.downloads()
    qtbot.wait(2 * REPAINT_MS + 100)  # the transfer's own progress is repainted and the timer stops
    timer = repaint_timer(model)
    assert not timer.isActive()
    repaints = Repaints(model)

    for done in range(100):
        service.download_progress.emit(job.id, done * 1000, len(LONG_VIDEO))

    assert repaints.ranges == [] and timer.isActive()
    qtbot.waitUntil(lambda: len(repaints.ranges) == 1, timeout=2 * REPAINT_MS)
    assert repaints.ranges == [(0, 0, min(LIVE_COLUMNS), max(LIVE_COLUMNS))]
    assert model.index(0, DownloadColumn.PROGRESS).data(PROGRESS_ROLE) == TransferProgress(99_000, len(LONG_VIDEO))
    qtbot.waitUntil(lambda: not timer.isActive(), timeout=3 * REPAINT_MS)
    assert len(repaints.ranges) == 1
    served.gate.set()
    qtbot.waitUntil(lambda: model.index(0, DownloadColumn.STATE).data() == "Done", timeout=10_000)


def test_a_failed_download_says_why_in_its_tooltip_and_a_removed_one_goes(
    service: CoreService, loopback: LoopbackServer, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    loopback.route("/rss", feed(loopback, 1))  # /01.mkv is not served: 404
    model = DownloadsModel(service)
    with qtbot.waitSignal(service.download_failed, timeout=15_000) as failed:
        add(service, loopback)

    assert failed.args[0].state is JobState.FAILED
    assert model.index(0, DownloadColumn.STATE).data() == "Failed"
    assert model.index(0, DownloadColumn.STATE).data(Role.ToolTipRole) == failed.args[0].error
    assert DownloadsModel(service).rowCount() == 1
    qtmodeltester.check(model)

    service.remove_download(failed.args[0].id)
    assert model.rowCount() == 0


def test_speed_and_time_left_come_from_the_progress_samples(service: CoreService, qtbot: QtBot) -> None:
    now = [100.0]
    live = LiveProgress(service, clock=lambda: now[0])
    mib = 1 << 20
    service.download_progress.emit("job", 0, 10 * mib)
    assert live.speed("job") is None and live.eta("job") is None
    now[0] += 2
    service.download_progress.emit("job", 2 * mib, 10 * mib)

    assert live.speed("job") == mib
    assert live.eta("job") == 8
    live.forget("job")
    assert live.get("job") is None and live.speed("job") is None
