"""Continuous numbering across seasons: Taiga's anime-relations table, read for AniList ids.

Fansub groups often number a second season on from the first (13-24, or 25-47)
where AniList counts 1-12. The table (public domain, ``resources/anime-relations.txt``,
from https://github.com/erengy/anime-relations) lists such redirections; a rule reads

    MAL|Kitsu|AniList:14-26 -> MAL|Kitsu|AniList:1-13!

"?" is an unknown id or an open range end, "~" repeats the source id, and "!"
adds the same redirection from the destination to itself. Only AniList ids (the
third field) are used. A copy named ``anime-relations.txt`` in the data folder
is used instead of the shipped one when its ``last_modified`` date is not older.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

FILE_NAME = "anime-relations.txt"
SHIPPED = Path(__file__).resolve().parents[1] / "resources" / FILE_NAME
_RULE = re.compile(
    r"^-\s*[\d?~]+\|[\d?~]+\|(?P<source>[\d?~]+):(?P<first>\d+)(?:-(?P<last>\d+|\?))?\s*->\s*"
    r"[\d?~]+\|[\d?~]+\|(?P<target>[\d?~]+):(?P<to>\d+)(?:-(?:\d+|\?))?\s*(?P<self>!)?\s*$"
)
_MODIFIED = re.compile(r"^-\s*last_modified:\s*(?P<date>\d{4}-\d{2}-\d{2})\s*$")


@dataclass(frozen=True)
class Redirection:
    """Episodes ``first``..``last`` of AniList entry ``source`` are ``to``.. of entry ``target``.

    Attributes:
        last: the last episode redirected; None for an open range ("19-?").
    """

    source: int
    first: int
    last: int | None
    target: int
    to: int

    def covers(self, episode: int) -> bool:
        return self.first <= episode and (self.last is None or episode <= self.last)

    def target_episode(self, episode: int) -> int:
        return self.to + episode - self.first

    def describe(self, episode: int) -> str:
        """"episode 13 is episode 1 of AniList entry 127366 (anime-relations)"."""
        return f"episode {episode} is episode {self.target_episode(episode)} of AniList entry {self.target}"


@dataclass(frozen=True)
class Redirected:
    """What the table makes of a release's episode number for one show.

    Attributes:
        episode: the show's own episode number, or None when the number belongs to another entry.
        rule: the redirection applied.
    """

    episode: int | None
    rule: Redirection


class EpisodeRelations:
    """The redirections of a table, looked up by AniList id.

    Attributes:
        modified: the table's ``last_modified`` date ("2026-08-03"), "" when it gives none.
    """

    def __init__(self, rules: list[Redirection], modified: str = "") -> None:
        self.modified = modified
        self._into: dict[int, list[Redirection]] = {}
        self._out: dict[int, list[Redirection]] = {}
        for rule in rules:
            self._into.setdefault(rule.target, []).append(rule)
            if rule.source != rule.target:
                self._out.setdefault(rule.source, []).append(rule)

    def __len__(self) -> int:
        return sum(len(rules) for rules in self._into.values())

    def continues(self, anilist_id: int) -> bool:
        """Whether the show ``anilist_id`` is numbered on from another entry somewhere (a later season)."""
        return any(rule.source != anilist_id and rule.to == 1 for rule in self._into.get(anilist_id, ()))

    def redirect(self, anilist_id: int, episode: int, episode_count: int | None) -> Redirected | None:
        """Release episode ``episode`` of the show ``anilist_id`` as the show counts it; None: unchanged.

        Only a number past the show's last episode (or any, when that is unknown) is redirected,
        so that the show's own last episodes keep their numbers: a rule into the show gives its
        episode, a rule out of it says the episode is another entry's.
        """
        if episode_count is not None and episode <= episode_count:
            return None
        for rule in self._into.get(anilist_id, ()):
            if rule.covers(episode):
                return Redirected(rule.target_episode(episode), rule)
        for rule in self._out.get(anilist_id, ()):
            if rule.covers(episode):
                return Redirected(None, rule)
        return None


def parse_relations(text: str) -> EpisodeRelations:
    """The table in ``text``; lines that are not rules are skipped."""
    rules: list[Redirection] = []
    modified = ""
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("-"):
            continue
        if found := _MODIFIED.match(line):
            modified = found["date"]
            continue
        found = _RULE.match(line)
        if found is None or found["source"] == "?":
            continue
        source = int(found["source"])
        target = source if found["target"] == "~" else None if found["target"] == "?" else int(found["target"])
        if target is None:
            continue
        first = int(found["first"])
        last = None if found["last"] == "?" else int(found["last"] or first)
        rule = Redirection(source, first, last, target, int(found["to"]))
        rules.append(rule)
        if found["self"] and source != target:
            rules.append(Redirection(target, first, last, target, rule.to))
    return EpisodeRelations(rules, modified)


def relations_for(folder: Path | None) -> EpisodeRelations:
    """The newer of the shipped table and ``folder``'s copy (the copy when they are as new)."""
    tables = [_read(SHIPPED)]
    if folder is not None:
        tables.append(_read(folder / FILE_NAME))
    usable = [table for table in tables if table is not None]
    return max(reversed(usable), key=lambda table: table.modified) if usable else EpisodeRelations([])


def _read(path: Path) -> EpisodeRelations | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return _read_version(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _read_version(path: Path, mtime_ns: int, size: int) -> EpisodeRelations | None:
    """``path``'s table, read again only when the file changes."""
    try:
        return parse_relations(path.read_text(encoding="utf-8", errors="replace"))
    except OSError as error:
        log.warning("the anime-relations table %s cannot be read: %s", path, error)
        return None
