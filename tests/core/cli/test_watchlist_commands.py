"""What a new user stumbled on: folder sources with spaces, odd input, settings checked when set."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_runner import Run

VIDEO = "[Group] My Show - 01 (1080p).mkv"


@pytest.fixture
def my_show(tmp_path: Path) -> Path:
    folder = tmp_path / "srv" / "anime" / "My Show"
    folder.mkdir(parents=True)
    (folder / VIDEO).write_bytes(b"\0" * 4096)
    return folder


@pytest.mark.parametrize("form", ["path", "file-url"])
def test_a_folder_with_spaces_is_a_directory_source_that_lists(cli: Run, my_show: Path, form: str) -> None:
    url = str(my_show) if form == "path" else my_show.as_uri()
    assert "%20" in url or " " in url
    added = cli("add", "--title", "My Show", "--url", url, "--provider", "directory", "--json")
    assert added.code == 0, added.err
    assert added.json()["anime_url"] == str(my_show)
    explained = cli("explain", added.json()["id"][:8], "--json")
    assert explained.code == 0, explained.err
    assert [c["name"] for c in explained.json()["candidates"]] == [VIDEO]


def test_a_title_with_bytes_that_are_not_utf8_is_refused_plainly(home: Path) -> None:
    title = os.fsdecode(b"Bad\xff title")  # what a real process gets in argv for those bytes
    done = subprocess.run(
        [sys.executable, "-m", "core.cli.main", "add", "--title", title, "--url", "https://a.example/x.xml",
         "--provider", "feed"], capture_output=True, timeout=60,
    )
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2, err
    assert "Traceback" not in err and "not valid UTF-8" in err and "Bad\\xff title" in err
    assert not (home / "watchlist.json").exists()


def test_a_missing_directory_source_is_accepted_with_a_warning(cli: Run, tmp_path: Path) -> None:
    missing = tmp_path / "unmounted" / "Show"
    added = cli("add", "--title", "Show", "--url", str(missing), "--provider", "directory")
    assert added.code == 0, added.err
    assert "warning:" in added.err and str(missing) in added.err and "does not exist" in added.err
    assert cli("list", "--json").json()[0]["anime_url"] == str(missing)


def test_an_existing_directory_source_gets_no_warning(cli: Run, my_show: Path) -> None:
    assert cli("add", "--title", "My Show", "--url", str(my_show), "--provider", "directory").err == ""


def test_download_dir_is_created_when_set(cli: Run, tmp_path: Path) -> None:
    target = tmp_path / "Videos" / "Anime"
    result = cli("settings", "set", "download_dir", str(target))
    assert result.code == 0, result.err
    assert target.is_dir()
    assert cli("settings", "get", "download_dir").out.strip() == str(target)


# Tests run as root, who may write anywhere the mode bits say no; these places refuse even root:
# a path under a file (ENOTDIR), a folder under /proc (the kernel refuses mkdir), /proc itself (no files).
@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("file", "is a file, not a folder"),
        ("under-file", "cannot be created"),
        ("/proc/tsuzuki-downloads", "cannot be created"),
        ("/proc", "cannot be written"),
    ],
)
def test_download_dir_that_cannot_be_used_is_refused_when_set(
    cli: Run, home: Path, tmp_path: Path, where: str, message: str
) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    path = {"file": str(a_file), "under-file": str(a_file / "Anime")}.get(where, where)
    cli("settings", "set", "check_interval_hours", "8")
    before = (home / "settings.json").read_bytes()
    result = cli("settings", "set", "download_dir", path)
    assert result.code == 2, result
    assert message in result.err and path in result.err and "Traceback" not in result.err
    assert (home / "settings.json").read_bytes() == before
    assert not (a_file / "Anime").exists()
