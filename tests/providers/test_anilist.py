"""The AniList client against an AniList-shaped GraphQL server on 127.0.0.1 (tests/providers/anilist_server.py)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest
import requests

from providers.anilist import AniListClient, AniListError, AnimeMetadata, RateLimiter
from providers.base import SourceError
from providers.http import new_session
from tests.loopback import LoopbackServer
from tests.providers.anilist_server import FakeAniList

UTC = timezone.utc


class FakeTime:
    """A monotonic clock that only moves when someone sleeps; every sleep is recorded.

    Reading it lets other threads run, and sleeping takes a little real time,
    so a thread that does not wait its turn shows.
    """

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def clock(self) -> float:
        time.sleep(0)
        return self.now

    def sleep(self, seconds: float) -> None:
        time.sleep(0.01)
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


@pytest.fixture
def ticks() -> FakeTime:
    return FakeTime()


@pytest.fixture
def fake(loopback: LoopbackServer, ticks: FakeTime) -> FakeAniList:
    return FakeAniList(loopback, now=ticks.clock)


def client_for(fake: FakeAniList, ticks: FakeTime, **options: object) -> AniListClient:
    return AniListClient(endpoint=fake.url, clock=ticks.clock, sleep=ticks.sleep, **options)  # type: ignore[arg-type]


@pytest.fixture
def client(fake: FakeAniList, ticks: FakeTime) -> AniListClient:
    return client_for(fake, ticks)


def run_together(target: Callable[..., None], calls: list[tuple[object, ...]]) -> None:
    """``target(*args)`` for each of ``calls``, each in its own thread, all released at once."""
    start_together = threading.Barrier(len(calls))

    def run(*args: object) -> None:
        start_together.wait()
        target(*args)

    threads = [threading.Thread(target=run, args=args) for args in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)


def utc(day: int, hour: int = 0) -> datetime:
    return datetime(2024, 3, day, hour, tzinfo=UTC)


def test_search_maps_every_field(client: AniListClient, fake: FakeAniList) -> None:
    [frieren] = client.search("  Sousou   no FRIEREN ")

    assert fake.queries[0][1] == {"search": "Sousou no FRIEREN", "perPage": 10}
    assert frieren.anilist_id == 154587
    assert frieren.mal_id == 52991
    assert (frieren.title_romaji, frieren.title_english, frieren.title_native) == (
        "Sousou no Frieren",
        "Frieren: Beyond Journey's End",
        "葬送のフリーレン",
    )
    assert frieren.synonyms == ("Frieren at the Funeral", "장송의 프리렌")
    assert frieren.cover_image == "https://img.example.org/large/frieren.jpg"
    assert frieren.synopsis == (
        "The adventure is over but life goes on for an elf mage & her memories.\n\n(Source: Crunchyroll, edited)"
    )
    assert frieren.genres == ("Adventure", "Drama", "Fantasy")
    assert (frieren.episodes, frieren.status, frieren.season, frieren.season_year) == (28, "RELEASING", "FALL", 2023)
    assert frieren.next_airing_episode == 27
    assert frieren.next_airing_at == datetime(2024, 3, 21, 16, 0, tzinfo=UTC)
    assert frieren.next_airing_at.utcoffset() == timedelta(0)
    assert frieren.site_url == "https://anilist.co/anime/154587"
    assert frieren.titles == (
        "Sousou no Frieren",
        "Frieren: Beyond Journey's End",
        "葬送のフリーレン",
        "Frieren at the Funeral",
        "장송의 프리렌",
    )


def test_a_finished_show_without_extra_large_cover_or_next_episode(client: AniListClient) -> None:
    [meshi] = client.search("dungeon meshi")

    assert meshi.cover_image == "https://img.example.org/medium/meshi.jpg"
    assert meshi.synopsis == "Laios's party cooks the monsters they meet.\nA very hungry dungeon crawl."
    assert (meshi.next_airing_episode, meshi.next_airing_at) == (None, None)
    assert meshi.synonyms == ()
    assert meshi.titles == ("Dungeon Meshi", "Delicious in Dungeon", "ダンジョン飯")


def test_search_finds_several_and_clamps_a_huge_limit(client: AniListClient, fake: FakeAniList) -> None:
    found = client.search("on", limit=500)

    assert {anime.anilist_id for anime in found} == {154587, 153518}
    assert fake.queries[0][1]["perPage"] == 50


@pytest.mark.parametrize(("title", "limit"), [("", 10), ("   \t", 10), ("frieren", 0)])
def test_bad_search_input_is_refused_before_asking(
    client: AniListClient, loopback: LoopbackServer, title: str, limit: int
) -> None:
    with pytest.raises(ValueError, match="title to search for|at least 1"):
        client.search(title, limit)
    assert loopback.requests == []


def test_an_identical_search_is_answered_from_the_cache(
    client: AniListClient, loopback: LoopbackServer, ticks: FakeTime
) -> None:
    first = client.search("Frieren")
    again = client.search("  frieren ")

    assert again == first
    assert len(loopback.requests) == 1
    ticks.now += 3601  # past cache_ttl
    client.search("frieren")
    assert len(loopback.requests) == 2


def test_get_reads_one_show_and_reuses_search_results(client: AniListClient, loopback: LoopbackServer) -> None:
    meshi = client.get(153518)
    assert (meshi.anilist_id, meshi.title_english) == (153518, "Delicious in Dungeon")

    [frieren] = client.search("frieren")
    requests_so_far = len(loopback.requests)
    assert client.get(154587) == frieren
    assert client.get(153518) == meshi
    assert len(loopback.requests) == requests_so_far == 2


def test_get_an_unknown_id_says_so(client: AniListClient) -> None:
    with pytest.raises(AniListError, match="^AniList has no anime with id 999$"):
        client.get(999)
    with pytest.raises(ValueError, match="not an AniList id"):
        client.get(0)


def test_airing_schedule_follows_pages(client: AniListClient, fake: FakeAniList) -> None:
    fake.schedule_page_size = 2
    start, end = utc(20), utc(27)
    fake.schedule = [
        (154587, 26, int(utc(20).timestamp())),  # at start: included
        (154587, 27, int(utc(21, 16).timestamp())),
        (153518, 24, int(utc(22, 15).timestamp())),
        (154587, 28, int(utc(27).timestamp())),  # at end: excluded
        (999, 3, int(utc(23).timestamp())),  # not asked for
    ]

    episodes = client.airing_schedule([154587, 153518, 154587], start, end)

    assert [(e.anilist_id, e.episode, e.airing_at) for e in episodes] == [
        (154587, 26, utc(20)),
        (154587, 27, utc(21, 16)),
        (153518, 24, utc(22, 15)),
    ]
    assert all(e.airing_at.tzinfo == UTC for e in episodes)
    assert [variables["page"] for _, variables in fake.queries] == [1, 2]
    assert fake.queries[0][1]["mediaIds"] == [153518, 154587]


def test_airing_schedule_checks_its_input(client: AniListClient, loopback: LoopbackServer) -> None:
    with pytest.raises(ValueError, match="time zone"):
        client.airing_schedule([154587], datetime(2024, 3, 1), utc(8))
    assert client.airing_schedule([], utc(1), utc(8)) == []
    assert client.airing_schedule([154587], utc(8), utc(1)) == []
    assert loopback.requests == []


def test_a_429_is_waited_out_then_retried(client: AniListClient, fake: FakeAniList, ticks: FakeTime) -> None:
    fake.then_answer(429, {"data": None, "errors": [{"message": "Too Many Requests.", "status": 429}]},
                     {"Retry-After": "7", "X-RateLimit-Limit": "90", "X-RateLimit-Remaining": "0"})  # fmt: skip

    [frieren] = client.search("frieren")

    assert frieren.anilist_id == 154587
    assert ticks.sleeps == [7]
    assert fake.seen_at == [1000.0, 1007.0]


def test_repeated_429s_give_up_with_a_clear_message(
    client: AniListClient, fake: FakeAniList, ticks: FakeTime, loopback: LoopbackServer
) -> None:
    fake.then_answer(429, {"data": None, "errors": [{"message": "Too Many Requests."}]}, {"Retry-After": "5"}, times=9)

    with pytest.raises(AniListError, match=r"^AniList is rate-limiting us; try again in 5 s$"):
        client.search("frieren")
    assert ticks.sleeps == [5, 5, 5]
    assert len(loopback.requests) == 4


def test_a_very_long_retry_after_is_not_slept_through(
    client: AniListClient, fake: FakeAniList, ticks: FakeTime
) -> None:
    fake.then_answer(429, {"data": None}, {"Retry-After": "3600"})

    with pytest.raises(AniListError, match="try again in 3600 s"):
        client.get(154587)
    assert ticks.sleeps == []
    client.get(154587)  # later calls wait a bounded while, then ask again
    assert ticks.sleeps == [120]


@pytest.mark.parametrize("status", [200, 400])
def test_graphql_errors_become_a_plain_message(client: AniListClient, fake: FakeAniList, status: int) -> None:
    errors = [{"message": "Invalid token.", "status": 400}, {"message": "Query too complex", "locations": []}]
    fake.then_answer(status, {"data": None, "errors": errors})

    with pytest.raises(AniListError, match="^AniList refused the request: Invalid token; Query too complex$"):
        client.search("frieren")


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (200, {"data": None}, "^AniList answered without any data; try again later$"),
        (200, b"<html>maintenance</html>", "^AniList sent an answer that is not JSON; try again later$"),
        (500, b"oops", "^AniList answered 500 Internal Server Error; try again later$"),
        (502, {"data": None}, "^AniList answered 502 Bad Gateway; try again later$"),
        (200, {"data": {"Page": {"media": [{"title": {}}]}}}, "^AniList sent an answer in an unexpected shape"),
        (200, {"data": {"Page": None}}, "^AniList sent an answer in an unexpected shape"),
    ],
)
def test_broken_answers_become_a_plain_message(
    client: AniListClient, fake: FakeAniList, status: int, body: object, message: str
) -> None:
    fake.then_answer(status, body)

    with pytest.raises(AniListError, match=message) as raised:
        client.search("frieren")
    assert isinstance(raised.value, SourceError)


def test_a_dead_server_becomes_a_plain_message(ticks: FakeTime) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = AniListClient(new_session(retries=0), f"http://127.0.0.1:{port}/graphql", clock=ticks.clock)

    with pytest.raises(AniListError, match=rf"^could not reach AniList at http://127.0.0.1:{port}/graphql: "):
        client.search("frieren")


def test_the_fourth_request_in_a_minute_waits_for_the_window(fake: FakeAniList, ticks: FakeTime) -> None:
    client = client_for(fake, ticks, requests_per_minute=3)

    for title in ("frieren", "dungeon", "meshi", "sousou"):
        client.search(title)

    assert ticks.sleeps == [60]
    assert fake.seen_at == [1000.0, 1000.0, 1000.0, 1060.0]


def test_threads_never_exceed_the_budget() -> None:
    ticks = FakeTime()
    limiter = RateLimiter(3, clock=ticks.clock, sleep=ticks.sleep)
    allowed: list[float] = []

    run_together(lambda: allowed.append(limiter.acquire()), [()] * 10)

    assert len(allowed) == 10
    assert max(sum(start <= t < start + 60 for t in allowed) for start in allowed) == 3
    assert max(allowed) == 1180.0  # 10 requests at 3 a minute: the last one 3 minutes in, not later


def test_threads_share_one_client_budget(fake: FakeAniList, ticks: FakeTime, loopback: LoopbackServer) -> None:
    client = client_for(fake, ticks, requests_per_minute=3)
    titles = ["frieren", "dungeon", "meshi", "sousou", "delicious", "journey", "laios"]
    results: list[list[AnimeMetadata]] = []

    run_together(lambda title: results.append(client.search(title)), [(title,) for title in titles])

    assert len(results) == 7
    assert len(loopback.requests) == 7
    assert ticks.sleeps == [60, 60]


def test_the_fake_refuses_what_anilist_would(fake: FakeAniList) -> None:
    """The checks every other test relies on: needed fields asked for, values passed as variables."""
    lacking = "query ($id: Int) { Media(id: $id, type: ANIME) { id title { romaji } } }"
    inline = 'query ($perPage: Int) { Page(perPage: $perPage) { media(search: "frieren") { id } } }'

    for query, variables, reason in [
        (lacking, {"id": 154587}, "lacks idMal"),
        (inline, {"perPage": 5, "search": "frieren"}, "not declared"),
        (inline.replace("query (", "query ($search: String, "), {"perPage": 5, "search": "frieren"}, "written into"),
    ]:
        response = requests.post(fake.url, json={"query": query, "variables": variables}, timeout=5)
        assert response.status_code == 400
        assert reason in json.dumps(response.json()["errors"])
