"""The episode checker: fetch each source once, decide per show, hand new episodes on.

Shows are grouped by source, so one fetch serves every show on a feed; fetches
run a few at a time. A source that fails marks its shows' ``last_error`` and
never stops the run. New episodes go to ``enqueue`` when the show downloads by
itself (claimed first, so no episode is queued twice), and are recorded as
``found`` otherwise.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from core.episodes import EpisodeBook, EpisodeState, settled
from core.matching import SourceReleases, decide
from core.models import NewEpisodeInfo, WatchlistItem, WatchlistSettings, utc_now
from core.relations import EpisodeRelations, relations_for
from core.source_cache import CachedSource, SourceCache, source_key
from core.sources import SourceUnavailable, list_source
from core.watchlist import WatchlistManager
from providers.base import Listing, Release

log = logging.getLogger(__name__)

MAX_PARALLEL_FETCHES = 16
Enqueue = Callable[[WatchlistItem, NewEpisodeInfo, Release], object]  # what it returns is not used


@dataclass(frozen=True)
class CheckError:
    item_id: str
    anime_title: str
    error: str


@dataclass(frozen=True)
class CheckReport:
    """What one check run found.

    Attributes:
        checked: how many shows were checked.
        new_episodes: episodes seen for the first time.
        queued: episodes handed to the downloads in this run.
        errors: shows whose source could not be listed, and why.
        failure: why the check itself could not run (a storage error, a bug); None when it ran.
        shows: the shows checked, as saved after the check (last_checked_at, last_error).
    """

    checked: int
    new_episodes: tuple[NewEpisodeInfo, ...]
    queued: tuple[NewEpisodeInfo, ...]
    errors: tuple[CheckError, ...]
    failure: str | None = None
    shows: tuple[WatchlistItem, ...] = ()


class EpisodeChecker:
    """Checks shows' sources; safe to run in a worker thread (it touches no widgets)."""

    def __init__(
        self,
        watchlist: WatchlistManager,
        book: EpisodeBook,
        cache: SourceCache,
        enqueue: Enqueue,
        max_parallel_fetches: int = MAX_PARALLEL_FETCHES,
        relations: Callable[[], EpisodeRelations] = lambda: relations_for(None),
    ) -> None:
        """``relations`` gives the anime-relations table to renumber episodes with (read at each check)."""
        self._watchlist = watchlist
        self._book = book
        self._cache = cache
        self._enqueue = enqueue
        self._max_fetches = max_parallel_fetches
        self._relations = relations

    def check(
        self,
        items: Sequence[WatchlistItem],
        settings: WatchlistSettings,
        cancelled: threading.Event | None = None,
    ) -> CheckReport:
        """Check ``items`` now; returns what was found, queued and what failed."""
        groups: dict[str, list[WatchlistItem]] = defaultdict(list)
        for item in items:
            groups[source_key(item.provider_id, item.anime_url)].append(item)
        cached = self._cache.load()
        cached_keys = set(cached)
        listings = self._fetch_all(groups, cached, cancelled)
        relations = self._relations()
        new: list[NewEpisodeInfo] = []
        queued: list[NewEpisodeInfo] = []
        errors: list[CheckError] = []
        outcomes: dict[str, str | None] = {}
        for key, members in groups.items():
            listing = listings.get(key)
            if listing is None:  # cancelled before its turn: not checked, so not recorded
                continue
            if isinstance(listing, SourceUnavailable):
                for item in members:
                    outcomes[item.id] = str(listing)
                    errors.append(CheckError(item.id, item.anime_title, str(listing)))
                continue
            # popped: a big feed's cached releases are not kept alive beside the copy the save reads
            releases = self._cache.releases(cached.pop(key)) if listing.not_modified and key in cached else listing.releases
            source = SourceReleases(releases)
            for item in members:
                try:
                    found, handed = self._decide(item, source.for_show(item), settings, relations)
                except Exception as error:  # one show's trouble (its episode file, a bug) never stops the others
                    log.exception("checking %r failed", item.anime_title)
                    reason = f"{item.anime_title!r} could not be checked: {error}"
                    outcomes[item.id] = reason
                    errors.append(CheckError(item.id, item.anime_title, reason))
                    continue
                new.extend(found)
                queued.extend(handed)
                outcomes[item.id] = None
        cached.clear()  # the save reads its own copy
        saved = self._watchlist.record_checks(outcomes)
        fresh = [(key, listing) for key, listing in listings.items()
                 if isinstance(listing, Listing) and not listing.not_modified]
        used = {source_key(item.provider_id, item.anime_url) for item in saved}
        if fresh or not cached_keys <= used:  # an unchanged source leaves its cached listing as it is
            self._cache.save(fresh, keep=used)
        shows = tuple(item for item in saved if item.id in outcomes)
        return CheckReport(len(outcomes), tuple(new), tuple(queued), tuple(errors), shows=shows)

    def _fetch_all(
        self,
        groups: dict[str, list[WatchlistItem]],
        cached: dict[str, CachedSource],
        cancelled: threading.Event | None,
    ) -> dict[str, Listing | SourceUnavailable]:
        """Each source's listing (or why it failed), fetched a few at a time; cancelled ones are absent."""

        def fetch(key: str) -> tuple[str, Listing | SourceUnavailable | None]:
            if cancelled is not None and cancelled.is_set():
                return key, None
            validators = self._cache.validators(cached.get(key))
            try:
                return key, list_source(groups[key][0], validators)
            except SourceUnavailable as error:
                log.warning("%s", error)
                return key, error

        workers = max(1, min(self._max_fetches, len(groups)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tsuzuki-fetch") as pool:
            results = dict(pool.map(fetch, groups))
        return {key: result for key, result in results.items() if result is not None}

    def _decide(
        self, item: WatchlistItem, releases: Sequence[Release], settings: WatchlistSettings,
        relations: EpisodeRelations,
    ) -> tuple[list[NewEpisodeInfo], list[NewEpisodeInfo]]:
        """New episodes of one show, and those of them handed to the downloads."""
        known = self._book.episodes(item.id)
        auto = item.auto_download and settings.auto_download_enabled
        found: list[NewEpisodeInfo] = []
        handed: list[NewEpisodeInfo] = []
        for decision in decide(item, releases, settled(known), relations, settings.subtitle_language):
            if not decision.take or decision.episode is None:
                continue
            release = decision.release
            info = NewEpisodeInfo(
                item_id=item.id, anime_title=item.anime_title, episode=decision.episode,
                release_name=release.name, download_url=release.link,
                quality=release.parsed.video_resolution, lang=release.parsed.language or item.lang,
                found_at=utc_now(),
            )
            if decision.episode not in known:
                found.append(info)
            if auto:
                if self._book.claim(item.id, decision.episode, release.name, release.link, release.kind):
                    self._enqueue(item, info, release)
                    handed.append(info)
            elif decision.episode not in known:
                self._book.record(item.id, decision.episode, EpisodeState.FOUND,
                                  release_name=release.name, link=release.link, kind=release.kind)
        return found, handed
