from __future__ import annotations

import base64
import ipaddress
import logging
import socket
import ssl
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from core.datafolder import DataFolder
from core.downloads.qbittorrent import QBittorrentClient
from core.downloads.torrent_base import TorrentClientError, TorrentClientSettings, TorrentState, magnet_info_hash
from core.downloads.torrent_clients import PASSWORD_SECRET, open_client
from core.downloads.transmission import TransmissionClient
from core.errors import describe_validation_error
from core.secrets import SecretStore
from tests.core.downloads.made_up_torrents import made_up_torrent
from tests.core.downloads.qbittorrent_server import FakeQBittorrent
from tests.core.downloads.transmission_server import FakeTransmission
from tests.loopback import LoopbackServer

HASH = "dd8255ecdc7ca55fb0bbf81323d87062db1f6d1c"
MAGNET = f"magnet:?xt=urn:btih:{HASH}&dn=Frieren+-+12&tr=udp%3A%2F%2Ftracker.example.org%3A1337"
BASE32_MAGNET = f"magnet:?dn=x&xt=urn:btih:{base64.b32encode(bytes.fromhex(HASH)).decode()}"
TORRENT_HASH = "c9e15763f722f23e98a29decdfae341b98d53056"
PASSWORD = "hunter2-SECRET-pw"


def closed_port_url(path: str = "") -> str:
    """An address on 127.0.0.1 where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


@pytest.fixture
def qbt(loopback: LoopbackServer) -> FakeQBittorrent:
    return FakeQBittorrent(loopback, username="admin", password=PASSWORD)


@pytest.fixture
def transmission(loopback: LoopbackServer) -> FakeTransmission:
    return FakeTransmission(loopback, username="alice", password=PASSWORD)


@pytest.fixture
def secrets(folder: DataFolder) -> SecretStore:
    store = SecretStore(folder)
    store.set(PASSWORD_SECRET, PASSWORD)
    return store


def settings(kind: str, url: str, **fields: object) -> TorrentClientSettings:
    return TorrentClientSettings.model_validate({"kind": kind, "url": url, **fields})


# --- settings and magnets ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"kind": "deluge"}, "kind: Input should be 'qbittorrent' or 'transmission'"),
        ({"url": "ftp://nas:21"}, "url: must be the http(s):// address"),
        ({"url": "127.0.0.1:8080"}, "url: must be the http(s):// address"),
        ({"url": "http://admin:pw@127.0.0.1:8080"}, "url: must not contain a user name or password"),
        ({"category": "anime,new"}, "category: may not contain backslashes, commas"),
        ({"category": "/anime"}, "category: may not start or end with '/'"),
    ],
)
def test_bad_settings_name_their_field(fields: dict[str, str], problem: str) -> None:
    with pytest.raises(ValidationError) as caught:
        TorrentClientSettings.model_validate({"kind": "qbittorrent", "url": "http://127.0.0.1:8080", **fields})
    assert problem in describe_validation_error(caught.value)


def test_settings_defaults_and_cleaning() -> None:
    chosen = settings("transmission", " http://nas.local:9091/transmission/rpc ", save_path="  ", category=" tv ")
    assert chosen.url == "http://nas.local:9091/transmission/rpc"
    assert (chosen.username, chosen.category, chosen.save_path, chosen.verify_tls) == ("", "tv", None, True)
    assert settings("qbittorrent", "http://127.0.0.1:8080").category == "tsuzuki"


def test_info_hash_from_hex_and_base32_magnets() -> None:
    assert magnet_info_hash(MAGNET) == HASH
    assert magnet_info_hash(MAGNET.replace(HASH, HASH.upper())) == HASH
    assert magnet_info_hash(BASE32_MAGNET) == HASH
    assert magnet_info_hash(BASE32_MAGNET.lower()) == HASH
    assert magnet_info_hash("magnet:?dn=no-hash") == ""
    assert magnet_info_hash("https://example.org/file.torrent") == ""


# --- qBittorrent ------------------------------------------------------------------------------


def test_qbittorrent_takes_a_magnet_with_category_and_save_path(qbt: FakeQBittorrent, secrets: SecretStore) -> None:
    client = open_client(settings("qbittorrent", qbt.url, username="admin"), secrets)
    assert isinstance(client, QBittorrentClient)

    info_hash = client.add(MAGNET, name="Frieren - 12", save_path=Path("/videos/Frieren"))

    assert info_hash == HASH
    [form] = qbt.added
    assert (form["urls"], form["category"], form["savepath"], form["rename"]) == (
        MAGNET,
        "tsuzuki",
        "/videos/Frieren",
        "Frieren - 12",
    )
    assert "tsuzuki" in qbt.categories
    assert qbt.torrents[HASH]["name"] == "Frieren - 12"


def test_qbittorrent_gets_a_torrent_file_and_creates_the_category_once(qbt: FakeQBittorrent) -> None:
    torrent = made_up_torrent("Frieren - 12.mkv")
    qbt.server.route("/ep12.torrent", torrent.content, headers={"Content-Type": "application/x-bittorrent"})
    configured = settings("qbittorrent", qbt.url, username="admin", category="anime", save_path="D:\\Anime")
    client = QBittorrentClient(configured, PASSWORD)

    first = client.add(qbt.server.url("/ep12.torrent"), name="", save_path=Path("/ignored"))
    client.add(BASE32_MAGNET, name="", save_path=None)

    # given the URL, qBittorrent 4.5/5.0 would fetch the .torrent later and name no hash: it gets the file
    assert first == torrent.info_hash
    assert "urls" not in qbt.added[0] and qbt.added[1]["urls"] == BASE32_MAGNET
    assert sorted(qbt.torrents) == sorted([torrent.info_hash, HASH])
    assert {form["category"] for form in qbt.added} == {"anime"}
    assert {form["savepath"] for form in qbt.added} == {"D:\\Anime"}  # the configured path wins
    assert all("rename" not in form for form in qbt.added)
    assert len(qbt.server.requests_to("/api/v2/torrents/categories")) == 1
    assert len(qbt.server.requests_to("/api/v2/torrents/createCategory")) == 1


def test_qbittorrent_without_category_or_save_path_sends_neither(qbt: FakeQBittorrent) -> None:
    client = QBittorrentClient(settings("qbittorrent", qbt.url, username="admin", category=""), PASSWORD)
    client.add(MAGNET, name="", save_path=None)
    assert set(qbt.added[0]) == {"urls"}
    assert qbt.categories == {}


def test_qbittorrent_5_2_names_the_hash_and_accepts_a_duplicate(loopback: LoopbackServer) -> None:
    qbt = FakeQBittorrent(loopback, password=PASSWORD, version="v5.2.1", web_api_version="2.14.1")
    torrent = made_up_torrent("Frieren - 12.mkv")
    loopback.route("/ep12.torrent", torrent.content)
    client = QBittorrentClient(settings("qbittorrent", qbt.url, username="admin"), PASSWORD)

    assert client.add(loopback.url("/ep12.torrent"), name="", save_path=None) == torrent.info_hash
    assert client.add(loopback.url("/ep12.torrent"), name="", save_path=None) == torrent.info_hash  # 409
    assert client.add(MAGNET, name="", save_path=None) == HASH
    assert client.add(MAGNET, name="", save_path=None) == HASH  # 409: it already has it, which is what we want
    assert sorted(qbt.torrents) == sorted([torrent.info_hash, HASH])


@pytest.mark.parametrize("web_api_version", ["2.11.2", "2.14.1"])
def test_qbittorrent_refusing_the_torrent_is_a_plain_error(loopback: LoopbackServer, web_api_version: str) -> None:
    qbt = FakeQBittorrent(loopback, password=PASSWORD, web_api_version=web_api_version)
    client = QBittorrentClient(settings("qbittorrent", qbt.url, username="admin"), PASSWORD)
    with pytest.raises(TorrentClientError, match="^qBittorrent did not accept the torrent"):
        client.add("magnet:?dn=no-hash-at-all", name="", save_path=None)


def test_qbittorrent_refuses_a_link_that_is_no_torrent(qbt: FakeQBittorrent) -> None:
    client = QBittorrentClient(settings("qbittorrent", qbt.url, username="admin"), PASSWORD)
    with pytest.raises(TorrentClientError, match="neither a magnet link nor a link to a .torrent file"):
        client.add("file:///etc/passwd", name="", save_path=None)
    assert qbt.server.requests == []


@pytest.mark.parametrize("web_api_version", ["2.11.2", "2.14.1"])
def test_qbittorrent_wrong_password_says_so_and_never_shows_it(
    loopback: LoopbackServer, web_api_version: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    qbt = FakeQBittorrent(loopback, password="the-right-one", web_api_version=web_api_version)
    client = QBittorrentClient(settings("qbittorrent", qbt.url, username="admin"), PASSWORD)

    with pytest.raises(TorrentClientError) as caught:
        client.add(MAGNET, name="", save_path=None)

    assert str(caught.value) == "qBittorrent refused the user name or password (check them in Tsuzuki's settings)"
    assert caplog.records  # the libraries did log: and not the password
    assert PASSWORD not in caplog.text and PASSWORD not in repr(caught.value.__cause__)
    assert qbt.added == []


def test_qbittorrent_ban_is_explained(qbt: FakeQBittorrent) -> None:
    qbt.banned = True
    client = QBittorrentClient(settings("qbittorrent", qbt.url, username="admin"), PASSWORD)
    with pytest.raises(TorrentClientError, match="banned this computer after too many failed log-ins"):
        client.test_connection()


def test_qbittorrent_missing_password_works_with_localhost_bypass(loopback: LoopbackServer, folder: DataFolder) -> None:
    qbt = FakeQBittorrent(loopback, password=PASSWORD, bypass_localhost=True)
    client = open_client(settings("qbittorrent", qbt.url, username="admin"), SecretStore(folder))
    assert client.add(MAGNET, name="", save_path=None) == HASH
    assert qbt.server.requests_to("/api/v2/auth/login") == []


def test_qbittorrent_missing_password_is_named_when_it_is_needed(qbt: FakeQBittorrent, folder: DataFolder) -> None:
    client = open_client(settings("qbittorrent", qbt.url, username="admin"), SecretStore(folder))
    with pytest.raises(TorrentClientError, match=r"refused the user name or password \(no password is saved"):
        client.test_connection()
    anonymous = open_client(settings("qbittorrent", qbt.url), SecretStore(folder))
    with pytest.raises(TorrentClientError, match="asks for a user name and password: set them"):
        anonymous.test_connection()


def test_qbittorrent_not_running_is_a_clear_error() -> None:
    url = closed_port_url()
    client = QBittorrentClient(settings("qbittorrent", url), "")
    with pytest.raises(TorrentClientError) as caught:
        client.add(MAGNET, name="", save_path=None)
    assert str(caught.value) == (
        f"could not reach qBittorrent at {url}: connection refused — is it running with the Web UI enabled?"
    )


def test_qbittorrent_that_never_answers_is_a_clear_error(loopback: LoopbackServer) -> None:
    loopback.route("/api/v2/app/version", body="v5.0.1", delay=2.0)
    client = QBittorrentClient(settings("qbittorrent", loopback.base_url), "", timeout=0.2)
    with pytest.raises(TorrentClientError, match="no answer within 0.2 seconds — is it running with the Web UI"):
        client.test_connection()


def test_qbittorrent_wrong_address_is_named(loopback: LoopbackServer) -> None:
    client = QBittorrentClient(settings("qbittorrent", loopback.url("/not-qbittorrent")), "")
    with pytest.raises(TorrentClientError, match="answered “not found” — is this the address of its Web UI"):
        client.test_connection()


def test_qbittorrent_test_connection_and_progress(qbt: FakeQBittorrent) -> None:
    client = QBittorrentClient(settings("qbittorrent", qbt.url, username="admin"), PASSWORD)
    assert client.test_connection() == "qBittorrent v5.0.1"
    client.add(MAGNET, name="", save_path=None)

    qbt.torrents[HASH].update(progress=0.42, state="stalledDL")
    progress = client.progress(HASH.upper())
    assert progress is not None
    assert (progress.info_hash, progress.name, progress.fraction) == (HASH, "Frieren - 12", 0.42)
    assert (progress.state, progress.client_state) == (TorrentState.DOWNLOADING, "stalledDL")

    qbt.torrents[HASH].update(progress=1.0, state="stalledUP")
    assert client.progress(HASH).state == TorrentState.DONE  # type: ignore[union-attr]
    qbt.torrents[HASH].update(progress=0.5, state="missingFiles")
    assert client.progress(HASH).state == TorrentState.ERROR  # type: ignore[union-attr]
    assert client.progress(TORRENT_HASH) is None
    assert client.progress("") is None


# --- Transmission -----------------------------------------------------------------------------


def test_transmission_takes_a_magnet_after_the_session_id_dance(
    transmission: FakeTransmission, secrets: SecretStore
) -> None:
    client = open_client(settings("transmission", transmission.url, username="alice"), secrets)
    assert isinstance(client, TransmissionClient)

    assert client.add(BASE32_MAGNET, name="Frieren - 12", save_path=Path("/videos/Frieren")) == HASH

    assert transmission.conflicts == 1
    [arguments] = transmission.added
    assert arguments == {"filename": BASE32_MAGNET, "download-dir": "/videos/Frieren", "labels": ["tsuzuki"]}


def test_transmission_gets_a_torrent_file_and_survives_a_new_session_id(transmission: FakeTransmission) -> None:
    torrent = made_up_torrent("Frieren - 12.mkv")
    transmission.server.route("/view/12/torrent", torrent.content)
    configured = settings("transmission", transmission.url, username="alice", category="anime", save_path="/srv/tv")
    client = TransmissionClient(configured, PASSWORD)

    client.add(MAGNET, name="", save_path=None)
    transmission.session_id = "restarted"
    info_hash = client.add(transmission.server.url("/view/12/torrent"), name="", save_path=Path("/ignored"))

    assert info_hash == torrent.info_hash
    assert base64.b64decode(transmission.added[1]["metainfo"]) == torrent.content
    assert transmission.conflicts == 2
    assert [(a["download-dir"], a["labels"]) for a in transmission.added] == [("/srv/tv", ["anime"])] * 2


def test_transmission_refusing_the_torrent_is_a_plain_error(transmission: FakeTransmission) -> None:
    client = TransmissionClient(settings("transmission", transmission.url, username="alice"), PASSWORD)
    with pytest.raises(TorrentClientError) as caught:
        client.add("magnet:?dn=no-hash-at-all", name="", save_path=None)
    assert str(caught.value) == "Transmission did not accept the torrent: invalid or corrupt torrent file"


@pytest.mark.parametrize("kind", ["qbittorrent", "transmission"])
def test_a_torrent_link_that_cannot_be_fetched_is_a_plain_error(loopback: LoopbackServer, kind: str) -> None:
    fake = FakeQBittorrent(loopback, bypass_localhost=True) if kind == "qbittorrent" else FakeTransmission(loopback)
    client = open_client(settings(kind, fake.url), SecretStore(DataFolder.for_profile(None)))
    with pytest.raises(TorrentClientError) as caught:
        client.add(loopback.url("/gone.torrent"), name="", save_path=None)
    gone = loopback.url("/gone.torrent")
    assert str(caught.value) == f"could not fetch the .torrent file: {gone} answered 404 Not Found"
    assert fake.added == []


def test_transmission_3_labels_torrents_with_torrent_set(loopback: LoopbackServer) -> None:
    transmission = FakeTransmission(loopback, version="3.00 (bb6b5a062e)", rpc_version=16)
    client = TransmissionClient(settings("transmission", transmission.url, category="anime"), "")
    client.add(MAGNET, name="", save_path=None)
    assert transmission.torrents[0]["labels"] == ["anime"]
    assert "labels" not in transmission.added[0]  # 3.00 would drop them there


def test_transmission_before_3_cannot_label_and_says_so(
    loopback: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    transmission = FakeTransmission(loopback, version="2.94 (d8e60ee44f)", rpc_version=15)
    client = TransmissionClient(settings("transmission", transmission.url, category="anime"), "")
    assert client.add(MAGNET, name="", save_path=None) == HASH
    assert "Transmission 2.94 (d8e60ee44f) cannot label torrents" in caplog.text


def test_transmission_wrong_password_says_so_and_never_shows_it(
    loopback: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    FakeTransmission(loopback, username="alice", password="the-right-one")
    client = TransmissionClient(settings("transmission", loopback.url("/transmission/rpc"), username="alice"), PASSWORD)

    with pytest.raises(TorrentClientError) as caught:
        client.add(MAGNET, name="", save_path=None)

    assert str(caught.value) == "Transmission refused the user name or password (check them in Tsuzuki's settings)"
    assert caplog.records
    assert PASSWORD not in caplog.text and PASSWORD not in str(caught.value)


def test_transmission_without_auth_needs_no_password(loopback: LoopbackServer, folder: DataFolder) -> None:
    transmission = FakeTransmission(loopback)
    client = open_client(settings("transmission", loopback.base_url), SecretStore(folder))  # path defaults
    assert client.add(MAGNET, name="", save_path=None) == HASH
    assert transmission.added[0]["filename"] == MAGNET


def test_transmission_not_running_is_a_clear_error() -> None:
    url = closed_port_url("/transmission/rpc")
    client = TransmissionClient(settings("transmission", url), "")
    with pytest.raises(TorrentClientError) as caught:
        client.test_connection()
    assert str(caught.value) == (
        f"could not reach Transmission at {url}: connection refused — is it running with remote access enabled?"
    )


def test_transmission_wrong_address_is_named(loopback: LoopbackServer) -> None:
    client = TransmissionClient(settings("transmission", loopback.url("/not/rpc")), "")
    with pytest.raises(TorrentClientError, match="cannot read — is this its RPC address"):
        client.test_connection()


def test_transmission_test_connection_and_progress(transmission: FakeTransmission) -> None:
    client = TransmissionClient(settings("transmission", transmission.url, username="alice"), PASSWORD)
    assert client.test_connection() == "Transmission 4.0.6 (38c164933e)"
    client.add(MAGNET, name="", save_path=None)

    transmission.torrents[0].update(percentDone=0.25, status=4)
    progress = client.progress(HASH)
    assert progress is not None
    assert (progress.info_hash, progress.name, progress.fraction) == (HASH, "Frieren - 12", 0.25)
    assert (progress.state, progress.client_state) == (TorrentState.DOWNLOADING, "downloading")

    transmission.torrents[0].update(percentDone=0.25, status=0)
    assert client.progress(HASH).state == TorrentState.PAUSED  # type: ignore[union-attr]
    transmission.torrents[0].update(percentDone=1.0, status=6)
    assert client.progress(HASH).state == TorrentState.DONE  # type: ignore[union-attr]
    transmission.torrents[0].update(percentDone=1.0, status=0)  # finished, then stopped: still done
    assert client.progress(HASH).state == TorrentState.DONE  # type: ignore[union-attr]
    transmission.torrents[0].update(percentDone=0.5, status=0, error=3)
    assert client.progress(HASH).state == TorrentState.ERROR  # type: ignore[union-attr]
    assert client.progress(TORRENT_HASH) is None


@pytest.mark.parametrize(("kind", "other"), [("qbittorrent", "Transmission"), ("transmission", "qBittorrent")])
def test_the_other_kind_of_client_at_the_address_is_named(loopback: LoopbackServer, kind: str, other: str) -> None:
    if other == "Transmission":
        FakeTransmission(loopback, username="alice", password=PASSWORD)
    else:
        FakeQBittorrent(loopback, password=PASSWORD)
    client = open_client(settings(kind, loopback.base_url, username="admin"), SecretStore(DataFolder.for_profile(None)))
    with pytest.raises(TorrentClientError) as caught:
        client.test_connection()
    name = settings(kind, loopback.base_url).client_name
    assert str(caught.value) == (
        f"{loopback.base_url} is a {other} server, not {name}: set the torrent client up as {other} "
        f"(kind {other.lower()}) with its address"
    )


# --- https ------------------------------------------------------------------------------------


@pytest.fixture
def tls_loopback(loopback: LoopbackServer, tmp_path: Path) -> LoopbackServer:
    """``loopback`` speaking https with a self-signed certificate for 127.0.0.1."""
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .sign(key, hashes.SHA256())
    )
    (tmp_path / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    # LoopbackServer has no TLS option yet: wrap its listening socket (same descriptor, so serving goes on).
    httpd = loopback._httpd
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    return loopback


@pytest.mark.parametrize("kind", ["qbittorrent", "transmission"])
def test_https_with_an_unverifiable_certificate(tls_loopback: LoopbackServer, kind: str) -> None:
    if kind == "qbittorrent":
        fake: FakeQBittorrent | FakeTransmission = FakeQBittorrent(tls_loopback, bypass_localhost=True)
    else:
        fake = FakeTransmission(tls_loopback)
    url = fake.url.replace("http://", "https://")
    checked = open_client(settings(kind, url), SecretStore(DataFolder.for_profile(None)))
    with pytest.raises(TorrentClientError, match="its certificate could not be verified — if it uses a self-signed"):
        checked.add(MAGNET, name="", save_path=None)

    trusting = open_client(settings(kind, url, verify_tls=False), SecretStore(DataFolder.for_profile(None)))
    assert trusting.add(MAGNET, name="", save_path=None) == HASH
    assert fake.added
