"""The app as a user's desktop runs it: a real X screen with a tray host (Xvfb + trayer).

Started as the autostart entry starts it (``--minimized``), it owns the data folder; a second
launch only asks it to show its window; SIGTERM (a logout) ends it within 3 s with exit code 0,
as headless mode does, and leaves the folder free for the next command.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from core.datafolder import DataFolder
from core.instance import INSTANCE_LOCK
from core.instance_client import connect
from core.logs import log_path
from tests.tray_host import needs_tray_host, tray_host

ROOT = Path(__file__).resolve().parents[2]

pytestmark = needs_tray_host


def gui(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gui", *argv], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)


def wait_until_it_answers(folder: DataFolder, app: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while connect(folder) is None:
        assert app.poll() is None, app.communicate()
        assert time.monotonic() < deadline, "the app never listened on its socket"
        time.sleep(0.1)


def test_second_launch_then_sigterm_under_a_real_tray(folder: DataFolder) -> None:
    with tray_host() as env:
        _second_launch_then_sigterm(folder, env)


def _second_launch_then_sigterm(folder: DataFolder, env: dict[str, str]) -> None:
    app = subprocess.Popen([sys.executable, "-m", "gui", "--minimized"], cwd=ROOT, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_until_it_answers(folder, app)
        second = gui()
        assert (second.returncode, second.stdout) == (
            0, "Tsuzuki is already running for this data folder: it was asked to show its window.\n")
        pid = int(folder.file(INSTANCE_LOCK).read_text().split()[0])  # QLockFile: the holder's pid first
        started = time.monotonic()
        os.kill(pid, signal.SIGTERM)
        _out, err = app.communicate(timeout=10)
        took = time.monotonic() - started
    finally:
        if app.poll() is None:
            app.kill()
    assert app.returncode == 0, err
    assert took <= 3.0
    assert "Warning" not in err and "Traceback" not in err, err
    assert "the desktop app starts" in log_path(folder).read_text()  # the app keeps the log, as commands do
    after = gui("check", "--all", "--json")
    assert after.returncode == 0, after.stderr


def test_the_tray_menu_under_a_real_tray_host() -> None:
    """tray_under_a_host.py: the icon in the host, its menu opened on it, each row doing its work."""
    with tray_host() as env:
        run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xvfb",
                              str(ROOT / "tests" / "gui" / "tray_under_a_host.py")],
                             cwd=ROOT, env={**env, "QT_QPA_PLATFORM": "xcb"}, capture_output=True, text=True,
                             timeout=120)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "3 passed" in run.stdout.splitlines()[-1]
