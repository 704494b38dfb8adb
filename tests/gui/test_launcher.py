"""The ``tsuzuki`` console script (``gui.launcher``), run as a process the way it is installed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from core import __version__

ROOT = Path(__file__).resolve().parents[2]


def tsuzuki(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gui", *argv], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)


def test_no_arguments_prints_the_help_until_the_window_exists(home: Path) -> None:
    done = tsuzuki()
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: tsuzuki")
    assert done.stdout == tsuzuki("--help").stdout


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
