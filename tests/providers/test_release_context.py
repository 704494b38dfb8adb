"""A release name read for a known show: the show's title found first, the episode read from the rest."""

from __future__ import annotations

import pytest

from providers.release_context import read_for_show


@pytest.mark.parametrize(
    ("name", "titles", "title", "episode", "extra"),
    [
        ("[SubsPlease] 86 - 05 (1080p) [1B2C3D4E].mkv", ["86"], "86", 5, ""),
        ("[G] Kaiju No.8 09 [720p].mkv", ["Kaiju No. 8"], "Kaiju No.8", 9, ""),
        ("[G] Mob Psycho 100 III - 06 [1080p].mkv", ["Mob Psycho 100"], "Mob Psycho 100 III", 6, "III"),
        ("Sousou.no.Frieren.S01E05.1080p.WEB.x264-GRP.mkv", ["Sousou no Frieren"], "Sousou.no.Frieren", 5, ""),
        ("[G] Re:Zero 2nd Season - 04 [1080p].mkv", ["Re:Zero kara Hajimeru Isekai Seikatsu", "Re:Zero"], "Re:Zero", 4, ""),
    ],
)
def test_the_show_s_title_is_found_first(name: str, titles: list[str], title: str, episode: int, extra: str) -> None:
    reading = read_for_show(name, titles)
    assert reading is not None
    assert (reading.parsed.title, reading.parsed.episode, reading.extra) == (title, episode, extra)


@pytest.mark.parametrize(
    "name",
    ["[G] Mob Psycho 100 - 05 [1080p].mkv", "[Frieren] Dungeon Meshi - 05 [1080p].mkv",
     "[G] Dungeon Meshi - 06 - Frieren's Visit [1080p].mkv"],
)
def test_a_name_without_the_title_as_its_title_is_not_the_show_s(name: str) -> None:
    assert read_for_show(name, ["Mob Psycho 100 III", "Frieren"]) is None
