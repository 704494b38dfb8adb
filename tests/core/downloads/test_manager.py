"""The download queue: bounded parallelism, cancel, retry, remove, crash recovery, episode states."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from core.changes import ChangeListener
from core.datafolder import DataFolder
from core.downloads.http_transfer import DownloadCancelled, DownloadError
from core.downloads.jobs import DownloadJob, JobBook, JobState
from core.downloads.manager import DownloadManager
from core.downloads.queue import DownloadQueue
from core.episodes import EpisodeBook, EpisodeState
from core.models import NewEpisodeInfo, WatchlistItemCreate, WatchlistStatus, utc_now
from core.settings import SettingsStore
from core.tasks import TaskRunner
from core.watchlist import WatchlistManager
from providers.base import LinkKind, Release


class Gate:
    """A transfer that runs until the test opens its gate (or the job is stopped)."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.failing: set[str] = set()
        self.running: set[str] = set()
        self.peak = 0
        self._lock = threading.Lock()

    def __call__(self, job: DownloadJob, download_dir: Path, progress: Callable[[int, int | None], None],
                 stop: threading.Event) -> str:
        with self._lock:
            self.running.add(job.release_name)
            self.peak = max(self.peak, len(self.running))
        progress(10, 100)
        while not (self.open.wait(0.01) or stop.is_set()):
            pass
        with self._lock:
            self.running.discard(job.release_name)
        if stop.is_set():
            raise DownloadCancelled()
        if job.release_name in self.failing:
            raise DownloadError("the server sent a web page instead of the video")
        return str(download_dir / job.release_name)


class Recorder(ChangeListener):
    """Keeps every download change it is told of."""

    def __init__(self) -> None:
        self.changes: list[DownloadJob] = []

    def download_changed(self, job: DownloadJob) -> None:
        self.changes.append(job)


def manager(folder: DataFolder, transfer: Gate, runner: TaskRunner, listener: ChangeListener) -> DownloadManager:
    """A manager of its own over ``folder``'s files."""
    settings = SettingsStore(folder)
    queue = DownloadQueue(JobBook(folder), EpisodeBook(folder), WatchlistManager(folder), settings.get, listener)
    return DownloadManager(queue, settings.get, transfer, runner)


class Setup:
    def __init__(self, folder: DataFolder, gate: Gate) -> None:
        self.watchlist = WatchlistManager(folder)
        self.settings = SettingsStore(folder)
        self.episodes = EpisodeBook(folder)
        self.jobs = JobBook(folder)
        self.gate = gate
        self.show = self.watchlist.create(WatchlistItemCreate(
            anime_title="Frieren", anime_url="https://example.org/rss", provider_id="feed", episode_count=3))
        self.runner = TaskRunner()
        self.recorder = Recorder()
        self.manager = manager(folder, gate, self.runner, self.recorder)

    def shutdown(self) -> None:
        self.manager.stop()
        assert self.runner.shutdown(3000)

    def queue(self, episode: int, auto: bool = True) -> DownloadJob:
        name = f"[G] Frieren - {episode:02d} (1080p).mkv"
        assert self.episodes.claim(self.show.id, episode, name, f"https://example.org/{episode}.mkv", LinkKind.HTTP)
        info = NewEpisodeInfo(item_id=self.show.id, anime_title="Frieren", episode=episode, release_name=name,
                              download_url=f"https://example.org/{episode}.mkv", found_at=utc_now())
        return self.manager.enqueue(self.show, info, Release(name, info.download_url, LinkKind.HTTP), auto=auto)

    def state(self, job: DownloadJob) -> JobState:
        found = self.jobs.get(job.id)
        assert found is not None
        return found.state


@pytest.fixture
def setup(folder: DataFolder, qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    gate = Gate()
    made = Setup(folder, gate)
    made.settings.set_values(download_dir=str(tmp_path / "videos"), max_parallel_downloads=2,
                             max_concurrent_auto_downloads=1)
    yield made
    gate.open.set()
    made.shutdown()


def test_parallel_downloads_are_bounded_and_auto_ones_capped(setup: Setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    auto = [setup.queue(1), setup.queue(2)]
    manual = setup.queue(3, auto=False)
    qtbot.waitUntil(lambda: len(setup.gate.running) == 2)
    assert setup.state(auto[0]) is JobState.RUNNING and setup.state(manual) is JobState.RUNNING
    assert setup.state(auto[1]) is JobState.QUEUED  # one auto-download at a time
    with qtbot.waitSignal(setup.manager.idle, timeout=10_000):
        setup.gate.open.set()
    assert setup.gate.peak == 2
    assert [setup.state(job) for job in (*auto, manual)] == [JobState.DONE] * 3
    assert {n: r.state for n, r in setup.episodes.episodes(setup.show.id).items()} == {
        1: EpisodeState.DONE, 2: EpisodeState.DONE, 3: EpisodeState.DONE}


def test_the_last_episode_downloaded_completes_the_show(setup: Setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    setup.gate.open.set()
    with qtbot.waitSignal(setup.manager.finished, timeout=10_000):
        setup.queue(3, auto=False)
    show = setup.watchlist.get(setup.show.id)
    assert (show.last_episode_downloaded, show.status) == (3, WatchlistStatus.COMPLETED)


def test_cancel_a_running_download(setup: Setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    job = setup.queue(1)
    qtbot.waitUntil(lambda: setup.state(job) is JobState.RUNNING)
    setup.manager.cancel(job.id[:6])
    qtbot.waitUntil(lambda: any(change.state is JobState.CANCELLED for change in setup.recorder.changes))
    record = setup.episodes.episodes(setup.show.id)[1]
    assert (record.state, record.reason) == (EpisodeState.SKIPPED, "cancelled")


def test_a_failure_keeps_its_reason_and_retry_runs_it_again(setup: Setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    setup.gate.failing.add("[G] Frieren - 01 (1080p).mkv")
    setup.gate.open.set()
    with qtbot.waitSignal(setup.manager.failed, timeout=10_000) as failed:
        job = setup.queue(1)
    assert failed.args[0].error == "the server sent a web page instead of the video"
    assert setup.episodes.episodes(setup.show.id)[1].state is EpisodeState.FAILED
    setup.gate.failing.clear()
    with qtbot.waitSignal(setup.manager.finished, timeout=10_000):
        setup.manager.retry(job.id)
    retried = setup.jobs.get(job.id)
    assert retried is not None and (retried.state, retried.attempts, retried.error) == (JobState.DONE, 2, None)


def test_remove_forgets_a_finished_job(setup: Setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    setup.gate.open.set()
    with qtbot.waitSignal(setup.manager.finished, timeout=10_000):
        job = setup.queue(1)
    setup.manager.remove(job.id)
    assert setup.jobs.get(job.id) is None


def test_jobs_interrupted_by_a_crash_resume_at_start(folder: DataFolder, setup: Setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    job = setup.queue(1)
    qtbot.waitUntil(lambda: setup.state(job) is JobState.RUNNING)
    # A crash: the file still says "running", and a new manager starts.
    restarted_gate = Gate()
    restarted_gate.open.set()
    runner = TaskRunner()
    again = manager(folder, restarted_gate, runner, ChangeListener())
    setup.shutdown()
    assert setup.state(job) is JobState.RUNNING
    with qtbot.waitSignal(again.finished, timeout=10_000):
        again.start()
    assert setup.state(job) is JobState.DONE
    again.stop()
    assert runner.shutdown(3000)


def test_quitting_pauses_downloads_instead_of_cancelling_them(setup: Setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    job = setup.queue(1)
    qtbot.waitUntil(lambda: setup.state(job) is JobState.RUNNING)
    setup.shutdown()
    qtbot.wait(50)
    assert setup.state(job) is JobState.RUNNING  # goes back to the queue at the next start()
    assert setup.episodes.episodes(setup.show.id)[1].state is EpisodeState.DOWNLOADING


def test_settings_limit_is_read_when_jobs_start(setup: Setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    setup.settings.set_values(max_parallel_downloads=1)
    first, second = setup.queue(1, auto=False), setup.queue(2, auto=False)
    qtbot.waitUntil(lambda: setup.state(first) is JobState.RUNNING)
    assert setup.state(second) is JobState.QUEUED


def test_a_show_removed_meanwhile_is_not_an_error(setup: Setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    job = setup.queue(1)
    qtbot.waitUntil(lambda: setup.state(job) is JobState.RUNNING)
    setup.watchlist.delete(setup.show.id)
    with qtbot.waitSignal(setup.manager.finished, timeout=10_000):
        setup.gate.open.set()
    assert setup.watchlist.list_items() == []
