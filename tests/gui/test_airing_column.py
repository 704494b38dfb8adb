"""The watchlist's next airing and aired count, from AniList through CoreService, refreshed off the GUI thread."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from core import metadata
from core.airing import AiringBook
from core.models import WatchlistItem, utc_now
from core.service import CoreService
from gui.models.progress import EpisodeProgress
from gui.models.rows import PROGRESS_ROLE
from gui.models.watchlist import WatchlistColumn, WatchlistModel
from providers.anilist import AniListClient
from tests.conftest import Clock
from tests.conftest import add_show as add
from tests.gui.conftest import Repaints
from tests.gui.test_watchlist_model import cell, loaded
from tests.loopback import LoopbackServer
from tests.providers.anilist_server import FRIEREN, PATH, FakeAniList


def linked(service: CoreService, loopback: LoopbackServer) -> WatchlistItem:
    return add(service, loopback, anilist_id=FRIEREN["id"], status="paused")


def aired_in(model: WatchlistModel, item: WatchlistItem) -> int | None:
    progress = cell(model, item, WatchlistColumn.PROGRESS, PROGRESS_ROLE)
    assert isinstance(progress, EpisodeProgress)
    return progress.aired


def test_a_linked_show_gets_its_next_airing_and_its_aired_count_in_its_row_only(
    service: CoreService, loopback: LoopbackServer, anilist: FakeAniList, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    airs = utc_now() + timedelta(days=2, hours=3, minutes=30)
    anilist.media[FRIEREN["id"]] = {**FRIEREN, "nextAiringEpisode": {"episode": 27, "airingAt": int(airs.timestamp())}}
    unlinked = add(service, loopback, anime_title="Mushishi", status="paused")
    item = linked(service, loopback)
    model = loaded(service, qtbot)
    qtmodeltester.check(model)
    assert cell(model, item, WatchlistColumn.NEXT_AIRING) is None
    repaints = Repaints(model)

    service.start(follow_airing=True)
    qtbot.waitUntil(lambda: aired_in(model, item) is not None)

    assert str(cell(model, item, WatchlistColumn.NEXT_AIRING)).startswith("Ep 27 · ")
    assert "in 2 d 3 h" in str(cell(model, item, WatchlistColumn.NEXT_AIRING, 3))  # ToolTipRole
    assert cell(model, item, WatchlistColumn.PROGRESS) == "0 / 0 / 26"
    assert "26 of 28 aired" in str(cell(model, item, WatchlistColumn.PROGRESS, 3))
    assert cell(model, unlinked, WatchlistColumn.NEXT_AIRING) is None
    assert cell(model, unlinked, WatchlistColumn.PROGRESS) == "0 / 0 / ?"
    row = model.index_of(item.id).row()
    assert repaints.rows() == {row}
    qtmodeltester.check(model)


def test_an_airing_time_that_has_passed_shows_the_episode_as_aired(
    service: CoreService, loopback: LoopbackServer, anilist: FakeAniList, qtbot: QtBot
) -> None:
    item = linked(service, loopback)  # the fake's Frieren airs episode 27 in March 2024
    model = loaded(service, qtbot)

    service.start(follow_airing=True)
    qtbot.waitUntil(lambda: aired_in(model, item) is not None)

    assert cell(model, item, WatchlistColumn.NEXT_AIRING) is None
    assert cell(model, item, WatchlistColumn.PROGRESS) == "0 / 0 / 27"


def test_a_show_linked_while_the_app_runs_is_looked_up(
    service: CoreService, loopback: LoopbackServer, anilist: FakeAniList, qtbot: QtBot
) -> None:
    model = loaded(service, qtbot)
    service.start(follow_airing=True)

    item = linked(service, loopback)

    qtbot.waitUntil(lambda: aired_in(model, item) == 27)


def test_anilist_down_keeps_the_last_known_airing_and_only_logs(
    service: CoreService, loopback: LoopbackServer, anilist: FakeAniList, qtbot: QtBot,
    caplog: pytest.LogCaptureFixture
) -> None:
    item = linked(service, loopback)
    old = Clock()
    old.advance(hours=-7)  # fetched long enough ago to be fetched again
    airs = utc_now() + timedelta(days=1)
    anilist.media[FRIEREN["id"]] = {**FRIEREN, "nextAiringEpisode": {"episode": 27, "airingAt": int(airs.timestamp())}}
    AiringBook(service.folder, clock=old).refresh([FRIEREN["id"]], AniListClient(endpoint=anilist.url, cache_ttl=0))
    metadata.anilist.cache_clear()
    anilist.then_answer(503, b"down", times=10)
    model = loaded(service, qtbot)

    service.start(follow_airing=True)
    qtbot.waitUntil(lambda: "could not refresh the airing times" in caplog.text)  # logged, no dialog

    qtbot.waitUntil(lambda: aired_in(model, item) == 26)
    assert str(cell(model, item, WatchlistColumn.NEXT_AIRING)).startswith("Ep 27 · ")


def test_the_refresh_waits_on_anilist_off_the_gui_thread(
    service: CoreService, loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    release = threading.Event()
    monkeypatch.setenv(metadata.ENDPOINT_ENV, loopback.url(PATH))
    metadata.anilist.cache_clear()
    FakeAniList(loopback)
    item = linked(service, loopback)
    metadata.anilist.cache_clear()  # a client that has not seen the show yet
    slow = FakeAniList(loopback, now=lambda: float(release.wait(5)))  # each answer waits for the test
    model = loaded(service, qtbot)

    started = time.monotonic()
    service.start(follow_airing=True)
    qtbot.wait(100)  # the GUI thread's event loop runs meanwhile
    took = time.monotonic() - started
    release.set()
    qtbot.waitUntil(lambda: aired_in(model, item) is not None)
    metadata.anilist.cache_clear()

    assert took < 1 and slow.seen_at
