"""What only separate processes can show: restarts, concurrency, damaged files."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.cli_runner import ADD_FRIEREN, Run


def test_the_installed_command_runs() -> None:
    script = Path(sys.executable).with_name("tsuzuki")
    assert script.exists(), "the 'tsuzuki' entry point is not installed next to this Python"
    done = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("tsuzuki ")


def test_an_added_show_survives_a_restart(tsuzuki_process: Run) -> None:
    added = tsuzuki_process(*ADD_FRIEREN, "--lang", "vostfr", "--json")
    assert added.code == 0, added.err
    listed = tsuzuki_process("list", "--json")
    assert listed.code == 0
    assert listed.json() == [added.json()]


def test_concurrent_commands_wait_for_each_other(tsuzuki_process: Run) -> None:
    def add(n: int) -> int:
        return tsuzuki_process("add", "--title", f"Show {n}", "--url", f"https://example.org/{n}.xml",
                               "--provider", "feed").code

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(add, range(8)))
    assert codes == [0] * 8
    titles = sorted(item["anime_title"] for item in tsuzuki_process("list", "--json").json())
    assert titles == [f"Show {n}" for n in range(8)]


def test_a_hand_corrupted_watchlist_is_kept_and_reported(tsuzuki_process: Run, home: Path) -> None:
    tsuzuki_process(*ADD_FRIEREN)
    watchlist = home / "watchlist.json"
    damaged = watchlist.read_bytes()[:-40]  # an editor crash mid-save
    watchlist.write_bytes(damaged)

    listed = tsuzuki_process("list", "--json")

    assert listed.code == 0
    assert listed.json() == []
    [moved] = list(home.glob("watchlist.json.corrupt-*"))
    assert moved.read_bytes() == damaged
    assert "tsuzuki: warning: watchlist.json could not be read (it is not valid JSON" in listed.err
    assert str(moved) in listed.err.replace("\n", "")
    assert json.loads(watchlist.read_text())["items"] == []
    assert tsuzuki_process("list", "--json").err == ""


def test_a_file_from_a_newer_tsuzuki_stops_the_command(tsuzuki_process: Run, home: Path) -> None:
    home.mkdir(mode=0o700)
    content = b'{"schema_version": 3, "items": []}'
    (home / "watchlist.json").write_bytes(content)
    result = tsuzuki_process(*ADD_FRIEREN)
    assert result.code == 1
    assert "written by a newer version of Tsuzuki" in result.err
    assert (home / "watchlist.json").read_bytes() == content
