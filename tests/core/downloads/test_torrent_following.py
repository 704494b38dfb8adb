"""A torrent handed to the user's client is followed until the client has it all: through a real
DownloadManager and TransferRunner, against a FakeQBittorrent on the loopback server."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from core.changes import ChangeListener
from core.datafolder import DataFolder
from core.downloads import manager as manager_module
from core.downloads.jobs import DownloadJob, JobBook, JobState
from core.downloads.manager import DownloadManager
from core.downloads.queue import DownloadQueue
from core.downloads.torrent_base import TorrentClientSettings
from core.downloads.torrent_clients import PASSWORD_SECRET, TorrentClientConfig
from core.downloads.transfers import TransferRunner
from core.episodes import EpisodeBook, EpisodeState
from core.models import NewEpisodeInfo, WatchlistItemCreate, WatchlistStatus, utc_now
from core.secrets import SecretStore
from core.settings import SettingsStore
from core.tasks import TaskRunner
from core.watchlist import WatchlistManager
from providers.base import LinkKind, Release
from tests.core.downloads.qbittorrent_server import API, FakeQBittorrent
from tests.loopback import LoopbackServer, Route, SeenRequest

POLL_MS = 50
HASH = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a"
MAGNET = f"magnet:?xt=urn:btih:{HASH}&dn=Frieren+-+03"
RELEASE = "[G] Frieren - 03 (1080p).mkv"
INFO = API + "torrents/info"


class Following:
    """A show, a qBittorrent set up as its torrent client, and download managers over the same files."""

    def __init__(self, folder: DataFolder, qbt: FakeQBittorrent, tmp_path: Path, poll_ms: int) -> None:
        self.folder = folder
        self.poll_ms = poll_ms
        self.qbt = qbt
        self.watchlist = WatchlistManager(folder)
        self.episodes = EpisodeBook(folder)
        self.jobs = JobBook(folder)
        SettingsStore(folder).set_values(download_dir=str(tmp_path / "videos"))
        TorrentClientConfig(folder).set(TorrentClientSettings(kind="qbittorrent", url=qbt.url, username="admin"))
        SecretStore(folder).set(PASSWORD_SECRET, "s3cret")
        self.show = self.watchlist.create(WatchlistItemCreate(
            anime_title="Frieren", anime_url="https://example.org/rss", provider_id="feed", episode_count=3))
        self._made: list[tuple[DownloadManager, TaskRunner]] = []
        self.manager = self.new_manager()
        self.finished: list[DownloadJob] = []
        self.failed: list[DownloadJob] = []
        self.progress: list[tuple[str, int, int | None]] = []
        self.manager.finished.connect(self.finished.append)
        self.manager.failed.connect(self.failed.append)
        self.manager.progress.connect(lambda job_id, done, total: self.progress.append((job_id, done, total)))

    def new_manager(self) -> DownloadManager:
        """A manager of its own, as a new run of the app makes (its own runner, stores and client)."""
        settings = SettingsStore(self.folder)
        queue = DownloadQueue(JobBook(self.folder), EpisodeBook(self.folder), WatchlistManager(self.folder),
                              settings.get, ChangeListener())
        transfer = TransferRunner(self.folder, SecretStore(self.folder))
        runner = TaskRunner()
        made = DownloadManager(queue, settings.get, transfer, runner, transfer.torrent_progress)
        self._made.append((made, runner))
        return made

    def shutdown(self) -> None:
        for made, runner in self._made:
            made.stop()
            assert runner.shutdown(5000)

    def hand_off(self, qtbot: QtBot) -> DownloadJob:
        """Queue episode 3's magnet and wait until the client has taken it."""
        assert self.episodes.claim(self.show.id, 3, RELEASE, MAGNET, LinkKind.MAGNET)
        info = NewEpisodeInfo(item_id=self.show.id, anime_title="Frieren", episode=3, release_name=RELEASE,
                              download_url=MAGNET, found_at=utc_now())
        with qtbot.waitSignal(self.manager.handed_off, timeout=10_000) as handed:
            self.manager.enqueue(self.show, info, Release(RELEASE, MAGNET, LinkKind.MAGNET))
        job: DownloadJob = handed.args[0]
        assert (job.state, job.info_hash) == (JobState.RUNNING, HASH)
        return job

    def job(self, job: DownloadJob) -> DownloadJob:
        stored = self.jobs.get(job.id)
        assert stored is not None
        return stored

    def episode(self) -> EpisodeState:
        return self.episodes.episodes(self.show.id)[3].state

    def polling(self) -> bool:
        """Whether the manager still wakes up to follow torrents (its poll timer is its only timer)."""
        return any(timer.isActive() for timer in self.manager.findChildren(QTimer))

    def asked(self) -> int:
        """How many times the client was asked about its torrents."""
        return sum(seen.path.startswith(INFO) for seen in list(self.qbt.server.requests))


@pytest.fixture
def qbt(loopback: LoopbackServer) -> FakeQBittorrent:
    return FakeQBittorrent(loopback, username="admin", password="s3cret")


@pytest.fixture
def poll_ms() -> int:
    """How often the managers ask the client (a test parametrizes ``poll_ms`` for another pace)."""
    return POLL_MS


@pytest.fixture
def following(folder: DataFolder, qbt: FakeQBittorrent, tmp_path: Path, qtbot: QtBot,
              monkeypatch: pytest.MonkeyPatch, poll_ms: int) -> Iterator[Following]:
    monkeypatch.setattr(manager_module, "TORRENT_POLL_MS", poll_ms)
    made = Following(folder, qbt, tmp_path, poll_ms)
    yield made
    made.shutdown()


def _several_polls(following: Following, qtbot: QtBot) -> None:
    qtbot.wait(following.poll_ms * 6)


def _between_polls(following: Following, qtbot: QtBot, action: Callable[[], object]) -> None:
    """Run ``action`` just after a poll was answered, while none is under way (as nearly always in
    the app, where polls are seconds apart and answered in milliseconds)."""
    done: list[bool] = []

    def act() -> None:
        if not done:
            action()
            done.append(True)

    def polled(job_id: str, done_bytes: int, total: object) -> None:
        QTimer.singleShot(0, act)  # once the answer of this poll has been handled

    following.manager.progress.connect(polled)
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    following.manager.progress.disconnect(polled)


@pytest.mark.parametrize(("fraction", "client_state"), [
    (1.0, "stalledDL"), (1.0, "uploading"), (1.0, "pausedUP"),
    (0.97, "stalledUP"),  # seeding: all it wants is there (files left out of the torrent count as not done)
])
def test_a_handed_off_magnet_is_done_only_once_the_client_has_it_all(
    following: Following, qbt: FakeQBittorrent, qtbot: QtBot, fraction: float, client_state: str
) -> None:
    job = following.hand_off(qtbot)
    assert len(qbt.added) == 1 and qbt.added[0]["urls"] == MAGNET
    qtbot.waitUntil(lambda: (job.id, 0, None) in following.progress)  # fetching metadata: no size yet

    qbt.torrents[HASH].update(progress=0.25, state="downloading", size=4_000_000)
    qtbot.waitUntil(lambda: (job.id, 1_000_000, 4_000_000) in following.progress)
    qbt.torrents[HASH].update(progress=0.999, state="stalledDL")
    qtbot.waitUntil(lambda: (job.id, 3_996_000, 4_000_000) in following.progress)
    _several_polls(following, qtbot)
    assert (following.job(job).state, following.job(job).info_hash) == (JobState.RUNNING, HASH)
    assert following.episode() is EpisodeState.DOWNLOADING
    assert following.watchlist.get(following.show.id).last_episode_downloaded == 0
    assert following.finished == []

    qbt.torrents[HASH].update(progress=fraction, state=client_state)
    qtbot.waitUntil(lambda: bool(following.finished))
    _several_polls(following, qtbot)
    assert [done.id for done in following.finished] == [job.id]  # once, not at every later poll
    assert (following.job(job).state, following.job(job).path) == (JobState.DONE, f"qBittorrent: {HASH}")
    assert following.episode() is EpisodeState.DONE
    show = following.watchlist.get(following.show.id)
    assert (show.last_episode_downloaded, show.status) == (3, WatchlistStatus.COMPLETED)
    assert following.failed == [] and len(qbt.added) == 1


@pytest.mark.parametrize("poll_ms", [300])
def test_the_client_is_asked_once_per_poll_interval_not_again_at_every_answer(
    following: Following, qtbot: QtBot
) -> None:
    following.hand_off(qtbot)
    qtbot.waitUntil(lambda: bool(following.progress))  # one progress event per poll of the one job
    polled = len(following.progress)
    qtbot.wait(1500)
    assert 3 <= len(following.progress) - polled <= 7  # every 300 ms: about 5


def test_a_torrent_removed_from_the_client_fails_the_job_naming_the_client(
    following: Following, qbt: FakeQBittorrent, qtbot: QtBot
) -> None:
    job = following.hand_off(qtbot)
    qtbot.waitUntil(lambda: following.asked() > 0)
    del qbt.torrents[HASH]
    qtbot.waitUntil(lambda: bool(following.failed))
    [failed] = following.failed
    assert failed.error == "the torrent is no longer in qBittorrent: it was removed before it finished"
    assert following.job(job).state is JobState.FAILED
    record = following.episodes.episodes(following.show.id)[3]
    assert (record.state, record.reason) == (EpisodeState.FAILED, failed.error)
    asked = following.asked()
    _several_polls(following, qtbot)
    assert following.asked() == asked  # a failed job is not followed any more
    assert following.finished == []


@pytest.mark.parametrize("client_state", ["error", "missingFiles"])
def test_a_torrent_the_client_reports_in_error_fails_the_job(
    following: Following, qbt: FakeQBittorrent, qtbot: QtBot, client_state: str
) -> None:
    job = following.hand_off(qtbot)
    qbt.torrents[HASH].update(progress=0.4, state=client_state, size=1000)
    qtbot.waitUntil(lambda: bool(following.failed))
    assert following.failed[0].error == f"qBittorrent reports a problem with the torrent ({client_state})"
    assert following.job(job).state is JobState.FAILED
    assert following.episode() is EpisodeState.FAILED
    assert following.watchlist.get(following.show.id).last_episode_downloaded == 0


def _hang_up(handler: BaseHTTPRequestHandler, seen: SeenRequest) -> None:
    handler.close_connection = True  # no answer at all: the client went away mid-request


@pytest.mark.parametrize("down", [Route(status=500, body=b"Internal Server Error"), Route(handler=_hang_up)],
                         ids=["500", "no answer"])
def test_a_client_that_is_down_keeps_the_job_running_and_is_asked_again(
    following: Following, qbt: FakeQBittorrent, loopback: LoopbackServer, qtbot: QtBot, down: Route,
    caplog: pytest.LogCaptureFixture,
) -> None:
    job = following.hand_off(qtbot)
    working = loopback.routes[INFO]
    loopback.routes[INFO] = down

    def failed_polls() -> int:
        return sum(record.getMessage().startswith("could not ask the torrent client") for record in caplog.records)

    with caplog.at_level(logging.WARNING, logger="core.downloads.manager"):
        qtbot.waitUntil(lambda: failed_polls() >= 3, timeout=10_000)  # asked again and again
    assert following.job(job).state is JobState.RUNNING
    assert following.episode() is EpisodeState.DOWNLOADING
    assert following.failed == []

    loopback.routes[INFO] = working  # back up: the next poll finds it done
    qbt.torrents[HASH].update(progress=1.0, state="stalledUP")
    qtbot.waitUntil(lambda: bool(following.finished), timeout=10_000)
    assert following.job(job).state is JobState.DONE


def test_a_restarted_manager_follows_a_handed_off_job_instead_of_adding_it_again(
    following: Following, qbt: FakeQBittorrent, qtbot: QtBot
) -> None:
    job = following.hand_off(qtbot)
    following.shutdown()  # quit: the torrent stays in the client, the job stays running
    assert following.job(job).state is JobState.RUNNING

    again = following.new_manager()
    finished: list[DownloadJob] = []
    again.finished.connect(finished.append)
    asked = following.asked()
    again.start()
    qtbot.waitUntil(lambda: following.asked() > asked)
    _several_polls(following, qtbot)
    assert len(qbt.added) == 1
    assert (following.job(job).state, following.job(job).info_hash) == (JobState.RUNNING, HASH)

    qbt.torrents[HASH].update(progress=1.0, state="uploading")
    qtbot.waitUntil(lambda: bool(finished))
    assert following.job(job).state is JobState.DONE and following.episode() is EpisodeState.DONE
    assert following.watchlist.get(following.show.id).last_episode_downloaded == 3
    assert len(qbt.added) == 1


BETWEEN = pytest.mark.parametrize("poll_ms", [300])  # room between polls to act in


@BETWEEN
def test_cancelling_a_handed_off_job_marks_it_cancelled_and_stops_following_it(
    following: Following, qbt: FakeQBittorrent, qtbot: QtBot
) -> None:
    job = following.hand_off(qtbot)
    cancelled: list[DownloadJob] = []
    _between_polls(following, qtbot, lambda: cancelled.append(following.manager.cancel(job.id[:6])))
    assert cancelled[0].state is JobState.CANCELLED
    record = following.episodes.episodes(following.show.id)[3]
    assert (following.job(job).state, record.state, record.reason) == (
        JobState.CANCELLED, EpisodeState.SKIPPED, "cancelled")
    asked = following.asked()
    qbt.torrents[HASH].update(progress=1.0, state="uploading")
    _several_polls(following, qtbot)
    assert following.asked() == asked
    assert following.finished == [] and following.failed == []
    assert following.job(job).state is JobState.CANCELLED
    assert following.watchlist.get(following.show.id).last_episode_downloaded == 0
    assert not following.polling()  # nothing left to follow: no timer ticking for nothing

    with qtbot.waitSignal(following.manager.finished, timeout=10_000):
        following.manager.retry(job.id)  # the client still has it: followed again, not added twice
    assert len(qbt.added) == 1
    assert following.watchlist.get(following.show.id).last_episode_downloaded == 3


@BETWEEN
def test_removing_a_handed_off_job_forgets_it_and_stops_following_it(
    following: Following, qbt: FakeQBittorrent, qtbot: QtBot
) -> None:
    job = following.hand_off(qtbot)
    _between_polls(following, qtbot, lambda: following.manager.remove(job.id))
    assert following.jobs.get(job.id) is None
    asked = following.asked()
    _several_polls(following, qtbot)
    assert following.asked() == asked and following.finished == following.failed == []
    assert not following.polling()
