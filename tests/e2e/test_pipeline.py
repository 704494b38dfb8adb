"""The engine end to end: a feed gains an episode; the scheduler finds it, downloads it once, notifies.

And a process killed in the middle of a download finishes the same file when started again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from core.checker import CheckReport
from core.datafolder import DataFolder
from core.notifications import NotificationEvent
from core.service import CoreService
from tests.loopback import LoopbackServer, ServedFile

EPISODES = {number: os.urandom(300 * 1024 + number) for number in (1, 2)}


def podcast_feed(loopback: LoopbackServer, numbers: list[int], sizes: Mapping[int, int] | None = None) -> str:
    """A feed of episodes ``numbers`` (``/epNN.mp4``), each as long as ``sizes`` says (else ``EPISODES``)."""
    sizes = sizes or {number: len(data) for number, data in EPISODES.items()}
    items = "".join(
        f"<item><title>{escape(f'[Studio] Frieren - {n:02d} (1080p)')}</title>"
        f'<enclosure url="{loopback.url(f"/ep{n:02d}.mp4")}" type="video/mp4" length="{sizes[n]}"/>'
        f"<guid>ep{n}</guid></item>"
        for n in numbers
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Frieren</title>{items}</channel></rss>'


def serve_episodes(loopback: LoopbackServer) -> None:
    for number, data in EPISODES.items():
        loopback.route(f"/ep{number:02d}.mp4", handler=ServedFile(data, content_type="video/mp4"))


@pytest.fixture
def videos(tmp_path: Path) -> Path:
    return tmp_path / "videos"


def test_the_scheduler_finds_a_new_episode_downloads_it_once_and_notifies(
    qtbot, loopback: LoopbackServer, folder: DataFolder, videos: Path  # type: ignore[no-untyped-def]
) -> None:
    serve_episodes(loopback)
    loopback.route("/feed.xml", podcast_feed(loopback, [1]), headers={"Content-Type": "application/rss+xml"})
    service = CoreService(folder, scheduler_autostart=False, scheduler_unit_seconds=0.3)
    service.update_settings({"download_dir": str(videos), "check_interval_hours": 1})
    added = service.add_item({"anime_title": "Frieren", "anime_url": loopback.url("/feed.xml"), "provider_id": "feed",
                              "status": "paused"}).item  # a paused show is not checked when added
    show = service.resume_item(added.id)
    told: list[NotificationEvent] = []
    service.notification.connect(lambda notification: told.append(notification.event))
    reports: list[CheckReport] = []
    service.check_finished.connect(reports.append)
    try:
        with qtbot.waitSignal(service.download_finished, timeout=15_000) as first:
            service.start_scheduler()
        assert Path(first.args[0].path) == videos / "Frieren" / "[Studio] Frieren - 01 (1080p).mp4"
        assert Path(first.args[0].path).read_bytes() == EPISODES[1]

        loopback.route("/feed.xml", podcast_feed(loopback, [1, 2]), headers={"Content-Type": "application/rss+xml"})
        with qtbot.waitSignal(service.download_finished, timeout=15_000) as second:
            pass  # the next scheduled check finds episode 2
        assert Path(second.args[0].path).read_bytes() == EPISODES[2]

        def found_then_checked_again() -> bool:  # the check that found episode 2, and one more after it
            finding = [n for n, report in enumerate(reports) if any(info.episode == 2 for info in report.new_episodes)]
            return bool(finding) and finding[0] < len(reports) - 1

        qtbot.waitUntil(found_then_checked_again, timeout=15_000)
        # each episode is new once; the first check's report may arrive after its download finished
        assert [info.episode for report in reports for info in report.new_episodes] == [1, 2]
        assert reports[-1].new_episodes == () and reports[-1].queued == ()
    finally:
        service.shutdown()
    assert sorted(p.name for p in (videos / "Frieren").iterdir()) == [
        "[Studio] Frieren - 01 (1080p).mp4", "[Studio] Frieren - 02 (1080p).mp4"]
    assert [len(loopback.requests_to(f"/ep{n:02d}.mp4")) for n in (1, 2)] == [1, 1]
    assert told.count(NotificationEvent.NEW_EPISODE) == 2
    assert told.count(NotificationEvent.DOWNLOAD_FINISHED) == 2
    assert service.get_item(show.id).last_episode_downloaded == 2


def test_a_check_killed_mid_download_completes_the_same_file_when_run_again(
    loopback: LoopbackServer, folder: DataFolder, videos: Path
) -> None:
    data = os.urandom(6 * 1024 * 1024)
    slow = ServedFile(data, content_type="video/mp4", pace=0.02)
    loopback.route("/big.mp4", handler=slow)
    loopback.route("/feed.xml",
                   '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>[Studio] Frieren - 05 '
                   f'(1080p)</title><enclosure url="{loopback.url("/big.mp4")}" type="video/mp4" length="{len(data)}"/>'
                   "</item></channel></rss>", headers={"Content-Type": "application/rss+xml"})
    tsuzuki = [sys.executable, "-m", "core.cli.main"]
    subprocess.run([*tsuzuki, "settings", "set", "download_dir", str(videos)], check=True, capture_output=True)
    subprocess.run([*tsuzuki, "add", "--title", "Frieren", "--url", loopback.url("/feed.xml"), "--provider", "feed"],
                   check=True, capture_output=True)
    part = videos / "Frieren" / "[Studio] Frieren - 05 (1080p).mp4.part"

    first = subprocess.Popen([*tsuzuki, "check", "--all"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not (part.exists() and part.stat().st_size > 1024 * 1024) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    assert part.exists(), "the download never started"
    slow.pace = 0.0

    again = subprocess.run([*tsuzuki, "check", "--all", "--json"], capture_output=True, text=True, timeout=60)

    assert again.returncode == 0, again.stderr
    assert [p.name for p in (videos / "Frieren").iterdir()] == ["[Studio] Frieren - 05 (1080p).mp4"]
    assert (videos / "Frieren" / "[Studio] Frieren - 05 (1080p).mp4").read_bytes() == data
    refetched = sum(slow.sent) - len(data)  # sent by the first run but lost with it
    assert refetched <= 2 * 1024 * 1024
    assert len([seen for seen in loopback.requests_to("/big.mp4") if "range" in seen.headers]) >= 1
