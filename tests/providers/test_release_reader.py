"""Our own reader of the usual name shapes: it answers only when sure, and then as the thorough reader would."""

from __future__ import annotations

import pytest

from providers.release_names import ParsedRelease, _thorough, _usual_form, clean_name, parse_release_name

USUAL = [  # name, title, episode, group
    ("[SubsPlease] Sousou no Frieren - 12 (1080p) [ABCD1234].mkv", "Sousou no Frieren", 12, "SubsPlease"),
    ("[Erai-raws] Dungeon Meshi - 05 [720p][Multiple Subtitle][ENG][POR-BR].mkv", "Dungeon Meshi", 5, "Erai-raws"),
    ("[ANBU]_Princess_Lover!_-_01_[2048A39A].mkv", "Princess Lover!", 1, "ANBU"),
    ("[Group] Frieren - 05v2 [720p]", "Frieren", 5, "Group"),
    ("[Group] Frieren - 01 - The Journey's End [1080p]", "Frieren", 1, "Group"),
    ("[Group] Mushishi 04 [720p].mkv", "Mushishi", 4, "Group"),
    ("[Group] Frieren S2 - 03 [720p]", "Frieren", 3, "Group"),
    ("[Group] Frieren 2nd Season - 03 [720p]", "Frieren", 3, "Group"),
    ("Frieren - Episode 12 VOSTFR 1080p", "Frieren", 12, None),
    ("[Team] Frieren Episode 7 (VOSTFR) [1080p]", "Frieren", 7, "Team"),
    ("[Group] Ushio to Tora (TV) - 02 [720p]", "Ushio to Tora", 2, "Group"),
    ("[Group] Toradora! (2008) - 01v2 [720p]", "Toradora!", 1, "Group"),
    ("[Group] Summer Wars [BD][1080p][9F311DAB].mkv", "Summer Wars", None, "Group"),
    ("Frieren.S01E05.The.Hero.1080p.WEB.x264-GRP.mkv", "Frieren", 5, "GRP"),
    ("[Group] Frieren - 01-12 [1080p][Batch]", "Frieren", 1, "Group"),
    ("[Group][Sousou_no_Frieren][05][1080p][x264_AAC].mkv", "Sousou no Frieren", 5, "Group"),
    ("Sousou_no_Frieren_-_05_[Some_Group][HDTV_H264_AAC][803DA487].mkv", "Sousou no Frieren", 5, "Some_Group"),
    ("Summer Wars [BD 1080p][Group].mkv", "Summer Wars", None, "Group"),
]


@pytest.mark.parametrize(("name", "title", "episode", "group"), USUAL)
def test_the_usual_shapes_are_read_by_our_reader(name: str, title: str, episode: int | None, group: str | None) -> None:
    text = clean_name(name)
    ours = _usual_form(text)
    assert ours is not None, "the usual reader should be sure of this shape"
    assert (ours.title, ours.episode, ours.release_group) == (title, episode, group)
    thorough = _thorough(text)
    assert (thorough.episode, thorough.episode_end, thorough.season) == (ours.episode, ours.episode_end, ours.season)


@pytest.mark.parametrize(
    "name",
    [
        "[Group] Kaiju No. 8 05 [720p]",  # a number in the title before a bare number: unsure
        "[Group] Toradora ED2 [1080p]",  # an extra
        "[Group] Frieren - 12.5 [1080p]",  # a half episode
        "[Group] Frieren Vol.1 [BD]",  # a volume
        "Some.Glued.Name05",
    ],
)
def test_it_leaves_what_it_is_unsure_of_to_the_thorough_reader(name: str) -> None:
    assert _usual_form(clean_name(name)) is None


def test_half_episodes_are_read_as_such() -> None:
    parsed = parse_release_name("[Group] Frieren - 13.5 [1080p]")
    assert (parsed.episode, parsed.fractional_episode) == (None, 13.5)
    assert parse_release_name("[Group] Frieren - 06.5 (Recap) [720p]").fractional_episode == 6.5


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("[A] Show - 29 (04) [720p]", 4),  # absolute number, then the season's
        ("[A] Show - 002 (100) [720p]", 2),
    ],
)
def test_of_two_numbers_the_season_s_own_is_the_episode(name: str, expected: int) -> None:
    assert parse_release_name(name).episode == expected


def test_groups_keep_their_underscores_but_joint_releases_are_spaced() -> None:
    assert parse_release_name("[Seto_Otaku]_AIKa_-_01_[BD].mkv").release_group == "Seto_Otaku"
    assert parse_release_name("Noein_[01_of_24]_[bodlerov_&_torrents_ru].mkv").release_group == "bodlerov & torrents ru"


def test_a_title_pair_gives_the_romanised_title() -> None:
    assert parse_release_name("[字幕組][漆黑的子彈][Black Bullet][11][720p].mp4").title == "Black Bullet"


def test_a_title_keeps_the_punctuation_the_name_writes_in_it() -> None:
    assert parse_release_name("[a4e]R.O.D_the_TV_01[divx5.2.1].mkv").title == "R.O.D the TV"
    assert parse_release_name("[RaX]Mezzo(DSA)_-_05_-_[x264_ogg].mkv").title == "Mezzo(DSA)"


def test_a_usual_reading_is_a_parsed_release() -> None:
    assert isinstance(_usual_form(clean_name(USUAL[0][0])), ParsedRelease)


@pytest.mark.parametrize(
    ("name", "episode", "end", "season"),
    [
        ("[Group] Frieren - 05 [1080p 10bit]", 5, None, None),
        ("[Group] Frieren - 05 [Hi10P]", 5, None, None),
        ("[Group] Frieren 05 [1080p x265 10bit AAC 6ch]", 5, None, None),
        ("[Group] Frieren - 05 [1080p DDP5.1 x265]", 5, None, None),
        ("[Group] Frieren - 05 (BD 1920x1080 FLACx2)", 5, None, None),
        ("[Group] Frieren [1080p AAC-GRP]", None, None, None),
        ("Frieren (2023) [1080p]", None, None, None),
        ("[Group] Frieren Season 3 [1080p]", None, None, 3),
        ("[Group] Frieren S01-S04 [1080p]", None, None, 1),
        ("[Group] Frieren Seasons 1-2 [BD 1080p]", None, None, 1),
        ("[Group] Frieren (Season 3) [Batch]", None, None, 3),
        ("[Group] Frieren Season 2 - 03 [720p]", 3, None, 2),
        ("[Group] Hayate no Gotoku 2nd Season 24 (BD 1080p)", 24, None, 2),
        ("[Group] Frieren 01-12 [1080p]", 1, 12, None),
        ("[Group] Frieren 01 ~ 12 [1080p]", 1, 12, None),
        ("[Group] Frieren EP01-EP12 [1080p]", 1, 12, None),
        ("[Group] Frieren - 01 - 24 [Batch]", 1, 24, None),
        ("[10月新番][葬送的芙莉莲][第05集][1080P]", 5, None, None),
        ("葬送的芙莉莲 第05话", 5, None, None),
        ("Frieren Ép. 07 VOSTFR", 7, None, None),
        ("One Piece 1120 VF", 1120, None, None),
        ("Frieren Capítulo 12 Sub Español", 12, None, None),
        ("Frieren Folge 12 German Dub", 12, None, None),
        ("Show.Name.S02E05.1080p.WEB.x264-GRP", 5, None, 2),
        ("Show_Name_-_05_[720p]", 5, None, None),
    ],
)
def test_numbers_that_are_not_episodes_and_the_usual_markers(
    name: str, episode: int | None, end: int | None, season: int | None
) -> None:
    parsed = parse_release_name(name)
    assert (parsed.episode, parsed.episode_end, parsed.season) == (episode, end, season)


@pytest.mark.parametrize(
    ("name", "title", "group"),
    [
        ("【喵萌奶茶屋】★10月新番★[葬送的芙莉莲 / Sousou no Frieren][05][1080p][简日双语]", "Sousou no Frieren", "喵萌奶茶屋"),
        ("【MMZYSUB】★【Golden Time】[24（END）][GB][720P_MP4]", "Golden Time", "MMZYSUB"),
        ("Show.Name.S02E05.1080p.WEB.x264-GRP", "Show Name", "GRP"),
    ],
)
def test_cjk_brackets_announcements_and_title_pairs(name: str, title: str, group: str) -> None:
    parsed = parse_release_name(name)
    assert (parsed.title, parsed.release_group) == (title, group)


@pytest.mark.parametrize(
    ("name", "language"),
    [
        ("Frieren Episode 7 (VOSTFR)", "vostfr"),
        ("One Piece 1120 VF", "vf"),
        ("[Group] Frieren - 05 VOSTA [1080p]", "sub"),
        ("[Group] Frieren - 05 [Sub ITA]", "sub-it"),
        ("[Group] Frieren - 05 [ITA DUB]", "dub-it"),
        ("Frieren Capítulo 12 Sub Español", "sub-es"),
        ("[Group] Frieren - 05 [1080p][ARA]", "sub-ar"),
        ("[Group] Frieren - 05 [PT-BR]", "sub-pt"),
        ("[Group] Frieren - 05 [UKR dub]", "dub-uk"),
        ("Frieren Folge 12 German Dub", "dub-de"),
        ("[Erai-raws] Frieren - 05 [1080p][ENG][POR-BR]", "multi"),
        ("[Group] Frieren - 05 [MULTI]", "multi"),
        ("[Group] Frieren - 05 [Dual-Audio]", "multi"),
        ("[Ohys-Raws] Frieren - 05 (BS11 1280x720 x264 AAC).mp4", "raw"),
        ("[Erai-raws] Frieren - 05 [1080p].mkv", None),
    ],
)
def test_subtitle_and_dub_languages(name: str, language: str | None) -> None:
    assert parse_release_name(name).language == language
