"""Torrent files: recognised by content, fetched capped, their info hash computed from the raw bytes."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest

from core.datafolder import DataFolder
from core.downloads.errors import DownloadError
from core.downloads.jobs import DownloadJob
from core.downloads.torrent_base import TorrentClientSettings
from core.downloads.torrent_clients import PASSWORD_SECRET, TorrentClientConfig
from core.downloads.torrent_files import MAX_TORRENT_BYTES, fetch_torrent, info_hash, looks_like_torrent
from core.downloads.transfers import TorrentHandoff, TransferRunner
from core.models import utc_now
from core.secrets import SecretStore
from providers.base import LinkKind
from tests.core.downloads.made_up_torrents import bencode, made_up_torrent
from tests.core.downloads.qbittorrent_server import FakeQBittorrent
from tests.core.downloads.transmission_server import FakeTransmission
from tests.loopback import LoopbackServer, ServedFile

PASSWORD = "hunter2-SECRET-pw"


def test_info_hash_is_that_of_the_raw_info_dictionary() -> None:
    torrent = made_up_torrent("Frieren - 12.mkv", tracker="http://127.0.0.1:1/announce")
    assert info_hash(torrent.content) == torrent.info_hash
    # keys out of order are hashed as they are, as the clients do (re-encoding would sort them)
    unsorted_info = b"d4:name3:abc6:lengthi1e12:piece lengthi16384e6:pieces20:" + b"x" * 20 + b"e"
    assert info_hash(b"d4:info" + unsorted_info + b"e") == hashlib.sha1(unsorted_info).hexdigest()
    v2_info = bencode({"meta version": 2, "name": "a", "piece length": 16384, "file tree": {}})
    assert info_hash(b"d4:info" + v2_info + b"e") == hashlib.sha256(v2_info).hexdigest()[:40]


@pytest.mark.parametrize(
    "content",
    [b"", b"<html>", b"d4:infoi1ee", b"d8:announce3:abc", b"d4:info" + b"l" * 100_000, b"di1e1:xe", b"d3:abc99:xe"],
)
def test_what_is_not_a_torrent_is_refused(content: bytes) -> None:
    with pytest.raises(ValueError):
        info_hash(content)


def test_a_torrent_is_recognised_by_its_first_bytes() -> None:
    assert looks_like_torrent(made_up_torrent("a").content[:16])
    assert looks_like_torrent(b"d8:announce35:http://")
    for start in (b"\x1aE\xdf\xa3", b"\x00\x00\x00\x20ftypisom", b"<!doctype html>", b"RIFF", b"d", b"data:"):
        assert not looks_like_torrent(start)


def test_fetch_torrent_is_capped_and_checked(loopback: LoopbackServer) -> None:
    torrent = made_up_torrent("a")
    loopback.route("/view/1/torrent", torrent.content, headers={"Content-Type": "application/x-bittorrent"})
    loopback.route("/login", "<html><body>log in</body></html>", headers={"Content-Type": "text/html"})
    loopback.route("/huge", b"d" + b"x" * (MAX_TORRENT_BYTES + 1))
    assert fetch_torrent(loopback.url("/view/1/torrent")) == torrent.content
    with pytest.raises(DownloadError, match="did not send a .torrent file"):
        fetch_torrent(loopback.url("/login"))
    with pytest.raises(DownloadError, match="could not fetch the .torrent file: .* sent more than 10 MiB"):
        fetch_torrent(loopback.url("/huge"))


# --- a download that turns out to be a torrent ---------------------------------------------------


def job(link: str) -> DownloadJob:
    return DownloadJob(
        id="j1", item_id="a" * 32, anime_title="Frieren", episode=12, release_name="[Grp] Frieren - 12 (1080p)",
        link=link, kind=LinkKind.HTTP, created_at=utc_now(),
    )


@pytest.fixture
def runner(folder: DataFolder) -> TransferRunner:
    SecretStore(folder).set(PASSWORD_SECRET, PASSWORD)
    return TransferRunner(folder, SecretStore(folder))


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/view/1/torrent", "application/x-bittorrent"), ("/index.php?page=download&tid=1", "application/octet-stream")],
)
def test_an_http_link_serving_a_torrent_goes_to_the_torrent_client(
    loopback: LoopbackServer, folder: DataFolder, runner: TransferRunner, tmp_path: Path, path: str, content_type: str
) -> None:
    torrent = made_up_torrent("[Grp] Frieren - 12 (1080p).mkv")
    loopback.route(path.split("?")[0], handler=ServedFile(torrent.content, content_type=content_type))
    qbt = FakeQBittorrent(loopback, password=PASSWORD)
    TorrentClientConfig(folder).set(TorrentClientSettings(kind="qbittorrent", url=qbt.url, username="admin"))

    where = runner(job(loopback.url(path)), tmp_path / "videos", lambda done, total: None, threading.Event())

    assert where == TorrentHandoff("qBittorrent", torrent.info_hash)
    assert list(qbt.torrents) == [torrent.info_hash]
    assert not any(p.is_file() for p in (tmp_path / "videos").rglob("*"))  # no "video" left behind


def test_a_video_link_still_downloads_as_a_video(
    loopback: LoopbackServer, folder: DataFolder, runner: TransferRunner, tmp_path: Path
) -> None:
    FakeTransmission(loopback)
    video = b"\x1aE\xdf\xa3" + b"v" * 200_000
    loopback.route("/view/2/download", handler=ServedFile(video))
    where = runner(job(loopback.url("/view/2/download")), tmp_path / "videos", lambda done, total: None,
                   threading.Event())
    assert Path(where).read_bytes() == video
