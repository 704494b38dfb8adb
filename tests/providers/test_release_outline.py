"""The outline: the first reading of any name, before our rules check and complete it."""

from __future__ import annotations

import pytest

from providers.release_names import parse_release_name
from providers.release_outline import outline


@pytest.mark.parametrize(
    ("name", "title", "episode", "group"),
    [
        # The title is carried across a bracket of title words and across " - " up to the episode.
        ("[G] Kaiju You Are (Not) Alone - 03 [1080p]", "Kaiju You Are (Not) Alone", 3, "G"),
        ("[G] Tower of Mist (REDUX) - Second Spire - 04 [720p]", "Tower of Mist (REDUX) - Second Spire", 4, "G"),
        ("[G]Mezzo(DSA)_-_05_-_[x264_ogg]", "Mezzo(DSA)", 5, "G"),
        ("[G] Yatta [Kanji] Mita - 07 [ABCD1234]", "Yatta [Kanji] Mita", 7, "G"),
        # ... but not across a bracket of tags, a year, or one followed by the episode.
        ("Quiet Forest (BD 1080p x265 FLACx2 5.1ch)-grp.mkv", "Quiet Forest", None, "grp"),
        ("[G] Quiet Forest (2019) - 02 [1080p]", "Quiet Forest", 2, "G"),
        ("[G] Quiet Forest (TV) - 02 [720p]", "Quiet Forest", 2, "G"),
        # A number inside the title, and the lone number that is the episode.
        ("[G] World Knows 2 - 03 [720p]", "World Knows 2", 3, "G"),
        ("[G] Stars 765 Pro Story.mkv", "Stars 765 Pro Story", None, "G"),
        ("[G] Mountain 14 Snow Falls Part 2.mp4", "Mountain", 14, "G"),
        ("Pearl.Coast.08.A.Detective.720p.BluRay.DTS.x264-GRP.mkv", "Pearl Coast", 8, "GRP"),
        ("[G] Island Pirates 1120 VF", "Island Pirates", 1120, "G"),
        ("[G] Dragon Movies 8 & 10 [720p]", "Dragon Movies", 8, "G"),
        ("[G] Blue Submarine No.6 03 [DVD]", "Blue Submarine No.6", 3, "G"),
        # Markers: Ep, Episode, S01E05, #, a dash.
        ("[G] Castle Ep01 [BD]", "Castle", 1, "G"),
        ("Castle.episode.02.DVDRip.mkv", "Castle", 2, None),
        ("[G] Castle - S01E05 - The Gate [1080p]", "Castle", 5, "G"),
        ("[G] Castle #07v2 - The Gate [720p]", "Castle", 7, "G"),
        # A lone number far before a marked episode belongs to the title.
        ("Robot 009 (1968) [G2] episode 06 [30C15D62].mp4", "Robot 009", 6, None),
        # The episode leads: with a title part after it, or naming the episode alone.
        ("05 - River Song - The Flood Begins - [G](E7724B68).mkv", "River Song", 5, None),
        ("01 - Land of Visible Pain.mkv", None, 1, None),
        # Separators other than spaces.
        ("Castle_of_Glass_-_05_[720p]", "Castle of Glass", 5, None),
        ("castle-of-glass-episode-25-1080p.mp4", "castle of glass", 25, None),
        ("Citrine+Episode+3.mp4", "Citrine", 3, None),
        # Names of brackets only, and a number alone between them.
        ("[G][Castle of Glass][05][1080p]", None, 5, "G"),
        ("[Castle of Glass][07][Big5][720p][encoded by G]", None, 7, "encoded by G"),
        ("[Castle].148.[Xvid.mp3].[FE68D5F1].avi", None, 148, None),
        ("[葬送的芙莉莲][第05集][1080P]", None, 5, None),  # the title's bracket, then the episode's
        ("EvoBot.[G]_Castle_of_Glass_-_01v2_[720p]", "Castle of Glass", 1, "G"),
        # Ranges.
        ("[G] Castle - (01-04) [1080p]", "Castle", 1, "G"),
        ("[G]_Castle_of_Glass_13-15_[BD_1080p]", "Castle of Glass", 13, "G"),
        ("Castle_[20_of_25]_[ru_jp]_[HDTV]", "Castle", 20, None),
    ],
)
def test_title_episode_and_group(name: str, title: str | None, episode: float | None, group: str | None) -> None:
    found = outline(name)
    assert (found.title, found.episode, found.group) == (title, episode, group)


def test_ranges_versions_seasons_and_halves() -> None:
    assert (outline("[G] Castle - 01v2-03v2 (720p)").episode, outline("[G] Castle - 01v2-03v2").episode_end) == (1, 3)
    assert outline("[G] Castle - 01 ~ 12 [1080p]").episode_end is None  # a range of the rules, not of the outline
    assert outline("[G] Castle 01 ~ 12 [1080p]").episode_end == 12
    assert outline("[G] Castle - 05v2 [720p]").version == 2
    assert (outline("[G] Castle S02E05 [720p]").season, outline("[G] Castle S02E05 [720p]").episode) == (2, 5)
    assert outline("[G] Castle - 07.5 - Party [BD]").episode == 7.5
    assert outline("[G] Castle - 09a (DVD)").episode == 9


def test_tags_years_and_numbers_with_dots_make_no_title() -> None:
    for name in ("1080p", "2024", "12.5.6.7", "[G] 1080p x264"):
        assert outline(name).title is None, name


def test_terms_are_the_tags_of_the_name_and_the_words_of_episode_brackets() -> None:
    found = outline("Castle_[01_of_24]_[ru_jp]_[HQR.remux-DualAudio]_[Crew_&_Friends_RU].mkv")
    assert {"of", "ru", "jp", "remux", "dualaudio"} <= found.terms
    assert not {"crew", "friends", "castle", "hqr"} & found.terms
    assert "ru" not in outline("[Crew_&_Friends_RU] Castle - 01").terms  # a language word is a tag among tags only
    assert found.extension == "mkv"
    assert parse_release_name("Castle - 01 [1920x1080]").video_resolution == "1080p"  # the rules read resolutions


def test_years_in_brackets_are_never_episodes() -> None:
    assert outline("Castle_of_Glass_(2006)_[1080p,BluRay,x264,DTS]_-_GRP.mkv").episode is None
    assert outline("[G] Castle (2018) [BD-1080]").episode is None
