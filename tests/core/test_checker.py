from __future__ import annotations

import threading
from xml.sax.saxutils import escape

import pytest

from core import sources
from core.checker import EpisodeChecker
from core.datafolder import DataFolder
from core.episodes import EpisodeBook, EpisodeState
from core.matching import decide
from core.models import NewEpisodeInfo, WatchlistItem, WatchlistItemCreate, WatchlistSettings
from core.source_cache import SourceCache
from core.sources import list_source
from core.watchlist import WatchlistManager
from providers.base import Listing, Provider, Release, Validators
from tests.loopback import LoopbackServer


def rss(*names: str) -> str:
    items = "".join(
        f"<item><title>{escape(name)}</title><link>https://example.org/t/{n}.torrent</link></item>"
        for n, name in enumerate(names)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'


class Harness:
    """A checker over a real data folder, recording what it hands to the downloads."""

    def __init__(self, folder: DataFolder) -> None:
        self.watchlist = WatchlistManager(folder)
        self.book = EpisodeBook(folder)
        self.queued: list[tuple[str, int, str]] = []
        self.checker = EpisodeChecker(self.watchlist, self.book, SourceCache(folder), self.enqueue)

    def enqueue(self, item: WatchlistItem, info: NewEpisodeInfo, release: Release) -> None:
        self.queued.append((item.anime_title, info.episode, release.name))

    def add(self, title: str, url: str, **fields: object) -> WatchlistItem:
        return self.watchlist.create(
            WatchlistItemCreate.model_validate({"anime_title": title, "anime_url": url, "provider_id": "feed", **fields})
        )

    def check(self, settings: WatchlistSettings | None = None, stop: threading.Event | None = None):  # type: ignore[no-untyped-def]
        return self.checker.check(self.watchlist.list_items(), settings or WatchlistSettings(), stop)


@pytest.fixture
def harness(folder: DataFolder) -> Harness:
    return Harness(folder)


def test_one_fetch_serves_every_show_on_a_feed(harness: Harness, loopback: LoopbackServer) -> None:
    loopback.route("/rss", rss("[G] Frieren - 01 (1080p).mkv", "[G] Mushishi - 01 (1080p).mkv",
                               "[G] Dungeon Meshi - 01 (1080p).mkv"))
    harness.add("Frieren", loopback.url("/rss"))
    harness.add("Mushishi", loopback.url("/rss"))
    report = harness.check()
    assert len(loopback.requests_to("/rss")) == 1
    assert sorted(harness.queued) == [("Frieren", 1, "[G] Frieren - 01 (1080p).mkv"),
                                      ("Mushishi", 1, "[G] Mushishi - 01 (1080p).mkv")]
    assert (report.checked, len(report.new_episodes), len(report.queued), report.errors) == (2, 2, 2, ())


def test_an_episode_is_handed_on_once_across_checks_groups_and_versions(
    harness: Harness, loopback: LoopbackServer
) -> None:
    loopback.route("/rss", rss("[A] Frieren - 01 (1080p).mkv"))
    harness.add("Frieren", loopback.url("/rss"))
    harness.check()
    loopback.route("/rss", rss("[A] Frieren - 01 (1080p).mkv", "[B] Frieren - 01v2 (1080p).mkv",
                               "[A] Frieren - 02 (1080p).mkv"))
    second = harness.check()
    assert [episode for _, episode, _ in harness.queued] == [1, 2]
    assert [info.episode for info in second.new_episodes] == [2]


def test_shows_that_do_not_download_by_themselves_record_found_episodes(
    harness: Harness, loopback: LoopbackServer
) -> None:
    loopback.route("/rss", rss("[A] Frieren - 01 (1080p).mkv"))
    show = harness.add("Frieren", loopback.url("/rss"), auto_download=False)
    first = harness.check()
    assert [info.episode for info in first.new_episodes] == [1] and harness.queued == []
    assert harness.book.episodes(show.id)[1].state is EpisodeState.FOUND
    assert harness.check().new_episodes == ()  # told once, not at every check
    harness.check(WatchlistSettings(auto_download_enabled=False))
    assert harness.queued == []


def test_a_broken_source_marks_its_shows_and_the_rest_goes_on(harness: Harness, loopback: LoopbackServer) -> None:
    loopback.route("/good", rss("[A] Frieren - 01 (1080p).mkv"))
    loopback.route("/bad", "oops", status=500)
    good = harness.add("Frieren", loopback.url("/good"))
    bad = harness.add("Mushishi", loopback.url("/bad"))
    report = harness.check()
    assert [error.item_id for error in report.errors] == [bad.id]
    assert "answered 500" in harness.watchlist.get(bad.id).last_error
    assert harness.watchlist.get(good.id).last_error is None
    assert harness.watchlist.get(bad.id).last_checked_at is not None
    assert harness.queued == [("Frieren", 1, "[A] Frieren - 01 (1080p).mkv")]


def test_an_unchanged_feed_costs_a_304_and_still_serves_a_show_added_since(
    harness: Harness, loopback: LoopbackServer
) -> None:
    loopback.route("/rss", rss("[A] Frieren - 01 (1080p).mkv", "[A] Mushishi - 03 (1080p).mkv"), etag='"v1"')
    harness.add("Frieren", loopback.url("/rss"))
    harness.check()
    harness.add("Mushishi", loopback.url("/rss"))
    harness.check()
    assert loopback.requests_to("/rss")[1].headers.get("if-none-match") == '"v1"'
    assert ("Mushishi", 3, "[A] Mushishi - 03 (1080p).mkv") in harness.queued


def test_an_unchanged_feed_does_not_rewrite_the_cache(
    harness: Harness, loopback: LoopbackServer, folder: DataFolder
) -> None:
    loopback.route("/rss", rss("[A] Frieren - 01 (1080p).mkv"), etag='"v1"')
    harness.add("Frieren", loopback.url("/rss"))
    harness.check()
    cache = folder.path / "sources.json"
    before = cache.stat().st_ino  # a save replaces the file, so a new inode
    harness.check()
    assert loopback.requests_to("/rss")[1].headers.get("if-none-match") == '"v1"'
    assert cache.stat().st_ino == before


def test_a_cancelled_check_records_nothing(harness: Harness, loopback: LoopbackServer) -> None:
    loopback.route("/rss", rss("[A] Frieren - 01 (1080p).mkv"))
    show = harness.add("Frieren", loopback.url("/rss"))
    stop = threading.Event()
    stop.set()
    report = harness.check(stop=stop)
    assert (report.checked, harness.queued, loopback.requests) == (0, [], [])
    assert harness.watchlist.get(show.id).last_checked_at is None


def test_a_release_with_an_impossible_episode_is_rejected_and_the_rest_goes_on(
    harness: Harness, loopback: LoopbackServer
) -> None:
    loopback.route("/rss", rss("[G] Frieren - 123456 (1080p).mkv", "[G] Frieren - 01 (1080p).mkv",
                               "[G] Mushishi - 01 (1080p).mkv"))
    frieren = harness.add("Frieren", loopback.url("/rss"))
    harness.add("Mushishi", loopback.url("/rss"))
    report = harness.check()
    assert sorted(harness.queued) == [("Frieren", 1, "[G] Frieren - 01 (1080p).mkv"),
                                      ("Mushishi", 1, "[G] Mushishi - 01 (1080p).mkv")]
    assert report.errors == ()
    [impossible] = [d for d in decide(frieren, list_source(frieren).releases) if d.release.name.endswith("123456 (1080p).mkv")]
    assert not impossible.take and "123456" in impossible.reason and "100000" in impossible.reason


class ExplodingProvider(Provider):
    """A third-party provider with a bug: it raises something no provider is meant to."""

    id = "exploding"
    name = "Exploding"
    description = "raises"

    def validate_url(self, url: str) -> str:
        return url

    def list_releases(self, url: str, validators: Validators | None = None) -> Listing:
        raise KeyError("oops")


def test_a_provider_that_raises_anything_marks_only_its_own_shows(
    harness: Harness, loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = sources.get_provider
    monkeypatch.setattr(sources, "get_provider", lambda pid: ExplodingProvider() if pid == "exploding" else real(pid))
    loopback.route("/rss", rss("[G] Frieren - 01 (1080p).mkv"))
    good = harness.add("Frieren", loopback.url("/rss"))
    bad = harness.add("Mushishi", loopback.url("/other"), provider_id="exploding")
    report = harness.check()
    assert [error.item_id for error in report.errors] == [bad.id]
    assert "Mushishi" in report.errors[0].error and "oops" in report.errors[0].error
    assert "oops" in harness.watchlist.get(bad.id).last_error
    assert harness.watchlist.get(good.id).last_error is None
    assert harness.queued == [("Frieren", 1, "[G] Frieren - 01 (1080p).mkv")]


def test_a_show_that_cannot_be_decided_marks_only_itself(
    harness: Harness, loopback: LoopbackServer, folder: DataFolder
) -> None:
    loopback.route("/rss", rss("[G] Frieren - 01 (1080p).mkv", "[G] Mushishi - 01 (1080p).mkv"))
    broken = harness.add("Frieren", loopback.url("/rss"))
    harness.add("Mushishi", loopback.url("/rss"))
    (folder.path / "episodes" / f"{broken.id}.json").mkdir(parents=True)  # its episode states cannot be read
    report = harness.check()
    [error] = report.errors
    assert error.item_id == broken.id and "'Frieren'" in error.error
    assert harness.watchlist.get(broken.id).last_error == error.error
    assert harness.queued == [("Mushishi", 1, "[G] Mushishi - 01 (1080p).mkv")]


def test_a_second_season_numbered_on_from_the_first_downloads_as_its_own_episodes(
    harness: Harness, loopback: LoopbackServer
) -> None:
    title = "100-man no Inochi no Ue ni Ore wa Tatteiru"  # the shipped table: 116242:13-24 -> 127366:1-12!
    loopback.route("/rss", rss(*(f"[G] {title} - {n:02d} (1080p).mkv" for n in (11, 12, 13, 14, 24))))
    harness.add(f"{title} 2nd Season", loopback.url("/rss"), anilist_id=127366, episode_count=12)
    harness.add(title, loopback.url("/rss"), anilist_id=116242, episode_count=12, last_episode_downloaded=10)
    harness.check()
    assert sorted(harness.queued) == [
        (title, 11, f"[G] {title} - 11 (1080p).mkv"), (title, 12, f"[G] {title} - 12 (1080p).mkv"),
        (f"{title} 2nd Season", 1, f"[G] {title} - 13 (1080p).mkv"),
        (f"{title} 2nd Season", 2, f"[G] {title} - 14 (1080p).mkv"),
        (f"{title} 2nd Season", 12, f"[G] {title} - 24 (1080p).mkv"),
    ]


def test_mob_psycho_100_and_its_third_season_on_one_feed_never_mix(harness: Harness, loopback: LoopbackServer) -> None:
    loopback.route("/rss", rss("[G] Mob Psycho 100 - 05 (1080p).mkv", "[G] Mob Psycho 100 III - 06 (1080p).mkv"))
    harness.add("Mob Psycho 100 III", loopback.url("/rss"))
    harness.add("Mob Psycho 100", loopback.url("/rss"))
    harness.check()
    assert sorted(harness.queued) == [("Mob Psycho 100", 5, "[G] Mob Psycho 100 - 05 (1080p).mkv"),
                                      ("Mob Psycho 100 III", 6, "[G] Mob Psycho 100 III - 06 (1080p).mkv")]


def test_a_feed_s_raw_category_still_holds_when_it_answers_304(harness: Harness, loopback: LoopbackServer) -> None:
    feed = ('<?xml version="1.0"?><rss version="2.0" xmlns:nyaa="https://nyaa.si/xmlns/nyaa"><channel><title>t</title>'
            "<item><title>[G] Frieren - 01 (1080p).mkv</title><link>https://example.org/1.torrent</link>"
            "<nyaa:categoryId>1_4</nyaa:categoryId></item></channel></rss>")
    loopback.route("/rss", feed, etag='"v1"')
    harness.add("Frieren", loopback.url("/rss"), lang="raw")
    harness.check()
    harness.add("Sousou no Frieren", loopback.url("/rss"), title_aliases=["Frieren"])  # wants subs; from the cache
    harness.check()
    assert loopback.requests_to("/rss")[1].headers.get("if-none-match") == '"v1"'
    assert [(title, episode) for title, episode, _ in harness.queued] == [("Frieren", 1)]
