"""Against the real daemons Debian ships: transmission-daemon 3.00 and qbittorrent-nox 4.5.

They run on 127.0.0.1 with DHT, peer discovery and port mapping off; the
torrents are made up (no tracker, private), so nothing ever reaches out and
nothing completes: these tests cover adding, the hash, the label/category and
asking for progress (qBittorrent lists a torrent a moment after taking it,
so its progress is None until then). Each is skipped, saying why, when its daemon is not installed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from core.datafolder import DataFolder
from core.downloads.jobs import DownloadJob
from core.downloads.qbittorrent import QBittorrentClient
from core.downloads.torrent_base import TorrentClientError, TorrentClientSettings, TorrentState
from core.downloads.torrent_clients import PASSWORD_SECRET, TorrentClientConfig
from core.downloads.transfers import TorrentHandoff, TransferRunner
from core.downloads.transmission import TransmissionClient
from core.models import utc_now
from core.secrets import SecretStore
from providers.base import LinkKind
from tests.core.downloads import real_daemons
from tests.core.downloads.made_up_torrents import made_up_torrent
from tests.loopback import LoopbackServer

T = TypeVar("T")


def _running(binary: str, start: Callable[[Path], real_daemons.RealDaemon],
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[real_daemons.RealDaemon]:
    """The daemon ``start`` runs in a fresh folder, stopped after the module; skipped without ``binary``."""
    if why := real_daemons.missing(binary):
        pytest.skip(why)
    daemon = start(tmp_path_factory.mktemp(binary))
    yield daemon
    daemon.stop()


@pytest.fixture(scope="module")
def transmission_daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[real_daemons.RealDaemon]:
    yield from _running("transmission-daemon", real_daemons.start_transmission, tmp_path_factory)


@pytest.fixture(scope="module")
def qbittorrent_daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[real_daemons.RealDaemon]:
    yield from _running("qbittorrent-nox", real_daemons.start_qbittorrent, tmp_path_factory)


def transmission_client(daemon: real_daemons.RealDaemon, **fields: object) -> TransmissionClient:
    chosen = TorrentClientSettings(kind="transmission", url=daemon.url, username=real_daemons.TRANSMISSION_USER,
                                   **fields)  # type: ignore[arg-type]
    return TransmissionClient(chosen, real_daemons.TRANSMISSION_PASSWORD, timeout=30)


def qbittorrent_client(daemon: real_daemons.RealDaemon, **fields: object) -> QBittorrentClient:
    chosen = TorrentClientSettings(kind="qbittorrent", url=daemon.url, username=real_daemons.QBITTORRENT_USER,
                                   **fields)  # type: ignore[arg-type]
    return QBittorrentClient(chosen, real_daemons.QBITTORRENT_PASSWORD, timeout=30)


def eventually(probe: Callable[[], T | None], timeout: float = 30.0) -> T:
    """What ``probe`` gives once it gives something: qBittorrent lists a torrent shortly after taking it."""
    deadline = time.monotonic() + timeout
    while (found := probe()) is None or found == []:
        assert time.monotonic() < deadline, "the client never listed the torrent"
        time.sleep(0.1)
    return found


def serve(loopback: LoopbackServer, path: str, content: bytes) -> str:
    """Serve a .torrent the way many feeds do: no .torrent ending, no telling Content-Type."""
    loopback.route(path, content, headers={"Content-Type": "application/octet-stream"})
    return loopback.url(path)


# --- Transmission 3.00 --------------------------------------------------------------------------


def test_transmission_3_takes_a_torrent_file_with_its_label(
    transmission_daemon: real_daemons.RealDaemon, loopback: LoopbackServer, tmp_path: Path
) -> None:
    client = transmission_client(transmission_daemon, category="anime")
    assert client.test_connection().startswith("Transmission 3.00")
    torrent = made_up_torrent("[Grp] Frieren - 12 (1080p).mkv")

    info_hash = client.add(serve(loopback, "/view/12/torrent", torrent.content), name="", save_path=tmp_path)

    assert info_hash == torrent.info_hash
    [added] = client._rpc().get_torrents(ids=[info_hash], arguments=["hashString", "labels", "downloadDir"])
    assert (added.fields["labels"], added.fields["downloadDir"]) == (["anime"], str(tmp_path))
    progress = client.progress(info_hash)
    assert progress is not None
    assert (progress.info_hash, progress.name, progress.fraction) == (info_hash, torrent.name, 0.0)
    assert progress.state in (TorrentState.QUEUED, TorrentState.PAUSED, TorrentState.DOWNLOADING)


def test_transmission_3_takes_a_magnet(transmission_daemon: real_daemons.RealDaemon) -> None:
    torrent = made_up_torrent("Frieren - 13.mkv")
    magnet = f"magnet:?xt=urn:btih:{torrent.info_hash}&dn=Frieren+-+13"
    client = transmission_client(transmission_daemon)
    assert client.add(magnet, name="", save_path=None) == torrent.info_hash
    assert client.progress(torrent.info_hash) is not None


def test_transmission_3_wrong_password_is_plain(transmission_daemon: real_daemons.RealDaemon) -> None:
    chosen = TorrentClientSettings(kind="transmission", url=transmission_daemon.url, username="alice")
    with pytest.raises(TorrentClientError, match="^Transmission refused the user name or password"):
        TransmissionClient(chosen, "wrong", timeout=30).test_connection()


def test_qbittorrent_kind_at_a_transmission_server_says_so(transmission_daemon: real_daemons.RealDaemon) -> None:
    address = transmission_daemon.url.removesuffix("/transmission/rpc")
    chosen = TorrentClientSettings(kind="qbittorrent", url=address, username="admin")
    with pytest.raises(TorrentClientError) as caught:
        QBittorrentClient(chosen, "pw", timeout=30).test_connection()
    assert str(caught.value).startswith(f"{address} is a Transmission server, not qBittorrent")
    assert "Web UI" not in str(caught.value)


# --- qBittorrent 4.5 ----------------------------------------------------------------------------


def test_qbittorrent_4_5_takes_a_torrent_file_and_names_its_hash(
    qbittorrent_daemon: real_daemons.RealDaemon, loopback: LoopbackServer, tmp_path: Path
) -> None:
    client = qbittorrent_client(qbittorrent_daemon, category="anime")
    assert client.test_connection().startswith("qBittorrent v4.5")
    torrent = made_up_torrent("[Grp] Frieren - 12 (1080p).mkv")

    info_hash = client.add(
        serve(loopback, "/index.php", torrent.content) + "?page=download&tid=12", name="Frieren - 12",
        save_path=tmp_path,
    )

    assert info_hash == torrent.info_hash  # given the URL, qBittorrent 4.5 names no hash
    [added] = eventually(lambda: client._api.torrents_info(torrent_hashes=info_hash))
    assert (added["category"], added["name"], Path(added["save_path"])) == ("anime", "Frieren - 12", tmp_path)
    progress = eventually(lambda: client.progress(info_hash))
    assert (progress.info_hash, progress.fraction) == (info_hash, 0.0)
    assert progress.state is not TorrentState.DONE


def test_qbittorrent_4_5_takes_a_magnet(qbittorrent_daemon: real_daemons.RealDaemon) -> None:
    torrent = made_up_torrent("Frieren - 13.mkv")
    client = qbittorrent_client(qbittorrent_daemon, category="")
    assert client.add(f"magnet:?xt=urn:btih:{torrent.info_hash}&dn=x", name="", save_path=None) == torrent.info_hash
    assert eventually(lambda: client.progress(torrent.info_hash)).info_hash == torrent.info_hash


def test_transmission_kind_at_a_qbittorrent_server_says_so(qbittorrent_daemon: real_daemons.RealDaemon) -> None:
    chosen = TorrentClientSettings(kind="transmission", url=qbittorrent_daemon.url)
    with pytest.raises(TorrentClientError) as caught:
        TransmissionClient(chosen, "", timeout=30).test_connection()
    assert str(caught.value).startswith(f"{qbittorrent_daemon.url} is a qBittorrent server, not Transmission")


def test_a_feed_link_to_a_torrent_reaches_qbittorrent_through_the_download_queue(
    qbittorrent_daemon: real_daemons.RealDaemon, loopback: LoopbackServer, folder: DataFolder, tmp_path: Path
) -> None:
    torrent = made_up_torrent("[Grp] Frieren - 14 (1080p).mkv")
    link = serve(loopback, "/view/14/torrent", torrent.content)
    settings = TorrentClientSettings(kind="qbittorrent", url=qbittorrent_daemon.url, username="admin")
    TorrentClientConfig(folder).set(settings)
    SecretStore(folder).set(PASSWORD_SECRET, real_daemons.QBITTORRENT_PASSWORD)
    job = DownloadJob(id="j", item_id="b" * 32, anime_title="Frieren", episode=14, release_name=torrent.name,
                      link=link, kind=LinkKind.HTTP, created_at=utc_now())

    where = TransferRunner(folder, SecretStore(folder))(job, tmp_path, lambda done, total: None, threading.Event())

    assert where == TorrentHandoff("qBittorrent", torrent.info_hash)
    api = qbittorrent_client(qbittorrent_daemon)._api
    [added] = eventually(lambda: api.torrents_info(torrent_hashes=torrent.info_hash))
    assert Path(added["save_path"]) == tmp_path / "Frieren"  # the show's folder, as for a video
    assert not (tmp_path / "Frieren").exists() or not any((tmp_path / "Frieren").iterdir())


# --- Both: the size progress is measured against ------------------------------------------------


def test_real_clients_report_the_size_of_a_torrent_they_have_the_metadata_of(
    transmission_daemon: real_daemons.RealDaemon, qbittorrent_daemon: real_daemons.RealDaemon,
    loopback: LoopbackServer,
) -> None:
    torrent = made_up_torrent("Frieren - 15.mkv", size=5 * 16 * 1024 + 123)
    link = serve(loopback, "/view/15/torrent", torrent.content)
    for client in (transmission_client(transmission_daemon), qbittorrent_client(qbittorrent_daemon, category="")):
        assert client.add(link, name="", save_path=None) == torrent.info_hash
        progress = eventually(lambda: client.progress(torrent.info_hash))  # noqa: B023 (used at once)
        assert (progress.size, progress.fraction) == (5 * 16 * 1024 + 123, 0.0), client.settings.kind
