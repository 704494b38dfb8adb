"""--anilist-id fills a show's details from AniList (an AniList-shaped endpoint on 127.0.0.1)."""

from __future__ import annotations

from tests.cli_runner import ADD_FRIEREN, Run
from tests.loopback import LoopbackServer
from tests.providers.anilist_server import PATH, FakeAniList


def test_add_with_an_anilist_id_fills_the_details(cli: Run, anilist: FakeAniList) -> None:
    result = cli(*ADD_FRIEREN, "--alias", "Frieren TV", "--anilist-id", "154587", "--json")
    assert result.code == 0, result.err
    item = result.json()
    assert item["anilist_id"] == 154587 and item["episode_count"] == 28
    assert item["poster_image"].startswith("https://img.example.org/")
    assert "Fantasy" in item["genres"] and item["synopsis"]
    assert item["title_aliases"][0] == "Frieren TV"  # the user's own alias first
    assert "Sousou no Frieren" in item["title_aliases"]
    assert "Frieren" not in item["title_aliases"]  # the show's own title is no alias


def test_update_links_an_existing_show(cli: Run, anilist: FakeAniList) -> None:
    added = cli(*ADD_FRIEREN, "--json").json()
    result = cli("update", added["id"][:6], "--anilist-id", "154587")
    assert result.code == 0, result.err
    assert "anilist_id none → 154587" in result.out
    assert cli("show", added["id"], "--json").json()["episode_count"] == 28


def test_an_unknown_anilist_id_changes_nothing(cli: Run, anilist: FakeAniList, home) -> None:  # type: ignore[no-untyped-def]
    added = cli(*ADD_FRIEREN, "--json").json()
    before = (home / "watchlist.json").read_bytes()
    result = cli("update", added["id"], "--anilist-id", "999999")
    assert result.code == 1
    assert "could not get AniList entry 999999: AniList has no anime with id 999999" in result.err
    assert (home / "watchlist.json").read_bytes() == before


def test_bad_input_fails_before_asking_anilist(cli: Run, anilist: FakeAniList, loopback: LoopbackServer) -> None:
    result = cli("add", "--title", "X", "--url", "notaurl", "--provider", "feed", "--anilist-id", "154587")
    assert result.code == 2
    assert loopback.requests_to(PATH) == []
