"""A first reading of any release name: its title, episode, group and technical words.

The name is cut into pieces (brackets and the free text between them), the free
text into words at the name's own separator (spaces, or "_", "." or "-" when it
has no spaces), and each word is known as technical (codec, source, language,
checksum...), a number, an episode marker, or a word of a title. The title is the
first run of title words, carried across a bracket of title words ("You Are (Not)
Alone") and across " - " ("Tower of Druaga - Sword of Uruk - 04"), up to the
episode: a marked one ("Ep01", "S01E05", "#3", "- 05"), else a number standing
alone. ``release_names`` checks and completes this reading with its rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from providers.release_words import TECHNICAL_WORD

_FLAGS = re.IGNORECASE
_EXTENSION = re.compile(
    r"\.(?P<extension>mkv|mp4|m4v|avi|webm|mov|ts|wmv|flv|ogm|rmvb|mpg|zip|rar|7z|cbz|cbr|epub|pdf|nzb|torrent)$",
    _FLAGS,
)
_PIECES = re.compile(r"\[[^\[\]]*\]|\((?:[^()]|\([^()]*\))*\)|【[^【】]*】|\{[^{}]*\}|[^\[\](){}【】]+|.")
_OPENERS = "[(【{"
_DOT = re.compile(r"\.(?!\d)|(?<!\d)\.")
_INNER_SEPARATOR = re.compile(r"[\s,_+&./]+")
_NON_WORD = re.compile(r"[\W_]+")
_CHECKSUM = re.compile(r"^[0-9a-f]{8}$", _FLAGS)
_WEAK = frozenset({"hd", "sd", "tv", "r2", "end", "final", "raw", "raws", "batch", "sub", "subs", "dual", "audio", "x2"})
_LANGUAGE = frozenset({"eng", "english", "jpn", "jap", "jp", "ru", "fr"})  # a tag only in a bracket of tags
# An episode number as a word: "05", "05v2", "07.5", "01b", "111C", "01-12", "01v2-03v2", "01+02", "(9)".
_NUMBER = re.compile(
    r"^(?P<episode>\d{1,6})(?P<fraction>\.\d)?(?:v(?P<version>\d{1,2}))?(?:(?<=\d\d)[a-d])?"
    r"(?:(?:-|~|\+)(?P<end>\d{1,4})(?:v\d{1,2})?)?$",
    _FLAGS,
)
# Words that give the episode in the word itself or in the next one.
_MARKED = re.compile(
    r"^(?:(?:episode|episodio|épisode|ep|eps|e)\.?(?P<episode>\d{1,4}(?:\.\d)?)(?:v(?P<version>\d{1,2}))?"
    r"|s(?P<season>\d{1,2})e(?P<episode2>\d{1,4})(?:v(?P<version2>\d{1,2}))?(?:-e?\d{1,4})?"
    r"|(?P<season3>\d{1,2})x(?P<episode3>\d{1,4})|#(?P<episode4>\d{1,4})(?:v(?P<version4>\d{1,2}))?(?:-\d{1,4})?)$",
    _FLAGS,
)
_MARKER_WORD = re.compile(r"^(?:episode|episodio|épisode|ep|eps|#)\.?$", _FLAGS)
_TITLE_NUMBER_PREFIX = re.compile(r"^(?:no|vol|volume|part|pt|ver|version|chapter|ch|movie|#)\.?$", _FLAGS)
_ENDS_TITLE = re.compile(r"^(?:vol|volume)(?:\.|$|\d)", _FLAGS)
_JOINED = ("&", "+", "~")
_OF = re.compile(r"^(?P<episode>\d{1,4})\s?of\s?\d{1,4}$", _FLAGS)
_BRACKETED_NUMBER = re.compile(
    r"^(?:第\s?)?(?P<episode>\d{1,4})(?:v(?P<version>\d))?(?:\s?\(?end\)?|\s?[話话集回])?$", _FLAGS  # "24 (END)", "第05集"
)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_DASHES = ("-", "–", "—")


@dataclass(frozen=True)
class Outline:
    """The first reading of a release name (None: not found).

    Attributes:
        title: the title as words between single spaces.
        episode: the episode number (12.5 for a half episode).
        episode_end: the last episode of a range ("01-12").
        version: the release version ("05v2").
        season: a season marker's number ("S02E05").
        group: the leading bracket's group, unless it holds technical words or the title.
        extension: the file extension, lower-case.
        terms: technical words seen in the name, lower-case.
    """

    title: str | None = None
    episode: float | None = None
    episode_end: int | None = None
    version: int | None = None
    season: int | None = None
    group: str | None = None
    extension: str | None = None
    terms: frozenset[str] = frozenset()


@dataclass
class _Episode:
    number: float | None = None
    end: int | None = None
    version: int | None = None
    season: int | None = None


@dataclass(frozen=True)
class _Piece:
    """A bracket, or the free text between brackets, with what it is read as once."""

    text: str
    enclosed: bool
    technical: bool  # tags only: "[1080p x264]", "(BD 1280x720 AVC AACx2 [5.1+2.0])"
    titled: bool  # holds a word that is no tag and no number
    terms: frozenset[str]  # its tags' words, lower-case
    episode: _Episode  # what a bracket gives on its own: "[07]", "(01-04)"
    free: list[str]  # the words of free text at the name's separator, as written
    marked: tuple[int, _Episode] | None  # where free text marks its episode, and the episode


def outline(text: str) -> Outline:
    """The first reading of ``text``, a cleaned release name."""
    extension = _EXTENSION.search(text)
    body = text[: extension.start()] if extension else text
    texts = [piece for piece in _PIECES.findall(body) if piece.strip(" _.-")]
    separator = _separator(texts)
    pieces = [_piece(piece, separator) for piece in texts]
    group_index = _group_index(pieces)
    title: list[str] = []
    episode, pending = _Episode(), _Episode()
    titled = False  # the title ended at a bracket: only a marked episode may follow ("(1968) [G] episode 06")
    for index, piece in enumerate(pieces):
        if group_index is not None and index <= group_index:
            continue  # the group, and what comes before it ("EvoBot.[Group] Title")
        if titled:
            if piece.episode.number is not None or piece.marked is not None:
                episode = piece.marked[1] if piece.marked else piece.episode
                break
            continue
        if piece.enclosed:
            if title and _carries_title(pieces, index):
                glued = pieces[index - 1].text[-1:].isalnum()
                title[-1:] = [title[-1] + piece.text] if glued else [title[-1], piece.text]
                continue
            if title and piece.episode.number is not None:
                episode = piece.episode
                break
            titled = bool(title)
            continue
        later_marker = any(later.marked is not None for later in pieces[index + 1:])
        episode, ended = _read_free(piece, title, later_marker)
        if not title and episode.number is not None and pending.number is None:
            pending, episode = episode, _Episode()  # "37 [Group] Title - 37v2", "[Title].148.[Xvid]"
        if ended or episode.number is not None:
            break
    if episode.number is None:
        episode = pending if pending.number is not None else _bracketed_episode_anywhere(pieces, group_index)
    written = " ".join(title).strip(" -–—") if any(not _meaningless(word) for word in title) else ""
    if written.endswith("~") and written.count("~") % 2:
        written = written[:-1].rstrip()
    return Outline(
        title=written or None,
        episode=episode.number,
        episode_end=episode.end,
        version=episode.version,
        season=episode.season,
        group=pieces[group_index].text[1:-1].strip() if group_index is not None else _scene_group(pieces),
        extension=extension["extension"].casefold() if extension else None,
        terms=frozenset().union(*(piece.terms for piece in pieces)),
    )


def _piece(text: str, separator: str) -> _Piece:
    enclosed = _enclosed(text)
    content = text[1:-1] if enclosed else text
    words = [word.casefold() for word in _INNER_SEPARATOR.split(content) if word]
    tags = {word: bool(TECHNICAL_WORD.match(word) or _CHECKSUM.match(word)) for word in words}
    technical = any(tags.values()) and all(tag or word == "-" or word.isdigit() for word, tag in tags.items())
    titled = any(not tag and any(char.isalpha() for char in word) for word, tag in tags.items())
    episode = _bracketed_episode(content) if enclosed else _Episode()
    terms = _terms(tags, technical, episode)
    if enclosed:
        return _Piece(text, enclosed, technical, titled, terms, episode, [], None)
    free = _free_words(text, separator)
    return _Piece(text, enclosed, technical, titled, terms, episode, free, _explicit_episode(free))


def _terms(tags: dict[str, bool], technical: bool, episode: _Episode) -> frozenset[str]:
    """The words of a piece's tags, and those of an episode bracket ("of" of "[01 of 24]", "第05集")."""
    terms: set[str] = set()
    for word, tag in tags.items():
        if episode.number is not None:
            terms.update(part for part in _NON_WORD.split(word) if part and not part.isdigit())
        elif word in _WEAK or word in _LANGUAGE and not technical:
            continue
        elif tag:
            terms.update(part for part in _NON_WORD.split(word) if part)
        elif "-" in word:
            terms.update(part for part in word.split("-") if TECHNICAL_WORD.match(part) and part not in _WEAK)
    return frozenset(terms)


def _enclosed(piece: str) -> bool:
    """Whether a piece is a bracket (an opener alone is free text: "[Anime")."""
    return piece[0] in _OPENERS and len(piece) > 1


def _separator(pieces: list[str]) -> str:
    """The character the name puts between its words."""
    free = "".join(piece for piece in pieces if not _enclosed(piece))
    if " " in free:
        return " "
    for candidate in ("_", ".", "+"):
        if free.count(candidate) >= (2 if candidate == "." else 1):
            return candidate
    return "-" if free.count("-") >= 2 else " "


def _free_words(piece: str, separator: str) -> list[str]:
    """The words of a piece of free text; " - " between words is kept as the word "-"."""
    if separator == ".":
        piece = _DOT.sub(" ", piece)
    elif separator != " ":
        piece = piece.replace(separator, " ")
    else:
        piece = piece.replace("_", " ")
    words: list[str] = []
    for word in piece.split():
        parts = word.split(".")
        glued = len(parts) > 1 and any(_MARKED.match(part) or TECHNICAL_WORD.match(part) and not part.isdigit()
                                       for part in parts[1:] if part)
        words.extend(part for part in _DOT.sub(" ", word).split() if part) if glued else words.append(word)
    return words


def _group_index(pieces: list[_Piece]) -> int | None:
    """The index of the bracket that names the group, None when there is none.

    It leads the name, or follows a word glued to it ("EvoBot.[Group]"); in a name
    of brackets only whose second bracket is the episode ("[Title][07][720p][Group]")
    it is the last bracket that is no tag.
    """
    for index, piece in enumerate(pieces[:2]):
        if piece.text[0] in "[【" and len(piece.text) > 2:
            if piece.technical:
                return None
            untechnical = [other for other, bracket in enumerate(pieces) if other > index and bracket.enclosed
                           and not bracket.technical and bracket.episode.number is None]
            if any(not other.enclosed and other.titled for other in pieces[index + 1:]):
                return index
            if index + 1 < len(pieces) and pieces[index + 1].episode.number is not None:
                return untechnical[-1] if untechnical else None
            return index if untechnical else None
        if index == 0 and piece.titled and not piece.text.rstrip().endswith("."):
            return None
    return None


def _scene_group(pieces: list[_Piece]) -> str | None:
    """The group of a scene name, glued after its last tag: "720p.BluRay.x264-GROUP", "(BD 1080p)-GROUP"."""
    if not pieces or not pieces[-1].free:
        return None
    tag, _, group = pieces[-1].free[-1].rpartition("-")
    after_tags = TECHNICAL_WORD.match(tag) if tag else len(pieces) > 1 and pieces[-2].technical
    return group if after_tags and group and not TECHNICAL_WORD.match(group) else None


def _meaningless(word: str) -> bool:
    """Whether a word can make no title on its own: a tag, a year, or a number with dots ("12.5.6.7")."""
    return bool(TECHNICAL_WORD.match(word) or _YEAR.match(word) or re.fullmatch(r"[\d.]*\.[\d.]*", word))


def _carries_title(pieces: list[_Piece], index: int) -> bool:
    """Whether a bracket inside the title belongs to it: glued to it ("Mezzo(DSA)"), or with title words
    after it ("You Are (Not) Alone", "Tegami Bachi (REVERSE) - Letter Bee - 29")."""
    if pieces[index].technical or pieces[index].episode.number is not None:
        return False
    if pieces[index - 1].text[-1:].isalnum():
        return True
    following = pieces[index + 1] if index + 1 < len(pieces) else None
    if following is None or following.enclosed:
        return False
    words = [word for word in following.free if word not in _DASHES]
    return bool(words) and any(char.isalpha() for char in words[0]) and not TECHNICAL_WORD.match(words[0].casefold()) \
        and not _MARKED.match(words[0])


def _read_free(piece: _Piece, title: list[str], later_marker: bool) -> tuple[_Episode, bool]:
    """Adds the title words of free text to ``title``; the episode found, and whether the title ended.

    ``later_marker``: a later part of the name marks the episode, so a lone number here is the title's.
    """
    words = piece.free
    if not title and len(words) == 1 and (number := _NUMBER.match(words[0])) and not _YEAR.match(words[0]):
        return _from_number(number), False  # a number alone between brackets: "[Title].148.[Xvid]"
    if leading := _leading_episode(words):
        title.extend(leading[1])
        return leading[0], True
    explicit = piece.marked
    stop = explicit[0] if explicit else len(words)
    for index, word in enumerate(words[:stop]):
        lowered = word.casefold()
        technical = TECHNICAL_WORD.match(lowered) and not re.match(r"^[\d.]+$", lowered) and lowered not in _WEAK
        if (title or index) and (_ENDS_TITLE.match(lowered) or technical or lowered == "dual" and
                                 words[index + 1:index + 2] == ["Audio"]):
            title.extend(words[:index])
            return _Episode(), True
        number = _NUMBER.match(word)
        if not (explicit or later_marker) and number and (title or index) and _is_lone_number(words, index):
            title.extend(words[:index])
            return _joined_range(_from_number(number), words[index + 1:]), True
    title.extend(words[:stop])
    return (explicit[1], True) if explicit else (_Episode(), False)


def _leading_episode(words: list[str]) -> tuple[_Episode, list[str]] | None:
    """"05 - Title - Episode Title": the episode leads the name, and the title is the part after it
    when another part follows (else the words name the episode only: "01 - Land of Visible Pain")."""
    if len(words) < 3 or words[1] not in _DASHES or _NUMBER.match(words[2]) or not (number := _NUMBER.match(words[0])):
        return None
    rest = words[2:]
    title = rest[: rest.index("-")] if "-" in rest else []
    return _from_number(number), title


def _explicit_episode(words: list[str]) -> tuple[int, _Episode] | None:
    """Where a marked episode begins in ``words`` and what it says: "Ep01", "Episode 5", "S01E05", "- 05"."""
    for index, word in enumerate(words):
        marked = _MARKED.match(word)
        if marked and (index or len(words) == 1 or not word[0].isdigit()):
            fields = marked.groupdict()
            number = fields["episode"] or fields["episode2"] or fields["episode3"] or fields["episode4"]
            version = fields["version"] or fields["version2"] or fields["version4"]
            return index, _Episode(float(number), None, _int(version), _int(fields["season"] or fields["season3"]))
        following = words[index + 1] if index + 1 < len(words) else ""
        if _MARKER_WORD.match(word) and (number := _NUMBER.match(following.lstrip("#."))):
            return index, _from_number(number)
        if word in _DASHES and (number := _NUMBER.match(following.strip("()"))):
            return index, _from_number(number)
    return None


def _is_lone_number(words: list[str], index: int) -> bool:
    """Whether the number at ``index`` is an episode standing alone, not part of the title: it ends the
    text, or it has two digits or a leading zero and words follow ("RWBY 14 Forever Fall")."""
    word = words[index]
    if _TITLE_NUMBER_PREFIX.match(words[index - 1]) if index else False:
        return False
    if _YEAR.match(word) or re.match(r"^\d\.\d\d", word):
        return False
    following = words[index + 1:]
    if not following:
        return True
    if following[0] in _DASHES:
        return False
    if following[0] in _JOINED and len(following) > 1 and following[1].isdigit():
        return True
    if TECHNICAL_WORD.match(following[0]) and following[0].casefold() not in _WEAK:
        return True  # "One Piece 1120 VF", "Nichijou 05 1080 BD"
    digits = re.match(r"\d+", word)
    return digits is not None and (len(digits.group()) == 2 or digits.group().startswith("0"))


def _joined_range(episode: _Episode, following: list[str]) -> _Episode:
    """"8 & 10", "01 + 02": two episodes joined."""
    if len(following) > 1 and following[0] in _JOINED and following[1].isdigit():
        episode.end = int(following[1])
    return episode


def _from_number(found: re.Match[str]) -> _Episode:
    number = float(found["episode"] + (found["fraction"] or ""))
    return _Episode(number, _int(found["end"]), _int(found["version"]))


def _bracketed_episode(content: str) -> _Episode:
    """The episode a bracket's content gives on its own: "07", "9", "24 (END)", "20 of 25", "01-04"."""
    content = content.replace("_", " ").strip()
    found = _BRACKETED_NUMBER.match(content) or _OF.match(content)
    if found and not _YEAR.match(found["episode"]):
        return _Episode(float(found["episode"]), version=_int(found.groupdict().get("version")))
    number = _NUMBER.match(content)
    return _from_number(number) if number and number["end"] else _Episode()


def _bracketed_episode_anywhere(pieces: list[_Piece], group_index: int | None) -> _Episode:
    return next((piece.episode for index, piece in enumerate(pieces)
                 if index != group_index and piece.episode.number is not None), _Episode())


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None
