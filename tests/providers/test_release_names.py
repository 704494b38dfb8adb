"""Release-name parsing: our readers, normalised into a ParsedRelease."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.parse_accuracy import DEFAULT_DATA, score
from providers.release_languages import detect_language
from providers.release_names import (
    ParsedRelease,
    _common_form,
    _thorough,
    clean_name,
    clear_cache,
    normalise_resolution,
    parse_release_name,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param(
            "[SubsPlease] Sousou no Frieren - 12 (1080p) [ABCD1234].mkv",
            ParsedRelease("Sousou no Frieren", 12, video_resolution="1080p", release_group="SubsPlease"),
            id="subsplease",
        ),
        pytest.param(
            "[Erai-raws] Dungeon Meshi - 05 [720p][Multiple Subtitle][ENG][POR-BR].mkv",
            ParsedRelease("Dungeon Meshi", 5, video_resolution="720p", release_group="Erai-raws", language="multi"),
            id="erai-raws",
        ),
        pytest.param(
            "[Judas] Sousou no Frieren - 01-12 [1080p][Batch]",
            ParsedRelease("Sousou no Frieren", 1, 12, video_resolution="1080p", release_group="Judas"),
            id="batch-dash",
        ),
        pytest.param(
            "[Group] Frieren (01~12) [BD 1080p]",
            ParsedRelease("Frieren", 1, 12, video_resolution="1080p", release_group="Group"),
            id="batch-tilde",
        ),
        pytest.param(
            "[Group] Frieren - 05v2 [720p]",
            ParsedRelease("Frieren", 5, video_resolution="720p", release_group="Group", release_version=2),
            id="version",
        ),
        pytest.param(
            "Frieren - Episode 12 VOSTFR 1080p",
            ParsedRelease("Frieren", 12, video_resolution="1080p", language="vostfr"),
            id="vostfr",
        ),
        pytest.param(
            "[Team] Show S02E05 VF 720p",
            ParsedRelease("Show", 5, season=2, video_resolution="720p", release_group="Team", language="vf"),
            id="sxxeyy-vf",
        ),
        pytest.param(
            "Frieren: Beyond Journey's End Episode 12 [English Sub]",
            ParsedRelease("Frieren: Beyond Journey's End", 12, language="sub"),
            id="video-site-english-sub",
        ),
        pytest.param("【Official】Frieren ｜ Episode 12", ParsedRelease("Frieren", 12), id="video-site-official"),
        pytest.param("葬送のフリーレン 第12話", ParsedRelease("葬送のフリーレン", 12), id="kanji-episode"),
        pytest.param("葬送のフリーレン 第１２話", ParsedRelease("葬送のフリーレン", 12), id="full-width-digits"),
        pytest.param(
            "[10月新番][葬送的芙莉莲][第05集][1080P]",
            ParsedRelease("葬送的芙莉莲", 5, video_resolution="1080p"),
            id="announcement-title-episode-brackets",
        ),
        pytest.param(
            "Sousou no Frieren 第2期 第05話 1080p",
            ParsedRelease("Sousou no Frieren", 5, season=2, video_resolution="1080p"),
            id="kanji-season",
        ),
        pytest.param("Frieren #12", ParsedRelease("Frieren", 12), id="hash"),
        pytest.param("Frieren Ep 7 English Dub", ParsedRelease("Frieren", 7, language="dub"), id="ep-space-dub"),
        pytest.param("Frieren Ep.7 (Dubbed)", ParsedRelease("Frieren", 7, language="dub"), id="ep-dot-dubbed"),
        pytest.param(
            "[Group] Frieren 2nd Season - 03 [720p]",
            ParsedRelease("Frieren", 3, season=2, video_resolution="720p", release_group="Group"),
            id="nth-season",
        ),
        pytest.param(
            "[Group] Frieren Season 2 - 03 [720p]",
            ParsedRelease("Frieren", 3, season=2, video_resolution="720p", release_group="Group"),
            id="season-n",
        ),
        pytest.param(
            "[Group] Frieren S2 - 03 [720p]",
            ParsedRelease("Frieren", 3, season=2, video_resolution="720p", release_group="Group"),
            id="s2",
        ),
        pytest.param(
            "Frieren.S01E01-E03.1080p.WEB.x265-Group.mkv",
            ParsedRelease("Frieren", 1, 3, season=1, video_resolution="1080p", release_group="Group"),
            id="scene-range",
        ),
        pytest.param(
            "[Group] Bocchi the Rock! (2022) - 05 [1920x1080 x264 10bit][1234ABCD].mkv",
            ParsedRelease("Bocchi the Rock!", 5, video_resolution="1080p", release_group="Group"),
            id="year-codec-checksum",
        ),
        pytest.param(
            "[Group] Frieren - 03 [BIG5][H.265][AAC 2.0]",
            ParsedRelease("Frieren", 3, release_group="Group", language="sub-zh"),  # Big5: Chinese subtitles
            id="codec-numbers",
        ),
        pytest.param(
            "[Group] Frieren (2023) [BD 1080p][HEVC x265 10bit]",
            ParsedRelease("Frieren", video_resolution="1080p", release_group="Group"),
            id="year-is-no-episode",
        ),
        pytest.param(
            "[ASW] One Piece - 1100 [1080p HEVC]",
            ParsedRelease("One Piece", 1100, video_resolution="1080p", release_group="ASW"),
            id="four-digit-episode",
        ),
        pytest.param(
            "[Group] Frieren - 12.5 [1080p]",
            ParsedRelease("Frieren", video_resolution="1080p", release_group="Group", fractional_episode=12.5),
            id="fractional-episode-is-none",
        ),
        pytest.param(
            "[Group] Frieren - OVA 01 [1080p]",
            ParsedRelease("Frieren - OVA", 1, video_resolution="1080p", release_group="Group"),
            id="extra-keeps-keyword-in-title",
        ),
        pytest.param("Frieren - 05 -", ParsedRelease("Frieren", 5), id="trailing-dash-hangs-anitopy"),
        pytest.param(
            "[Sub-Zero] Frieren - 12 [1080p]",
            ParsedRelease("Frieren", 12, video_resolution="1080p", release_group="Sub-Zero"),
            id="group-states-no-language",
        ),
    ],
)
def test_parse(name: str, expected: ParsedRelease) -> None:
    assert parse_release_name(name) == expected


@pytest.mark.parametrize(
    ("name", "language"),
    [
        ("Frieren - 12 VOSTFR", "vostfr"),
        ("Frieren - 12 VF 1080p", "vf"),
        ("Frieren - 12 MULTi 1080p", "multi"),
        ("Frieren - 12 [Multi-Subs]", "multi"),
        ("Frieren - 12 [Multi-Audio]", "multi"),
        ("Frieren - 12 [Dual Audio]", "multi"),
        ("Frieren - 12 [English Dub]", "dub"),
        ("Frieren - 12 (Dub)", "dub"),
        ("Frieren - 12 [ENG SUB]", "sub"),
        ("Frieren - 12 Subbed", "sub"),
        ("Frieren - 12 [RAW]", "raw"),
        ("[Erai-raws] Frieren - 12 [1080p]", None),
        ("[HorribleSubs] Frieren - 12 [1080p]", None),
        ("Frieren - 12 [1080p]", None),
    ],
)
def test_language(name: str, language: str | None) -> None:
    assert parse_release_name(name).language == language


def test_language_prefers_the_most_specific_tag() -> None:
    assert detect_language("VOSTFR Multi-Subs") == "vostfr"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1920x1080", "1080p"),
        ("1280x720", "720p"),
        ("1280×720", "720p"),
        ("4K", "2160p"),
        ("2160p", "2160p"),
        ("1080", "1080p"),
        ("1080i", "1080p"),
        ("480P", "480p"),
        ("HEVC", None),
    ],
)
def test_normalise_resolution(value: str, expected: str | None) -> None:
    assert normalise_resolution(value) == expected


@pytest.mark.parametrize(
    "name",
    ["", "   ", "!!!///", "[]()", "...", "\x00\x01\x7f", "12.5.6.7", "1080p", "[ABCD1234]", "2024"],
)
def test_nothing_to_read(name: str) -> None:
    assert parse_release_name(name).episode is None
    assert parse_release_name(name).title is None


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd",
        "C:\\Windows\\system.ini",
        "'; DROP TABLE shows; --",
        "<script>alert('x')</script>",
        "Frieren\x00 - 05\n[1080p]",
        "&__p [】.SS 5p3#3v0+S~【[5第",  # it made the library we used before raise TypeError
        "|x((-.- 【[)0-E】)5&【_話[(x~",  # and IndexError on this one
    ],
)
def test_hostile_or_garbage_names_do_not_raise(name: str) -> None:
    parsed = parse_release_name(name)
    assert parsed.episode is None or parsed.episode >= 0
    assert parsed.title is None or "\x00" not in parsed.title


@pytest.mark.parametrize(
    "name",
    ["a" * 10_000, "[a]" * 3_400, "1 " * 5_000, "-a" * 5_000, "( " * 5_000, "- 1" * 3_400, "S01E01 " * 1_500],
)
def test_very_long_names_return(name: str) -> None:
    assert isinstance(parse_release_name(name), ParsedRelease)


def test_only_the_start_of_a_long_name_is_read() -> None:
    parsed = parse_release_name("[Group] Frieren - 05 [1080p] " + "x" * 10_000 + " Episode 99")
    assert (parsed.title, parsed.episode) == ("Frieren", 5)


def test_safe_from_many_threads() -> None:
    names = [
        f"[Group{index % 7}] Show {index} - {index % 24 + 1:02d}{'v2' * (index % 5 == 0)} [{(720, 1080)[index % 2]}p]"
        for index in range(200)
    ]
    clear_cache()
    expected = [parse_release_name(name) for name in names]
    clear_cache()
    start = threading.Barrier(8)

    def parse_all(offset: int) -> list[ParsedRelease]:
        start.wait()
        order = names[offset * 25:] + names[: offset * 25]  # each thread starts elsewhere
        results = dict(zip(order, map(parse_release_name, order), strict=True))
        return [results[name] for name in names]

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(parse_all, range(8)))
    assert all(outcome == expected for outcome in outcomes)
    assert expected[0] == ParsedRelease("Show 0", 1, video_resolution="720p", release_group="Group0", release_version=2)


@pytest.mark.skipif(not DEFAULT_DATA.is_file(), reason=f"{DEFAULT_DATA} not found (a fresh clone has no ../shared)")
def test_conformance_episode_accuracy() -> None:
    cases = json.loads(DEFAULT_DATA.read_text(encoding="utf-8"))
    right, wrong = score(cases)
    assert right["episode"] / len(cases) >= 0.97, "\n".join(wrong["episode"])


def _fast_path_names() -> list[str]:
    """Names in the common feed form, varied in every part the fast path reads."""
    groups = ["SubsPlease", "Erai-raws", "Judas", "ASW", "Some Group", "B&B", "Tsundere-Raws"]
    titles = ["Sousou no Frieren", "Dungeon Meshi", "Kusuriya no Hitorigoto", "Oshi no Ko", "Re Zero",
              "Frieren Beyond Journey's End", "Ore dake Level Up na Ken", "Vinland Saga Season", "Mushishi Zoku Shou",
              "Spy x Family", "Boku no Hero Academia", "Toradora ED", "One Piece", "Blue Lock vs U", "K"]
    tails = ["", " [ABCD1234]", " [Multiple Subtitle][ENG][POR-BR]", " [VOSTFR]", " [Dual Audio]", " [HEVC]"]
    names = []
    for n, (group, title) in enumerate((g, t) for g in groups for t in titles):
        tail = tails[n % len(tails)]
        episode = f"{n % 30 + 1:02d}" + ("v2" if n % 7 == 0 else "")
        quality = ("1080p", "720p", "480p")[n % 3]
        brackets = "({})" if n % 2 else "[{}]"
        names.append(f"[{group}] {title} - {episode} {brackets.format(quality)}{tail}" + (".mkv" if n % 3 else ""))
    if DEFAULT_DATA.is_file():
        names += [case["input"] for case in json.loads(DEFAULT_DATA.read_text(encoding="utf-8"))]
    return names


def test_the_fast_path_agrees_with_the_thorough_parser() -> None:
    taken = 0
    for name in _fast_path_names():
        text = clean_name(name)
        fast = _common_form(text)
        if fast is not None:
            taken += 1
            assert fast == _thorough(text), name
    assert taken >= 60  # the fast path is really exercised
