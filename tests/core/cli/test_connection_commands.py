"""tsuzuki torrent-client and tsuzuki notify: setting up where torrents and messages go."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tests.cli_runner import Run
from tests.conftest import MemoryKeyring
from tests.core.downloads.qbittorrent_server import FakeQBittorrent
from tests.loopback import LoopbackServer

MAGNET = "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=Frieren"


def test_a_torrent_release_goes_to_the_configured_client(
    cli: Run, loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring,
    home: Path, qapp,  # type: ignore[no-untyped-def]
) -> None:
    qbt = FakeQBittorrent(loopback, username="admin", password="s3cret-pass")
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-pass\n"))
    setup = cli("torrent-client", "set", "--kind", "qbittorrent", "--url", loopback.url("/"), "--username", "admin",
                "--password-stdin")
    assert setup.code == 0, setup.err
    assert "s3cret-pass" not in (home / "torrent_client.json").read_text()
    assert "s3cret-pass" in memory_keyring.entries.values()
    assert cli("torrent-client", "test").out == "Connected: qBittorrent v5.0.1.\n"

    loopback.route("/rss", '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>'
                   f'[G] Frieren - 01 (1080p)</title><link>{MAGNET.replace("&", "&amp;")}</link></item></channel></rss>')
    cli("add", "--title", "Frieren", "--url", loopback.url("/rss"), "--provider", "feed")
    report = cli("check", "--all", "--json").json()
    assert report["downloaded"][0]["path"] == "qBittorrent: 0123456789abcdef0123456789abcdef01234567"
    assert qbt.added[0]["urls"] == MAGNET and qbt.added[0]["category"] == "tsuzuki"

    assert cli("torrent-client", "clear").code == 0
    assert cli("torrent-client", "--json").json() is None and memory_keyring.entries == {}


def test_torrent_client_mistakes_are_plain(cli: Run, loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    FakeQBittorrent(loopback, username="admin", password="right")
    bad_url = cli("torrent-client", "set", "--kind", "qbittorrent", "--url", "ftp://x")
    assert bad_url.code == 2 and "url:" in bad_url.err
    assert cli("torrent-client", "test").err.startswith("tsuzuki: error: no torrent client is set up")
    monkeypatch.setattr("sys.stdin", io.StringIO("wrong\n"))
    cli("torrent-client", "set", "--kind", "qbittorrent", "--url", loopback.url("/"), "--username", "admin",
        "--password-stdin")
    refused = cli("torrent-client", "test")
    assert refused.code == 1 and "refused the user name or password" in refused.err and "wrong" not in refused.err


def test_notification_channels(cli: Run, loopback: LoopbackServer, home: Path, qapp) -> None:  # type: ignore[no-untyped-def]
    loopback.route("/hook/TOKEN123", "")
    url = loopback.url("/hook/TOKEN123").replace("http://", "json://")
    added = cli("notify", "add", "My Webhook", url, "--events", "new_episode,download_failed", "--json")
    assert added.code == 0, added.err
    assert added.json()["id"] == "my-webhook"
    assert sorted(added.json()["events"]) == ["download_failed", "new_episode"]
    assert "TOKEN123" not in (home / "notifications.json").read_text()
    assert cli("notify", "test", "my-webhook").out == "my-webhook got the test message.\n"
    assert json.loads(loopback.requests_to("/hook/TOKEN123")[0].body)["title"] == "Tsuzuki test message"
    assert "My Webhook" in cli("notify").out
    bad = cli("notify", "add", "Other", url, "--events", "new_episode,lunch")
    assert bad.code == 2 and "unknown event lunch" in bad.err
    assert cli("notify", "remove", "my-webhook").code == 0
    assert cli("notify", "list", "--json").json() == []
