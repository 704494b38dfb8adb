"""Removing a show takes its unfinished downloads, their partial files and its episode states with it,
from the command line and from the CoreService alike. Finished files stay."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.datafolder import DataFolder
from core.downloads.jobs import JobBook, JobState
from core.downloads.part_file import Part
from core.episodes import EpisodeBook, EpisodeState
from core.models import WatchlistItem, WatchlistItemCreate
from core.service import CoreService
from core.settings import SettingsStore
from core.watchlist import WatchlistManager
from providers.base import LinkKind
from tests.cli_runner import Run
from tests.loopback import PIECE, LoopbackServer, ServedFile

VIDEO = os.urandom(4 * PIECE)
RELEASE = "[G] Frieren - 02 (1080p).mkv"


@dataclass
class Crashed:
    """A show whose episode 2 was downloading when the process died; episode 1 was downloaded before."""

    show: WatchlistItem
    part: Path
    finished: Path
    served: ServedFile


@pytest.fixture
def crashed(folder: DataFolder, loopback: LoopbackServer, tmp_path: Path) -> Crashed:
    videos = tmp_path / "videos"
    SettingsStore(folder).set_values(download_dir=str(videos))
    served = ServedFile(VIDEO, hold_at=2 * PIECE)
    loopback.route("/02.mkv", handler=served)
    loopback.route("/rss", '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>')
    show = WatchlistManager(folder).create(
        WatchlistItemCreate(anime_title="Frieren", anime_url=loopback.url("/rss"), provider_id="feed"))
    jobs, episodes, link = JobBook(folder), EpisodeBook(folder), loopback.url("/02.mkv")
    finished = videos / "Frieren" / "[G] Frieren - 01 (1080p).mkv"
    finished.parent.mkdir(parents=True)
    finished.write_bytes(VIDEO)
    done = jobs.add(item_id=show.id, anime_title="Frieren", episode=1, release_name=finished.name,
                    link=loopback.url("/01.mkv"), kind=LinkKind.HTTP)
    jobs.update(done.id, state=JobState.DONE, path=str(finished))
    episodes.record(show.id, 1, EpisodeState.DONE, release_name=finished.name, link="x", path=str(finished))
    job = jobs.add(item_id=show.id, anime_title="Frieren", episode=2, release_name=RELEASE, link=link,
                   kind=LinkKind.HTTP)
    jobs.update(job.id, state=JobState.RUNNING)
    episodes.claim(show.id, 2, RELEASE, link, LinkKind.HTTP)
    episodes.record(show.id, 2, EpisodeState.DOWNLOADING)
    part = Part(finished.with_name(RELEASE), link)
    part.remember('"v1"', len(VIDEO))
    part.append(VIDEO[:PIECE])
    part.close()
    return Crashed(show, part.path, finished, served)


def assert_gone(folder: DataFolder, crashed: Crashed) -> None:
    pending = [job for job in JobBook(folder).jobs() if job.state in (JobState.QUEUED, JobState.RUNNING)]
    assert pending == []
    assert sorted(path.name for path in crashed.part.parent.iterdir()) == [crashed.finished.name]
    assert crashed.finished.read_bytes() == VIDEO
    assert not (folder.path / "episodes" / f"{crashed.show.id}.json").exists()


def test_remove_on_the_command_line_drops_the_interrupted_download(
    cli: Run, folder: DataFolder, crashed: Crashed, loopback: LoopbackServer, qapp  # type: ignore[no-untyped-def]
) -> None:
    removed = cli("remove", crashed.show.id[:8])
    assert removed.code == 0, removed.err
    assert_gone(folder, crashed)

    checked = cli("check", "--all", "--json")

    assert checked.code == 0, checked.err
    assert loopback.requests_to("/02.mkv") == []
    assert_gone(folder, crashed)


def test_remove_in_the_service_stops_the_running_download_and_deletes_its_part(
    folder: DataFolder, crashed: Crashed, loopback: LoopbackServer, qtbot  # type: ignore[no-untyped-def]
) -> None:
    service = CoreService(folder, scheduler_autostart=False)
    try:
        service.start()  # resumes episode 2, which the server holds half-way
        qtbot.waitUntil(lambda: crashed.served.sent == [2 * PIECE], timeout=10_000)  # held there

        with qtbot.waitSignal(service.item_removed):
            service.remove_item(crashed.show.id)
        crashed.served.gate.set()

        qtbot.waitUntil(lambda: not crashed.part.exists(), timeout=10_000)
        qtbot.waitUntil(lambda: not service.downloads_busy(), timeout=10_000)
        assert_gone(folder, crashed)
        assert not (crashed.part.parent / RELEASE).exists()
    finally:
        crashed.served.gate.set()
        service.shutdown()
    restarted = CoreService(folder, scheduler_autostart=False)
    restarted.start()
    restarted.shutdown()
    assert len(loopback.requests_to("/02.mkv")) == 1
    assert_gone(folder, crashed)


def test_a_removal_cut_short_by_a_crash_is_finished_at_the_next_start(
    folder: DataFolder, crashed: Crashed, loopback: LoopbackServer, qtbot  # type: ignore[no-untyped-def]
) -> None:
    WatchlistManager(folder).delete(crashed.show.id)  # the process died right after this step of remove_show

    service = CoreService(folder, scheduler_autostart=False)
    service.start()
    service.shutdown()

    assert loopback.requests_to("/02.mkv") == []
    assert_gone(folder, crashed)
