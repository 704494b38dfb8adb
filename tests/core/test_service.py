"""CoreService: the facade's methods and signals, with checks running in a worker thread."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.datafolder import DataFolder
from core.models import WatchlistItem
from core.notifications import NotificationEvent
from core.service import CoreService
from tests.loopback import LoopbackServer

FEED = ('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>[G] Frieren - 01 (1080p)'
        '</title><link>magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567</link></item></channel></rss>')


@pytest.fixture
def service(folder: DataFolder, qtbot) -> Iterator[CoreService]:  # type: ignore[no-untyped-def]
    made = CoreService(folder, scheduler_autostart=False)
    yield made
    made.shutdown()


def add(service: CoreService, url: str, title: str = "Frieren", **fields: object) -> WatchlistItem:
    """Add a paused show (a paused show is not checked at once; the test checks it when it wants)."""
    fields = {"anime_title": title, "anime_url": url, "provider_id": "feed", "status": "paused", **fields}
    item = service.add_item(fields).item
    return service.resume_item(item.id)


def test_watchlist_changes_are_signalled(service: CoreService, loopback: LoopbackServer, qtbot) -> None:  # type: ignore[no-untyped-def]
    loopback.route("/rss", FEED)
    with qtbot.waitSignal(service.item_added) as added:
        item = service.add_item({"anime_title": "Frieren", "anime_url": loopback.url("/rss"), "provider_id": "feed",
                                 "status": "paused"}).item
    assert added.args[0] == item
    with qtbot.waitSignal(service.item_changed, check_params_cb=lambda changed: changed.status.value == "active"):
        service.resume_item(item.id[:6])
    with qtbot.waitSignal(service.item_changed, check_params_cb=lambda changed: changed.lang == "dub"):
        service.update_item(item.id, {"lang": "dub"})
    with qtbot.waitSignal(service.item_removed) as removed:
        service.remove_item(item.id)
    assert removed.args == [item.id] and service.list_items() == []


def test_a_check_runs_in_a_worker_and_reports(service: CoreService, loopback: LoopbackServer, qtbot) -> None:  # type: ignore[no-untyped-def]
    loopback.route("/rss", FEED)
    item = add(service, loopback.url("/rss"), auto_download=False)
    with qtbot.waitSignal(service.check_finished, timeout=10_000) as finished:
        with qtbot.waitSignal(service.check_started) as started:
            service.check_items([item.id])
        assert started.args == [1] and service.is_checking()
    report = finished.args[0]
    assert [info.episode for info in report.new_episodes] == [1]
    assert not service.is_checking()
    assert service.get_item(item.id).last_checked_at is not None


def test_a_check_asked_for_during_another_runs_after_it(service: CoreService, loopback: LoopbackServer, qtbot) -> None:  # type: ignore[no-untyped-def]
    loopback.route("/rss", FEED, delay=0.3)
    item = add(service, loopback.url("/rss"), auto_download=False)
    reports = []
    service.check_finished.connect(reports.append)
    service.check_items([item.id])
    service.check_all()
    qtbot.waitUntil(lambda: len(reports) == 2, timeout=10_000)
    assert len(loopback.requests_to("/rss")) == 2


def test_a_broken_source_is_notified_once(service: CoreService, loopback: LoopbackServer, qtbot) -> None:  # type: ignore[no-untyped-def]
    loopback.route("/rss", "down", status=500)
    item = add(service, loopback.url("/rss"))
    told = []
    service.notification.connect(told.append)
    for _ in range(2):
        with qtbot.waitSignal(service.check_finished, timeout=10_000):
            service.check_items([item.id])
    broken = [n for n in told if n.event is NotificationEvent.SOURCE_BROKEN]
    assert len(broken) == 1 and "answered 500" in broken[0].body


def test_a_torrent_without_a_client_fails_with_a_clear_reason(service: CoreService, loopback: LoopbackServer, qtbot) -> None:  # type: ignore[no-untyped-def]
    loopback.route("/rss", FEED)
    item = add(service, loopback.url("/rss"))
    with qtbot.waitSignal(service.download_failed, timeout=10_000) as failed:
        service.check_items([item.id])
    assert "no torrent client is set up" in failed.args[0].error


def test_settings_reach_the_scheduler(service: CoreService) -> None:
    service.update_settings({"check_interval_hours": "12"})
    assert service.scheduler_state().interval_hours == 12
    assert service.settings().check_interval_hours == 12


def test_a_damaged_cache_found_by_a_check_is_reported(folder: DataFolder, service: CoreService,
                                                     loopback: LoopbackServer, qtbot) -> None:  # type: ignore[no-untyped-def]
    loopback.route("/rss", FEED)
    item = add(service, loopback.url("/rss"), auto_download=False)
    folder.file("sources.json").write_text("{ not json")
    with qtbot.waitSignal(service.problem, timeout=10_000) as problem:
        service.check_items([item.id])
    assert "sources.json could not be read" in problem.args[0]


def test_a_check_reads_the_watchlist_once_however_many_shows(  # type: ignore[no-untyped-def]
    service: CoreService, loopback: LoopbackServer, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    titles = ("Alpha Bravo Charlie Delta Echo Foxtrot Golf Hotel India Juliett Kilo Lima Mike November Oscar "
              "Papa Quebec Romeo Sierra Tango").split()
    loopback.route("/rss", '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>' + "".join(
        f"<item><title>[G] {title} - 01 (1080p)</title><link>https://example.org/{n}.torrent</link></item>"
        for n, title in enumerate(titles)) + "</channel></rss>")
    for title in titles:
        add(service, loopback.url("/rss"), title=title, auto_download=False)
    reads: list[Path] = []
    read_bytes = Path.read_bytes

    def counted(path: Path) -> bytes:
        if path.name == "watchlist.json":
            reads.append(path)
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", counted)
    with qtbot.waitSignal(service.check_finished, timeout=20_000) as finished:
        service.check_all()
    assert len(finished.args[0].new_episodes) == 20
    assert len(reads) == 2  # once to pick the shows, once in the transaction that records the check
