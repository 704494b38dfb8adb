"""Ctrl+C and SIGTERM stop Tsuzuki promptly, keep what was downloaded, and resume it next time."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.e2e.test_pipeline import EPISODES, podcast_feed
from tests.loopback import LoopbackServer, ServedFile

DATA = os.urandom(4 * 1024 * 1024)
HOLD = 2 * 1024 * 1024  # the server stalls after this much: a download caught mid-way


def _start(*argv: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "core.cli.main", *argv],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "core.cli.main", *argv], capture_output=True, text=True, timeout=60)


def _stopped_within(process: subprocess.Popen[str], signum: int, seconds: float) -> tuple[int, float]:
    sent = time.monotonic()
    process.send_signal(signum)
    try:
        code = process.wait(timeout=max(10, seconds * 3))
    finally:
        process.kill()
    return code, time.monotonic() - sent


def _wait_for(condition, seconds: float = 30) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _show(loopback: LoopbackServer, videos: Path) -> None:
    assert _run("settings", "set", "download_dir", str(videos)).returncode == 0
    assert _run("add", "--title", "Frieren", "--url", loopback.url("/feed.xml"), "--provider", "feed").returncode == 0


def test_ctrl_c_mid_download_stops_within_2_s_and_the_next_check_resumes(
    home: Path, loopback: LoopbackServer, tmp_path: Path
) -> None:
    served = ServedFile(DATA, content_type="video/mp4", hold_at=HOLD)
    loopback.route("/ep01.mp4", handler=served)
    feed = podcast_feed(loopback, [1]).replace(f'length="{len(EPISODES[1])}"', f'length="{len(DATA)}"')
    loopback.route("/feed.xml", feed, headers={"Content-Type": "application/rss+xml"})
    videos = tmp_path / "videos"
    _show(loopback, videos)
    check = _start("check", "--all")
    _wait_for(lambda: any(part.stat().st_size for part in videos.rglob("*.part")))

    code, took = _stopped_within(check, signal.SIGINT, 2)

    assert took < 2, f"check took {took:.1f} s to stop"
    assert code == 130, check.stderr.read() if check.stderr else ""
    assert "Traceback" not in (check.stderr.read() if check.stderr else "")
    [part] = list(videos.rglob("*.part"))
    assert part.stat().st_size > 0
    served.gate.set()
    second = _run("check", "--all")
    assert "range" in loopback.requests_to("/ep01.mp4")[-1].headers, second.stderr
    assert second.returncode == 0, second.stderr
    assert _run("scheduler", "status", "--json").stdout.count('"running": false') == 1


def test_ctrl_c_while_a_slow_source_is_read_stops_check_within_2_s(home: Path, loopback: LoopbackServer,
                                                                    tmp_path: Path) -> None:
    loopback.route("/feed.xml", "<rss/>", delay=20)
    _show(loopback, tmp_path / "videos")
    check = _start("check", "--all")
    _wait_for(lambda: bool(loopback.requests_to("/feed.xml")))

    code, took = _stopped_within(check, signal.SIGINT, 2)

    assert took < 2, f"check took {took:.1f} s to stop"
    assert code == 130


def test_sigterm_stops_headless_within_3_s_while_a_slow_source_is_read(home: Path, loopback: LoopbackServer,
                                                                       tmp_path: Path) -> None:
    loopback.route("/feed.xml", "<rss/>", delay=20)
    _show(loopback, tmp_path / "videos")
    headless = _start("--headless")
    _wait_for(lambda: bool(loopback.requests_to("/feed.xml")))

    code, took = _stopped_within(headless, signal.SIGTERM, 3)

    assert took < 3, f"headless took {took:.1f} s to stop"
    assert code == 0  # stopping is how headless mode is meant to end
    status = _run("scheduler", "status", "--json")
    assert '"running": false' in status.stdout, status.stdout
