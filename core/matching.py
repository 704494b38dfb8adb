"""Which releases at a source are episodes a show wants, which one per episode to take, and why.

``decide`` reads every release in the context of the show (one of its titles
found in the name first, so a number in the title is never the episode), screens
it (title and aliases, season, episode, language, quality, release groups, what
it already has), renumbers what a feed numbers on from an earlier season (the
anime-relations table, for shows linked to AniList), then keeps the best
release of each episode. Every decision carries a reason a person can read: the
answer to "why did (or didn't) this download?".
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

from core.models import MAX_EPISODE_NUMBER, QualityPreference, WatchlistItem
from core.relations import EpisodeRelations, Redirection, relations_for
from core.titles import normalise_title
from core.unusable import not_an_episode, not_downloadable
from providers.base import Release
from providers.release_context import read_for_show
from providers.release_names import ParsedRelease

_SEASON_SUFFIX = re.compile(
    r"\s+(?:(?:season|s)\s*(?P<n>\d{1,2})|(?P<nth>\d{1,2})(?:st|nd|rd|th)\s+season)\s*$", re.IGNORECASE
)
_MIN_PARTIAL_TITLE = 5  # a shorter show title must match a release title exactly
# Words that make "Show ED2" an ending, not episode 2 of Show (unless the show's own title has them).
_EXTRAS = frozenset({"op", "ed", "ncop", "nced", "pv", "sp", "ova", "oad", "special", "specials", "preview",
                     "pilot", "recap", "trailer", "cm", "menu"})
_SUBTITLED = frozenset({"sub", "vostfr", "multi"})
_ENGLISH = ("sub", "dub")  # English subtitles, English dub
# Title words that make another entry of the same franchise: "Mob Psycho 100 III", "Show 2", "Show Movie".
_SEQUEL = re.compile(
    r"^(?:\d{1,2}|ii|iii|iv|vi{0,3}|ix|x|\d{1,2}(?:st|nd|rd|th)|season|saison|part|cour|movie|film|gekijouban"
    r"|final|zoku|kan|shou|the movie)$"
)


@dataclass(frozen=True)
class Decision:
    """What to do with one release.

    Attributes:
        episode: the show's episode number (after the episode offset), if the name gives one.
        take: download it.
        reason: why, in plain words.
        parsed: what the name says read for this show (its title found first), else the generic reading.
    """

    release: Release
    episode: int | None
    take: bool
    reason: str
    parsed: ParsedRelease | None = None


def split_season(title: str) -> tuple[str, int | None]:
    """("Oshi no Ko Season 2" -> "Oshi no Ko", 2); a title without a season suffix is kept whole."""
    found = _SEASON_SUFFIX.search(title)
    if not found:
        return title, None
    return title[: found.start()], int(found["n"] or found["nth"])


def resolution_height(resolution: str | None) -> int | None:
    """1080 for "1080p"; None when unknown."""
    if resolution and resolution[:-1].isdigit():
        return int(resolution[:-1])
    return None


def show_titles(item: WatchlistItem) -> tuple[list[str], int | None]:
    """A show's normalised titles (its own and its aliases, less a season suffix) and the season they name."""
    titles = [split_season(title) for title in (item.anime_title, *item.title_aliases)]
    return [normalise_title(title) for title, _ in titles], next((s for _, s in titles if s is not None), None)


def searched_titles(item: WatchlistItem) -> tuple[str, ...]:
    """What to look for in a release name: the show's titles and aliases, whole and less a season suffix."""
    whole = (item.anime_title, *item.title_aliases)
    return tuple(dict.fromkeys((*whole, *(split_season(title)[0] for title in whole))))


def release_title(release: Release) -> tuple[str, int | None]:
    """A release's normalised title ('' when the name gives none) and the season its title names."""
    title, season = split_season(release.parsed.title or "")
    return normalise_title(title), season


class SourceReleases:
    """One source's releases indexed by the words of their names, so each of the many shows on a feed
    finds the few whose names hold every word of one of its titles without reading every name."""

    def __init__(self, releases: Sequence[Release]) -> None:
        self.releases = tuple(releases)
        by_word: dict[str, set[int]] = {}
        self._untitled: set[int] = set()
        for index, release in enumerate(self.releases):
            if not release_title(release)[0]:
                self._untitled.add(index)
            for word in set(normalise_title(release.name).split()):
                by_word.setdefault(word, set()).add(index)
        self._by_word = by_word

    def for_show(self, item: WatchlistItem) -> list[Release]:
        """The releases whose name could hold one of ``item``'s titles (and those without a title), in
        source order."""
        picked = set(self._untitled)
        for title in searched_titles(item):
            postings = [self._by_word.get(word, set()) for word in normalise_title(title).split()]
            if postings:
                picked |= set.intersection(*sorted(postings, key=len))
        return [self.releases[index] for index in sorted(picked)]


@dataclass(frozen=True)
class _Screened:
    """One release screened for the show.

    Attributes:
        parsed: what its name says, read for the show when one of its titles is found.
        episode: the show's episode number, None when the name gives none.
        problem: why it is unusable; None when it is usable.
        numbered: the number the name gives when the anime-relations table renumbered it.
        continued: the redirection that renumbered it from an earlier entry's numbering.
        category: what the source files it under ("raw", "english", "non-english"), when it says.
    """

    parsed: ParsedRelease
    episode: int | None
    problem: str | None = None
    numbered: int | None = None
    continued: Redirection | None = None
    category: str | None = None

    def reason(self, reason: str) -> str:
        """``reason``, saying when the episode was renumbered and by what."""
        if self.numbered is None or self.episode is None:
            return reason
        return f"{reason}; numbered {self.numbered} in the feed, renumbered {self.episode} by the anime-relations table"


@dataclass(frozen=True)
class _Candidate:
    index: int
    release: Release
    parsed: ParsedRelease
    episode: int
    rank: tuple[int, ...]


class _Show:
    """A watchlist item's matching rules, worked out once per decision run."""

    def __init__(
        self, item: WatchlistItem, skip_episodes: Collection[int], relations: EpisodeRelations, subtitles: str
    ) -> None:
        self.item = item
        # "sub" and "dub" in the user's subtitle language: "sub" for English, "sub-it" for Italian...
        self.wanted = item.lang if subtitles == "en" or item.lang not in _ENGLISH else f"{item.lang}-{subtitles}"
        self.skip = skip_episodes
        self.titles, season = show_titles(item)
        self.searched = searched_titles(item)
        self.relations = relations if item.anilist_id is not None and item.episode_offset == 0 else None
        continues = self.relations is not None and self.relations.continues(item.anilist_id or 0)
        # A show whose titles name no season is a first season, unless it continues another entry
        # or the user numbers it by hand (an episode offset).
        self.season = item.season or (season if season is not None or continues or item.episode_offset else 1)
        self.cap = resolution_height(None if item.quality_preference is QualityPreference.AUTO
                                     else item.quality_preference.value)
        self.preferred = {group.casefold() for group in item.preferred_groups}
        self.blocked = {group.casefold() for group in item.blocked_groups}

    def screen(self, release: Release) -> _Screened:
        """What ``release`` is for the show: its reading, the show's episode number and, if unusable, why."""
        reading = read_for_show(release.name, self.searched)
        parsed = release.parsed if reading is None else reading.parsed
        if release.category == "raw" and parsed.language is None:
            parsed = replace(parsed, language="raw")  # the feed files it under raws
        if problem := not_downloadable(release) or not_an_episode(release.name):
            return _Screened(parsed, None, problem)
        group = parsed.release_group
        if group and group.casefold() in self.blocked:
            return _Screened(parsed, None, f"release group {group!r} is blocked for this show")
        if reading is None and parsed.title:
            return _Screened(parsed, None, f"title {parsed.title!r} is not {self.item.anime_title!r} or one of its aliases")
        if reading is not None and (problem := self._title_problem(reading.written, reading.extra, parsed)):
            return _Screened(parsed, None, problem)
        season = parsed.season or (release_title(release)[1] if reading is None else None)
        if season is not None and self.season is not None and season != self.season:
            return _Screened(parsed, None, f"season {season}; this show is season {self.season}")
        if parsed.episode is None and parsed.fractional_episode is not None:
            half = parsed.fractional_episode
            return _Screened(parsed, None, f"episode {half:g} is a recap or half episode, not episode {int(half)}")
        if parsed.episode is None:
            return _Screened(parsed, None, "the name has no episode number")
        if parsed.episode_end is not None and parsed.episode_end != parsed.episode:
            return _Screened(parsed, None,
                             f"a batch (episodes {parsed.episode}-{parsed.episode_end}); Tsuzuki takes single episodes")
        episode = parsed.episode - self.item.episode_offset
        if episode < 1:
            return _Screened(parsed, None,
                             f"episode {parsed.episode} comes before this show (episode offset {self.item.episode_offset})")
        redirected = self.relations.redirect(self.item.anilist_id or 0, episode, self.item.episode_count) \
            if self.relations is not None else None
        if redirected is not None and redirected.episode is None:
            return _Screened(parsed, None, f"{redirected.rule.describe(episode)}, not this show's (anime-relations table)")
        if redirected is not None and redirected.episode is not None:
            continued = redirected.rule if redirected.rule.source != redirected.rule.target else None
            screened = _Screened(parsed, redirected.episode, None, episode, continued, release.category)
        else:
            screened = _Screened(parsed, episode, category=release.category)
        return screened if (problem := self._episode_problem(screened)) is None else replace(screened, problem=problem)

    def _episode_problem(self, screened: _Screened) -> str | None:
        """Why the show does not want this release of episode ``screened.episode``; None when it does."""
        parsed, episode = screened.parsed, screened.episode or 0
        if episode > MAX_EPISODE_NUMBER:
            return f"episode {episode} is not a believable episode number (the limit is {MAX_EPISODE_NUMBER})"
        if self._language_fits(parsed.language) is False:
            return screened.reason(f"language {parsed.language}; this show wants {self.wanted}")
        if screened.category == "non-english" and self.wanted in _ENGLISH and parsed.language in (None, *_ENGLISH):
            return screened.reason(f"the feed files it under non-English translations; this show wants {self.wanted}")
        height = resolution_height(parsed.video_resolution)
        if self.cap and height and height > self.cap:
            return screened.reason(f"{parsed.video_resolution} is above this show's {self.cap}p preference")
        if episode <= self.item.last_episode_downloaded:
            return screened.reason(f"episode {episode} is not after the last one downloaded "
                                   f"(episode {self.item.last_episode_downloaded})")
        if episode in self.skip:
            return screened.reason(f"episode {episode} is already queued or downloaded")
        return None

    def _title_problem(self, written: str, extra: str, parsed: ParsedRelease) -> str | None:
        """Why a release whose name has the show's title ``written`` plus ``extra`` words is not the show's."""
        if not extra:
            return None
        words = normalise_title(extra).split()
        if len(normalise_title(written)) < _MIN_PARTIAL_TITLE:
            return f"title {parsed.title!r} is not {self.item.anime_title!r} or one of its aliases"
        own = {word for name in self.titles for word in name.split()}
        if marker := next((word for word in words if word in _EXTRAS and word not in own), None):
            return f"{marker.upper()} marks an extra (an opening, ending or special), not an episode"
        if any(_SEQUEL.match(word) for word in words):
            return f"title {parsed.title!r} names another entry than {self.item.anime_title!r} (a sequel or season)"
        return None

    def rank(self, parsed: ParsedRelease) -> tuple[int, ...]:
        """Higher is better: stated language, then quality, then preferred group, then version."""
        height = resolution_height(parsed.video_resolution)
        if height is None:
            quality = (0, 0)
        else:
            quality = (2 if height == self.cap else 1, height)
        group = parsed.release_group or ""
        return (
            1 if self._language_fits(parsed.language) else 0,
            *quality,
            1 if group.casefold() in self.preferred else 0,
            parsed.release_version or 1,
        )

    def why_taken(self, candidate: _Candidate, rivals: int) -> str:
        parsed = candidate.parsed
        height = resolution_height(parsed.video_resolution)
        if height is None:
            quality = "quality not stated"
        elif self.cap is None:
            quality = f"{height}p, the best offered" if rivals else f"{height}p"
        elif height == self.cap:
            quality = f"{height}p, the preferred quality"
        else:
            quality = f"{height}p, the best offered up to {self.cap}p"
        language = parsed.language or f"language not stated, taken as {self.wanted}"
        group = f"; preferred group {parsed.release_group}" if candidate.rank[3] else ""
        return f"new episode {candidate.episode} ({quality}; {language}{group})"

    @staticmethod
    def why_not(loser: _Candidate, winner: _Candidate) -> str:
        lost, won = loser.parsed, winner.parsed
        names = ("language", "quality", "quality", "group", "version")
        criterion = next((name for name, a, b in zip(names, loser.rank, winner.rank, strict=True) if a != b), None)
        detail = {
            "language": f"its language is not stated, {won.language} is",
            "quality": f"{lost.video_resolution or 'unknown quality'} instead of {won.video_resolution}",
            "group": f"{won.release_group} is a preferred group",
            "version": f"v{lost.release_version or 1} instead of v{won.release_version}",
            None: "an equal release came first",
        }[criterion]
        return f"episode {winner.episode} is taken from {winner.release.name!r} ({detail})"

    def _language_fits(self, language: str | None) -> bool | None:
        """True: stated and right; None: not stated; False: stated and wrong."""
        if language is None:
            return None
        wanted = self.wanted
        return language == wanted or (language == "multi" and wanted.split("-")[0] in _SUBTITLED)


def _earlier_entry(screened: list[_Screened]) -> list[_Screened]:
    """``screened`` less what a feed that numbers on from an earlier entry shows to be that entry's.

    Once one release of the feed is renumbered from an earlier entry (season 2 as 13-24), a
    release that states no season and is numbered below that run is the earlier entry's episode.
    """
    runs = [s.continued for s in screened if s.continued is not None]
    if not runs:
        return screened
    start = min(rule.first for rule in runs)
    return [
        replace(s, problem=(f"episode {s.episode} of a feed that numbers this show on from AniList entry "
                            f"{runs[0].source} (from episode {start}): it is that entry's episode"))
        if s.problem is None and s.numbered is None and s.episode is not None and s.parsed.season is None
        and s.episode < start else s
        for s in screened
    ]


def decide(
    item: WatchlistItem,
    releases: Sequence[Release],
    skip_episodes: Collection[int] = (),
    relations: EpisodeRelations | None = None,
    subtitles: str = "en",
) -> list[Decision]:
    """One decision per release, in source order: at most one release is taken per episode.

    ``skip_episodes`` are episodes already queued, downloading or done; ``relations`` renumbers
    episodes of shows linked to AniList (the shipped anime-relations table when not given);
    ``subtitles`` is the language a show's "sub" and "dub" mean (the subtitle_language setting).
    """
    show = _Show(item, skip_episodes, relations_for(None) if relations is None else relations, subtitles)
    screened = _earlier_entry([show.screen(release) for release in releases])
    best: dict[int, _Candidate] = {}
    rivals: dict[int, int] = {}
    for index, (release, found) in enumerate(zip(releases, screened, strict=True)):
        if found.problem is None and found.episode is not None:
            candidate = _Candidate(index, release, found.parsed, found.episode, show.rank(found.parsed))
            rivals[found.episode] = rivals.get(found.episode, -1) + 1
            if found.episode not in best or candidate.rank > best[found.episode].rank:
                best[found.episode] = candidate
    decisions = []
    for index, (release, found) in enumerate(zip(releases, screened, strict=True)):
        if found.problem is not None or found.episode is None:
            decisions.append(Decision(release, found.episode, False, found.problem or "", found.parsed))
            continue
        winner = best[found.episode]
        if winner.index == index:
            decisions.append(Decision(release, found.episode, True,
                                      found.reason(show.why_taken(winner, rivals[found.episode])), found.parsed))
        else:
            loser = _Candidate(index, release, found.parsed, found.episode, show.rank(found.parsed))
            decisions.append(Decision(release, found.episode, False, found.reason(show.why_not(loser, winner)),
                                      found.parsed))
    return decisions
