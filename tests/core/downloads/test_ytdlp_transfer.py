"""yt-dlp downloads, offline: real files served by a 127.0.0.1 server, fetched by yt-dlp's generic extractor."""

from __future__ import annotations

import itertools
import random
import re
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from core.downloads.http_transfer import PROGRESS_INTERVAL, DownloadCancelled, DownloadError
from core.downloads.ytdlp_transfer import download_video
from tests.loopback import LoopbackServer, SeenRequest

VIDEO = b"\x00\x00\x00\x18ftypmp42" + random.Random(12).randbytes(300_000)
STEM = "Frieren - 12"
# a path that yt-dlp's Mediasite extractor (not allowed) claims on any host
MEDIASITE = "/Mediasite/Play/0123456789abcdef0123456789abcdef01"
HTML = {"Content-Type": "text/html; charset=utf-8"}

Handler = Callable[[BaseHTTPRequestHandler, SeenRequest], None]


def _ranged(data: bytes, chunk: int = 64 * 1024, pause: float = 0.0, cut_after: int | None = None) -> Handler:
    """Serves ``data`` honouring ``Range: bytes=N-`` (206), in chunks with a ``pause`` after each.

    ``cut_after``: a whole-file answer hangs up after that many bytes (a ranged one completes).
    """

    def handle(handler: BaseHTTPRequestHandler, seen: SeenRequest) -> None:
        wanted = re.fullmatch(r"bytes=(\d+)-", seen.headers.get("range", ""))
        start = int(wanted.group(1)) if wanted else 0
        body = data[start:]
        handler.send_response(206 if wanted else 200)
        handler.send_header("Content-Type", "video/mp4")
        handler.send_header("Content-Length", str(len(body)))
        handler.send_header("Accept-Ranges", "bytes")
        if wanted:
            handler.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        handler.end_headers()
        if cut_after and not wanted:
            body = body[:cut_after]
            handler.close_connection = True
        for offset in range(0, len(body), chunk):
            handler.wfile.write(body[offset : offset + chunk])
            time.sleep(pause)

    return handle


@pytest.fixture
def server(loopback: LoopbackServer) -> LoopbackServer:
    loopback.route("/ep12.mp4", VIDEO, headers={"Content-Type": "video/mp4"})
    return loopback


class Progress:
    """Records the progress reports and when they came; optionally sets ``cancel`` at the first one."""

    def __init__(self, cancel: threading.Event | None = None) -> None:
        self.reports: list[tuple[int, int | None]] = []
        self.times: list[float] = []
        self.cancel = cancel

    def __call__(self, done: int, total: int | None) -> None:
        self.reports.append((done, total))
        self.times.append(time.monotonic())
        if self.cancel is not None:
            self.cancel.set()


def test_direct_file_lands_byte_identical(server: LoopbackServer, tmp_path: Path) -> None:
    progress = Progress()
    path = download_video(server.url("/ep12.mp4"), tmp_path, STEM, progress=progress)
    assert path == tmp_path / f"{STEM}.mp4"
    assert path.read_bytes() == VIDEO
    assert sorted(tmp_path.iterdir()) == [path]
    done = [report[0] for report in progress.reports]
    assert done == sorted(done) and done[0] < len(VIDEO)
    assert progress.reports[-1] == (len(VIDEO), len(VIDEO))
    assert {total for _, total in progress.reports} == {len(VIDEO)}


def test_progress_is_throttled(server: LoopbackServer, tmp_path: Path) -> None:
    server.route("/slow.mp4", handler=_ranged(VIDEO, chunk=1024, pause=0.002))
    progress = Progress()
    download_video(server.url("/slow.mp4"), tmp_path, STEM, progress=progress)
    # yt-dlp calls its hook for every block it reads, several in the first few milliseconds
    gaps = [later - earlier for earlier, later in itertools.pairwise(progress.times[:-1])]  # the last is forced
    assert gaps and min(gaps) >= 0.9 * PROGRESS_INTERVAL
    assert progress.reports[-1] == (len(VIDEO), len(VIDEO))


def test_video_page_downloads_its_video(server: LoopbackServer, tmp_path: Path) -> None:
    server.route(
        "/episode12.html",
        headers=HTML,
        body=(
            "<html><head><title>Frieren - Episode 12</title></head><body>"
            f'<video controls><source src="{server.url("/ep12.mp4")}" type="video/mp4"></video></body></html>'
        ),
    )
    path = download_video(server.url("/episode12.html"), tmp_path, STEM)
    assert path == tmp_path / f"{STEM}.mp4" and path.read_bytes() == VIDEO


def test_percent_in_the_file_name_is_kept_literally(server: LoopbackServer, tmp_path: Path) -> None:
    stem = "Ojamajo 100%% %(title)s - 01"  # not a yt-dlp output template
    path = download_video(server.url("/ep12.mp4"), tmp_path, stem)
    assert path == tmp_path / f"{stem}.mp4" and path.read_bytes() == VIDEO


def test_cancel_keeps_the_part_file_and_the_next_call_resumes(server: LoopbackServer, tmp_path: Path) -> None:
    server.route("/slow.mp4", handler=_ranged(VIDEO, chunk=4096, pause=0.002))
    url = server.url("/slow.mp4")
    cancel = threading.Event()
    with pytest.raises(DownloadCancelled, match=f"the download of {url} was cancelled"):
        download_video(url, tmp_path, STEM, progress=Progress(cancel), cancelled=cancel)
    part = tmp_path / f"{STEM}.mp4.part"
    assert sorted(tmp_path.iterdir()) == [part]
    kept = part.stat().st_size
    assert 0 < kept < len(VIDEO)

    progress = Progress()
    path = download_video(url, tmp_path, STEM, progress=progress)
    assert path.read_bytes() == VIDEO and not part.exists()
    assert server.requests[-1].headers["range"] == f"bytes={kept}-"
    assert progress.reports[0][0] > kept  # counted from where the .part file ended


def test_cancel_before_start_touches_nothing(server: LoopbackServer, tmp_path: Path) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(DownloadCancelled):
        download_video(server.url("/ep12.mp4"), tmp_path, STEM, cancelled=cancel)
    assert server.requests == [] and list(tmp_path.iterdir()) == []


def test_connection_cut_mid_way_is_resumed(server: LoopbackServer, tmp_path: Path) -> None:
    server.route("/flaky.mp4", handler=_ranged(VIDEO, cut_after=100_000))
    path = download_video(server.url("/flaky.mp4"), tmp_path, STEM)
    assert path.read_bytes() == VIDEO
    assert "range" in server.requests[-1].headers


def test_finished_file_is_not_downloaded_again(server: LoopbackServer, tmp_path: Path) -> None:
    first = download_video(server.url("/ep12.mp4"), tmp_path, STEM)
    before = len(server.requests)
    progress = Progress()
    assert download_video(server.url("/ep12.mp4"), tmp_path, STEM, progress=progress) == first
    assert len(server.requests) == before + 1  # the extractor's look at the URL, no download
    assert progress.reports == [(len(VIDEO), len(VIDEO))]


@pytest.mark.parametrize(("quality", "expected"), [("720p", b"480p" * 5000), ("auto", b"1080p" * 5000)])
def test_quality_caps_the_height(server: LoopbackServer, tmp_path: Path, quality: str, expected: bytes) -> None:
    for height in (480, 1080):
        server.route(f"/ep12-{height}.mp4", f"{height}p".encode() * 5000, headers={"Content-Type": "video/mp4"})
    server.route(
        "/episode12.html",
        headers=HTML,
        body=(
            "<html><head><title>Frieren - Episode 12</title></head><body><video controls>"
            f'<source src="{server.url("/ep12-480.mp4")}" type="video/mp4" res="480">'
            f'<source src="{server.url("/ep12-1080.mp4")}" type="video/mp4" res="1080">'
            "</video></body></html>"
        ),
    )
    path = download_video(server.url("/episode12.html"), tmp_path, STEM, quality=quality)
    assert path.read_bytes() == expected


def test_missing_file_is_a_plain_download_error_without_secrets(server: LoopbackServer, tmp_path: Path) -> None:
    server.route("/missing.mp4", b"no", status=404)
    with pytest.raises(DownloadError) as failed:
        download_video(server.url("/missing.mp4?token=s3cr3t"), tmp_path, STEM)
    assert str(failed.value) == (
        f"could not download {server.url('/missing.mp4?token=***')}: "
        "Unable to download webpage: HTTP Error 404: Not Found"
    )
    assert list(tmp_path.iterdir()) == []


def test_redirect_to_a_refused_extractor_downloads_nothing(server: LoopbackServer, tmp_path: Path) -> None:
    server.route(
        MEDIASITE,
        headers=HTML,
        body=(
            "<html><head><title>Lecture</title></head><body>"
            f'<video><source src="{server.url("/ep12.mp4")}" type="video/mp4"></video></body></html>'
        ),
    )
    server.route("/latest", status=302, headers={"Location": server.url(MEDIASITE)})
    url = server.url("/latest")
    refused = f"could not download {url}: yt-dlp would use its Mediasite extractor for {server.url(MEDIASITE)}"
    with pytest.raises(DownloadError, match=re.escape(refused)):
        download_video(url, tmp_path, STEM)
    assert server.requests_to("/ep12.mp4") == [] and list(tmp_path.iterdir()) == []


def test_refused_url_is_refused_without_network(server: LoopbackServer, tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match=r"Mediasite extractor .* which Tsuzuki does not allow"):
        download_video(server.url(MEDIASITE), tmp_path, STEM)
    assert server.requests == []


def test_page_with_several_videos_is_refused(server: LoopbackServer, tmp_path: Path) -> None:
    videos = "".join(f'<video><source src="{server.url(path)}" type="video/mp4"></video>'
                     for path in ("/ep11.mp4", "/ep12.mp4"))
    server.route("/season.html", f"<html><head><title>Frieren</title></head><body>{videos}</body></html>", headers=HTML)
    with pytest.raises(DownloadError, match="holds several videos, not one episode"):
        download_video(server.url("/season.html"), tmp_path, STEM)
    assert list(tmp_path.iterdir()) == []


def test_nothing_is_printed(server: LoopbackServer, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    download_video(server.url("/ep12.mp4"), tmp_path, STEM)
    with pytest.raises(DownloadError):
        download_video(server.url("/missing.mp4"), tmp_path, "other")
    assert capfd.readouterr() == ("", "")
