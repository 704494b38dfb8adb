"""A ``CheckRun`` reports its own check: not the one that was running when it was asked for."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from core.datafolder import DataFolder
from core.service import CoreService
from tests.e2e.test_pipeline import EPISODES, podcast_feed, serve_episodes
from tests.loopback import LoopbackServer, SeenRequest

RSS = {"Content-Type": "application/rss+xml"}


def test_a_check_asked_for_while_another_runs_reports_its_own_show_and_downloads(
    qtbot, folder: DataFolder, loopback: LoopbackServer, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    serve_episodes(loopback)
    gate = threading.Event()
    other_feed = podcast_feed(loopback, [1]).replace("Frieren -", "Dandadan -").encode()

    def held_feed(handler: BaseHTTPRequestHandler, seen: SeenRequest) -> None:
        gate.wait(10)
        LoopbackServer._send(handler, 200, RSS, other_feed)

    loopback.route("/other.xml", handler=held_feed)
    loopback.route("/frieren.xml", podcast_feed(loopback, [2]), headers=RSS)
    service = CoreService(folder, scheduler_autostart=False)
    try:
        service.update_settings({"download_dir": str(tmp_path / "videos")})
        service.add_item({"anime_title": "Dandadan", "anime_url": loopback.url("/other.xml"), "provider_id": "feed"})
        qtbot.waitUntil(lambda: bool(loopback.requests_to("/other.xml")))  # its check runs, held
        frieren = service.add_item({"anime_title": "Frieren", "anime_url": loopback.url("/frieren.xml"),
                                    "provider_id": "feed", "status": "paused"}).item

        run = service.run_check(frieren.id, own_downloads_only=True)
        gate.set()
        qtbot.waitUntil(run.is_over, timeout=15_000)
    finally:
        service.shutdown()

    summary = run.summary()
    assert [(new["anime_title"], new["episode"]) for new in summary["new_episodes"]] == [("Frieren", 2)]
    assert [(done["anime_title"], done["episode"]) for done in summary["downloaded"]] == [("Frieren", 2)]
    assert Path(summary["downloaded"][0]["path"]).read_bytes() == EPISODES[2]
