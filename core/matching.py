"""Which releases at a source are episodes a show wants, which one per episode to take, and why.

``decide`` screens every release against the show (title and aliases, season,
episode, language, quality, release groups, what it already has), then keeps
the best release of each episode. Every decision carries a reason a person can
read: the answer to "why did (or didn't) this download?".
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from core.models import MAX_EPISODE_NUMBER, QualityPreference, WatchlistItem
from core.titles import normalise_title
from providers.base import Release

_SEASON_SUFFIX = re.compile(
    r"\s+(?:(?:season|s)\s*(?P<n>\d{1,2})|(?P<nth>\d{1,2})(?:st|nd|rd|th)\s+season)\s*$", re.IGNORECASE
)
_MIN_PARTIAL_TITLE = 5  # a shorter show title must match a release title exactly
# Words that make "Show ED2" an ending, not episode 2 of Show (unless the show's own title has them).
_EXTRAS = frozenset({"op", "ed", "ncop", "nced", "pv", "sp", "ova", "oad", "special", "specials", "preview",
                     "pilot", "recap", "trailer", "cm", "menu"})
_SUBTITLED = frozenset({"sub", "vostfr", "multi"})


@dataclass(frozen=True)
class Decision:
    """What to do with one release.

    Attributes:
        episode: the show's episode number (after the episode offset), if the name gives one.
        take: download it.
        reason: why, in plain words.
    """

    release: Release
    episode: int | None
    take: bool
    reason: str


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
    """A show's normalised titles (its own and its aliases) and the season they name, if any."""
    titles = [split_season(title) for title in (item.anime_title, *item.title_aliases)]
    return [normalise_title(title) for title, _ in titles], next((s for _, s in titles if s is not None), None)


def release_title(release: Release) -> tuple[str, int | None]:
    """A release's normalised title ('' when the name gives none) and the season its title names."""
    title, season = split_season(release.parsed.title or "")
    return normalise_title(title), season


def title_matches(title: str, own_titles: Sequence[str]) -> bool:
    """Whether a release title is one of the show's, or contains one long enough to be safe."""
    return any(title == own or (len(own) >= _MIN_PARTIAL_TITLE and f" {own} " in f" {title} ") for own in own_titles)


class SourceReleases:
    """One source's releases indexed by title, so each of the many shows on a feed finds its own
    with a few dictionary look-ups instead of comparing its titles with every release's."""

    def __init__(self, releases: Sequence[Release]) -> None:
        self.releases = tuple(releases)
        by_title: dict[str, list[int]] = {}
        for index, release in enumerate(self.releases):
            by_title.setdefault(release_title(release)[0], []).append(index)
        self._by_title = by_title
        runs: dict[str, list[str]] = {}  # every run of whole words of a title -> the titles holding it
        for title in by_title:
            for run in set(_word_runs(title)):
                runs.setdefault(run, []).append(title)
        self._by_run = runs

    def for_show(self, item: WatchlistItem) -> list[Release]:
        """The releases whose title could be ``item``'s (and those without a title), in source order."""
        own, _ = show_titles(item)
        titles = {""}
        for name in own:  # as ``title_matches``: the same title, or a long enough run of its words
            titles.update(self._by_run.get(name, ()) if len(name) >= _MIN_PARTIAL_TITLE else (name,))
        picked = sorted(index for title in titles for index in self._by_title.get(title, ()))
        return [self.releases[index] for index in picked]


def _word_runs(title: str) -> list[str]:
    """Every run of consecutive whole words of a normalised title ("a b c": "a", "a b", ..., "c")."""
    words = title.split()
    return [" ".join(words[start:end]) for start in range(len(words)) for end in range(start + 1, len(words) + 1)]


@dataclass(frozen=True)
class _Candidate:
    index: int
    release: Release
    episode: int
    rank: tuple[int, ...]


class _Show:
    """A watchlist item's matching rules, worked out once per decision run."""

    def __init__(self, item: WatchlistItem, skip_episodes: Collection[int]) -> None:
        self.item = item
        self.skip = skip_episodes
        self.titles, self.season = show_titles(item)
        self.cap = resolution_height(None if item.quality_preference is QualityPreference.AUTO
                                     else item.quality_preference.value)
        self.preferred = {group.casefold() for group in item.preferred_groups}
        self.blocked = {group.casefold() for group in item.blocked_groups}

    def screen(self, release: Release) -> tuple[int | None, str | None]:
        """The show's episode number for ``release`` and, if it is unusable, why."""
        parsed = release.parsed
        group = parsed.release_group
        if group and group.casefold() in self.blocked:
            return None, f"release group {group!r} is blocked for this show"
        title, season = release_title(release)
        if title and not title_matches(title, self.titles):
            return None, f"title {parsed.title!r} is not {self.item.anime_title!r} or one of its aliases"
        if extra := self._extra_word(title):
            return None, f"{extra.upper()} marks an extra (an opening, ending or special), not an episode"
        season = parsed.season or season
        if season is not None and self.season is not None and season != self.season:
            return None, f"season {season}; this show is season {self.season}"
        if parsed.episode is None:
            return None, "the name has no episode number"
        if parsed.episode_end is not None and parsed.episode_end != parsed.episode:
            return None, f"a batch (episodes {parsed.episode}-{parsed.episode_end}); Tsuzuki takes single episodes"
        episode = parsed.episode - self.item.episode_offset
        if episode < 1:
            return None, f"episode {parsed.episode} comes before this show (episode offset {self.item.episode_offset})"
        if episode > MAX_EPISODE_NUMBER:
            return None, f"episode {episode} is not a believable episode number (the limit is {MAX_EPISODE_NUMBER})"
        if self._language_fits(parsed.language) is False:
            return episode, f"language {parsed.language}; this show wants {self.item.lang}"
        height = resolution_height(parsed.video_resolution)
        if self.cap and height and height > self.cap:
            return episode, f"{parsed.video_resolution} is above this show's {self.cap}p preference"
        if episode <= self.item.last_episode_downloaded:
            return episode, (f"episode {episode} is not after the last one downloaded "
                             f"(episode {self.item.last_episode_downloaded})")
        if episode in self.skip:
            return episode, f"episode {episode} is already queued or downloaded"
        return episode, None

    def rank(self, release: Release) -> tuple[int, ...]:
        """Higher is better: stated language, then quality, then preferred group, then version."""
        parsed = release.parsed
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
        parsed = candidate.release.parsed
        height = resolution_height(parsed.video_resolution)
        if height is None:
            quality = "quality not stated"
        elif self.cap is None:
            quality = f"{height}p, the best offered" if rivals else f"{height}p"
        elif height == self.cap:
            quality = f"{height}p, the preferred quality"
        else:
            quality = f"{height}p, the best offered up to {self.cap}p"
        language = parsed.language or f"language not stated, taken as {self.item.lang}"
        group = f"; preferred group {parsed.release_group}" if candidate.rank[3] else ""
        return f"new episode {candidate.episode} ({quality}; {language}{group})"

    @staticmethod
    def why_not(loser: _Candidate, winner: _Candidate) -> str:
        lost, won = loser.release.parsed, winner.release.parsed
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

    def _extra_word(self, title: str) -> str | None:
        """A word of the release title that marks an extra and is not in the show's own titles."""
        own = {word for name in self.titles for word in name.split()}
        return next((word for word in title.split() if word in _EXTRAS and word not in own), None)

    def _language_fits(self, language: str | None) -> bool | None:
        """True: stated and right; None: not stated; False: stated and wrong."""
        if language is None:
            return None
        wanted = self.item.lang
        return language == wanted or (language == "multi" and wanted in _SUBTITLED)


def decide(item: WatchlistItem, releases: Sequence[Release], skip_episodes: Collection[int] = ()) -> list[Decision]:
    """One decision per release, in source order: at most one release is taken per episode.

    ``skip_episodes`` are episodes already queued, downloading or done.
    """
    show = _Show(item, skip_episodes)
    screened = [show.screen(release) for release in releases]
    best: dict[int, _Candidate] = {}
    rivals: dict[int, int] = {}
    for index, (release, (episode, problem)) in enumerate(zip(releases, screened, strict=True)):
        if problem is None and episode is not None:
            candidate = _Candidate(index, release, episode, show.rank(release))
            rivals[episode] = rivals.get(episode, -1) + 1
            if episode not in best or candidate.rank > best[episode].rank:
                best[episode] = candidate
    decisions = []
    for index, (release, (episode, problem)) in enumerate(zip(releases, screened, strict=True)):
        if problem is not None or episode is None:
            decisions.append(Decision(release, episode, False, problem or ""))
            continue
        winner = best[episode]
        if winner.index == index:
            decisions.append(Decision(release, episode, True, show.why_taken(winner, rivals[episode])))
        else:
            loser = _Candidate(index, release, episode, show.rank(release))
            decisions.append(Decision(release, episode, False, show.why_not(loser, winner)))
    return decisions
