"""What a release name says: title, episode, season, resolution, group, version, language.

Three readers, fastest first: the form most feeds use ("[Group] Title - 12
(1080p)"), the usual shapes (``release_reader``), and any name: its outline
(``release_outline``) checked and completed by our rules ("Episode 12", "Ep.12",
"#12", "第12話", "S02E05", "- 05v2", "01~12", "2nd Season", video-site titles such
as "Frieren ｜ Episode 12"). Each answers as a ``ParsedRelease``; every reader is
ours, stateless and safe to call from any thread (aniparse, used before, read
about 700 names a second and anitopy hangs on names ending in " -").

Fractional episodes ("12.5", a recap between 12 and 13) give ``episode=None`` and
``fractional_episode=12.5``: they are not episode 12, and rounding down would make
a tracker take them for it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from providers.release_languages import detect_language
from providers.release_outline import Outline, outline
from providers.release_reader import read_usual
from providers.release_titles import Title, clean_title, find_group, season_in

MAX_NAME_LENGTH = 400  # longer names are cut: no title, group or episode is that long
_CACHE_SIZE = 16384

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_DOUBLE_BRACKET = re.compile(r"([\[(【])\1+")
_FLAGS = re.IGNORECASE
_RANGE = r"(?:\s?[-~]\s?(?:e|ep)?(?P<end>\d{1,4}))?"
_TAIL = r"(?P<frac>\.\d{1,2}(?!\d))?(?:v(?P<version>\d{1,2}))?[a-d]?(?![^\W_])"  # 05.5, 05v2, 01b (part b)
_EPISODE_MARKERS = tuple(re.compile(pattern, _FLAGS) for pattern in (
    # S02E05, S01E01-E03, 1x03
    rf"(?<![^\W_])(?:s(?P<season>\d{{1,2}})\s?[e.]|(?P<season2>\d{{1,2}})x)(?P<episode>\d{{1,4}}){_RANGE}{_TAIL}",
    # Episode 12, Ep 12, Ep.12, EP07, Épisode 3
    rf"(?<![^\W\d_])(?:episode|episodio|épisode|eps?)\s?\.?\s?#?(?P<episode>\d{{1,4}}){_RANGE}{_TAIL}",
    # 第12話, 12話, 第12-13話
    r"第?\s?(?P<episode>\d{1,4})(?:\s?[-~]\s?(?P<end>\d{1,4}))?\s?[話话集回]",
    # #12, #1-4
    rf"#\s?(?P<episode>\d{{1,4}}){_RANGE}{_TAIL}",
    # OVA 01, SP01, ED2: an extra's own number (its keyword stays in the title)
    rf"(?<![^\W_])(?:ova|oad|ona|sp|ex|op|ed|ncop|nced|pv)\s?(?P<episode>\d{{1,3}}){_TAIL}",
    # " - 05", " - 05v2", " - 01-12", " - 01~12"
    rf"(?:^|\s)[-–—]\s?(?P<episode>\d{{1,4}}){_RANGE}{_TAIL}",
    # [01-12], (01~12): a batch
    r"[\[(](?P<episode>\d{1,4})\s?[-~]\s?(?P<end>\d{1,4})[\])]",
    # 01 ~ 12: a tilde only ever joins a range
    r"(?<!\S)(?P<episode>\d{1,4})\s?~\s?(?P<end>\d{1,4})(?!\S)",
))
_RESOLUTION = re.compile(
    r"(?<![^\W_])(?:\d{3,4}\s?[x×]\s?(?P<height>\d{3,4})[pi]?|(?P<lines>\d{3,4})[pi]|(?P<k>[248])k)(?![^\W_])",
    _FLAGS,
)
# Season announcements that are never episodes: "[10月新番]", "★10月新番★", "【4月新番】".
_ANNOUNCEMENT = re.compile(r"[★☆]?\s?[\[【]?\d{1,2}月新番[\]】]?\s?[★☆]?")
_LENTICULAR = re.compile(r"【([^【】\[\]]*)】")  # 【group】 read as [group]
_SEASON_PACK = re.compile(  # a season named alone ("2nd Season 24" is episode 24 of season 2)
    r"(?<![^\W_])(?<!(?:st|nd|rd|th)\s)(?:seasons?\s?\d{1,2}(?:\s?[-~&+]\s?\d{1,2})?|s\d{1,2}\s?[-~+]\s?s\d{1,2})"
    r"(?![^\W_])",
    re.IGNORECASE,
)
_NUMBER_THEN_LANGUAGE = re.compile(
    r"^(?P<title>.*[^\W\d_].*?)\s(?P<episode>\d{1,4})\s(?:vostfr|vf|vff|vosta|multi|sub|dub|raw)$", re.IGNORECASE
)
_RAW_GROUP = re.compile(r"(?<![^\W_])raws?$", re.IGNORECASE)
_DUAL_NUMBER = re.compile(r"\s[-–]\s(?P<a>\d{1,4})\s\((?P<b>\d{1,4})\)")
_BRACKETED_HEIGHT = re.compile(r"[\[(](?P<height>480|540|576|720|1080|1440|2160)[\])]")
_K_HEIGHTS = {"2": 1440, "4": 2160, "8": 4320}
_VERSION = re.compile(r"(?<=\d)v(?P<n>\d{1,2})(?![^\W_])|(?<![^\W_])v(?P<alone>\d{1,2})(?![^\W_])", _FLAGS)
# Letters that may be glued before an episode number: "E05", "EP05", "SP01", "第".
_EPISODE_PREFIX = re.compile(r"(?:e|ep|eps|episode|ova|oad|sp|ex|op|ed|ncop|nced|pv|s\d{1,2}e|第|#)$", _FLAGS)
# Words before a number that is not an episode: "No.6", "Vol.01", "(Part 1)", "Ver1.1".
_NOT_EPISODE_PREFIX = re.compile(r"(?<![^\W_])(?:no|vol|volume|part|pt|ver|version|chapter|ch)\.?\s?$", _FLAGS)
_COMMON = re.compile(
    r"\[(?P<group>[A-Za-z][\w .&-]{0,38}[\w.])\] (?P<title>[^\W\d_][^\[\]()#~_]{0,150}?[^\W_]) - "
    r"(?P<episode>\d{1,4})(?:v(?P<version>\d))? [\[(](?P<height>480|540|576|720|1080|1440|2160)p[\])]"
    r"(?: ?\[[^\[\]]{0,80}\])*(?:\.(?:mkv|mp4|avi|webm|m4v))?"
)
# Titles the fast path leaves alone: digits, " - " (an episode title may follow), seasons, extras, parts.
_UNSURE_TITLE = re.compile(
    r"\d| - |(?<![^\W_])(?:season|part|cour|ova|oad|ona|sp|op|ed|ncop|nced|pv|special|movie|the movie|batch|"
    r"vol|episode|ep|tv|bd|raw|ii|iii|iv)(?![^\W_])",
    _FLAGS,
)
# A number standing alone after the title: "[Group] Kaiju No.8 05 [720p]".
_ISOLATED_NUMBER = re.compile(r"(?<!\S)(?P<episode>\d{1,4})(?:v(?P<version>\d{1,2}))?(?=\s*(?:$|[\[(]|\s[-–]\s))")


@dataclass(frozen=True)
class ParsedRelease:
    """What a release name says about itself (None: the name does not say).

    Attributes:
        title: the show's title as written in the name.
        episode: the (first) episode number.
        episode_end: the last episode of a batch ("01-12"), else None.
        season: the season number when the name gives one (S02, "2nd Season").
        video_resolution: normalised to "2160p", "1080p", "720p", "480p", ... .
        release_group: the group in the leading brackets.
        release_version: 2 for "v2" (a corrected re-release).
        language: normalised tag: "vostfr", "vf", "sub", "dub", "multi", "raw".
        fractional_episode: 12.5 for a recap or half episode "12.5" (``episode`` is then None).
    """

    title: str | None = None
    episode: int | None = None
    episode_end: int | None = None
    season: int | None = None
    video_resolution: str | None = None
    release_group: str | None = None
    release_version: int | None = None
    language: str | None = None
    fractional_episode: float | None = None


@dataclass(frozen=True)
class _Episode:
    """Episode fields read from the name; ``fractional`` marks "12.5"."""

    episode: int | None = None
    end: int | None = None
    version: int | None = None
    season: int | None = None
    fractional: float | None = None


def parse_release_name(name: str) -> ParsedRelease:
    """What ``name`` says about itself; never raises, fields the name does not give are None.

    Thread-safe, and cached: a name seen before is not parsed again.

    Args:
        name: a release title or file name; only its first ``MAX_NAME_LENGTH`` characters are read.
    """
    return _parse(name[:MAX_NAME_LENGTH])


def clear_cache() -> None:
    """Forget every name parsed so far (for measuring parsing speed)."""
    _parse.cache_clear()


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _parse(name: str) -> ParsedRelease:
    text = _LENTICULAR.sub(r"[\1]", _ANNOUNCEMENT.sub(" ", clean_name(name))).strip()
    if not any(char.isalnum() for char in text):
        return ParsedRelease()
    return _common_form(text) or _usual_form(text) or _thorough(text)


def _usual_form(text: str) -> ParsedRelease | None:
    """Our own reader's answer for the usual shapes of names (see ``release_reader``), None when unsure."""
    reading = read_usual(text)
    if reading is None:
        return None
    return ParsedRelease(
        title=reading.title,
        episode=_season_episode(reading.episode, text),
        episode_end=reading.episode_end,
        season=reading.season,
        video_resolution=_resolution(text.replace("_", " ")) or _bracketed_height(text),
        release_group=reading.release_group,
        release_version=reading.release_version or _version_in(reading.rest),
        language=_language(reading.rest, reading.release_group),
    )


def _common_form(text: str) -> ParsedRelease | None:
    """The fast path for the form most feeds use, "[Group] Title - 12v2 (1080p) [...].mkv".

    Taken only when nothing in the title could be a number, season, extra or
    language (those go the thorough way); tests check it agrees with
    ``_thorough`` on every name it takes.
    """
    found = _COMMON.fullmatch(text)
    if found is None or _UNSURE_TITLE.search(found["title"]) or detect_language(found["title"]):
        return None
    rest = text.replace(found["title"], " ").replace(found["group"], " ")
    return ParsedRelease(
        title=found["title"],
        episode=int(found["episode"]),
        video_resolution=f"{int(found['height'])}p",
        release_group=found["group"],
        release_version=_int(found["version"]),
        language=_language(rest, found["group"]),
    )


def _thorough(text: str) -> ParsedRelease:
    """The outline's reading, checked and completed by our rules."""
    found = outline(text)
    spaced = text.replace("_", " ")
    title = _number_before_language(clean_title(found, text), text)
    episode = _episode(found, spaced, title) or _isolated_episode(text, title)
    episode = _not_a_season_pack(replace(episode, episode=_season_episode(episode.episode, spaced)), spaced)
    group = title.group or find_group(found, text, title.title)
    if group and title.title and group.casefold() == title.title.casefold():
        group = None  # "[Frieren].12.avi": the only bracket is the title
    rest = text
    for words in (title.written, group):  # they state no language: "Raw Hero", "[Sub-Zero]"
        rest = rest.replace(words, " ") if words else rest
    end = episode.end if episode.end and episode.episode is not None and episode.end > episode.episode else None
    return ParsedRelease(
        title=title.title,
        episode=episode.episode,
        episode_end=end,
        season=found.season or episode.season or title.season or season_in(spaced),
        video_resolution=_resolution(spaced),
        release_group=group,
        release_version=found.version or episode.version or _version_in(spaced),
        language=_language(rest, group),
        fractional_episode=episode.fractional,
    )


def _language(rest: str, group: str | None) -> str | None:
    """The language the name states outside its title and group, else "raw" for a raw group's release
    ("[Ohys-Raws]"; Erai-raws is a subtitling group whatever its name says)."""
    stated = detect_language(rest)
    if stated is None and group and _RAW_GROUP.search(group) and not group.casefold().startswith("erai"):
        return "raw"
    return stated


def normalise_resolution(value: str) -> str | None:
    """"1080p" for "1920x1080", "1080", "1080i" or "1080P"; "2160p" for "4K"; None if no resolution."""
    value = value.strip()
    return f"{int(value)}p" if value.isdigit() else _resolution(value)


def clean_name(name: str) -> str:
    """Full-width ASCII folded ("１２" -> "12"), control characters and doubled brackets removed."""
    return _DOUBLE_BRACKET.sub(r"\1", _CONTROL.sub(" ", name.translate(_FULL_WIDTH))).strip()


def _episode(found: Outline, spaced: str, title: Title) -> _Episode | None:
    """The outline's episode when the name backs it up, else an explicit marker's or one glued to the title.

    None when none of them gives one.
    """
    number = found.episode
    if number is None or not _stands_alone(number, spaced):
        marked = _marked_episode(spaced)
        if marked.episode is not None or marked.fractional is not None:
            return marked
        return _Episode(title.episode) if title.episode is not None else None
    if not number.is_integer():
        return _Episode(fractional=number)
    return _Episode(int(number), found.episode_end, found.version, found.season)


def _isolated_episode(text: str, title: Title) -> _Episode:
    """A number standing alone right after the title, as in "[Group] Kaiju No.8 05 [720p]"."""
    if title.written is None:
        return _Episode()
    after = text[text.index(title.written) + len(title.written):].replace("_", " ")
    for found in _ISOLATED_NUMBER.finditer(after):
        number = int(found["episode"])
        if not _NOT_EPISODE_PREFIX.search(after[: found.start()]) and not 1900 <= number <= 2099:
            return _Episode(number, version=_int(found["version"]))
    return _Episode()


def _marked_episode(spaced: str) -> _Episode:
    """The episode an explicit marker gives ("Episode 12", "S02E05", "第12話", "- 05v2", ...)."""
    for pattern in _EPISODE_MARKERS:
        found = pattern.search(spaced)
        if found is None:
            continue
        fields = found.groupdict()
        if fields.get("frac"):
            return _Episode(fractional=float(fields["episode"] + fields["frac"]))
        number = int(fields["episode"])
        if 1900 <= number <= 2099:  # a year
            continue
        season = fields.get("season") or fields.get("season2")
        return _Episode(number, _int(fields.get("end")), _int(fields.get("version")), _int(season))
    return _Episode()


def _stands_alone(number: float, spaced: str) -> bool:
    """Whether ``number`` is in the name as a number of its own, not inside "BIG5", "DivX5" or "Ver1.1"."""
    for run in re.finditer(r"\d+(?:\.\d+)?", spaced):
        if float(run.group()) != number:
            continue
        before = spaced[max(0, run.start() - 12):run.start()]
        if _NOT_EPISODE_PREFIX.search(before):
            continue
        if not re.search(r"[^\W\d_]$", before) or _EPISODE_PREFIX.search(before):
            return True
    return False


def _resolution(text: str) -> str | None:
    """The first resolution in ``text`` as "<height>p": "1920x1080", "1080p", "1080i", "4K"."""
    found = _RESOLUTION.search(text)
    if found is None:
        return None
    if found["k"]:
        return f"{_K_HEIGHTS[found['k']]}p"
    return f"{int(found['height'] or found['lines'])}p"


def _number_before_language(title: Title, text: str) -> Title:
    """"One Piece 1120 VF": the number before a language tag ending the title is the episode."""
    found = _NUMBER_THEN_LANGUAGE.match(title.title or "")
    if found is None or title.episode is not None:
        return title
    written = found["title"] if found["title"] in text else title.written
    return replace(title, title=found["title"], episode=int(found["episode"]), written=written)


def _not_a_season_pack(episode: _Episode, spaced: str) -> _Episode:
    """No episode when its only number is a season's: "Show Season 3 [1080p]", "Seasons 1-2", "S01-S04"."""
    pack = _SEASON_PACK.search(spaced)
    if pack is None or episode.episode is None:
        return episode
    outside = spaced[: pack.start()] + " " + spaced[pack.end():]
    if re.search(rf"(?<![\d.])0*{episode.episode}(?![\d.])", outside):
        return episode
    return _Episode(season=episode.season)


def _season_episode(episode: int | None, spaced: str) -> int | None:
    """Of "- 29 (04)", an absolute number and the season's own, the season's (the smaller)."""
    dual = _DUAL_NUMBER.search(spaced)
    if dual is None or episode not in (int(dual["a"]), int(dual["b"])):
        return episode
    return min(int(dual["a"]), int(dual["b"]))


def _bracketed_height(text: str) -> str | None:
    """The resolution a bare height in brackets gives: "[720]" -> "720p"."""
    found = _BRACKETED_HEIGHT.search(text)
    return f"{found['height']}p" if found else None


def _version_in(spaced: str) -> int | None:
    """The version a "05v2" or a lone "V2" gives."""
    found = _VERSION.search(spaced)
    return int(found["n"] or found["alone"]) if found else None


def _int(value: object) -> int | None:
    """``value`` as an int when it is a whole number ("02" -> 2), else None."""
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None
