"""The show's title and the release group in a release name: the outline's answers, checked and tidied.

``clean_title`` keeps the part of the outline's title the name really has in one
piece, cuts season and episode markers off (reporting the season), keeps an
extra's keyword ("Show - OVA"), and when the outline finds no title takes the
first words outside brackets or the first bracket that is not the group or metadata
("[Group][Show Title][01][1080p]"). ``find_group`` does the same for the group.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from providers.release_outline import Outline

_FLAGS = re.IGNORECASE
_BRACKETED = re.compile(r"\[[^\[\]]*\]|【[^【】]*】|\([^()]*\)")
_NON_WORD = re.compile(r"[\W_]+")
_EDGE_JUNK = " \t-–—_|:,;/\\・★☆♪"
_OPENERS = "([【「{"
_GROUP_IN_TITLE = re.compile(r"^[^\s\[]*\s?\[(?P<group>[^\]]*\w[^\]]*)\]\s*(?P<rest>.*\w.*)$")
_TRAILING_GROUP = re.compile(r"[\])][\s_.]?-[\s_.]?(?P<group>[^\W\d_][^\W_]*)(?:\s?v\d{1,2})?$")  # "[1080p]_-_GROUP"
_JOINT = re.compile(r"[\s_]*[&+][\s_]*")  # "[GroupA_&_GroupB]": a joint release
_GLUED_NUMBER = re.compile(r"\.\d{1,3}(?=[\s_\[(]|$)")  # "No.6 01": the number is the title's
_TITLE_PARENS = re.compile(r"(?P<paren>\s\((?P<inside>[^()\d]{2,20})\))(?=\s(?:#|-\s|\d))")  # "Title (Black) #1"
_LATIN = re.compile(r"[A-Za-z]{2}")
_PARTS = re.compile(r"\s[-–|]\s")
_EXTRA = r"ova|oad|ona|sp|ex|op|ed|ncop|nced|pv|special|pilot|preview"
_EXTRA_AFTER = re.compile(rf"^(?P<sep>\s?[-–]\s?|\s)(?P<word>{_EXTRA})(?=$|[\s\d_.\[(])", _FLAGS)
_EXTRA_NUMBER = re.compile(rf"(?<![^\W_])(?P<word>{_EXTRA})\s?\d{{1,3}}(?:\.\d)?[a-d]?$", _FLAGS)
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_ORDINAL = "|".join(_ORDINALS)
# Where a title ends: season and episode markers ("2nd Season", "S2", "第2期", "S01E05", "第01話").
_TITLE_ENDS = re.compile(
    rf"(?<![^\W_])(?:\d{{1,2}}(?:st|nd|rd|th)\s(?:season|saison)|(?:{_ORDINAL})\s(?:season|saison)"
    r"|(?:seasons?|saison)\s?\d{1,2}|s\d{1,2}(?:e\d{1,4})?|(?:episode|ep)\.?\s?\d{1,4})(?![^\W_])"
    r"|第?\d{1,4}\s?[話话集]|第\d{1,2}期|(?<=[^\W\d_])(?P<glue>[_-])(?P<glued>\d{1,4})(?!\S)",
    _FLAGS,
)
_LEADING_EPISODE = re.compile(r"^(?:(?:episode|ep)\.?\s?|s\d{1,2}e)?\d{1,4}(?![^\W_])", _FLAGS)
_EPISODE_TITLE = re.compile(r"^\s?[-–]")  # "01 - The Journey's End": an episode's own title
_SEASON_MARKERS = tuple(re.compile(pattern, _FLAGS) for pattern in (
    r"(?<![^\W_])(?P<n>\d{1,2})(?:st|nd|rd|th)\s(?:season|saison)(?![^\W_])",
    r"(?<![^\W_])(?:seasons?|saison|series)\s?(?P<n>\d{1,2})(?![^\W_])",
    r"(?<![^\W_])s(?P<n>\d{1,2})(?![^\W_])",
    r"第(?P<n>\d{1,2})期",
    rf"(?<![^\W_])(?P<word>{_ORDINAL})\s(?:season|saison)",
))
# Words that are never a title or a group.
_METADATA_WORD = re.compile(
    r"^(?:\d+|v\d+|[0-9a-f]{8}|\d{3,4}[pi]|\d{3,4}x\d{3,4}|[248]k|uhd|fhd|hd|sd|[hx]26[45]|avc|hevc|big5|gb"
    r"|bd|dvd|web|tv|raw|end|final|batch|(?:bd|dvd|web|hdtv|tv)rip|bluray|blu|hdtv|official|公式"
    r"|ep|eps|episode|vol|volume)$",
    _FLAGS,
)


@dataclass(frozen=True)
class Title:
    """The title and what was learnt while finding it.

    Attributes:
        title: the show's title; None when the name has none.
        season: a season number cut off the title ("Show 2nd Season").
        episode: an episode number glued to the title ("Frieren_05").
        group: the release group when finding the title showed it ("Bot.[Group] Show"), else None.
        written: the title as the name writes it, to read the language in the rest of the name.
    """

    title: str | None = None
    season: int | None = None
    episode: int | None = None
    group: str | None = None
    written: str | None = None


def clean_title(found: Outline, text: str) -> Title:
    """The title of ``text`` from its first reading ``found``."""
    group = None
    raw = (found.title or "").strip(_EDGE_JUNK)
    extension = found.extension or ""
    if raw.casefold() == extension or not any(char.isalnum() for char in raw):
        unbracketed = _unbracketed_title(text, found.terms | {extension})
        raw = (_bracketed_title(text, found) or "") if unbracketed is None else unbracketed
        if not raw:
            return Title()
    raw = _contiguous_prefix(raw, text).rstrip(_EDGE_JUNK + _OPENERS)
    inner = _GROUP_IN_TITLE.match(raw)
    if inner:
        raw, group = inner["rest"], inner["group"]
    title, season, episode = _cut_markers(raw)
    title = " ".join(_with_extra(title, text).replace("_", " ").split()).strip(_EDGE_JUNK)
    if not title:
        return Title(group=group)
    title = _romanised(title)
    written = _as_written(title, text)
    if written is not None:
        title = " ".join(written.replace("_", " ").split())
    return Title(title, season, episode, group, written or _written(title, text))


def _romanised(title: str) -> str:
    """Of a title pair "葬送的芙莉莲 / Sousou no Frieren", the romanised title people type."""
    parts = [part.strip() for part in title.split(" / ")]
    return next((part for part in parts if _LATIN.search(part)), title) if len(parts) > 1 else title


def _as_written(title: str, text: str) -> str | None:
    """``title`` as the name writes it, with the punctuation inside it ("R.O.D the TV", "Mezzo(DSA)",
    "No.6", "Nekomonogatari (Black)"); None when the name does not have it, or its dots or dashes are
    separators ("Show.Name.05", "Detective-Conan-656")."""
    written = _written(title, text)
    if written is None:
        return None
    after = text[text.index(written) + len(written):]
    if written.count("(") > written.count(")") and after.startswith(")"):
        written += ")"
    elif glued := _GLUED_NUMBER.match(after):
        written += glued.group()
    elif (words := _TITLE_PARENS.match(after)) and not _is_metadata(words["inside"], set(), every=True):
        written += words["paren"]
    dotted = " " not in text and "_" not in text  # "Show.Name.05": its dots are spaces
    return None if dotted or ("-" in written and "-" not in title) else written


def find_group(found: Outline, text: str, title: str | None) -> str | None:
    """The release group as the name writes it ("[Some_Group]"), "_" made spaces in a joint release
    ("[GroupA_&_GroupB]" -> "GroupA & GroupB").

    The outline's group counts when a bracket holds it (the whole bracket for a joint
    release "[A_&_B]") unless that bracket holds technical terms ("[ABC.remux-DualAudio]"),
    or when it ends the name after a dash ("x264-GROUP"). When the outline has none: the
    first square bracket that is neither metadata nor the title, or a trailing "[...] - GROUP".
    """
    group = _leading_group(found.group, text, found) if found.group else _free_group(text, found, title)
    if group and len(_JOINT.split(group)) > 1:
        group = group.replace("_", " ")
    return " ".join(group.split()) if group else None


def _leading_group(group: str, text: str, found: Outline) -> str | None:
    written = _written(group, text) or group
    holder = next((bracket[1:-1].strip() for bracket in _BRACKETED.findall(text) if written in bracket), None)
    if holder is None:
        return written if re.search(rf"-[\s_.]?{re.escape(written)}", text) else None
    if _words(holder).strip() and _is_metadata(holder, found.terms):
        return None  # "[ABC.remux-DualAudio]", "[4K]", "【Official】"
    joint = _JOINT.split(holder)
    return holder if len(joint) > 1 and _words(joint[0]) == _words(written) else written


def _free_group(text: str, found: Outline, title: str | None) -> str | None:
    title_words = _words(title or "")
    for bracket in _BRACKETED.findall(text):
        content = bracket[1:-1].strip()
        if bracket[0] == "[" and not _is_metadata(content, found.terms) and _words(content) not in title_words:
            return content
    extension = found.extension
    trailing = _TRAILING_GROUP.search(text.removesuffix(f".{extension}") if extension else text)
    return trailing["group"] if trailing else None


def season_in(text: str) -> int | None:
    """The season a marker in ``text`` gives: "2nd Season", "Season 2", "S2", "第2期", "Second Season"."""
    for pattern in _SEASON_MARKERS:
        found = pattern.search(text)
        if found:
            word = found.groupdict().get("word")
            return _ORDINALS.index(word.casefold()) + 1 if word else int(found["n"])
    return None


def _words(text: str) -> str:
    """The words of ``text``, lower-case, between single spaces: " r o d the tv "."""
    return f" {' '.join(_NON_WORD.sub(' ', text).casefold().split())} "


def _contiguous_prefix(raw: str, text: str) -> str:
    """The longest run of ``raw``'s first words that the name has in one piece ("Show ( x2 )" -> "Show (")."""
    words, name = raw.split(), _words(text)
    low, high = 0, len(words)
    while low < high:
        middle = (low + high + 1) // 2
        if _words(" ".join(words[:middle])) in name:
            low = middle
        else:
            high = middle - 1
    return " ".join(words[:low]) if low else raw


def _cut_markers(title: str) -> tuple[str, int | None, int | None]:
    """``title`` up to its first season or episode marker, and the season or episode it gives."""
    found = _TITLE_ENDS.search(title)
    if found is None or found.start() == 0:
        return title, None, None
    if found["glued"]:  # "Frieren_05", "Some-Show-656 (Part 1)": the name's separator glues the episode on
        before = title[: found.start()]
        return (before.replace("-", " ") if found["glue"] == "-" else before), None, int(found["glued"])
    return title[: found.start()], season_in(found.group()), None


def _with_extra(title: str, text: str) -> str:
    """``title`` with the extra's keyword the name puts right after it ("Frieren ED", "Show - OVA").

    An extra (opening, ending, OVA, special, preview...) keeps its keyword in the
    title, as anitomy does, so that its title is not the show's.
    """
    numbered = _EXTRA_NUMBER.search(title)
    if numbered:
        return title[: numbered.start()] + numbered["word"]
    written = _written(title, text)
    if written is None:
        return title
    after = text[text.index(written) + len(written):].replace("_", " ")
    extra = _EXTRA_AFTER.match(after)
    return f"{title}{extra['sep']}{extra['word']}" if extra else title


def _written(title: str, text: str) -> str | None:
    """``title`` as the name writes it, whatever its separators ("Sousou.no.Frieren", "Show(TV)")."""
    if title in text:
        return title
    words = _words(title).split()
    if not words:
        return None
    written = re.search(r"[\W_]+".join(re.escape(word) for word in words), text, _FLAGS)
    return written.group() if written else None


def _unbracketed_title(text: str, known: AbstractSet[str]) -> str | None:
    """The first words outside brackets, less a leading episode number, up to " - " or " | ".

    "" when the name has no title ("01 - The Journey's End.mkv" names an episode), None when
    nothing outside brackets will do.
    """
    for run in _BRACKETED.split(text):
        run = run.lstrip(_EDGE_JUNK + ".")
        rest = _LEADING_EPISODE.sub("", run, count=1)
        if rest != run and _EPISODE_TITLE.match(rest):
            return ""
        for part in _PARTS.split(rest):
            part = part.strip(_EDGE_JUNK)
            if not _is_metadata(part, known, every=True):
                return part
    return None


def _bracketed_title(text: str, found: Outline) -> str | None:
    """The first bracket holding neither metadata nor, if another bracket will do, the group."""
    group = _words(found.group) if found.group else None
    candidates = [
        bracket[1:-1].strip() for bracket in _BRACKETED.findall(text) if not _is_metadata(bracket[1:-1], found.terms)
    ]
    others = [content for content in candidates if _words(content) != group] or candidates
    if len(others) > 1 and not _LATIN.search(others[0]) and _LATIN.search(others[1]):
        return others[1]  # "[漆黑的子彈][Black Bullet]": a title pair, the romanised one is the one people type
    return (others or [None])[0]


def _is_metadata(content: str, known: AbstractSet[str], every: bool = False) -> bool:
    """Whether ``content`` holds no title: all its words are numbers or metadata, or (unless ``every``)
    all but one, and one of them a term of the name's tags ("[HQR.remux-DualAudio]"; "[Varies_&_Cuba77_RU]"
    names a group)."""
    words = [word for word in _words(content).split() if not word.isdigit()]
    meta = [word in known or bool(_METADATA_WORD.match(word)) for word in words]
    loose = not every and meta.count(False) <= 1 and any(word in known for word in words)
    return not words or all(meta) or loose
