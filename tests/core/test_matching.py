from __future__ import annotations

import pytest

from core.matching import Decision, SourceReleases, decide, split_season
from core.models import WatchlistItem, new_item_id, utc_now
from core.titles import normalise_title
from providers.base import LinkKind, Release


def item(**fields: object) -> WatchlistItem:
    now = utc_now()
    values: dict[str, object] = {
        "anime_title": "Frieren", "anime_url": "https://example.org/feed.xml", "provider_id": "feed",
        "id": new_item_id(), "created_at": now, "updated_at": now,
    }
    return WatchlistItem.model_validate({**values, **fields})


def releases(*names: str) -> list[Release]:
    return [Release(name, f"https://example.org/{n}.torrent", LinkKind.TORRENT) for n, name in enumerate(names)]


def verdicts(decisions: list[Decision]) -> list[tuple[str, bool]]:
    return [(d.release.name, d.take) for d in decisions]




def taken(decisions: list[Decision]) -> list[str]:
    return [d.release.name for d in decisions if d.take]


def reason(decisions: list[Decision], name: str) -> str:
    return next(d.reason for d in decisions if d.release.name == name)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("[Oshi no Ko]", "oshi no ko"), ("Oshi_no_Ko", "oshi no ko"), ("ＦＲＩＥＲＥＮ", "frieren"),
     ("Frieren: Beyond Journey's End", "frieren beyond journey s end")],
)
def test_normalise_title(text: str, expected: str) -> None:
    assert normalise_title(text) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [("Oshi no Ko Season 2", ("Oshi no Ko", 2)), ("Mushoku Tensei 2nd Season", ("Mushoku Tensei", 2)),
     ("Dr. Stone S3", ("Dr. Stone", 3)), ("Frieren", ("Frieren", None)), ("Season", ("Season", None))],
)
def test_split_season(title: str, expected: tuple[str, int | None]) -> None:
    assert split_season(title) == expected


def test_title_and_aliases() -> None:
    show = item(anime_title="Frieren: Beyond Journey's End", title_aliases=["Sousou no Frieren"])
    decisions = decide(show, releases(
        "[SubsPlease] Sousou no Frieren - 01 (1080p) [AAAA0001].mkv",
        "[SubsPlease] Frieren Beyond Journeys End - 02 (1080p) [AAAA0002].mkv",  # an apostrophe left out
        "[SubsPlease] Dungeon Meshi - 01 (1080p) [AAAA0003].mkv",
    ))
    assert [d.take for d in decisions] == [True, True, False]
    assert "is not \"Frieren: Beyond Journey's End\" or one of its aliases" in decisions[2].reason


def test_a_longer_release_title_contains_the_show_title() -> None:
    decisions = decide(item(anime_title="Frieren"), releases("[SubsPlease] Sousou no Frieren - 03 (1080p).mkv"))
    assert decisions[0].take and decisions[0].episode == 3


def test_a_short_show_title_must_match_exactly() -> None:
    decisions = decide(item(anime_title="K"), releases("[G] K Project - 01 (720p).mkv", "[G] K - 02 (720p).mkv"))
    assert verdicts(decisions) == [("[G] K Project - 01 (720p).mkv", False), ("[G] K - 02 (720p).mkv", True)]


def test_season_must_agree_when_both_say() -> None:
    show = item(anime_title="Oshi no Ko Season 2")
    decisions = decide(show, releases(
        "[SubsPlease] Oshi no Ko S2 - 04 (1080p).mkv",
        "[SubsPlease] Oshi no Ko S3 - 04 (1080p).mkv",
    ))
    assert [d.take for d in decisions] == [True, False]
    assert decisions[1].reason == "season 3; this show is season 2"


def test_batches_and_names_without_episode_are_rejected() -> None:
    decisions = decide(item(), releases("[G] Frieren (01-12) [1080p] [Batch]", "[G] Frieren OST [FLAC]"))
    assert not any(d.take for d in decisions)
    assert "a batch (episodes 1-12)" in decisions[0].reason
    assert decisions[1].reason == "the name has no episode number"


def test_episode_offset_maps_absolute_numbers() -> None:
    show = item(episode_offset=28)
    decisions = decide(show, releases("[G] Frieren - 29 (1080p).mkv", "[G] Frieren - 28 (1080p).mkv"))
    assert decisions[0].take and decisions[0].episode == 1
    assert "comes before this show (episode offset 28)" in decisions[1].reason


def test_language_filter() -> None:
    show = item(lang="vostfr")
    decisions = decide(show, releases(
        "[Team] Frieren - 05 VOSTFR 1080p.mkv",
        "[Team] Frieren - 05 VF 1080p.mkv",
        "[Team] Frieren - 06 VF 1080p.mkv",
        "[Multi] Frieren - 07 [MULTi] 1080p.mkv",
    ))
    assert taken(decisions) == ["[Team] Frieren - 05 VOSTFR 1080p.mkv", "[Multi] Frieren - 07 [MULTi] 1080p.mkv"]
    assert reason(decisions, "[Team] Frieren - 06 VF 1080p.mkv") == "language vf; this show wants vostfr"


def test_a_stated_language_beats_an_unstated_one() -> None:
    decisions = decide(item(lang="vostfr"), releases("[A] Frieren - 05 [1080p].mkv", "[B] Frieren - 05 VOSTFR 720p.mkv"))
    assert taken(decisions) == ["[B] Frieren - 05 VOSTFR 720p.mkv"]
    assert "its language is not stated, vostfr is" in decisions[0].reason


def test_quality_ladder() -> None:
    names = ("[G] Frieren - 01 (480p).mkv", "[G] Frieren - 01 (720p).mkv", "[G] Frieren - 01 (1080p).mkv",
             "[G] Frieren - 01 (2160p).mkv", "[G] Frieren - 02 (480p).mkv", "[G] Frieren - 02 (720p).mkv")
    wants_720 = decide(item(quality_preference="720p"), releases(*names))
    assert taken(wants_720) == ["[G] Frieren - 01 (720p).mkv", "[G] Frieren - 02 (720p).mkv"]
    assert reason(wants_720, names[2]) == "1080p is above this show's 720p preference"
    assert "480p instead of 720p" in reason(wants_720, names[0])
    assert "720p, the preferred quality" in reason(wants_720, names[1])

    wants_1080 = decide(item(quality_preference="1080p"), releases(*names))
    assert taken(wants_1080) == ["[G] Frieren - 01 (1080p).mkv", "[G] Frieren - 02 (720p).mkv"]
    assert "720p, the best offered up to 1080p" in reason(wants_1080, names[5])

    best = decide(item(quality_preference="auto"), releases(*names))
    assert taken(best) == ["[G] Frieren - 01 (2160p).mkv", "[G] Frieren - 02 (720p).mkv"]
    assert "2160p, the best offered" in reason(best, names[3])


def test_preferred_and_blocked_groups() -> None:
    show = item(preferred_groups=["Erai-raws"], blocked_groups=["BadSubs"])
    decisions = decide(show, releases(
        "[SubsPlease] Frieren - 03 (1080p).mkv",
        "[Erai-raws] Frieren - 03 [1080p].mkv",
        "[BadSubs] Frieren - 04 [1080p].mkv",
    ))
    assert taken(decisions) == ["[Erai-raws] Frieren - 03 [1080p].mkv"]
    assert "Erai-raws is a preferred group" in decisions[0].reason
    assert decisions[2].reason == "release group 'BadSubs' is blocked for this show"


def test_a_v2_beats_the_first_release() -> None:
    decisions = decide(item(), releases("[G] Frieren - 07 (1080p).mkv", "[G] Frieren - 07v2 (1080p).mkv"))
    assert taken(decisions) == ["[G] Frieren - 07v2 (1080p).mkv"]
    assert "v1 instead of v2" in decisions[0].reason


def test_episodes_already_had_are_not_taken_again() -> None:
    show = item(last_episode_downloaded=4)
    decisions = decide(show, releases("[G] Frieren - 04 (1080p).mkv", "[G] Frieren - 05 (1080p).mkv",
                                      "[G] Frieren - 06 (1080p).mkv"), skip_episodes={6})
    assert [d.take for d in decisions] == [False, True, False]
    assert decisions[0].reason == "episode 4 is not after the last one downloaded (episode 4)"
    assert decisions[2].reason == "episode 6 is already queued or downloaded"


def test_one_release_per_episode_whatever_the_order() -> None:
    names = [f"[{group}] Frieren - {ep:02d} ({res}).mkv" for ep in (1, 2) for group in ("A", "B") for res in ("720p", "1080p")]
    decisions = decide(item(quality_preference="1080p"), releases(*reversed(names)))
    assert sorted(taken(decisions)) == ["[B] Frieren - 01 (1080p).mkv", "[B] Frieren - 02 (1080p).mkv"]
    assert all(d.reason for d in decisions)
    tie = reason(decisions, "[A] Frieren - 01 (1080p).mkv")
    assert tie == "episode 1 is taken from '[B] Frieren - 01 (1080p).mkv' (an equal release came first)"


def test_openings_endings_and_specials_are_not_episodes() -> None:
    decisions = decide(item(anime_title="Toradora"), releases(
        "[G] Toradora ED2 (1080p).mkv", "[G] Toradora NCOP1 (1080p).mkv", "[G] Toradora - 02 (1080p).mkv"))
    assert taken(decisions) == ["[G] Toradora - 02 (1080p).mkv"]
    assert "marks an extra" in decisions[0].reason
    specials = decide(item(anime_title="Toradora OVA"), releases("[G] Toradora OVA - 01 (1080p).mkv"))
    assert specials[0].take


def test_a_source_index_gives_each_show_the_same_takes_as_the_whole_listing() -> None:
    listing = releases(
        "[A] Frieren - 01 (1080p).mkv", "[A] Sousou no Frieren - 02 (1080p).mkv", "[A] Dungeon Meshi - 01 (1080p).mkv",
        "Episode 03 (1080p).mkv", "[A] Mushishi - 04 (720p).mkv", "[A] Frieren ED1 (1080p).mkv",
    )
    index = SourceReleases(listing)
    for show in (item(), item(anime_title="Dungeon Meshi"), item(anime_title="Mushishi"), item(anime_title="K")):
        whole = [d.release.name for d in decide(show, listing) if d.take]
        assert [d.release.name for d in decide(show, index.for_show(show)) if d.take] == whole
    assert [r.name for r in index.for_show(item())] == [
        "[A] Frieren - 01 (1080p).mkv", "[A] Sousou no Frieren - 02 (1080p).mkv", "Episode 03 (1080p).mkv",
        "[A] Frieren ED1 (1080p).mkv"]


@pytest.mark.parametrize(
    ("title", "name", "episode"),
    [
        ("86", "[SubsPlease] 86 - 05 (1080p) [1B2C3D4E].mkv", 5),
        ("Kaiju No. 8", "[SubsPlease] Kaiju No. 8 - 07 (1080p).mkv", 7),
        ("Kaiju No. 8", "[Group] Kaiju No.8 09 [720p].mkv", 9),
        ("Mob Psycho 100", "[Group] Mob Psycho 100 - 03 [1080p].mkv", 3),
        ("Re:Zero kara Hajimeru Isekai Seikatsu 2nd Season", "[Group] Re:Zero 2nd Season - 04 [1080p].mkv", None),
    ],
)
def test_a_number_in_the_show_s_title_is_never_the_episode(title: str, name: str, episode: int | None) -> None:
    show = item(anime_title=title, title_aliases=["Re:Zero 2nd Season"] if "Re:Zero" in title else [])
    [decision] = decide(show, releases(name))
    assert decision.take and decision.episode == (episode or 4), decision.reason


def test_mob_psycho_100_and_mob_psycho_100_iii_never_mix() -> None:
    feed = releases("[SubsPlease] Mob Psycho 100 - 05 (1080p).mkv", "[SubsPlease] Mob Psycho 100 III - 06 (1080p).mkv")
    third = decide(item(anime_title="Mob Psycho 100 III"), feed)
    assert taken(third) == ["[SubsPlease] Mob Psycho 100 III - 06 (1080p).mkv"] and third[1].episode == 6
    assert "is not 'Mob Psycho 100 III'" in third[0].reason
    first = decide(item(anime_title="Mob Psycho 100"), feed)
    assert taken(first) == ["[SubsPlease] Mob Psycho 100 - 05 (1080p).mkv"]
    assert "names another entry than 'Mob Psycho 100'" in first[1].reason


def test_a_name_holding_the_title_elsewhere_than_as_its_title_is_not_the_show_s() -> None:
    decisions = decide(item(), releases("[Frieren] Dungeon Meshi - 05 [1080p].mkv",
                                        "[G] Dungeon Meshi - 06 - Frieren's Visit [1080p].mkv"))
    assert not any(d.take for d in decisions)
    assert all("is not 'Frieren'" in d.reason for d in decisions)


def test_a_first_season_show_rejects_a_release_of_another_season() -> None:
    decisions = decide(item(), releases("[G] Frieren S3 - 12 [1080p].mkv", "[G] Frieren S1 - 12 [1080p].mkv"))
    assert [d.take for d in decisions] == [False, True]
    assert decisions[0].reason == "season 3; this show is season 1"


SECOND_SEASON = {"anime_title": "100-man no Inochi no Ue ni Ore wa Tatteiru 2nd Season", "anilist_id": 127366,
                 "episode_count": 12}  # the shipped table: 116242:13-24 -> 127366:1-12!


def test_a_second_season_numbered_on_from_the_first_is_renumbered_by_the_table() -> None:
    feed = releases(*(f"[G] 100-man no Inochi no Ue ni Ore wa Tatteiru - {n} (1080p).mkv" for n in (12, 13, 24)))
    second = decide(item(**SECOND_SEASON), feed)
    assert [(d.take, d.episode) for d in second] == [(False, 12), (True, 1), (True, 12)]
    assert "numbered 13 in the feed, renumbered 1 by the anime-relations table" in second[1].reason
    assert "it is that entry's episode" in second[0].reason  # season 1's episode 12, once the feed numbers on
    first = decide(item(anime_title="100-man no Inochi no Ue ni Ore wa Tatteiru", anilist_id=116242,
                        episode_count=12), feed)
    assert [d.take for d in first] == [True, False, False]
    assert "episode 13 is episode 1 of AniList entry 127366" in first[1].reason


def test_the_episode_offset_overrides_the_table() -> None:
    show = item(**SECOND_SEASON, episode_offset=10)
    [decision] = decide(show, releases("[G] 100-man no Inochi no Ue ni Ore wa Tatteiru - 13 (1080p).mkv"))
    assert decision.episode == 3 and "anime-relations" not in decision.reason


def test_what_cannot_be_downloaded_or_is_no_episode_is_rejected_with_the_reason() -> None:
    listing = [
        Release("[G] Frieren - 05 [1080p]", "https://indexer.example.org/get/5.nzb", LinkKind.HTTP),
        Release("Frieren Episode 6", "https://www.crunchyroll.com/watch/GX9UQ/frieren", LinkKind.YTDLP),
        *releases("Frieren Chapter 10 [Manga]", "[G] Frieren - 07 [Digital].cbz", "[G] Frieren - 13.5 [1080p]"),
    ]
    reasons = [d.reason for d in decide(item(), listing)]
    assert reasons[0].startswith("a Usenet .nzb file")
    assert reasons[1].startswith("a Crunchyroll watch page")
    assert "marks a manga chapter" in reasons[2]
    assert reasons[3] == "a .cbz file is a book or an archive, not an episode"
    assert reasons[4] == "episode 13.5 is a recap or half episode, not episode 13"


def test_subtitles_in_another_language_and_raws_are_not_taken_for_subs() -> None:
    decisions = decide(item(), releases("[G] Frieren - 05 [Sub ITA]", "[Ohys-Raws] Frieren - 05 (BS11 1280x720)",
                                        "[G] Frieren - 05 [1080p]"))
    assert taken(decisions) == ["[G] Frieren - 05 [1080p]"]
    assert decisions[0].reason == "language sub-it; this show wants sub"
    assert decisions[1].reason == "language raw; this show wants sub"


def test_a_feed_s_category_says_raw_or_another_language() -> None:
    listing = [
        Release("[G] Frieren - 05 [1080p]", "https://example.org/5.torrent", LinkKind.TORRENT, category="raw"),
        Release("[H] Frieren - 05 [1080p]", "https://example.org/6.torrent", LinkKind.TORRENT, category="non-english"),
        Release("[I] Frieren - 05 [720p]", "https://example.org/7.torrent", LinkKind.TORRENT, category="english"),
    ]
    decisions = decide(item(), listing)
    assert [d.take for d in decisions] == [False, False, True]
    assert decisions[0].reason == "language raw; this show wants sub"
    assert decisions[1].reason == "the feed files it under non-English translations; this show wants sub"


@pytest.mark.parametrize("title", ["Oshi no Ko", "Fumetsu no Anata e", "Yofukashi no Uta"])
def test_a_title_ending_in_a_particle_keeps_it(title: str) -> None:
    [decision] = decide(item(anime_title=title), releases(f"[SubsPlease] {title} - 05 (1080p) [ABCD1234].mkv"))
    assert decision.take and decision.episode == 5 and decision.parsed.title == title  # type: ignore[union-attr]


def test_a_show_s_sub_means_subtitles_in_the_user_s_subtitle_language() -> None:
    listing = releases("[G] Frieren - 05 [Sub ITA]", "[G] Frieren - 06 [ENG SUB]", "[G] Frieren - 07 [MULTI]")
    assert taken(decide(item(), listing)) == ["[G] Frieren - 06 [ENG SUB]", "[G] Frieren - 07 [MULTI]"]
    italian = decide(item(), listing, subtitles="it")
    assert taken(italian) == ["[G] Frieren - 05 [Sub ITA]", "[G] Frieren - 07 [MULTI]"]
    assert italian[1].reason == "language sub; this show wants sub-it"


def test_the_show_s_own_season_setting_says_which_season_it_is() -> None:
    decisions = decide(item(season=2), releases("[G] Frieren S2 - 03 [1080p]", "[G] Frieren S1 - 03 [1080p]"))
    assert [d.take for d in decisions] == [True, False]
    assert decisions[1].reason == "season 1; this show is season 2"
