"""Our reader for the usual shapes of release names, several times faster than the thorough one.

It reads a name as the parts fansub, scene and video-site names are built of:
a leading group in brackets, the title, an episode marker, then brackets of
technical tags, an episode title after " - ", or a trailing "-GROUP". It
answers only when every part is where that shape puts it; any doubt returns
None and the name goes to the thorough reader (the outline and our checks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from providers.release_languages import detect_language
from providers.release_titles import season_in
from providers.release_words import TECHNICAL_WORD

_FLAGS = re.IGNORECASE
_EXTENSION = re.compile(r"\.(?:mkv|mp4|m4v|avi|webm|mov|ts|wmv|flv|ogm|rmvb)$", _FLAGS)
_LEADING_GROUP = re.compile(r"^(?:\[(?P<square>[^\[\]]{1,60})\]|【(?P<lenticular>[^【】]{1,60})】)[\s_.]*")
_BRACKET = re.compile(r"\[[^\[\]]*\]|\([^()]*\)|【[^【】]*】")
_SEPARATOR = re.compile(r"[\s,+&_-]+")
_VERSION = r"(?:\s?v(?P<version>\d{1,2}))?"
_DASH = "-–—‒"
# Where the title ends and the episode begins, in the order they are tried.
_EPISODE_FORMS = tuple(re.compile(pattern, _FLAGS) for pattern in (
    # "Title - 05", "Title - 05v2", "Title - 01-12", "Title - 01 ~ 12" (a batch)
    rf"\s[{_DASH}]\s(?P<episode>\d{{1,4}}){_VERSION}(?:\s?[-~]\s?(?P<end>\d{{1,4}}))?(?=$|\s|[\[(])",
    # "Title S02E05", "Title S02E05v2", "Title S01E01-E03"
    rf"(?:\s[{_DASH}])?\s(?P<season>s\d{{1,2}})e(?P<episode>\d{{1,4}}){_VERSION}(?:-e?(?P<end>\d{{1,4}}))?(?=$|\s|[\[(])",
    # "Title Episode 05", "Title Ep 05", "Title Ep.05", "Title EP05", "Title - Episode 05", "Title #05"
    rf"(?:\s[{_DASH}])?\s(?:episode|ep\.?|#)\s?(?P<episode>\d{{1,4}}){_VERSION}(?:\s?[-~]\s?(?P<end>\d{{1,4}}))?(?=$|\s|[\[(])",
    # "Title 05 [720p]": a number standing alone right before the brackets or the end
    rf"\s(?P<episode>\d{{1,4}}){_VERSION}(?=\s*(?:$|[\[(]))",
))
_ISOLATED = len(_EPISODE_FORMS) - 1  # the bare number: the title before it must hold no number
_ENDS_WITH_NUMBER = re.compile(r"(?<![^\W_])(?:\d+|no\.?|vol\.?|part|pt\.?|season|s|episode|ep\.?|eps)$|^$", _FLAGS)
_TITLE_WORDS = re.compile(r"^[^\W\d_][^\[\]()【】#]*$")
_SEASON_SUFFIX = re.compile(
    r"\s(?:\d{1,2}(?:st|nd|rd|th)\s(?:season|saison)|(?:season|saison)\s?\d{1,2}|s\d{1,2})$", _FLAGS
)
_UNSURE = re.compile(
    r"(?<![^\W_])(?:ova|oad|ona|sp|op|ed|ncop|nced|pv|special|specials|movie|movies|film|batch|vol|volume"
    r"|ex|preview|recap|part|pt|cour|chapter|ch|tv|bd|dvd|raw)(?![^\W_])|[~|｜:]",
    _FLAGS,
)
_TRAILING_GROUP = re.compile(r"[\s\])](?:-|\s-\s)(?P<group>[A-Za-z][\w]{1,20})$")
_DOT = re.compile(r"\.(?!\d)|(?<!\d)\.")
_META_PARENS = re.compile(r"\s?\((?P<inside>[^()]{1,20})\)(?=\s|$)")
_SCENE_GROUP = re.compile(r"(?<=[^\W_])-(?P<group>[A-Za-z][A-Za-z0-9]{1,20})$")
_BRACKETED_FORM = re.compile(
    r"^\[(?P<group>[^\[\]]{1,40})\]\s?\[(?P<title>[^\[\]]{2,120})\]\s?\[(?P<episode>\d{1,4})(?:v(?P<version>\d))?\]"
    r"(?P<tail>(?:\s?\[[^\[\]]*\])*)$"
)
_GROUP_LIKE = re.compile(r"^[^\W\d_][\w .&@!-]{0,30}$")
_YEAR = re.compile(r"\s?\((?:19|20)\d\d\)(?=\s|$)")
_NUMBERED_TITLE = re.compile(r"\d|\s[-–—‒]\s")  # fine before " - 05" or "Episode 5", not before a bare "05"


@dataclass(frozen=True)
class Reading:
    """What our reader makes of a name it is sure of (the fields of ``ParsedRelease``)."""

    title: str
    episode: int | None
    episode_end: int | None
    season: int | None
    release_group: str | None
    release_version: int | None
    rest: str


def read_usual(text: str) -> Reading | None:
    """``text`` (a cleaned name) read when it has one of the usual shapes; None when in doubt."""
    text = _EXTENSION.sub("", text)
    if bracketed := _bracketed_form(text):
        return bracketed
    group = None
    lead = _LEADING_GROUP.match(text)
    body = text
    if lead:
        group = (lead["square"] or lead["lenticular"]).strip()
        if not group or _all_technical(group):
            return None
        body = text[lead.end():]
    if body.count("_") > body.count(" "):
        body = body.replace("_", " ")
    elif " " not in body and body.count(".") >= 2:
        body = _DOT.sub(" ", body)  # "Show.Name.S02E05.1080p.WEB-GRP"; "H.264" and "5.1" keep their dots
    if " " not in body.strip():
        return None  # glued names: left to the thorough reader
    head, episode, tail = _split_episode(body)
    if head is None:
        return None
    head = _META_PARENS.sub(lambda found: "" if _all_technical(found["inside"]) else found.group(), head.strip())
    head = _YEAR.sub("", head)
    if episode is not None and episode["form"] == _ISOLATED and _NUMBERED_TITLE.search(head):
        return None
    season = None
    if found := _SEASON_SUFFIX.search(head):
        season, head = season_in(found.group()), head[: found.start()]
    title = head.strip(" -–—")
    if not _TITLE_WORDS.match(title) or _UNSURE.search(title) or len(title) < 2:
        return None
    named = [] if group else [bracket[1:-1].strip() for bracket in _BRACKET.findall(tail)
                               if not _all_technical(bracket[1:-1])]
    if len(named) > 1 or named and (not _GROUP_LIKE.match(named[0]) or _UNSURE.search(named[0])
                                    or detect_language(named[0])
                                    or re.search(r"(?<![^\W_])(?:episode|ep)(?![^\W_])", named[0], _FLAGS)):
        return None
    technical_tail = _BRACKET.sub(lambda found: "" if found.group()[1:-1].strip() in named else found.group(), tail)
    if episode is None and not _only_technical(technical_tail):
        return None
    if episode is not None and not _tail_is_plain(tail, episode["form"] != _ISOLATED):
        return None
    if group is None:
        trailing = _TRAILING_GROUP.search(tail) or _SCENE_GROUP.search(tail)
        if trailing and named:
            return None
        if trailing:
            group = trailing["group"]
            if TECHNICAL_WORD.match(group):
                return None
        elif named:  # "Title - 01 [Group][720p]": the one bracket that is no tag, as the name writes it
            group = named[0].replace(" ", "_") if named[0].replace(" ", "_") in text else named[0]
    number = episode or {}
    rest = body.replace(title, " ", 1)
    return Reading(
        title=title,
        episode=_int(number.get("episode")),
        episode_end=_end(number),
        season=season or _int(str(number.get("season") or "")[1:]),
        release_group=group,
        release_version=_int(number.get("version")),
        rest=rest,
    )


def _bracketed_form(text: str) -> Reading | None:
    """"[Group][Title][01][720p][x264]": every part in its own bracket."""
    found = _BRACKETED_FORM.match(text)
    if found is None or _all_technical(found["group"]) or not _only_technical(found["tail"]):
        return None
    title = " ".join(found["title"].replace("_", " ").split())
    if not _TITLE_WORDS.match(title) or _UNSURE.search(title) or _all_technical(title):
        return None
    return Reading(title, int(found["episode"]), None, None, found["group"].strip(), _int(found["version"]),
                   found["tail"])


def _split_episode(body: str) -> tuple[str | None, dict | None, str]:
    """The title part, the episode's fields, and what follows; the title part is None when unsure."""
    first_bracket = next((found for found in _BRACKET.finditer(body) if not _META_PARENS.fullmatch(found.group())
                          or not _all_technical(found.group()[1:-1]) and not _YEAR.fullmatch(found.group())), None)
    limit = first_bracket.start() if first_bracket else len(body)
    for index, form in enumerate(_EPISODE_FORMS):
        found = form.search(body, 0, limit) or (form.search(body) if first_bracket is None else None)
        if found is None or found.start() == 0:
            continue
        head = body[: found.start()]
        if _ENDS_WITH_NUMBER.search(head.rstrip()) and index == _ISOLATED:
            return None, None, ""
        fields: dict = {key: value for key, value in found.groupdict().items() if value}
        fields["form"] = index
        return head, fields, body[found.end():]
    if "-" in body[:limit] or re.search(r"\d", body[:limit]):
        return None, None, ""
    return body[:limit], None, body[limit:]


def _tail_is_plain(tail: str, titled: bool) -> bool:
    """Whether what follows the episode holds only brackets of tags, an episode title or a "-GROUP".

    ``titled``: an episode title may follow without a dash ("S01E05 The Title 1080p").
    """
    outside = _BRACKET.sub(" ", tail).strip()
    plain = titled or outside.startswith(("-", "–")) or _TRAILING_GROUP.search(tail) or _all_technical(outside)
    if outside and not plain:
        return False
    return not re.search(r"(?<![^\W_])(?:\d{1,4}(?:\.\d)?\s?[-~]\s?\d{1,4}|ep|episode|batch)(?![^\W_])", outside, _FLAGS)


def _only_technical(tail: str) -> bool:
    """Whether ``tail`` is brackets of technical tags and nothing else."""
    brackets = _BRACKET.findall(tail)
    if _BRACKET.sub("", tail).strip(" .-_"):
        return False
    return all(_all_technical(bracket[1:-1]) for bracket in brackets)


def _all_technical(content: str) -> bool:
    words = [word for word in _SEPARATOR.split(content) if word]
    return bool(words) and all(TECHNICAL_WORD.match(word) for word in words)


def _end(fields: dict) -> int | None:
    start, end = _int(fields.get("episode")), _int(fields.get("end"))
    return end if start is not None and end is not None and end > start else None


def _int(value: object) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None

