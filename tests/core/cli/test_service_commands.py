"""tsuzuki check, scheduler status, --headless and --selftest."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from core import storage
from tests.cli_runner import Result, Run
from tests.loopback import LoopbackServer, ServedFile

VIDEO = os.urandom(200 * 1024)


def feed(loopback: LoopbackServer) -> str:
    return ('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>[G] Frieren - 01 (1080p)'
            f'</title><enclosure url="{loopback.url("/01.mkv")}" type="video/x-matroska" length="{len(VIDEO)}"/>'
            "</item></channel></rss>")


@pytest.fixture
def frieren(cli: Run, loopback: LoopbackServer, tmp_path: Path, qapp) -> str:  # type: ignore[no-untyped-def]
    loopback.route("/rss", feed(loopback))
    loopback.route("/01.mkv", handler=ServedFile(VIDEO))
    cli("settings", "set", "download_dir", str(tmp_path / "videos"))
    return cli("add", "--title", "Frieren", "--url", loopback.url("/rss"), "--provider", "feed", "--json").json()["id"]


def test_check_downloads_and_reports_in_json(cli: Run, frieren: str, tmp_path: Path) -> None:
    result = cli("check", frieren[:6], "--json")
    assert result.code == 0, result.err
    report = result.json()
    assert report["checked"] == 1 and [e["episode"] for e in report["new_episodes"]] == [1]
    [done] = report["downloaded"]
    assert (done["item_id"], done["episode"]) == (frieren, 1)
    assert Path(done["path"]) == tmp_path / "videos" / "Frieren" / "[G] Frieren - 01 (1080p).mkv"
    assert Path(done["path"]).read_bytes() == VIDEO
    assert (report["failed"], report["errors"]) == ([], [])
    again = cli("check", "--all", "--json").json()
    assert (again["new_episodes"], again["downloaded"]) == ([], [])
    assert "Checked 1 show(s): 0 new episode(s)." in cli("check", "--all").out


def test_a_broken_source_makes_check_exit_1_with_the_reason(cli: Run, loopback: LoopbackServer, qapp) -> None:  # type: ignore[no-untyped-def]
    loopback.route("/rss", "down", status=503)
    cli("add", "--title", "Frieren", "--url", loopback.url("/rss"), "--provider", "feed")
    result = cli("check", "--all", "--json")
    assert result.code == 1
    assert "answered 503" in result.json()["errors"][0]["error"]


def test_check_refuses_to_run_beside_a_running_instance(cli: Run, home: Path, qapp) -> None:  # type: ignore[no-untyped-def]
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from PySide6.QtCore import QLockFile; "
         "lock = QLockFile(sys.argv[1]); assert lock.tryLock(0); print('held', flush=True); time.sleep(60)",
         str(home / "instance.lock")], stdout=subprocess.PIPE, text=True)
    try:
        home.mkdir(exist_ok=True)
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        result = cli("check")
        assert result.code == 1
        assert "Tsuzuki is already running for this data folder" in result.err
    finally:
        holder.kill()
        holder.wait()


def test_scheduler_status(cli: Run) -> None:
    status = cli("scheduler", "status", "--json").json()
    assert status == {"running": False, "interval_hours": 6, "next_run_at": None, "last_run_at": None}
    assert "Scheduler: stopped, every 6 h." in cli("scheduler", "status").out


def test_selftest_reports_each_part(cli: Run, qapp) -> None:  # type: ignore[no-untyped-def]
    result = cli("--selftest", "--json")
    parts = {part["part"]: part for part in result.json()}
    assert set(parts) == {"qt", "data folder", "keyring", "providers", "parser"}
    assert result.code == 0 and all(part["ok"] for part in parts.values())
    assert parts["providers"]["detail"] == "directory, feed, ytdlp"


def test_headless_runs_the_scheduler_until_sigterm(home: Path, loopback: LoopbackServer) -> None:
    loopback.route("/rss", "down", status=500)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run([sys.executable, "-m", "core.cli.main", "add", "--title", "Frieren", "--url",
                    loopback.url("/rss"), "--provider", "feed"], check=True, capture_output=True, env=env)
    process = subprocess.Popen([sys.executable, "-m", "core.cli.main", "--headless"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env)
    assert process.stdout is not None
    assert "running headless" in process.stdout.readline()
    assert "Checked 1 show(s)" in process.stdout.readline()  # the missed check is caught up at once
    process.send_signal(signal.SIGTERM)
    out, _ = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "Stopping" in out
    assert json.loads((home / "scheduler.json").read_text())["running"] is True
    assert not (home / "instance.lock").exists()


def test_a_check_that_could_not_run_exits_1_and_says_why(cli: Run, frieren: str, home: Path) -> None:
    (home / "sources.json").mkdir()  # the source cache cannot be read: the check itself cannot run
    result = cli("check", "--all")
    assert result.code == 1
    assert "The check could not run" in result.err
    assert "Traceback" not in result.err
    assert cli("check", "--all", "--json").json()["errors"][0]["error"].startswith("The check could not run")


def test_explain_agrees_with_check_after_update_last_episode(cli: Run, frieren: str) -> None:
    assert cli("check", frieren).code == 0  # downloads episode 1
    assert cli("update", frieren, "--last-episode", "0").code == 0
    [candidate] = cli("explain", frieren, "--json").json()["candidates"]
    assert candidate["decision"] == "reject" and "already queued or downloaded" in candidate["reason"]
    again = cli("check", frieren)
    assert again.code == 0 and "0 new episode(s)" in again.out
    assert f"tsuzuki explain {frieren[:8]}" in again.out  # where to read why nothing was taken


def test_check_with_nothing_due_says_when_the_next_check_is(cli: Run, frieren: str) -> None:
    assert cli("check", "--all").code == 0
    result = cli("check")
    assert result.code == 0
    assert "No show is due for a check" in result.out and "Next check:" in result.out
    assert "--all" in result.out


def test_check_lines_name_the_show(cli: Run, frieren: str) -> None:
    result = cli("check", frieren)
    assert "got  Frieren episode 1 →" in result.out


def _disk_full_when_saving(where: str, text: str, monkeypatch: pytest.MonkeyPatch, *, unless: str = "\0") -> None:
    """The disk fills up as a file whose temp path holds ``where`` is saved with ``text`` in it
    (and not ``unless``; ENOSPC shows at fsync)."""
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        saved = os.pread(fd, 1 << 20, 0) if where in os.readlink(f"/proc/self/fd/{fd}") else b""
        if text.encode() in saved and unless.encode() not in saved:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(storage.os, "fsync", fsync)


def _disk_full_when_episodes_say(state: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills up as the episode book saves an episode in ``state``."""
    _disk_full_when_saving("/episodes/.", f'"{state}"', monkeypatch)


def _check_with_watchdog(cli: Run) -> Result:
    watchdog = threading.Timer(30, os.kill, (os.getpid(), signal.SIGINT))  # a hang fails, not blocks, the suite
    watchdog.start()
    try:
        return cli("check", "--all", "--json")
    finally:
        watchdog.cancel()


def test_a_save_failing_in_the_check_thread_is_reported_and_check_exits_1(
    cli: Run, frieren: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _disk_full_when_episodes_say("queued", monkeypatch)
    result = _check_with_watchdog(cli)
    assert result.code == 1, result.err
    [error] = result.json()["errors"]  # the show whose episode could not be saved
    assert error["item_id"] == frieren and "No space left on device" in error["error"]
    assert "Traceback" not in result.err


def test_a_save_failing_in_the_engine_fails_the_job_and_check_exits_1(
    cli: Run, frieren: str, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _disk_full_when_episodes_say("done", monkeypatch)
    result = _check_with_watchdog(cli)
    assert result.code == 1, result.err
    [failed] = result.json()["failed"]
    assert "No space left on device" in failed["error"]
    assert "Traceback" not in result.err
    [job] = json.loads((home / "downloads.json").read_text())["jobs"]
    assert job["state"] == "failed" and "No space left on device" in job["error"]


def test_a_save_failing_as_a_download_starts_fails_the_job_and_check_exits_1(
    cli: Run, frieren: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _disk_full_when_episodes_say("downloading", monkeypatch)
    result = _check_with_watchdog(cli)
    assert result.code == 1, result.err
    [failed] = result.json()["failed"]
    assert "No space left on device" in failed["error"] and "Traceback" not in result.err


def test_a_watchlist_save_failing_after_a_download_keeps_the_file_and_check_exits_1(
    cli: Run, frieren: str, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _disk_full_when_saving("/.watchlist.json.", '"last_episode_downloaded": 1', monkeypatch)
    result = _check_with_watchdog(cli)
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    [failed] = result.json()["failed"]
    assert "No space left on device" in failed["error"] and "downloaded to" in failed["error"]
    [job] = json.loads((home / "downloads.json").read_text())["jobs"]
    assert Path(job["path"] or failed["error"].split("downloaded to ")[1].split(",")[0]).is_file()


def test_a_download_whose_failure_cannot_be_saved_is_reported_once_not_retried(
    cli: Run, frieren: str, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _disk_full_when_saving("/.downloads.json.", '"state"', monkeypatch, unless='"queued"')  # queued, then full
    result = _check_with_watchdog(cli)
    assert result.code == 1, result.err
    [failed] = result.json()["failed"]
    assert "No space left on device" in failed["error"] and "Traceback" not in result.err
    [job] = json.loads((home / "downloads.json").read_text())["jobs"]
    assert job["state"] == "queued"  # as last saved: the next run tries again


def test_explain_says_when_the_data_folder_s_anime_relations_renumbered_an_episode(
    cli: Run, loopback: LoopbackServer, home: Path, qapp  # type: ignore[no-untyped-def]
) -> None:
    from core.datafolder import DataFolder
    from core.relations import FILE_NAME

    loopback.route("/rss", '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
                   "<title>[G] Frieren - 29 (1080p)</title><link>https://example.org/29.torrent</link>"
                   "</item></channel></rss>")
    added = cli("add", "--title", "Frieren", "--url", loopback.url("/rss"), "--provider", "feed", "--json").json()
    folder = DataFolder.for_profile(None).path
    (folder / FILE_NAME).write_text("- last_modified: 2099-01-01\n- ?|?|999:29-56 -> ?|?|154587:1-28!\n",
                                    encoding="utf-8")
    assert "renumbered" not in cli("explain", added["id"], "--json").out  # not linked to AniList yet
    (folder / "watchlist.json").write_text(
        (folder / "watchlist.json").read_text(encoding="utf-8").replace('"anilist_id": null', '"anilist_id": 154587'),
        encoding="utf-8")
    [candidate] = cli("explain", added["id"], "--json").json()["candidates"]
    assert (candidate["decision"], candidate["episode"]) == ("take", 1)
    assert "numbered 29 in the feed, renumbered 1 by the anime-relations table" in candidate["reason"]
    assert (candidate["reading"]["title"], candidate["reading"]["episode"]) == ("Frieren", 29)


def test_explain_shows_each_name_as_read_for_the_show(  # type: ignore[no-untyped-def]
    cli: Run, loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch, qapp
) -> None:
    loopback.route("/rss", '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
                   + "".join(f"<item><title>{name}</title><link>https://example.org/{index}.torrent</link></item>"
                             for index, name in enumerate(("[G] Mob Psycho 100 III - 06 (1080p)",
                                                           "[G] Mob Psycho 100 - 05 (1080p)")))
                   + "</channel></rss>")
    added = cli("add", "--title", "Mob Psycho 100 III", "--url", loopback.url("/rss"), "--provider", "feed",
                "--json").json()
    monkeypatch.setenv("COLUMNS", "250")  # each reading on one line
    shown = cli("explain", added["id"])
    assert shown.code == 0, shown.err
    assert "read as: Mob Psycho 100 III · episode 6 · 1080p · group G" in shown.out  # 100 is the title's
    assert "read as: Mob Psycho 100 · episode 5 · 1080p · group G" in shown.out  # another show's release
