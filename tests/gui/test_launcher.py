"""The ``tsuzuki`` console script (``gui.launcher``), run as a process the way it is installed (and as the
login entry runs it)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from core import __version__
from core.datafolder import DataFolder
from core.logs import log_path
from tests.cli_runner import Run
from tests.core.test_login_item import exec_line, split_exec
from tests.gui.test_tray_session import wait_until_it_answers

ROOT = Path(__file__).resolve().parents[2]


def tsuzuki(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gui", *argv], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)


def test_a_bad_start_option_is_refused_before_anything_opens(home: Path) -> None:
    done = tsuzuki("--minimised")
    assert done.returncode == 2
    assert "unrecognized arguments: --minimised" in done.stderr
    assert not home.exists()


def test_version_is_the_command_lines(home: Path) -> None:
    done = tsuzuki("--version")
    assert (done.returncode, done.stdout) == (0, f"tsuzuki {__version__}\n")
    assert done.stdout == subprocess.run([sys.executable, "-m", "core.cli.main", "--version"], cwd=ROOT,
                                         capture_output=True, text=True, timeout=60).stdout


def test_a_command_goes_to_the_command_line(home: Path) -> None:
    done = tsuzuki("list", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_a_bad_command_exits_2(home: Path) -> None:
    done = tsuzuki("frobnicate")
    assert done.returncode == 2
    assert "invalid choice: 'frobnicate'" in done.stderr
    assert done.stdout == ""


def loaded_modules(*argv: str) -> set[str]:
    """The modules ``tsuzuki ARGV`` imports, as ``python -X importtime`` reports them."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "gui", *argv], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return {line.rpartition("|")[2].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}


def top_level(modules: set[str]) -> set[str]:
    return {name.partition(".")[0] for name in modules}


ENGINE = {"PySide6", "pydantic", "requests", "feedparser", "yt_dlp", "apprise"}


def test_version_loads_nothing_but_the_version(home: Path) -> None:
    modules = loaded_modules("--version")
    assert {name for name in modules if name.startswith(("core", "gui"))} == {"core", "gui", "gui.launcher"}
    assert not top_level(modules) & (ENGINE | {"rich", "keyring", "filelock"})


def test_help_builds_the_parser_without_the_engine_or_the_models(home: Path) -> None:
    modules = loaded_modules("--help")
    assert "core.cli.main" in modules
    assert not top_level(modules) & ENGINE
    assert "core.models" not in modules


def test_list_loads_no_qt_and_with_json_no_tables(home: Path) -> None:
    assert not top_level(loaded_modules("list")) & {"PySide6", "requests"}
    assert not top_level(loaded_modules("list", "--json")) & {"PySide6", "requests", "rich"}


def test_selftest_opens_the_window_over_the_data_and_exits_0_without_checking(home: Path) -> None:
    for title in ("Frieren", "Dandadan", "Apothecary Diaries"):
        assert tsuzuki("add", "--title", title, "--url", f"https://example.org/{len(title)}.xml",
                       "--provider", "feed").returncode == 0

    done = tsuzuki("--selftest")

    assert done.returncode == 0, done.stderr
    assert "passed (3 shows, window and tray)" in done.stdout
    assert (home / "watchlist.json").exists()
    assert not (home / "scheduler.json").exists()  # no first-run periodic checks turned on


def test_selftest_fails_while_the_app_runs_over_the_same_data(home: Path) -> None:
    from core.datafolder import DataFolder
    from core.instance import InstanceLock

    lock = InstanceLock(DataFolder.for_profile(None))
    lock.acquire("a test")
    try:
        done = tsuzuki("--selftest")
    finally:
        lock.release()

    assert done.returncode == 1
    assert done.stderr.startswith("tsuzuki --selftest: ")


def test_the_login_entry_starts_this_app_minimized(cli: Run, autostart: Path, folder: DataFolder) -> None:
    assert cli("settings", "set", "start_on_login", "true").code == 0
    argv = split_exec(exec_line((autostart / "tsuzuki.desktop").read_text()))
    app = subprocess.Popen(argv, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    try:
        wait_until_it_answers(folder, app)
        deadline = time.monotonic() + 10
        while "the window starts" not in (log := log_path(folder).read_text()):
            assert time.monotonic() < deadline, log
            time.sleep(0.1)
        app.send_signal(signal.SIGTERM)
        _out, err = app.communicate(timeout=10)
    finally:
        if app.poll() is None:
            app.kill()
    assert app.returncode == 0, err
    assert "the window starts minimized (no tray yet)" in log  # --minimized, where there is no tray
