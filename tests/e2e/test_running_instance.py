"""While ``tsuzuki --headless`` runs, the command line's commands go to it: real processes, a real socket.

Each test starts the console script (``python -m gui``) with ``--headless`` on its own data folder,
runs ``tsuzuki`` commands as separate processes against it, with sources served on the loopback,
and stops it with SIGTERM (it must exit 0).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_interrupts import _wait_for as wait_for
from tests.e2e.test_pipeline import EPISODES, podcast_feed, serve_episodes
from tests.loopback import LoopbackServer, ServedFile

REPO = Path(__file__).resolve().parents[2]
TSUZUKI = [sys.executable, "-m", "gui"]  # the console script
MB = 1024 * 1024
DATA = os.urandom(4 * MB)
HOLD = 2 * MB  # a held episode's server stalls after this much: a download caught mid-way
UNKNOWN = "0000dead"  # no show or download has this id


def release_file(number: int) -> str:
    return f"[Studio] Frieren - {number:02d} (1080p).mp4"


def tsuzuki(*argv: str) -> subprocess.CompletedProcess[str]:
    return together(argv)[0]


def together(*commands: tuple[str, ...]) -> list[subprocess.CompletedProcess[str]]:
    """Run these ``tsuzuki`` commands side by side (each start costs seconds); their results, in order."""
    started = [(argv, subprocess.Popen([*TSUZUKI, *argv], cwd=REPO, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True)) for argv in commands]
    results = []
    for argv, process in started:
        try:
            out, err = process.communicate(timeout=20)
        finally:
            process.kill()
        results.append(subprocess.CompletedProcess([*TSUZUKI, *argv], process.returncode, out, err))
    return results


def answer(*argv: str) -> Any:
    """``tsuzuki ARGV --json``'s document; the command must succeed."""
    return parsed(tsuzuki(*argv, "--json"))


def parsed(done: subprocess.CompletedProcess[str]) -> Any:
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def jobs() -> list[dict[str, Any]]:
    """``tsuzuki downloads list --json``."""
    return answer("downloads", "list")


def saved_jobs(home: Path) -> dict[int, dict[str, Any]]:
    """Episode -> its job as downloads.json has it now: cheaper to poll than ``tsuzuki downloads list``."""
    saved = home / "downloads.json"
    return {job["episode"]: job for job in json.loads(saved.read_text())["jobs"]} if saved.exists() else {}


def in_state(home: Path, episode: int, state: str) -> bool:
    job = saved_jobs(home).get(episode)
    return job is not None and job["state"] == state


def let_through(served: ServedFile) -> None:
    """Let the response held now go on; the next one holds again (at ``served.hold_at``)."""
    held, served.gate = served.gate, threading.Event()
    held.set()


class Headless:
    """``tsuzuki --headless`` in a process of its own; what it prints goes to ``log``."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self._out = log.open("w")
        wide = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "500"}  # whole lines, written as they come
        self.process = subprocess.Popen([*TSUZUKI, "--headless"], cwd=REPO, env=wide,
                                        stdout=self._out, stderr=subprocess.STDOUT, text=True)
        self.wait_for_output("running headless")  # said once it takes commands

    def output(self) -> str:
        return self.log.read_text()

    def wait_for_output(self, text: str) -> None:
        wait_for(lambda: text in self.output() or self.process.poll() is not None, seconds=15)
        assert text in self.output(), self.output()

    def stop(self) -> int:
        """SIGTERM, as a service manager stops it; its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=10)
        finally:
            self.process.kill()
            self._out.close()


@pytest.fixture
def start_headless(home: Path, tmp_path: Path) -> Iterator[Callable[[], Headless]]:
    """Starts ``tsuzuki --headless`` on the test's data folder; every one started is stopped at the end
    and must have exited 0."""
    started: list[Headless] = []

    def start() -> Headless:
        started.append(Headless(tmp_path / f"headless-{len(started)}.log"))
        return started[-1]

    yield start
    for headless in started:
        assert headless.stop() == 0, headless.output()


@pytest.fixture
def videos(tmp_path: Path) -> Path:
    return tmp_path / "videos"


def serve_show(loopback: LoopbackServer, files: dict[int, ServedFile]) -> str:
    """Serve a feed of these episodes (``/epNN.mp4``); its address."""
    for number, served in files.items():
        loopback.route(f"/ep{number:02d}.mp4", handler=served)
    feed = podcast_feed(loopback, sorted(files), {number: len(served.data) for number, served in files.items()})
    loopback.route("/feed.xml", feed, headers={"Content-Type": "application/rss+xml"})
    return loopback.url("/feed.xml")


def add_show(feed: str) -> str:
    """Add Frieren from ``feed``; its id."""
    return answer("add", "--title", "Frieren", "--url", feed, "--provider", "feed")["id"]


def set_download_dir(videos: Path) -> None:
    assert tsuzuki("settings", "set", "download_dir", str(videos)).returncode == 0


def test_a_show_added_while_headless_runs_is_downloaded_at_once(
    start_headless: Callable[[], Headless], loopback: LoopbackServer, videos: Path
) -> None:
    headless = start_headless()
    headless.wait_for_output("Checked 0 show(s)")  # its first scheduled check, on an empty watchlist
    assert [done.returncode for done in together(("settings", "set", "download_dir", str(videos)),
                                                 ("settings", "set", "check_interval_hours", "168"))] == [0, 0]
    served = ServedFile(DATA, content_type="video/mp4", hold_at=HOLD)

    show = add_show(serve_show(loopback, {1: served}))  # returns while the episode's server holds

    def state() -> str | None:
        listed = jobs()  # polled the way a script would
        return listed[0]["state"] if listed else None

    wait_for(lambda: state() == "running", seconds=10)  # checked at once: no waiting for 168 h
    served.gate.set()
    wait_for(lambda: state() == "done", seconds=10)
    [job] = jobs()
    assert (job["item_id"], job["path"]) == (show, str(videos / "Frieren" / release_file(1)))
    assert (videos / "Frieren" / release_file(1)).read_bytes() == DATA
    headless.wait_for_output(f"Downloaded Frieren 1: {videos / 'Frieren' / release_file(1)}")
    assert "Checked 1 show(s): 1 new, 1 queued, 0 source error(s)." in headless.output()


def held_download(loopback: LoopbackServer, videos: Path, home: Path) -> tuple[ServedFile, str, Path, str]:
    """A show added to the running instance, its episode 1 held at ``HOLD`` bytes: the server, the
    show's id, the ``.part`` file and the job's id."""
    set_download_dir(videos)
    served = ServedFile(DATA, content_type="video/mp4", hold_at=HOLD)
    show = add_show(serve_show(loopback, {1: served}))
    part = videos / "Frieren" / f"{release_file(1)}.part"
    wait_for(lambda: part.exists() and part.stat().st_size == HOLD, seconds=10)
    return served, show, part, saved_jobs(home)[1]["id"]


def test_cancel_skips_a_download_held_mid_way_and_retry_completes_it(
    start_headless: Callable[[], Headless], loopback: LoopbackServer, videos: Path, home: Path
) -> None:
    start_headless()
    served, show, part, job_id = held_download(loopback, videos, home)

    cancel = tsuzuki("downloads", "cancel", job_id[:6])

    assert cancel.returncode == 0, cancel.stderr
    assert cancel.stdout.strip() == f"Cancelling: Frieren episode 1 (id {job_id[:8]})."
    let_through(served)  # the transfer sees its cancel at the next bytes
    wait_for(lambda: in_state(home, 1, "cancelled"), seconds=10)
    [cancelled] = jobs()
    assert (cancelled["id"], cancelled["state"], cancelled["error"]) == (job_id, "cancelled", "cancelled")
    episodes = json.loads((home / "episodes" / f"{show}.json").read_text())["episodes"]
    assert episodes["1"]["state"] == "skipped"
    assert part.stat().st_size == HOLD  # kept, to resume from

    served.hold_at = MB  # the retried download stalls 1 MB after where it resumes
    retry = tsuzuki("downloads", "retry", job_id[:6])

    assert retry.returncode == 0, retry.stderr
    assert retry.stdout.strip() == f"Queued again: Frieren episode 1 (id {job_id[:8]})."
    wait_for(lambda: part.exists() and part.stat().st_size == HOLD + MB, seconds=10)
    assert in_state(home, 1, "running")  # held: not done before the gate opens
    served.gate.set()
    wait_for(lambda: in_state(home, 1, "done"), seconds=10)
    assert [job["state"] for job in jobs()] == ["done"]
    assert (videos / "Frieren" / release_file(1)).read_bytes() == DATA
    assert not part.exists()
    assert loopback.requests_to("/ep01.mp4")[-1].headers["range"] == f"bytes={HOLD}-"  # resumed, not refetched


def test_remove_of_a_running_download_cancels_it_and_deletes_its_part(
    start_headless: Callable[[], Headless], loopback: LoopbackServer, videos: Path, home: Path
) -> None:
    start_headless()
    served, _show, part, job_id = held_download(loopback, videos, home)

    removed = tsuzuki("downloads", "remove", job_id[:6])

    assert removed.returncode == 0, removed.stderr
    assert removed.stdout.strip() == f"Removed: Frieren episode 1 (id {job_id[:8]})."
    let_through(served)  # the transfer sees it must stop at the next bytes
    wait_for(lambda: not part.exists() and not saved_jobs(home), seconds=10)
    assert jobs() == []
    assert list(videos.rglob("*.mp4")) == []


def test_removing_a_show_while_headless_runs_leaves_none_of_its_files_but_finished_videos(
    start_headless: Callable[[], Headless], loopback: LoopbackServer, videos: Path, home: Path
) -> None:
    start_headless()
    assert [done.returncode for done in together(("settings", "set", "download_dir", str(videos)),
                                                 ("settings", "set", "max_parallel_downloads", "1"))] == [0, 0]
    held = ServedFile(DATA, content_type="video/mp4", hold_at=HOLD)
    show = add_show(serve_show(loopback, {1: ServedFile(EPISODES[1], content_type="video/mp4"), 2: held,
                                          3: ServedFile(EPISODES[2], content_type="video/mp4")}))
    part = videos / "Frieren" / f"{release_file(2)}.part"
    wait_for(lambda: part.exists() and part.stat().st_size == HOLD, seconds=10)
    assert {n: job["state"] for n, job in saved_jobs(home).items()} == {1: "done", 2: "running", 3: "queued"}

    removed = tsuzuki("remove", show[:8])

    assert removed.returncode == 0, removed.stderr
    assert removed.stdout.strip() == f"Removed 'Frieren' (id {show[:8]})."
    let_through(held)  # the transfer sees it must stop at the next bytes
    wait_for(lambda: not part.exists(), seconds=10)
    listed, shows = together(("downloads", "list", "--json"), ("list", "--json"))
    assert [(job["episode"], job["state"]) for job in parsed(listed)] == [(1, "done")]  # the history keeps it
    assert parsed(shows) == []
    assert not (home / "episodes" / f"{show}.json").exists()
    assert sorted(path.name for path in videos.rglob("*")) == ["Frieren", release_file(1)]
    assert (videos / "Frieren" / release_file(1)).read_bytes() == EPISODES[1]


BAD_INPUT = [  # one of each way a command reaches the instance
    ("pause", UNKNOWN),
    ("downloads", "cancel", UNKNOWN),
    ("check", UNKNOWN),
    ("settings", "set", "check_interval_hours", "500"),
]


def test_bad_input_fails_the_same_through_the_instance_as_on_the_files(
    start_headless: Callable[[], Headless],
) -> None:
    on_files = together(*BAD_INPUT)
    start_headless()

    through = together(*BAD_INPUT)

    for argv, here, there in zip(BAD_INPUT, on_files, through, strict=True):
        assert here.returncode == 2 and here.stderr.startswith("tsuzuki: error: "), (argv, here.stderr)
        assert (there.returncode, there.stdout, there.stderr) == (2, "", here.stderr), argv


def test_check_through_the_instance_prints_the_json_a_check_on_the_files_prints(
    start_headless: Callable[[], Headless], loopback: LoopbackServer, videos: Path
) -> None:
    serve_episodes(loopback)
    loopback.route("/feed.xml", podcast_feed(loopback, [1]), headers={"Content-Type": "application/rss+xml"})
    directory, added = together(("settings", "set", "download_dir", str(videos)),
                                ("add", "--title", "Frieren", "--url", loopback.url("/feed.xml"), "--provider", "feed",
                                 "--json"))
    assert directory.returncode == 0, directory.stderr
    show = parsed(added)["id"]
    here = parsed(tsuzuki("check", show[:8], "--json"))
    headless = start_headless()
    headless.wait_for_output("Checked 0 show(s)")  # the show was just checked: not due
    loopback.route("/feed.xml", podcast_feed(loopback, [1, 2]), headers={"Content-Type": "application/rss+xml"})

    there = parsed(tsuzuki("check", show[:8], "--json"))  # a check here would fail: the instance holds the lock

    assert set(here) == {"checked", "new_episodes", "downloaded", "failed", "errors"}
    assert shape(here) == shape(there)
    assert [episode["episode"] for episode in here["new_episodes"] + there["new_episodes"]] == [1, 2]
    assert Path(there["downloaded"][0]["path"]).read_bytes() == EPISODES[2]


def shape(document: Any) -> Any:
    """A JSON document's keys and the types of its values, all the way down."""
    if isinstance(document, dict):
        return {key: shape(value) for key, value in document.items()}
    if isinstance(document, list):
        return [shape(value) for value in document]
    return type(document).__name__


def test_scheduler_status_follows_the_instance_and_commands_work_on_the_files_after_it_stops(
    start_headless: Callable[[], Headless], loopback: LoopbackServer, videos: Path, home: Path
) -> None:
    headless = start_headless()
    set_download_dir(videos)
    show = add_show(serve_show(loopback, {1: ServedFile(EPISODES[1], content_type="video/mp4")}))
    wait_for(lambda: in_state(home, 1, "done"), seconds=10)

    running, listed = map(parsed, together(("scheduler", "status", "--json"), ("downloads", "list", "--json")))
    assert headless.stop() == 0
    stopped, listed_after, paused = together(("scheduler", "status", "--json"), ("downloads", "list", "--json"),
                                             ("pause", show[:8]))

    assert running["running"] is True and running["next_run_at"] is not None
    assert parsed(stopped)["running"] is False and parsed(stopped)["next_run_at"] is None
    assert parsed(listed_after) == listed  # read from the files now
    assert [job["state"] for job in listed] == ["done"]
    assert paused.returncode == 0, paused.stderr
    assert paused.stdout.strip() == "Paused 'Frieren': it will not be checked until resumed."
    assert "Stopping: downloads in progress will resume next time." in headless.output()
