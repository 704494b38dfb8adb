"""The .deb: its files pass Debian's checks; it installs, runs as the installed app, and goes away."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from core import __version__
from tests.packaging.conftest import Build

pytestmark = pytest.mark.packaging

MAX_DEB_BYTES = 70_000_000
APP_ID = "org.tsuzuki.Tsuzuki"
# What lintian still says, and why (README, Packaging): PyInstaller's launcher is not built as a
# position-independent executable, and Python's small extension modules link no library.
EXPECTED_WARNINGS = {"hardening-no-pie", "shared-library-lacks-prerequisites"}
APT = ["apt-get", "-y", "-q", "-o", "DPkg::Lock::Timeout=120"]


def test_lintian_finds_no_error_and_only_the_known_warnings(build: Build) -> None:
    report = subprocess.run(["lintian", str(build.deb)], capture_output=True, text=True).stdout
    tags = {(line[0], line.split()[2]) for line in report.splitlines() if re.match(r"^[EW]: ", line)}
    assert not [tag for kind, tag in tags if kind == "E"], report
    assert {tag for _, tag in tags} <= EXPECTED_WARNINGS, report


def test_the_menu_entry_and_the_metainfo_validate(build: Build) -> None:
    share = build.staged / "usr/share"
    desktop = subprocess.run(["desktop-file-validate", str(share / f"applications/{APP_ID}.desktop")],
                             capture_output=True, text=True)
    assert desktop.returncode == 0 and "error" not in desktop.stdout, desktop.stdout
    metainfo = subprocess.run(["appstreamcli", "validate", "--no-net", str(share / f"metainfo/{APP_ID}.metainfo.xml")],
                              capture_output=True, text=True)
    assert metainfo.returncode == 0, metainfo.stdout
    assert f'version="{__version__}"' in (share / f"metainfo/{APP_ID}.metainfo.xml").read_text()


def test_the_deb_names_the_package_version_and_carries_every_icon_size(build: Build) -> None:
    assert build.deb.name.startswith(f"tsuzuki_{__version__}_")
    assert build.deb.stat().st_size <= MAX_DEB_BYTES
    fields = subprocess.run(["dpkg-deb", "--field", str(build.deb), "Version"], capture_output=True, text=True)
    assert fields.stdout.strip() == __version__
    icons = build.staged / "usr/share/icons/hicolor"
    assert (icons / "scalable/apps/tsuzuki.svg").is_file()
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        png = icons / f"{size}x{size}/apps/tsuzuki.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(png.read_bytes()[16:20], "big"), int.from_bytes(png.read_bytes()[20:24], "big")
        assert (width, height) == (size, size)


@pytest.fixture
def installed(build: Build, tmp_path: Path) -> Iterator[list[str]]:
    """The .deb installed with apt-get (with a home of its own, which must stay empty); yields its
    files (``dpkg -L``); removed afterwards, whatever happened."""
    if os.geteuid() != 0:
        pytest.skip("installing the .deb needs root")
    apt_home = tmp_path / "apt-home"
    apt_home.mkdir()
    env = dict(os.environ, HOME=str(apt_home), DEBIAN_FRONTEND="noninteractive")
    try:
        done = subprocess.run([*APT, "install", str(build.deb)], capture_output=True, text=True, env=env,
                              timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        assert not list(apt_home.iterdir()), "the installation wrote in the home folder"
        yield subprocess.run(["dpkg", "-L", "tsuzuki"], capture_output=True, text=True, check=True).stdout.split("\n")
    finally:
        subprocess.run([*APT, "remove", "tsuzuki"], capture_output=True, env=env, timeout=300)


def as_user(home: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """``/usr/bin/tsuzuki ARGUMENTS`` as a user whose home is ``home`` (no TSUZUKI_HOME, no XDG folders)."""
    env = {name: value for name, value in os.environ.items()
           if name not in ("TSUZUKI_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME")}
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen")
    return subprocess.run(["/usr/bin/tsuzuki", *arguments], capture_output=True, text=True, env=env, timeout=60)


def test_the_installed_app_runs_keeps_its_data_in_the_users_folder_and_uninstalls_cleanly(
        build: Build, installed: list[str], tmp_path: Path) -> None:
    files = [Path(name) for name in installed if name and not Path(name).is_dir()]
    assert Path("/usr/bin/tsuzuki") in files and Path("/opt/tsuzuki/tsuzuki") in files
    assert Path(f"/usr/share/applications/{APP_ID}.desktop") in files
    home = tmp_path / "user"
    home.mkdir()
    assert as_user(home, "--version").stdout == f"tsuzuki {__version__}\n"
    added = as_user(home, "add", "--title", "Frieren", "--url", str(tmp_path), "--provider", "directory")
    assert added.returncode == 0, added.stderr
    watchlist = home / ".local/share/Tsuzuki/watchlist.json"
    assert [item["anime_title"] for item in json.loads(watchlist.read_text())["items"]] == ["Frieren"]
    selftest = as_user(home, "--selftest")
    assert selftest.returncode == 0 and "passed (1 shows" in selftest.stdout, selftest.stderr

    removed = subprocess.run([*APT, "remove", "tsuzuki"], capture_output=True, text=True,
                             env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"), timeout=300)
    assert removed.returncode == 0, removed.stderr
    assert not [path for path in files if os.path.lexists(path)]
    assert not Path("/opt/tsuzuki").exists()
    status = subprocess.run(["dpkg-query", "-W", "-f", "${Status}", "tsuzuki"], capture_output=True, text=True)
    assert "installed" not in status.stdout.replace("not-installed", "")
    assert watchlist.is_file(), "removing the program removed the user's data"
