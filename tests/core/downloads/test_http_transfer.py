"""download_file against real servers on 127.0.0.1 that misbehave on purpose."""

from __future__ import annotations

import errno
import gzip
import itertools
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import NamedTuple

import pytest

from core.downloads import byte_sources, http_transfer
from core.downloads.http_transfer import (
    DownloadCancelled,
    DownloadError,
    download_file,
    format_size,
)
from tests.loopback import PIECE, LoopbackServer, SeenRequest, ServedFile, trickled_head

MiB = 1024 * 1024

DATA = os.urandom(4 * MiB)
HALF = len(DATA) // 2


class Usage(NamedTuple):
    total: int
    used: int
    free: int


@pytest.fixture
def served(loopback: LoopbackServer) -> Iterator[ServedFile]:
    """``DATA`` at ``loopback.url("/ep.mkv")``; its gate opens at the end so no server thread lingers."""
    file = ServedFile(DATA)
    loopback.route("/ep.mkv", handler=file)
    yield file
    file.gate.set()


def ranges_asked(loopback: LoopbackServer) -> list[tuple[str | None, str | None]]:
    return [(seen.headers.get("range"), seen.headers.get("if-range")) for seen in loopback.requests_to("/ep.mkv")]


def fetch(loopback: LoopbackServer, destination: Path, **options: object) -> Path:
    options = {"chunk_size": PIECE, "sleep": lambda seconds: None, **options}
    return download_file(loopback.url("/ep.mkv"), destination, **options)  # type: ignore[arg-type]


def test_a_plain_download_is_byte_identical(loopback: LoopbackServer, served: ServedFile, tmp_path: Path) -> None:
    target = tmp_path / "Show" / "ep.mkv"
    assert download_file(loopback.url("/ep.mkv"), target) == target
    assert target.read_bytes() == DATA
    assert os.listdir(target.parent) == ["ep.mkv"]  # no .part, no sidecar
    [seen] = loopback.requests
    assert seen.headers["accept-encoding"] == "identity" and "range" not in seen.headers


def test_a_cut_connection_resumes_where_it_stopped(loopback: LoopbackServer, served: ServedFile, tmp_path: Path) -> None:
    served.cuts = [HALF]
    sleeps: list[float] = []
    assert fetch(loopback, tmp_path / "ep.mkv", sleep=sleeps.append).read_bytes() == DATA
    assert ranges_asked(loopback) == [(None, None), (f"bytes={HALF}-", '"v1"')]
    assert served.statuses == [200, 206] and sum(served.sent) == len(DATA)
    assert sleeps == [1.0]


def test_without_an_etag_last_modified_validates_the_resume(
    loopback: LoopbackServer, served: ServedFile, tmp_path: Path
) -> None:
    def dated(handler: BaseHTTPRequestHandler, seen: SeenRequest) -> None:
        handler.send_header = with_date(handler.send_header)  # type: ignore[method-assign]
        served(handler, seen)

    def with_date(send_header):  # type: ignore[no-untyped-def]
        def send(name: str, value: str) -> None:
            send_header(name, value)
            if name == "Content-Type":
                send_header("Last-Modified", "Tue, 24 Nov 2026 01:00:00 GMT")

        return send

    served.etag, served.cuts = None, [HALF]
    loopback.route("/ep.mkv", handler=dated)
    assert fetch(loopback, tmp_path / "ep.mkv").read_bytes() == DATA
    assert ranges_asked(loopback)[1] == (f"bytes={HALF}-", "Tue, 24 Nov 2026 01:00:00 GMT")


def test_a_server_that_ignores_ranges_makes_it_start_over(
    loopback: LoopbackServer, served: ServedFile, tmp_path: Path
) -> None:
    served.ranges, served.cuts = False, [HALF]
    assert fetch(loopback, tmp_path / "ep.mkv").read_bytes() == DATA
    assert ranges_asked(loopback)[1] == (f"bytes={HALF}-", '"v1"')
    assert served.statuses == [200, 200] and served.sent == [HALF, len(DATA)]


def test_a_file_changed_on_the_server_is_downloaded_anew(
    loopback: LoopbackServer, served: ServedFile, tmp_path: Path
) -> None:
    served.cuts = [HALF]
    target = tmp_path / "ep.mkv"
    with pytest.raises(DownloadError, match="gave up after 1 attempts"):
        fetch(loopback, target, retries=0)
    new = os.urandom(3 * MiB)
    served.data, served.etag = new, '"v2"'
    assert fetch(loopback, target).read_bytes() == new
    assert ranges_asked(loopback)[1] == (f"bytes={HALF}-", '"v1"') and served.statuses == [200, 200]


def test_a_part_left_by_something_else_is_not_trusted(loopback: LoopbackServer, served: ServedFile, tmp_path: Path) -> None:
    target = tmp_path / "ep.mkv"
    (tmp_path / "ep.mkv.part").write_bytes(b"junk" * 1000)  # no sidecar says what it is
    assert fetch(loopback, target).read_bytes() == DATA
    assert ranges_asked(loopback) == [(None, None)]


def test_a_416_on_a_complete_part_finishes_without_downloading_again(
    loopback: LoopbackServer, served: ServedFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "ep.mkv"
    real_replace = os.replace

    def replace(source: str, destination: str) -> None:
        if str(source).endswith(".part"):
            raise OSError(errno.EIO, "Input/output error")
        real_replace(source, destination)

    with monkeypatch.context() as patch:  # the process "dies" just before the rename
        patch.setattr(os, "replace", replace)
        with pytest.raises(DownloadError, match=r"could not write .*ep\.mkv\.part: Input/output error"):
            fetch(loopback, target)
    assert (tmp_path / "ep.mkv.part").stat().st_size == len(DATA)
    assert fetch(loopback, target).read_bytes() == DATA
    assert served.statuses == [200, 416] and ranges_asked(loopback)[1] == (f"bytes={len(DATA)}-", '"v1"')


def test_a_416_on_an_incomplete_part_starts_over(loopback: LoopbackServer, served: ServedFile, tmp_path: Path) -> None:
    served.cuts = [HALF]
    served.errors = []
    answers = iter([None, (416, {"Content-Range": f"bytes */{len(DATA)}"})])  # then the file again

    def refusing(handler: BaseHTTPRequestHandler, seen: SeenRequest) -> None:
        answer = next(answers, None)
        if answer:
            served.errors.append(answer)
        served(handler, seen)

    loopback.route("/ep.mkv", handler=refusing)
    assert fetch(loopback, tmp_path / "ep.mkv").read_bytes() == DATA
    assert served.statuses == [200, 416, 200]
    assert [asked[0] for asked in ranges_asked(loopback)] == [None, f"bytes={HALF}-", None]


def test_a_content_length_that_lies_ends_in_a_clear_error(
    loopback: LoopbackServer, served: ServedFile, tmp_path: Path
) -> None:
    served.extra = 100_000  # announced, never sent
    sleeps: list[float] = []
    with pytest.raises(DownloadError) as failed:
        fetch(loopback, tmp_path / "ep.mkv", retries=2, sleep=sleeps.append)
    assert str(failed.value) == (
        f"could not download {loopback.url('/ep.mkv')}: the connection was cut before the end"
        " (gave up after 3 attempts)"
    )
    assert [asked[0] for asked in ranges_asked(loopback)] == [None, f"bytes={len(DATA)}-", f"bytes={len(DATA)}-"]
    assert (tmp_path / "ep.mkv.part").read_bytes() == DATA  # kept: a later attempt may get the rest
    assert sleeps == [1.0, 1.0, 1.0]  # 1 s, then 2 s (slept in 1 s steps)


def test_a_connection_cut_once_mid_body_is_only_a_pause(
    loopback: LoopbackServer, served: ServedFile, tmp_path: Path
) -> None:
    served.cuts = [PIECE, 3 * PIECE, 5 * PIECE]  # progress each time: the failure count starts again
    assert fetch(loopback, tmp_path / "ep.mkv", retries=1).read_bytes() == DATA
    assert len(served.statuses) == 4


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/html; charset=utf-8", b"<!DOCTYPE html><title>Log in</title>" + b" " * 100_000),
        ("application/octet-stream", b"\n  <HTML><body>Error 500</body></HTML>" + b" " * 100_000),
    ],
)
def test_a_web_page_is_refused_and_removed(
    loopback: LoopbackServer, tmp_path: Path, content_type: str, body: bytes
) -> None:
    loopback.route("/ep.mkv", body, headers={"Content-Type": content_type}, etag='"v1"')
    page = r"the server sent a web page instead of the video \(a login or error page\?\)"
    with pytest.raises(DownloadError, match=page):
        fetch(loopback, tmp_path / "ep.mkv")
    assert os.listdir(tmp_path) == []


def test_an_error_page_while_resuming_leaves_the_part_alone(
    loopback: LoopbackServer, served: ServedFile, tmp_path: Path
) -> None:
    served.cuts = [HALF]
    target = tmp_path / "ep.mkv"
    with pytest.raises(DownloadError, match="gave up after 1 attempts"):
        fetch(loopback, target, retries=0)
    loopback.route("/ep.mkv", b"<p>Please log in</p>" * 5000, headers={"Content-Type": "text/html"})
    with pytest.raises(DownloadError, match="the server sent a web page instead of the video"):
        fetch(loopback, target)
    assert (tmp_path / "ep.mkv.part").read_bytes() == DATA[:HALF]
    loopback.route("/ep.mkv", handler=served)
    assert fetch(loopback, target).read_bytes() == DATA
    assert ranges_asked(loopback)[2] == (f"bytes={HALF}-", '"v1"')


def test_a_tiny_file_is_not_a_video(loopback: LoopbackServer, tmp_path: Path) -> None:
    loopback.route("/ep.mkv", os.urandom(1024), headers={"Content-Type": "video/mp4"})
    with pytest.raises(DownloadError, match=r"^the server sent only 1 KiB; that is not a video$"):
        fetch(loopback, tmp_path / "ep.mkv")
    assert os.listdir(tmp_path) == []


def test_a_size_other_than_the_listed_one_is_refused(loopback: LoopbackServer, served: ServedFile, tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match=f"offers {len(DATA)} bytes for .*, but the source listed 1234567"):
        fetch(loopback, tmp_path / "ep.mkv", expected_size=1_234_567)
    assert os.listdir(tmp_path) == []


def test_busy_servers_are_retried_with_backoff(loopback: LoopbackServer, served: ServedFile, tmp_path: Path) -> None:
    served.errors = [(500, {}), (503, {}), (429, {"Retry-After": "7"})]
    sleeps: list[float] = []
    assert fetch(loopback, tmp_path / "ep.mkv", sleep=sleeps.append).read_bytes() == DATA
    assert served.statuses == [500, 503, 429, 200]
    assert sleeps == [1.0] + [1.0] * 2 + [1.0] * 7  # 1 s, 2 s, then the 7 s the server asked for


@pytest.mark.parametrize(("status", "words"), [(404, "404 Not Found"), (403, "403 Forbidden"), (410, "410 Gone")])
def test_missing_or_forbidden_files_fail_at_once(
    loopback: LoopbackServer, tmp_path: Path, status: int, words: str
) -> None:
    loopback.route("/ep.mkv", "nope", status=status)
    sleeps: list[float] = []
    url = loopback.url("/ep.mkv?token=s3cret")
    with pytest.raises(DownloadError) as failed:
        download_file(url, tmp_path / "ep.mkv", sleep=sleeps.append)
    assert str(failed.value) == f"{loopback.url('/ep.mkv?token=***')} answered {words}"
    assert len(loopback.requests) == 1 and sleeps == [] and os.listdir(tmp_path) == []


def test_a_stalled_server_is_retried_then_given_up(loopback: LoopbackServer, served: ServedFile, tmp_path: Path) -> None:
    served.hold_at = 0  # headers, then nothing
    sleeps: list[float] = []
    with pytest.raises(DownloadError) as failed:
        fetch(loopback, tmp_path / "ep.mkv", retries=2, timeout=(2, 0.3), sleep=sleeps.append)
    assert str(failed.value).endswith(": the server stopped answering (gave up after 3 attempts)")
    assert len(loopback.requests) == 3 and sleeps == [1.0, 1.0, 1.0]


def test_a_dead_server_is_a_plain_error(tmp_path: Path) -> None:
    with pytest.raises(DownloadError) as failed:
        download_file("http://127.0.0.1:9/ep.mkv", tmp_path / "ep.mkv", retries=1, sleep=lambda seconds: None)
    assert str(failed.value) == (
        "could not download http://127.0.0.1:9/ep.mkv: could not reach the server (connection refused)"
        " (gave up after 2 attempts)"
    )


def test_cancel_keeps_the_part_and_a_later_call_resumes(
    loopback: LoopbackServer, served: ServedFile, tmp_path: Path
) -> None:
    served.hold_at = HALF
    target, part = tmp_path / "ep.mkv", tmp_path / "ep.mkv.part"
    cancelled = threading.Event()

    def cancel_at_half() -> None:
        while not (part.exists() and part.stat().st_size >= HALF):
            time.sleep(0.01)
        cancelled.set()
        served.gate.set()

    threading.Thread(target=cancel_at_half, daemon=True).start()
    with pytest.raises(DownloadCancelled):
        fetch(loopback, target, cancelled=cancelled)
    assert part.read_bytes() == DATA[:HALF] and not target.exists()
    assert fetch(loopback, target).read_bytes() == DATA
    assert ranges_asked(loopback)[1] == (f"bytes={HALF}-", '"v1"')


def test_cancel_is_noticed_during_a_pause(loopback: LoopbackServer, served: ServedFile, tmp_path: Path) -> None:
    served.errors = [(503, {"Retry-After": "100"})]
    cancelled = threading.Event()
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        cancelled.set()

    with pytest.raises(DownloadCancelled):
        fetch(loopback, tmp_path / "ep.mkv", cancelled=cancelled, sleep=sleep)
    assert sleeps == [1.0]


@dataclass
class SmallDisk:
    """A folder whose disk fills up at about 20 MiB, until ``free_up()``."""

    folder: Path
    free_up: Callable[[], object]


@pytest.fixture(params=["tmpfs", "injected"])
def small_disk(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SmallDisk]:
    folder = tmp_path / "disk"
    folder.mkdir()
    if request.param == "tmpfs":  # a real full file system, where this user may mount one
        mounted = shutil.which("mount") and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", str(folder)], capture_output=True, check=False
        ).returncode == 0
        if not mounted:
            pytest.skip("cannot mount a tmpfs here (needs root)")
        ballast = folder / "ballast"
        ballast.write_bytes(bytes(28 * MiB))
        yield SmallDisk(folder, ballast.unlink)
        subprocess.run(["umount", "-l", str(folder)], check=True)
        return
    full, written, real_write = [True], [0], os.write

    def write(fd: int, data: bytes) -> int:
        if full[0] and written[0] + len(data) > 20 * MiB:
            raise OSError(errno.ENOSPC, "No space left on device")
        written[0] += len(data)
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write)
    yield SmallDisk(folder, lambda: full.__setitem__(0, False))


def test_a_full_disk_keeps_the_part_for_later(loopback: LoopbackServer, served: ServedFile, small_disk: SmallDisk) -> None:
    served.data, served.length = os.urandom(24 * MiB), False  # no size announced: no up-front refusal
    target = small_disk.folder / "ep.mkv"
    with pytest.raises(DownloadError, match=r"^the disk is full: could not write ep.mkv.part in .*\. Free some space"):
        fetch(loopback, target)
    kept = (small_disk.folder / "ep.mkv.part").stat().st_size
    assert 16 * MiB < kept <= 20 * MiB
    small_disk.free_up()
    assert fetch(loopback, target).read_bytes() == served.data
    assert ranges_asked(loopback)[1] == (f"bytes={kept}-", '"v1"')


def test_not_enough_free_space_is_refused_before_the_body(
    loopback: LoopbackServer, served: ServedFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "disk_usage", lambda path: Usage(10**12, 0, 100 * MiB))
    served.extra = 1024 * MiB - len(DATA)  # 1 GiB announced
    with pytest.raises(DownloadError) as failed:
        fetch(loopback, tmp_path / "ep.mkv")
    assert str(failed.value) == f"not enough free space in {tmp_path}: need 1 GiB, 100 MiB free"
    assert os.listdir(tmp_path) == []  # not a byte written
    with pytest.raises(DownloadError, match="need 116 MiB, 100 MiB free"):
        fetch(loopback, tmp_path / "ep.mkv", expected_size=100 * MiB)  # listed size: not even asked
    assert len(loopback.requests) == 1


CHILD = """
import sys
from pathlib import Path
from core.downloads.http_transfer import download_file
download_file(sys.argv[1], Path(sys.argv[2]), chunk_size=64 * 1024)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_killed_download_resumes_without_fetching_again(
    loopback: LoopbackServer, served: ServedFile, tmp_path: Path
) -> None:
    served.pace = 0.01  # 64 KiB every 10 ms
    target, part = tmp_path / "ep.mkv", tmp_path / "ep.mkv.part"
    child = subprocess.Popen([sys.executable, "-c", CHILD, loopback.url("/ep.mkv"), str(target)])
    deadline = time.monotonic() + 60
    while not (part.exists() and part.stat().st_size >= MiB) and time.monotonic() < deadline:
        time.sleep(0.005)
    assert child.poll() is None, "the child finished before it could be killed"
    child.send_signal(signal.SIGKILL)
    child.wait()
    kept = part.stat().st_size
    served.pace = 0.0
    assert fetch(loopback, target).read_bytes() == DATA
    assert ranges_asked(loopback)[1] == (f"bytes={kept}-", '"v1"')
    assert len(DATA) <= sum(served.sent) <= len(DATA) + 8 * PIECE  # only what was in flight came twice


def test_an_existing_different_file_is_never_overwritten(
    loopback: LoopbackServer, served: ServedFile, tmp_path: Path
) -> None:
    (tmp_path / "ep.mkv").write_bytes(b"mine")
    (tmp_path / "ep (2).mkv").write_bytes(b"mine too")
    assert fetch(loopback, tmp_path / "ep.mkv") == tmp_path / "ep (3).mkv"
    assert (tmp_path / "ep.mkv").read_bytes() == b"mine" and (tmp_path / "ep (3).mkv").read_bytes() == DATA
    assert fetch(loopback, tmp_path / "ep.mkv") == tmp_path / "ep (3).mkv"  # the same file again: no copy
    assert sorted(os.listdir(tmp_path)) == ["ep (2).mkv", "ep (3).mkv", "ep.mkv"]


def test_a_local_file_is_copied(tmp_path: Path) -> None:
    source = tmp_path / "library" / "Show - 01.mkv"
    source.parent.mkdir()
    source.write_bytes(DATA)
    reports: list[tuple[int, int | None]] = []
    target = tmp_path / "downloads" / "Show - 01.mkv"
    assert download_file(source.as_uri(), target, progress=lambda *report: reports.append(report)) == target
    assert target.read_bytes() == DATA and source.read_bytes() == DATA
    assert reports[-1] == (len(DATA), len(DATA))


def test_a_local_copy_resumes_and_restarts_when_the_file_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, target = tmp_path / "Show - 01.mkv", tmp_path / "downloads" / "Show - 01.mkv"
    source.write_bytes(DATA)
    written, real_write, full = [0], os.write, [True]

    def write(fd: int, data: bytes) -> int:
        if full[0] and written[0] + len(data) > MiB:
            raise OSError(errno.ENOSPC, "No space left on device")
        written[0] += len(data)
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write)
    with pytest.raises(DownloadError, match="the disk is full"):
        download_file(source.as_uri(), target, chunk_size=PIECE)
    full[0] = False
    assert download_file(source.as_uri(), target, chunk_size=PIECE).read_bytes() == DATA
    assert written[0] == len(DATA)  # 1 MiB, then only the rest

    target.unlink()
    full[0], written[0] = True, 0
    with pytest.raises(DownloadError, match="the disk is full"):
        download_file(source.as_uri(), target, chunk_size=PIECE)
    changed = os.urandom(2 * MiB)
    source.write_bytes(changed)
    full[0] = False
    assert download_file(source.as_uri(), target, chunk_size=PIECE).read_bytes() == changed


def test_a_missing_local_file_is_a_plain_error(tmp_path: Path) -> None:
    gone = tmp_path / "gone.mkv"
    with pytest.raises(DownloadError, match=f"^{gone} no longer exists$"):
        download_file(gone.as_uri(), tmp_path / "out.mkv")


def test_other_links_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="only http, https and local file links can be downloaded"):
        download_file("ftp://example.org/ep.mkv", tmp_path / "ep.mkv")


def test_progress_is_throttled_and_ends_with_the_total(
    loopback: LoopbackServer, served: ServedFile, tmp_path: Path
) -> None:
    served.pace = 0.01  # 64 pieces of 64 KiB over ~0.6 s
    reports: list[tuple[float, int, int | None]] = []
    fetch(loopback, tmp_path / "ep.mkv", chunk_size=16 * 1024,
          progress=lambda done, total: reports.append((time.monotonic(), done, total)))
    chunks = len(DATA) // (16 * 1024)
    assert 2 <= len(reports) < chunks / 8
    times = [moment for moment, _, _ in reports[:-1]]
    assert all(later - earlier >= 0.095 for earlier, later in itertools.pairwise(times))
    assert [done for _, done, _ in reports] == sorted(done for _, done, _ in reports)
    assert {total for _, _, total in reports} == {len(DATA)} and reports[-1][1] == len(DATA)


@pytest.mark.parametrize(
    ("count", "words"),
    [(512, "512 bytes"), (1024, "1 KiB"), (300 * MiB, "300 MiB"), (int(1.2 * 1024 * MiB), "1.2 GiB")],
)
def test_sizes_read_naturally(count: int, words: str) -> None:
    assert format_size(count) == words


def test_a_server_that_trickles_is_resumed_then_given_up(
    loopback: LoopbackServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(http_transfer, "RATE_WINDOW", 0.5)
    monkeypatch.setattr(http_transfer, "MIN_RATE", 1000)

    def trickle(handler: BaseHTTPRequestHandler, seen: SeenRequest) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(DATA)))
        handler.send_header("ETag", '"v1"')
        handler.end_headers()
        handler.wfile.write(DATA[:64])
        for byte in DATA[64:164]:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(0.05)

    loopback.route("/ep.mkv", handler=trickle)
    started = time.monotonic()
    with pytest.raises(DownloadError) as failed:
        fetch(loopback, tmp_path / "ep.mkv", retries=1, timeout=(5, 5))
    assert str(failed.value).endswith(
        ": the server sent too slowly (under 1000 bytes a second for 0.5 s) (gave up after 2 attempts)"
    )
    assert len(loopback.requests) == 2 and time.monotonic() - started < 10


def test_a_short_body_on_a_kept_alive_connection_is_resumed(
    loopback: LoopbackServer, served: ServedFile, tmp_path: Path
) -> None:
    served.cuts, served.linger = [HALF], True
    assert fetch(loopback, tmp_path / "ep.mkv", timeout=(5, 0.5)).read_bytes() == DATA
    assert ranges_asked(loopback) == [(None, None), (f"bytes={HALF}-", '"v1"')]


def test_a_compressed_video_is_refused_not_unpacked(loopback: LoopbackServer, tmp_path: Path) -> None:
    packed = gzip.compress(bytes(64 * MiB))  # 64 KiB on the wire

    def compressing(handler: BaseHTTPRequestHandler, seen: SeenRequest) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(packed)))
        handler.send_header("Content-Encoding", "gzip")
        handler.end_headers()
        handler.wfile.write(packed)

    loopback.route("/ep.mkv", handler=compressing)
    with pytest.raises(DownloadError, match=r"^the server compressed the file \(gzip\) although asked not to; "):
        fetch(loopback, tmp_path / "ep.mkv")
    assert os.listdir(tmp_path) == []


def test_a_link_in_place_of_the_sidecar_is_replaced_not_written_through(
    loopback: LoopbackServer, served: ServedFile, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.json"
    outside.write_bytes(b"precious")
    (tmp_path / "videos").mkdir()
    (tmp_path / "videos" / "ep.mkv.part.json").symlink_to(outside)
    served.cuts = [HALF]
    with pytest.raises(DownloadError):
        fetch(loopback, tmp_path / "videos" / "ep.mkv", retries=0)
    assert outside.read_bytes() == b"precious"
    assert not (tmp_path / "videos" / "ep.mkv.part.json").is_symlink()


@pytest.mark.parametrize("link", [Path.symlink_to, Path.hardlink_to])
def test_a_part_that_is_a_link_is_refused(
    loopback: LoopbackServer, served: ServedFile, tmp_path: Path, link: Callable[[Path, Path], None]
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"precious")
    part = tmp_path / "videos" / "ep.mkv.part"
    part.parent.mkdir()
    link(part, outside)
    with pytest.raises(DownloadError) as failed:
        fetch(loopback, tmp_path / "videos" / "ep.mkv")
    assert str(failed.value) == (
        f"{part} is a link to another file; Tsuzuki never writes through one in the download folder."
        " Remove it and download again"
    )
    assert outside.read_bytes() == b"precious" and part.exists()


def test_a_link_in_place_of_the_video_is_left_alone(
    loopback: LoopbackServer, served: ServedFile, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.mkv"
    outside.write_bytes(DATA)  # even the same bytes: the link does not count as the download
    (tmp_path / "videos").mkdir()
    (tmp_path / "videos" / "ep.mkv").symlink_to(outside)
    final = fetch(loopback, tmp_path / "videos" / "ep.mkv")
    assert final == tmp_path / "videos" / "ep (2).mkv" and not final.is_symlink() and final.read_bytes() == DATA
    assert (tmp_path / "videos" / "ep.mkv").is_symlink() and outside.read_bytes() == DATA


def test_a_server_that_trickles_its_headers_is_retried_then_given_up(
    loopback: LoopbackServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(byte_sources, "HEAD_DEADLINE", 0.5)

    loopback.route("/ep.mkv", handler=trickled_head(100))  # a head sent a byte at a time: never a gap of 5 s
    started = time.monotonic()
    with pytest.raises(DownloadError) as failed:
        fetch(loopback, tmp_path / "ep.mkv", retries=1, timeout=(5, 5))
    assert str(failed.value).endswith(": the server took more than 0.5 s to answer (gave up after 2 attempts)")
    assert time.monotonic() - started < 4


def test_a_web_page_that_arrives_a_few_bytes_at_a_time_is_still_recognised(
    loopback: LoopbackServer, tmp_path: Path
) -> None:
    page = b"<!DOCTYPE html><title>Log in</title>" + b" " * 100_000

    def in_bits(handler: BaseHTTPRequestHandler, seen: SeenRequest) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(page)))
        handler.send_header("Content-Type", "application/octet-stream")
        handler.end_headers()
        for start, end in ((0, 5), (5, 9), (9, len(page))):
            handler.wfile.write(page[start:end])
            handler.wfile.flush()
            time.sleep(0.1)

    loopback.route("/ep.mkv", handler=in_bits)
    with pytest.raises(DownloadError, match="the server sent a web page instead of the video"):
        fetch(loopback, tmp_path / "ep.mkv")
    assert os.listdir(tmp_path) == []
