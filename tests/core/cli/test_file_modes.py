"""Every file Tsuzuki leaves in the data folder is private (0600), every folder 0700, whatever the umask."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli_runner import ADD_FRIEREN, Run
from tests.loopback import LoopbackServer, ServedFile

VIDEO = os.urandom(100 * 1024)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A umask that hides nothing, as some desktops set it: only Tsuzuki's own care keeps files private."""
    previous = os.umask(0)
    yield
    os.umask(previous)


def loose_modes(root: Path) -> list[str]:
    """Every path under ``root`` (itself included) that others could read, with its mode."""
    found = []
    for path in [root, *root.rglob("*")]:
        wanted = 0o700 if path.is_dir() else 0o600
        mode = path.stat().st_mode & 0o777
        if mode != wanted:
            found.append(f"{oct(mode)} {path.relative_to(root)}")
    return found


def test_real_commands_leave_only_private_files(
    cli: Run, home: Path, loopback: LoopbackServer, tmp_path: Path, open_umask: None, qapp  # type: ignore[no-untyped-def]
) -> None:
    loopback.route("/rss", '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>'
                   f'[G] Frieren - 01 (1080p)</title><enclosure url="{loopback.url("/01.mkv")}" '
                   f'type="video/x-matroska" length="{len(VIDEO)}"/></item></channel></rss>')
    loopback.route("/01.mkv", handler=ServedFile(VIDEO))
    assert cli("settings", "set", "download_dir", str(tmp_path / "videos")).code == 0
    assert cli("add", "--title", "Frieren", "--url", loopback.url("/rss"), "--provider", "feed").code == 0
    checked = cli("check", "--all", "--json")
    assert checked.code == 0 and checked.json()["downloaded"], checked.err
    (home / "settings.json").unlink()  # a hand edit gone wrong, saved anew (0666) by an editor
    (home / "settings.json").write_text("{ not json")
    assert "could not be read" in cli("settings").err

    assert list(home.glob("episodes/*.json")) and list(home.glob("settings.json.corrupt-*"))
    assert loose_modes(home) == []


def test_the_instance_lock_is_private_while_it_is_held(home: Path, open_umask: None) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen([sys.executable, "-m", "core.cli.main", "--headless"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None and "running headless" in process.stdout.readline()
        assert (home / "instance.lock").exists()
        assert loose_modes(home) == []
    finally:
        process.terminate()
        process.communicate(timeout=30)


def test_files_saved_by_hand_become_private_again(cli: Run, home: Path, open_umask: None) -> None:
    assert cli("settings", "set", "check_interval_hours", "3").code == 0
    for name in ("settings.json", "logs/tsuzuki.log"):  # an editor (or a copy from a backup) writes a new file
        text = (home / name).read_text()
        (home / name).unlink()
        (home / name).write_text(text.replace('"check_interval_hours": 3', '"check_interval_hours": 12'))
    (home / ".lock").chmod(0o644)  # as an older version, under another umask, left it

    assert cli("settings", "get", "check_interval_hours").out == "12\n"  # read, not rewritten
    assert cli(*ADD_FRIEREN).code == 0  # takes the write lock
    assert loose_modes(home) == []
