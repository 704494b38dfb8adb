"""CoreService's signals and methods a window binds to: timeline, downloads as data, settings, scheduler."""

from __future__ import annotations

import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from pytestqt.qtbot import QtBot

from core.datafolder import DataFolder
from core.downloads.jobs import DownloadJob, JobState
from core.episodes import EpisodeRecord, EpisodeState
from core.models import NotificationEvent, WatchlistItem
from core.notifications import Notification
from core.service import CoreService
from tests.conftest import MemoryKeyring
from tests.conftest import add_show as add
from tests.loopback import PIECE, LoopbackServer, ServedFile

VIDEO = os.urandom(8 * PIECE)
LONG_VIDEO = os.urandom(48 * PIECE)  # 3 MiB: a transfer writes 1 MiB at a time to its .part


def feed(loopback: LoopbackServer, video: bytes = VIDEO) -> str:
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>'
            f'{escape("[G] Frieren - 01 (1080p)")}</title><enclosure url="{loopback.url("/01.mkv")}" '
            f'type="video/x-matroska" length="{len(video)}"/></item></channel></rss>')






def test_an_added_show_is_checked_at_once_and_its_episode_timeline_is_signalled(
    service: CoreService, loopback: LoopbackServer, qtbot: QtBot
) -> None:
    loopback.route("/rss", feed(loopback))
    loopback.route("/01.mkv", handler=ServedFile(VIDEO))
    timeline: list[tuple[str, EpisodeRecord]] = []
    downloads: list[DownloadJob] = []
    shows: list[WatchlistItem] = []
    service.episode_changed.connect(lambda item_id, record: timeline.append((item_id, record)))
    service.download_changed.connect(downloads.append)
    service.item_changed.connect(shows.append)

    with qtbot.waitSignal(service.download_finished, timeout=10_000) as finished:
        item = add(service, loopback)

    assert [record.state for _, record in timeline] == [
        EpisodeState.QUEUED, EpisodeState.DOWNLOADING, EpisodeState.DONE]
    assert {item_id for item_id, _ in timeline} == {item.id}
    done = timeline[-1][1]
    assert (done.release_name, done.kind.value if done.kind else None, done.path) == (
        "[G] Frieren - 01 (1080p)", "http", finished.args[0].path)
    assert Path(done.path or "").read_bytes() == VIDEO
    assert [job.state for job in downloads] == [JobState.QUEUED, JobState.RUNNING, JobState.DONE]
    qtbot.waitUntil(lambda: any(show.last_episode_downloaded == 1 for show in shows))  # moved on by the download
    assert [record.state for record in service.episode_timeline(item.id[:6])] == [EpisodeState.DONE]


def test_a_found_episode_downloads_later_without_listing_the_source_again(
    service: CoreService, loopback: LoopbackServer, qtbot: QtBot
) -> None:
    loopback.route("/rss", feed(loopback))
    loopback.route("/01.mkv", handler=ServedFile(VIDEO))
    with qtbot.waitSignal(service.check_finished, timeout=10_000):
        item = add(service, loopback, auto_download=False)
    [found] = service.episode_timeline(item.id)
    assert found.state is EpisodeState.FOUND

    with qtbot.waitSignal(service.download_finished, timeout=10_000) as finished:
        service.download_episode(item.id, 1)

    assert Path(finished.args[0].path).read_bytes() == VIDEO
    assert len(loopback.requests_to("/rss")) == 1  # the release came from the episode's record
    assert finished.args[0].auto is False
    with pytest.raises(Exception, match="already queued, downloading or done"):
        service.download_episode(item.id, 1)


def test_removing_a_running_download_cancels_and_removes_it(
    service: CoreService, loopback: LoopbackServer, qtbot: QtBot, tmp_path: Path
) -> None:
    loopback.route("/rss", feed(loopback))
    served = ServedFile(VIDEO, hold_at=2 * PIECE)
    loopback.route("/01.mkv", handler=served)
    removed: list[str] = []
    service.download_removed.connect(removed.append)
    item = add(service, loopback)
    qtbot.waitUntil(lambda: served.sent == [2 * PIECE], timeout=10_000)
    [job] = service.downloads()
    assert job.state is JobState.RUNNING
    part = next((tmp_path / "videos").rglob("*.part"))

    service.remove_download(job.id[:5])
    served.gate.set()

    qtbot.waitUntil(lambda: removed == [job.id], timeout=10_000)
    assert service.downloads() == []
    assert not part.exists()
    assert service.episode_timeline(item.id)[0].state is EpisodeState.SKIPPED


def test_cancel_then_retry_through_the_service(
    service: CoreService, loopback: LoopbackServer, qtbot: QtBot, tmp_path: Path
) -> None:
    loopback.route("/rss", feed(loopback, LONG_VIDEO))
    served = ServedFile(LONG_VIDEO, hold_at=32 * PIECE)
    loopback.route("/01.mkv", handler=served)
    add(service, loopback)
    qtbot.waitUntil(lambda: any(part.stat().st_size for part in (tmp_path / "videos").rglob("*.part")),
                    timeout=10_000)  # a first MiB is kept
    [job] = service.downloads()

    with qtbot.waitSignal(service.download_changed, timeout=10_000,
                          check_params_cb=lambda changed: changed.state is JobState.CANCELLED):
        service.cancel_download(job.id)
        served.gate.set()  # the transfer sees the cancel between two chunks
    assert service.episode_timeline(job.item_id)[0].state is EpisodeState.SKIPPED
    with qtbot.waitSignal(service.download_finished, timeout=10_000) as finished:
        service.retry_download(job.id)

    assert finished.args[0].id == job.id and finished.args[0].attempts == 2
    assert Path(finished.args[0].path).read_bytes() == LONG_VIDEO
    assert "range" in loopback.requests_to("/01.mkv")[-1].headers  # the retry resumed the kept .part


def test_progress_reaches_the_window_a_few_times_a_second(
    service: CoreService, loopback: LoopbackServer, qtbot: QtBot
) -> None:
    big = os.urandom(512 * PIECE)  # 32 chunks of 1 MiB, sent over about a second
    loopback.route("/rss", feed(loopback, big))
    loopback.route("/01.mkv", handler=ServedFile(big, pace=0.002))
    progress: list[tuple[float, int]] = []
    service.download_progress.connect(lambda job_id, done, total: progress.append((time.monotonic(), done)))

    with qtbot.waitSignal(service.download_finished, timeout=20_000):
        add(service, loopback)

    assert progress[-1][1] == len(big)
    gaps = [later - earlier for (earlier, _), (later, _) in zip(progress[1:-2], progress[2:-1], strict=True)]
    assert len(progress) >= 3 and min(gaps) >= 0.2, gaps  # 4 a second at most, not one per chunk


def test_settings_and_the_scheduler_are_signalled(service: CoreService, qtbot: QtBot) -> None:
    with qtbot.waitSignal(service.settings_changed) as changed:
        service.update_settings({"check_interval_hours": "12"})
    assert changed.args[0].check_interval_hours == 12

    with qtbot.waitSignal(service.scheduler_changed, check_params_cb=lambda state: state.running) as started:
        service.start_scheduler()
    assert started.args[0].interval_hours == 12 and started.args[0].next_run_at is not None
    with qtbot.waitSignal(service.check_started), qtbot.waitSignal(
            service.scheduler_changed, check_params_cb=lambda state: state.last_run_at is not None) as ran:
        service.run_scheduled_check_now()
    assert ran.args[0].next_run_at > ran.args[0].last_run_at  # the next one is an interval later
    with qtbot.waitSignal(service.scheduler_changed, check_params_cb=lambda state: not state.running):
        service.stop_scheduler()
    assert service.scheduler_state().next_run_at is None


def test_blocking_calls_run_in_the_background_and_answer_on_this_thread(
    service: CoreService, loopback: LoopbackServer, qtbot: QtBot
) -> None:
    loopback.route("/rss", feed(loopback), delay=0.3)
    item = add(service, loopback, status="paused")
    answers: list[object] = []

    service.background(lambda: service.explain(item.id), answers.append, answers.append)
    assert answers == []  # the slow source is read in a worker thread, not here
    qtbot.waitUntil(lambda: bool(answers), timeout=10_000)

    [explanation] = answers
    assert [decision.take for decision in explanation.decisions] == [True]  # type: ignore[attr-defined]
    service.background(lambda: service.get_item("ffff"), answers.append, answers.append)
    qtbot.waitUntil(lambda: len(answers) == 2, timeout=10_000)
    assert "No show on the watchlist" in str(answers[1])


def test_notifications_reach_the_tray_at_once_and_the_channels_in_order_in_the_background(
    service: CoreService, loopback: LoopbackServer, qtbot: QtBot, memory_keyring: MemoryKeyring
) -> None:
    loopback.route("/rss", feed(loopback))
    loopback.route("/01.mkv", handler=ServedFile(VIDEO))
    loopback.route("/hook", delay=0.2)
    service.add_channel("Hook", loopback.url("/hook").replace("http://", "json://"))
    told: list[Notification] = []
    service.notification.connect(told.append)

    with qtbot.waitSignal(service.download_finished, timeout=10_000) as finished:
        add(service, loopback)

    qtbot.waitUntil(lambda: len(told) == 2, timeout=10_000)  # the check's report may come after the download
    assert {n.event for n in told} == {NotificationEvent.NEW_EPISODE, NotificationEvent.DOWNLOAD_FINISHED}
    paths = {n.event: n.path for n in told}  # a click on "downloaded" opens the file
    assert paths == {NotificationEvent.NEW_EPISODE: None, NotificationEvent.DOWNLOAD_FINISHED: finished.args[0].path}
    qtbot.waitUntil(lambda: len(loopback.requests_to("/hook")) == 2, timeout=10_000)
    sent = [json.loads(seen.body)["message"] for seen in loopback.requests_to("/hook")]
    assert sent == [n.body for n in told]  # one after another, in the order the tray heard them


def test_quitting_with_a_channel_that_never_answers_is_bounded(
    folder: DataFolder, loopback: LoopbackServer, qtbot: QtBot, memory_keyring: MemoryKeyring
) -> None:
    loopback.route("/rss", "down", status=500)
    answer = threading.Event()

    def never_answers(handler: BaseHTTPRequestHandler, seen: object) -> None:
        answer.wait(30)
        handler.send_response(200)
        handler.end_headers()

    loopback.route("/hook", handler=never_answers)
    service = CoreService(folder, scheduler_autostart=False)
    service.add_channel("Slow", loopback.url("/hook").replace("http://", "json://"))
    with qtbot.waitSignal(service.check_finished, timeout=10_000):
        add(service, loopback)  # its source is broken: a notification goes out
    qtbot.waitUntil(lambda: bool(loopback.requests_to("/hook")), timeout=10_000)

    started = time.monotonic()
    stopped = service.shutdown()

    assert time.monotonic() - started < 3
    assert not stopped  # the send is still stuck: the caller ends the process (os._exit)
    assert service.background(lambda: None) is None  # nothing starts after a quit
    answer.set()
    assert service.shutdown(10_000)  # (here the test lets the send end instead)


def test_the_desktop_app_turns_periodic_checks_on_at_the_first_run_only(folder: DataFolder, qtbot: QtBot) -> None:
    first = CoreService(folder, scheduler_autostart=False)
    first.start(periodic_by_default=True)
    assert first.scheduler_state().running
    first.stop_scheduler()  # the user turns them off
    assert first.shutdown(3000)

    again = CoreService(folder)
    again.start(periodic_by_default=True)
    assert not again.scheduler_state().running
    assert again.shutdown(3000)


def test_many_new_episodes_at_once_make_one_message(service: CoreService, loopback: LoopbackServer,
                                                   qtbot: QtBot) -> None:
    loopback.route("/rss", '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>' + "".join(
        f'<item><title>[G] Frieren - {n:02d} (1080p)</title><enclosure url="{loopback.url(f"/{n}.mkv")}" '
        'type="video/x-matroska"/></item>' for n in range(1, 6)) + "</channel></rss>")
    told: list[Notification] = []
    service.notification.connect(told.append)

    with qtbot.waitSignal(service.check_finished, timeout=10_000):
        item = add(service, loopback, auto_download=False)

    assert [(n.title, n.body, n.item_id) for n in told] == [("5 new episodes", "New: Frieren", item.id)]
