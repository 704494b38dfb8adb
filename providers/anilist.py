"""AniList metadata (not a download source): titles to match release names, posters, synopses, airing times.

AniList's GraphQL API (https://docs.anilist.co) allows 30 requests a minute
while "degraded" (90 normally), then answers 429 with ``Retry-After``. Errors
come as ``{"errors": [...]}`` with HTTP 200 or 4xx; ``data`` may be null. Use
one ``AniListClient`` per process: its rate limiter and cache serve all threads.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from html.parser import HTMLParser
from typing import Any, TypeVar

import requests

from providers.base import SourceError
from providers.http import TIMEOUT, new_session, reason

log = logging.getLogger(__name__)

ANILIST_URL = "https://graphql.anilist.co"
MAX_RESULTS = 50  # AniList's largest page
MAX_RATE_LIMIT_RETRIES = 3
MAX_RETRY_AFTER = 120.0  # seconds; asked to wait longer, we give up now rather than block a thread that long
DEFAULT_RETRY_AFTER = 60.0  # AniList's time-out when it omits Retry-After
MAX_SCHEDULE_PAGES = 10

_MEDIA_FIELDS = """
fragment anime on Media {
  id idMal title { romaji english native } synonyms coverImage { large extraLarge } description(asHtml: false)
  genres episodes status season seasonYear nextAiringEpisode { episode airingAt } siteUrl
}"""
_SEARCH = """query ($search: String, $perPage: Int) {
  Page(perPage: $perPage) { media(search: $search, type: ANIME, sort: SEARCH_MATCH) { ...anime } }
}""" + _MEDIA_FIELDS
_GET = """query ($id: Int) { Media(id: $id, type: ANIME) { ...anime } }""" + _MEDIA_FIELDS
_SCHEDULE = """query ($page: Int, $perPage: Int, $mediaIds: [Int], $after: Int, $before: Int) {
  Page(page: $page, perPage: $perPage) {
    pageInfo { hasNextPage }
    airingSchedules(mediaId_in: $mediaIds, airingAt_greater: $after, airingAt_lesser: $before, sort: TIME) {
      mediaId episode airingAt
    }
  }
}"""

A = TypeVar("A")
T = TypeVar("T")


class AniListError(SourceError):
    """AniList could not answer: unreachable, rate-limiting, refusing the query. The message says why."""


@dataclass(frozen=True)
class AnimeMetadata:
    """What AniList knows about one show.

    Attributes:
        anilist_id: AniList's id; ``site_url`` is its page.
        mal_id: MyAnimeList's id, if AniList links one.
        synopsis: plain text (AniList's <br>, <i>... and entities removed), or None.
        status: AniList's word: "RELEASING", "FINISHED", "NOT_YET_RELEASED", "CANCELLED", "HIATUS".
        season: "WINTER", "SPRING", "SUMMER" or "FALL", with ``season_year``.
        next_airing_episode: the next episode to air, ``next_airing_at`` (UTC) its time.
    """

    anilist_id: int
    mal_id: int | None
    title_romaji: str | None
    title_english: str | None
    title_native: str | None
    synonyms: tuple[str, ...]
    cover_image: str | None
    synopsis: str | None
    genres: tuple[str, ...]
    episodes: int | None
    status: str | None
    season: str | None
    season_year: int | None
    next_airing_episode: int | None
    next_airing_at: datetime | None
    site_url: str | None

    @property
    def titles(self) -> tuple[str, ...]:
        """Every known title, each once: romaji, English, native, then synonyms."""
        names = (self.title_romaji, self.title_english, self.title_native, *self.synonyms)
        return tuple(dict.fromkeys(name for name in names if name))


@dataclass(frozen=True)
class AiringEpisode:
    """An episode's airing time (UTC) on AniList's schedule."""

    anilist_id: int
    episode: int
    airing_at: datetime


class RateLimiter:
    """At most ``limit`` requests in any ``period`` seconds (a sliding window), shared by threads.

    A caller waits inside ``acquire`` holding the lock, so the others queue
    behind it rather than racing for the next free slot.
    """

    def __init__(
        self,
        limit: int,
        period: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if limit < 1:
            raise ValueError("the rate limit must allow at least 1 request")
        self._limit = limit
        self._period = period
        self._clock = clock
        self._sleep = sleep
        self._sent: deque[float] = deque()
        self._held_until = -math.inf
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Wait until a request may go; returns the clock time it was allowed at."""
        with self._lock:
            while True:
                now = self._clock()
                while self._sent and self._sent[0] <= now - self._period:
                    self._sent.popleft()
                wait = self._held_until - now
                if len(self._sent) >= self._limit:
                    wait = max(wait, self._sent[0] + self._period - now)
                if wait <= 0:
                    self._sent.append(now)
                    return now
                self._sleep(wait)

    def hold(self, seconds: float) -> None:
        """Let no request go for ``seconds`` from now (the server asked us to wait)."""
        until = self._clock() + seconds
        with self._lock:
            self._held_until = max(self._held_until, until)


class _TtlCache:
    """A thread-safe dict whose entries expire ``ttl`` seconds after they are stored."""

    def __init__(self, ttl: float, clock: Callable[[], float]) -> None:
        self._ttl = ttl
        self._clock = clock
        self._entries: dict[Hashable, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        """The live value under ``key``, else None."""
        with self._lock:
            expires, value = self._entries.get(key, (-math.inf, None))
            return value if expires > self._clock() else None

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            now = self._clock()
            self._entries = {k: entry for k, entry in self._entries.items() if entry[0] > now}
            self._entries[key] = (now + self._ttl, value)


class AniListClient:
    """Searches AniList and reads shows and airing schedules, within its rate limit.

    Results of ``search`` and ``get`` are kept in memory for ``cache_ttl``
    seconds. ``clock`` and ``sleep`` drive the rate limiter and the cache.
    """

    def __init__(
        self,
        session: requests.Session | None = None,
        endpoint: str = ANILIST_URL,
        requests_per_minute: int = 30,
        cache_ttl: float = 3600,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._session = session or new_session()
        self._endpoint = endpoint
        self._limiter = RateLimiter(requests_per_minute, 60.0, clock, sleep)
        self._cache = _TtlCache(cache_ttl, clock)

    def search(self, title: str, limit: int = 10) -> list[AnimeMetadata]:
        """Anime whose titles match ``title``, best match first (at most ``limit``, capped at 50)."""
        text = " ".join(title.split())
        if not text:
            raise ValueError("give a title to search for")
        if limit < 1:
            raise ValueError("the number of results must be at least 1")
        limit = min(limit, MAX_RESULTS)
        key = ("search", text.casefold(), limit)
        cached = self._cache.get(key)
        if cached is not None:
            return list(cached)
        data = self._query(_SEARCH, {"search": text, "perPage": limit})
        found = _read(_search_results, data)
        self._cache.put(key, tuple(found))
        for anime in found:
            self._cache.put(("get", anime.anilist_id), anime)
        return found

    def get(self, anilist_id: int) -> AnimeMetadata:
        """The anime with this AniList id."""
        if anilist_id < 1:
            raise ValueError(f"{anilist_id} is not an AniList id: they are whole numbers from 1")
        cached = self._cache.get(("get", anilist_id))
        if cached is not None:
            return cached
        missing = f"AniList has no anime with id {anilist_id}"
        data = self._query(_GET, {"id": anilist_id}, not_found=missing)
        if data.get("Media") is None:
            raise AniListError(missing)
        anime = _read(_anime, data["Media"])
        self._cache.put(("get", anilist_id), anime)
        return anime

    def airing_schedule(self, anilist_ids: Iterable[int], start: datetime, end: datetime) -> list[AiringEpisode]:
        """Episodes of these shows airing from ``start`` (included) to ``end`` (excluded), soonest first."""
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError("start and end must carry a time zone")
        ids = sorted(set(anilist_ids))
        if not ids or end <= start:
            return []
        variables = {
            "perPage": MAX_RESULTS,
            "mediaIds": ids,
            "after": math.ceil(start.timestamp()) - 1,  # airingAt_greater is strict: start is included
            "before": math.ceil(end.timestamp()),
        }
        episodes: list[AiringEpisode] = []
        for page in range(1, MAX_SCHEDULE_PAGES + 1):
            data = self._query(_SCHEDULE, {**variables, "page": page})
            found, more = _read(_schedule_page, data)
            episodes.extend(found)
            if not more:
                return episodes
        log.warning("AniList's schedule goes on past %d pages; keeping the first", MAX_SCHEDULE_PAGES)
        return episodes

    def _query(self, query: str, variables: dict[str, Any], not_found: str | None = None) -> dict[str, Any]:
        """POST one GraphQL query within the rate limit; its ``data``, or ``AniListError``."""
        retries = 0
        while True:
            self._limiter.acquire()
            response = self._post(query, variables)
            if response.status_code != 429:
                return _data(response, not_found)
            wait = _retry_after(response)
            self._limiter.hold(min(wait, MAX_RETRY_AFTER))
            if retries == MAX_RATE_LIMIT_RETRIES or wait > MAX_RETRY_AFTER:
                raise AniListError(f"AniList is rate-limiting us; try again in {math.ceil(wait)} s")
            retries += 1

    def _post(self, query: str, variables: dict[str, Any]) -> requests.Response:
        try:
            return self._session.post(
                self._endpoint,
                json={"query": query, "variables": variables},
                headers={"Accept": "application/json"},
                timeout=TIMEOUT,
            )
        except requests.exceptions.Timeout as error:
            raise AniListError("AniList did not answer in time; try again later") from error
        except requests.exceptions.ConnectionError as error:
            raise AniListError(f"could not reach AniList at {self._endpoint}: {reason(error)}") from error
        except requests.exceptions.RequestException as error:
            raise AniListError(f"could not query AniList: {reason(error)}") from error


def _data(response: requests.Response, not_found: str | None) -> dict[str, Any]:
    """The ``data`` of a GraphQL answer, or ``AniListError`` saying what went wrong."""
    failed = f"AniList answered {response.status_code} {response.reason or ''}".rstrip() + "; try again later"
    try:
        body = response.json()
    except ValueError:
        if response.status_code >= 400:
            raise AniListError(failed) from None
        raise AniListError("AniList sent an answer that is not JSON; try again later") from None
    body = body if isinstance(body, dict) else {}
    errors = [error for error in body.get("errors") or () if isinstance(error, dict)]
    if not_found and (response.status_code == 404 or any(error.get("status") == 404 for error in errors)):
        raise AniListError(not_found)
    if errors:
        messages = "; ".join(str(error.get("message") or "unknown error").rstrip(".") for error in errors)
        raise AniListError(f"AniList refused the request: {messages}")
    if response.status_code >= 400:
        raise AniListError(failed)
    data = body.get("data")
    if not isinstance(data, dict):
        raise AniListError("AniList answered without any data; try again later")
    return data


def _retry_after(response: requests.Response) -> float:
    """Seconds the server asks us to wait (Retry-After in seconds; a minute if absent or a date)."""
    try:
        seconds = float(response.headers.get("Retry-After", ""))
    except ValueError:
        return DEFAULT_RETRY_AFTER
    return max(0.0, seconds) if math.isfinite(seconds) else DEFAULT_RETRY_AFTER


def _read(build: Callable[[A], T], answer: A) -> T:
    """``build(answer)``, turning an answer of unexpected shape into a plain ``AniListError``."""
    try:
        return build(answer)
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError, OSError) as error:
        raise AniListError("AniList sent an answer in an unexpected shape; try again later") from error


def _anime(media: dict[str, Any]) -> AnimeMetadata:
    title = media.get("title") or {}
    cover = media.get("coverImage") or {}
    next_episode = media.get("nextAiringEpisode") or {}
    return AnimeMetadata(
        anilist_id=int(media["id"]),
        mal_id=media.get("idMal"),
        title_romaji=title.get("romaji"),
        title_english=title.get("english"),
        title_native=title.get("native"),
        synonyms=tuple(media.get("synonyms") or ()),
        cover_image=cover.get("extraLarge") or cover.get("large"),
        synopsis=_plain_text(media.get("description")),
        genres=tuple(media.get("genres") or ()),
        episodes=media.get("episodes"),
        status=media.get("status"),
        season=media.get("season"),
        season_year=media.get("seasonYear"),
        next_airing_episode=next_episode.get("episode"),
        next_airing_at=_utc(next_episode["airingAt"]) if next_episode.get("airingAt") is not None else None,
        site_url=media.get("siteUrl"),
    )


def _search_results(data: dict[str, Any]) -> list[AnimeMetadata]:
    return [_anime(media) for media in data["Page"]["media"]]


def _schedule_page(data: dict[str, Any]) -> tuple[list[AiringEpisode], bool]:
    """One page of ``airingSchedules``, and whether another follows."""
    page = data["Page"]
    found = [
        AiringEpisode(int(entry["mediaId"]), int(entry["episode"]), _utc(entry["airingAt"]))
        for entry in page["airingSchedules"]
    ]
    return found, bool((page.get("pageInfo") or {}).get("hasNextPage"))


def _utc(timestamp: int) -> datetime:
    return datetime.fromtimestamp(int(timestamp), tz=timezone.utc)


class _TextExtractor(HTMLParser):
    """Collects an HTML fragment's text (entities decoded), <br> as a line break (a newline after it is dropped)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._after_br = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
            self._after_br = True

    def handle_data(self, data: str) -> None:
        if self._after_br:
            data = re.sub(r"^[ \t]*\r?\n", "", data)
            self._after_br = False
        self.parts.append(data)


def _plain_text(description: str | None) -> str | None:
    """AniList's description as plain text: tags removed, entities decoded, at most one blank line in a row."""
    if not description:
        return None
    extractor = _TextExtractor()
    extractor.feed(description)
    extractor.close()
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", "".join(extractor.parts).replace("\r\n", "\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip() or None
