"""A source that trickles is given up at the deadline; the other sources are still decided and downloaded."""

from __future__ import annotations

import os
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from providers import http
from tests.cli_runner import Run
from tests.loopback import LoopbackServer, SeenRequest, ServedFile

VIDEO = os.urandom(200 * 1024)


def feed(loopback: LoopbackServer, show: str) -> str:
    return ('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
            f'<item><title>[G] {show} - 01 (1080p)</title><enclosure url="{loopback.url("/01.mkv")}" '
            f'type="video/x-matroska" length="{len(VIDEO)}"/></item></channel></rss>')


def test_a_feed_that_sends_a_byte_a_second_does_not_hold_up_the_others(
    cli: Run, loopback: LoopbackServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: object
) -> None:
    monkeypatch.setattr(http, "DEADLINE", 2.0)
    slow_feed = feed(loopback, "Dandadan").encode()

    def one_byte_a_second(handler: BaseHTTPRequestHandler, seen: SeenRequest) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(slow_feed)))
        handler.end_headers()
        for byte in slow_feed:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(1)

    loopback.route("/slow.xml", handler=one_byte_a_second)
    loopback.route("/rss", feed(loopback, "Frieren"))
    loopback.route("/01.mkv", handler=ServedFile(VIDEO))
    cli("settings", "set", "download_dir", str(tmp_path / "videos"))
    cli("add", "--title", "Dandadan", "--url", loopback.url("/slow.xml"), "--provider", "feed")
    cli("add", "--title", "Frieren", "--url", loopback.url("/rss"), "--provider", "feed")

    started = time.monotonic()
    result = cli("check", "--all", "--json")
    assert time.monotonic() - started < 30
    assert result.code == 1
    report = result.json()
    assert [(e["anime_title"], e["episode"]) for e in report["new_episodes"]] == [("Frieren", 1)]
    [done] = report["downloaded"]
    assert Path(done["path"]).read_bytes() == VIDEO
    [error] = report["errors"]
    assert f"gave up on {loopback.url('/slow.xml')} after 2 s: the server sent too slowly" in error["error"]
