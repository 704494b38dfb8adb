"""The README's "Your data" section names every file Tsuzuki keeps in the data folder."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from tests.cli_runner import Run
from tests.core.downloads.qbittorrent_server import FakeQBittorrent
from tests.loopback import LoopbackServer, ServedFile

README = Path(__file__).resolve().parent.parent / "README.md"
VIDEO = b"\x1aE\xdf\xa3" + bytes(300 * 1024)


def your_data_section() -> str:
    text = README.read_text(encoding="utf-8")
    return text[text.index("## Your data"):].split("\n## ", 1)[0]


def test_every_file_in_the_data_folder_is_named(
    cli: Run, home: Path, loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch, qapp,  # type: ignore[no-untyped-def]
) -> None:
    loopback.route("/ep01.mkv", handler=ServedFile(VIDEO, content_type="video/x-matroska"))
    loopback.route("/rss", '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
                   f'<title>[G] Frieren - 01 (1080p)</title><enclosure url="{loopback.url("/ep01.mkv")}" '
                   'type="video/x-matroska"/></item></channel></rss>')
    FakeQBittorrent(loopback, username="admin", password="pw")
    assert cli("settings", "set", "download_dir", str(home.parent / "Downloads")).code == 0
    assert cli("add", "--title", "Frieren", "--url", loopback.url("/rss"), "--provider", "feed").code == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("pw\n"))
    assert cli("torrent-client", "set", "--kind", "qbittorrent", "--url", loopback.url("/"), "--username", "admin",
               "--password-stdin").code == 0
    assert cli("notify", "add", "Hook", loopback.url("/hook").replace("http://", "json://")).code == 0
    assert cli("check", "--all").code == 0
    assert cli("--profile", "alice", "list").code == 0

    section = your_data_section()
    names = {
        re.sub(r"[0-9a-f]{32}", "<id>", path.relative_to(home).as_posix()).replace("alice", "NAME")
        for path in home.rglob("*")
    }
    assert "episodes/<id>.json" in names and "downloads.json" in names and "profiles/NAME" in names
    missing = sorted(  # a profile's folder has the same files as the main one
        name for name in names if not name.startswith("profiles/NAME/") and f"`{name}" not in section
    )
    assert missing == [], f"the README's 'Your data' does not name {missing}"
    assert "~/Downloads/Tsuzuki" in section, "the default download folder is not named"
