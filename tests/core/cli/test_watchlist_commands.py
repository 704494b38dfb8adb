"""What a new user stumbled on: folder sources with spaces, odd input, settings checked when set."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.datafolder import DataFolder
from core.downloads.jobs import JobBook, JobState
from core.watchlist import WatchlistManager
from providers.base import LinkKind
from tests.cli_runner import Run

VIDEO = "[Group] My Show - 01 (1080p).mkv"


@pytest.fixture
def my_show(tmp_path: Path) -> Path:
    folder = tmp_path / "srv" / "anime" / "My Show"
    folder.mkdir(parents=True)
    (folder / VIDEO).write_bytes(b"\x1aE\xdf\xa3" + bytes(300 * 1024))
    return folder


@pytest.mark.parametrize("form", ["path", "file-url"])
def test_a_folder_with_spaces_is_a_directory_source_that_lists(
    cli: Run, my_show: Path, tmp_path: Path, form: str, qapp,  # type: ignore[no-untyped-def]
) -> None:
    url = str(my_show) if form == "path" else my_show.as_uri()
    assert "%20" in url or " " in url
    added = cli("add", "--title", "My Show", "--url", url, "--provider", "directory", "--json")
    assert added.code == 0, added.err
    assert added.json()["anime_url"] == str(my_show)
    explained = cli("explain", added.json()["id"][:8], "--json")
    assert explained.code == 0, explained.err
    assert [c["name"] for c in explained.json()["candidates"]] == [VIDEO]
    cli("settings", "set", "download_dir", str(tmp_path / "Downloads"))
    checked = cli("check", "--all", "--json")
    assert checked.code == 0, checked.err
    assert Path(checked.json()["downloaded"][0]["path"]).read_bytes() == (my_show / VIDEO).read_bytes()


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


def test_moving_a_source_to_a_missing_folder_warns(cli: Run, my_show: Path) -> None:
    item = cli("add", "--title", "My Show", "--url", str(my_show), "--provider", "directory", "--json").json()
    moved = cli("update", item["id"][:8], "--url", str(my_show.parent / "Gone"))
    assert moved.code == 0 and "warning:" in moved.err and "Gone does not exist" in moved.err
    assert cli("update", item["id"][:8], "--lang", "dub").err == ""


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


LONG_TITLE = "Sousou no Frieren: Beyond Journey's End, the Second Season with a Very Long Subtitle Indeed"


def test_list_is_readable_at_80_columns_and_marks_failures(
    cli: Run, folder: DataFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    long = cli("add", "--title", LONG_TITLE, "--url", "https://feeds.example.org/f.xml", "--provider", "feed",
               "--lang", "vostfr", "--quality", "1080p", "--json").json()
    broken = cli("add", "--title", "Mushishi", "--url", "https://feeds.example.org/m.xml", "--provider", "feed",
                 "--json").json()
    failed = cli("add", "--title", "Dungeon Meshi", "--url", "https://feeds.example.org/d.xml", "--provider", "feed",
                 "--json").json()
    cli("update", broken["id"], "--status", "completed")
    WatchlistManager(folder).record_checks({broken["id"]: "the feed answered 404 Not Found"})
    book = JobBook(folder)
    for state, error in ((JobState.DONE, None), (JobState.FAILED, "the server cut the connection")):
        job = book.add(item_id=failed["id"], anime_title="Dungeon Meshi", episode=3, release_name="x",
                       link="https://a.example/x.mkv", kind=LinkKind.HTTP)
        book.update(job.id, state=state, error=error)

    out = cli("list").out
    lines = out.splitlines()
    assert all(len(line) <= 80 for line in lines), out
    header = next(line for line in lines if "Title" in line)
    for column in ("ID", "Title", "Status", "Wants", "Auto", "Ep.", "Checked"):
        assert column in header.split(), header
    for item in (long, broken, failed):
        assert item["id"][:8] in out
    assert "Sousou no Frieren" in out and "completed" in out and "vostfr 1080p" in out
    assert f"{broken['id'][:8]}: source failed: the feed answered 404 Not Found" in " ".join(out.split())
    assert f"{failed['id'][:8]}: episode 3 failed to download: the server cut the connection" in " ".join(out.split())
    assert f"{long['id'][:8]}:" not in out.replace(long["id"][:8] + " ", "")


def test_show_prints_the_matching_fields(cli: Run) -> None:
    item = cli("add", "--title", "Frieren", "--url", "https://feeds.example.org/f.xml", "--provider", "feed",
               "--alias", "Sousou no Frieren", "--alias", "Frieren Beyond", "--prefer-group", "SubsPlease",
               "--block-group", "BadSubs", "--episode-offset", "28", "--json").json()
    out = " ".join(cli("show", item["id"][:8]).out.split())
    for expected in ("Aliases Sousou no Frieren, Frieren Beyond", "Preferred groups SubsPlease",
                     "Blocked groups BadSubs", "Episode offset 28"):
        assert expected in out, out


@pytest.mark.parametrize(
    ("option", "clear", "field"),
    [("--alias", "--clear-aliases", "title_aliases"),
     ("--prefer-group", "--clear-preferred-groups", "preferred_groups"),
     ("--block-group", "--clear-blocked-groups", "blocked_groups")],
)
def test_update_can_clear_aliases_and_groups(cli: Run, option: str, clear: str, field: str) -> None:
    item = cli("add", "--title", "Frieren", "--url", "https://feeds.example.org/f.xml", "--provider", "feed",
               option, "One", option, "Two", "--json").json()
    assert item[field] == ["One", "Two"]
    cleared = cli("update", item["id"][:8], clear, "--json")
    assert cleared.code == 0, cleared.err
    assert cleared.json()[field] == []
    both = cli("update", item["id"][:8], clear, option, "Three")
    assert both.code == 2 and "not allowed with" in both.err


def test_a_show_s_season_is_set_and_shown(cli: Run) -> None:
    item = cli("add", "--title", "Frieren", "--url", "https://feeds.example.org/f.xml", "--provider", "feed",
               "--json").json()
    assert item["season"] is None and "Season from its title" in " ".join(cli("show", item["id"]).out.split())
    result = cli("update", item["id"][:8], "--season", "2")
    assert result.code == 0, result.err
    assert "season none → 2" in result.out
    assert cli("update", item["id"][:8], "--season", "0").code == 2
