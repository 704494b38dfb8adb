"""A release name read for a known show: its title found first, the episode read from the rest.

A generic reader guesses where a title ends, and a number belonging to it ("86",
"Kaiju No. 8", "Mob Psycho 100") can pass for the episode. Knowing the show, we
find one of its titles in the name, stand a neutral word in for it, and read
what is left: the number in the title is gone, the one after it is the episode.
A name where none of the show's titles stands as the title (only in the group,
or in an episode's own title) is not the show's.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from providers.release_names import MAX_NAME_LENGTH, ParsedRelease, clean_name, parse_release_name

_NON_WORD = re.compile(r"[\W_]+")
_PLACEHOLDER = "Tsuzukishow"  # letters no parser takes for a marker, a group or a language
_EDGE = " \t-–—_.:,;|/\\~"
_CACHE_SIZE = 16384


@dataclass(frozen=True)
class ShowReading:
    """A release name read for a show.

    Attributes:
        parsed: what the name says, its title being the show's as the name writes it.
        written: the show's title as the name writes it ("Kaiju No.8").
        extra: title words the name adds around it ("III", "Sousou no"), "" when none.
    """

    parsed: ParsedRelease
    written: str
    extra: str


def title_words(text: str) -> str:
    """Case-folded, width-folded words between single spaces: "[Oshi no Ko]" -> "oshi no ko"."""
    return " ".join(_NON_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).split())


def read_for_show(name: str, titles: Sequence[str]) -> ShowReading | None:
    """``name`` read as a release of the show called ``titles``; None when none of them is its title.

    Thread-safe and cached per (name, titles).
    """
    return _read(name[:MAX_NAME_LENGTH], tuple(titles))


def clear_cache() -> None:
    """Forget every reading so far (for measuring speed)."""
    _read.cache_clear()


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _read(name: str, titles: tuple[str, ...]) -> ShowReading | None:
    text = clean_name(name)
    for found in _title_pattern(titles).finditer(text):
        reading = _reading(text, found.start(), found.end())
        if reading is not None:
            return reading
    return None


def _reading(text: str, start: int, end: int) -> ShowReading | None:
    """The reading with ``text[start:end]`` taken for the show's title, None if it is not the title there."""
    written = text[start:end]
    parsed = parse_release_name(text[:start] + _PLACEHOLDER + text[end:])
    title = parsed.title or ""
    at = title.casefold().find(_PLACEHOLDER.casefold())
    if at < 0:
        return None
    before, after = title[:at], title[at + len(_PLACEHOLDER):]
    extra = " ".join(f"{before.strip(_EDGE)} {after.strip(_EDGE)}".split())
    return ShowReading(replace(parsed, title=f"{before}{written}{after}".strip()), written, extra)


@functools.lru_cache(maxsize=256)
def _title_pattern(titles: tuple[str, ...]) -> re.Pattern[str]:
    """Any of ``titles`` as a name may write it ("Kaiju No.8", "kaiju_no_8"), the longest first."""
    words = sorted({title_words(title) for title in titles} - {""}, key=len, reverse=True)
    alternatives = [r"[\W_]*".join(re.escape(word) for word in title.split()) for title in words]
    if not alternatives:
        return re.compile(r"(?!)")
    return re.compile(rf"(?<![^\W_])(?:{'|'.join(alternatives)})(?![^\W_])", re.IGNORECASE)
