"""A full disk is reported in plain words, never hung on.

The fault is real: a tiny tmpfs, filled up while a check runs. It needs the right to mount,
and is skipped without it (test_read_only_folder.py covers a read-only data folder).
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from tests.loopback import PIECE, LoopbackServer, SeenRequest, ServedFile

VIDEO = os.urandom(24 * PIECE)
StartCheck = Callable[[LoopbackServer, Path, Path], subprocess.Popen[str]]


def run(*argv: str, home: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TSUZUKI_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "core.cli.main", *argv], capture_output=True, text=True,
                          env=environment, timeout=60)


def mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here: {done.stderr.strip()}")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 512 KiB file system, to fill up."""
    where = tmp_path / "disk"
    where.mkdir()
    mount("-t", "tmpfs", "-o", "size=512k", "tmpfs", str(where))
    yield where
    subprocess.run(["umount", "-l", str(where)], check=True)


def fill(disk: Path) -> None:
    """Write to ``disk`` until it is full."""
    fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as error:
        assert error.errno == errno.ENOSPC
    finally:
        os.close(fd)


def feed(loopback: LoopbackServer) -> str:
    return ('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>[G] Frieren - 01 (1080p)'
            f'</title><enclosure url="{loopback.url("/01.mkv")}" type="video/x-matroska" length="{len(VIDEO)}"/>'
            "</item></channel></rss>")


@pytest.fixture
def start_check() -> Iterator[StartCheck]:
    """Starts ``tsuzuki check --all --json`` for one show on the loopback's /rss; killed if still
    running when the test ends."""
    started: list[subprocess.Popen[str]] = []

    def start(loopback: LoopbackServer, home: Path, videos: Path) -> subprocess.Popen[str]:
        assert run("settings", "set", "download_dir", str(videos), home=home).returncode == 0
        assert run("add", "--title", "Frieren", "--url", loopback.url("/rss"), "--provider", "feed",
                   home=home).returncode == 0
        environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TSUZUKI_HOME": str(home)}
        started.append(subprocess.Popen([sys.executable, "-m", "core.cli.main", "check", "--all", "--json"],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment))
        return started[-1]

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.communicate()


def finish(process: subprocess.Popen[str]) -> tuple[str, str]:
    """The check's output once it ends: exit 1, no traceback, no hang."""
    try:
        out, err = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("check hung on a full disk")
    assert process.returncode == 1, err
    assert "Traceback" not in err, err
    return out, err


def test_a_full_disk_while_the_check_saves_ends_it_with_exit_1(
    small_disk: Path, loopback: LoopbackServer, tmp_path: Path, start_check: StartCheck
) -> None:
    answering = threading.Event()
    release = threading.Event()

    def slow_feed(handler: BaseHTTPRequestHandler, seen: SeenRequest) -> None:
        answering.set()
        release.wait(30)
        body = feed(loopback).encode()
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    loopback.route("/rss", handler=slow_feed)
    loopback.route("/01.mkv", handler=ServedFile(VIDEO))
    process = start_check(loopback, small_disk / "home", tmp_path / "videos")
    assert answering.wait(30)
    fill(small_disk)
    release.set()
    _, err = finish(process)
    assert "No space left on device" in err


def test_a_full_disk_when_a_download_ends_fails_the_job_and_check_exits_1(
    small_disk: Path, loopback: LoopbackServer, tmp_path: Path, start_check: StartCheck
) -> None:
    home = small_disk / "home"
    loopback.route("/rss", feed(loopback))
    held = ServedFile(VIDEO, hold_at=len(VIDEO) - PIECE)  # all but the last piece, until the gate opens
    loopback.route("/01.mkv", handler=held)
    process = start_check(loopback, home, tmp_path / "videos")
    deadline = time.monotonic() + 30
    while not (held.sent and held.sent[-1] >= held.hold_at
               and json.loads((home / "watchlist.json").read_text())["items"][0]["last_checked_at"]):
        assert time.monotonic() < deadline, "the check never got to the download"
        time.sleep(0.05)  # the test waits for the child to have checked and to be near the end
    fill(small_disk)
    held.gate.set()
    out, _ = finish(process)
    [failed] = json.loads(out)["failed"]
    assert failed["episode"] == 1 and "No space left on device" in failed["error"]
