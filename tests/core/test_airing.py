"""AiringBook keeps each linked show's next airing from AniList, refreshed at most every few hours."""

from __future__ import annotations

from datetime import timedelta

from core.airing import REFRESH_AFTER, Airing, AiringBook
from core.datafolder import DataFolder
from providers.anilist import AniListClient
from tests.conftest import Clock
from tests.providers.anilist_server import DUNGEON_MESHI, FRIEREN, FakeAniList


def client(anilist: FakeAniList) -> AniListClient:
    return AniListClient(endpoint=anilist.url, cache_ttl=0)  # every get asks the server


def test_a_refresh_keeps_each_linked_show_s_next_airing_and_skips_unlinked_ones(
    folder: DataFolder, anilist: FakeAniList, clock: Clock
) -> None:
    book = AiringBook(folder, clock=clock)

    fetched = book.refresh([FRIEREN["id"], None, DUNGEON_MESHI["id"], FRIEREN["id"]], client(anilist))

    assert set(fetched) == {FRIEREN["id"], DUNGEON_MESHI["id"]} and len(anilist.queries) == 2
    frieren = AiringBook(folder).known()[FRIEREN["id"]]  # saved
    assert (frieren.status, frieren.episodes, frieren.next_episode) == ("RELEASING", 28, 27)
    assert frieren.next_at is not None and frieren.next_at.timestamp() == FRIEREN["nextAiringEpisode"]["airingAt"]


def test_an_entry_is_fetched_again_only_once_it_is_a_few_hours_old(
    folder: DataFolder, anilist: FakeAniList, clock: Clock
) -> None:
    book = AiringBook(folder, clock=clock)
    book.refresh([FRIEREN["id"]], client(anilist))

    clock.advance(seconds=REFRESH_AFTER.total_seconds() - 60)
    assert book.refresh([FRIEREN["id"]], client(anilist)) == {} and len(anilist.queries) == 1
    clock.advance(seconds=60)
    assert set(book.refresh([FRIEREN["id"]], client(anilist))) == {FRIEREN["id"]} and len(anilist.queries) == 2


def test_anilist_down_keeps_what_was_known(folder: DataFolder, anilist: FakeAniList, clock: Clock) -> None:
    book = AiringBook(folder, clock=clock)
    book.refresh([FRIEREN["id"]], client(anilist))
    before = book.known()
    clock.advance(hours=7)
    anilist.then_answer(500, {"errors": [{"message": "Internal Server Error"}]})

    assert book.refresh([FRIEREN["id"], DUNGEON_MESHI["id"]], client(anilist)) == {}

    assert book.known() == before


def test_an_episode_whose_airing_time_has_passed_counts_as_aired(clock: Clock) -> None:
    airing = Airing(status="RELEASING", episodes=12, next_episode=5, next_at=clock.now + timedelta(hours=1),
                    fetched_at=clock.now)

    assert (airing.upcoming(clock.now), airing.aired(clock.now)) == ((5, clock.now + timedelta(hours=1)), 4)
    later = clock.now + timedelta(hours=2)
    assert (airing.upcoming(later), airing.aired(later)) == (None, 5)


def test_a_finished_show_has_aired_its_every_episode_and_one_not_yet_aired_is_unknown(clock: Clock) -> None:
    assert Airing(status="FINISHED", episodes=24, fetched_at=clock.now).aired(clock.now) == 24
    assert Airing(status="NOT_YET_RELEASED", episodes=12, fetched_at=clock.now).aired(clock.now) is None
