"""A data folder that cannot be written (a read-only bind mount: tests run as root, so chmod would not stop
writes): reading commands work, writing ones exit 1 with a plain message, nothing is changed."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli_runner import ADD_FRIEREN, Run


@pytest.fixture
def read_only_home(home: Path, tsuzuki_process: Run) -> Iterator[str]:
    show = tsuzuki_process(*ADD_FRIEREN, "--json").json()["id"]
    assert tsuzuki_process("settings").code == 0
    try:
        subprocess.run(["mount", "--bind", str(home), str(home)], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("needs to bind-mount a folder read-only (root)")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(home)], check=True, capture_output=True)
        yield show
    finally:
        subprocess.run(["umount", str(home)], check=True)


@pytest.mark.parametrize("argv", [("list",), ("show", "{id}"), ("stats",), ("settings",),
                                  ("scheduler", "status"), ("list", "--json")])
def test_reading_commands_work(read_only_home: str, tsuzuki_process: Run, argv: tuple[str, ...]) -> None:
    result = tsuzuki_process(*(arg.format(id=read_only_home) for arg in argv))
    assert result.code == 0, result.err
    assert len(result.err.splitlines()) <= 1 and "Traceback" not in result.err


@pytest.mark.parametrize("argv", [ADD_FRIEREN, ("update", "{id}", "--quality", "720p"), ("remove", "{id}"),
                                  ("settings", "set", "check_interval_hours", "12"), ("check", "--all")])
def test_writing_commands_exit_1_with_a_plain_message(read_only_home: str, tsuzuki_process: Run, home: Path,
                                                      argv: tuple[str, ...]) -> None:
    before = {path: path.read_bytes() for path in home.rglob("*") if path.is_file()}
    result = tsuzuki_process(*(arg.format(id=read_only_home) for arg in argv))
    assert result.code == 1, result.err
    assert "tsuzuki: error:" in result.err and "Read-only file system" in result.err
    assert "Traceback" not in result.err
    assert {path: path.read_bytes() for path in home.rglob("*") if path.is_file()} == before
