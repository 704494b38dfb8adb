"""A show's details from AniList: poster, synopsis, genres, episode count, and its other titles.

The episode count lets a show become completed when its last episode is
downloaded; the other titles (romaji, English, synonyms) become aliases, so
releases named either way are recognised.
"""

from __future__ import annotations

import os
from functools import cache
from typing import TYPE_CHECKING

from core.errors import TsuzukiError
from core.models import WatchlistItem
from core.titles import normalise_title

if TYPE_CHECKING:  # the client (and requests) loads only when a show names an AniList entry
    from providers.anilist import AniListClient

ENDPOINT_ENV = "TSUZUKI_ANILIST_URL"  # another endpoint (a mirror, or the tests' own)
MAX_ALIASES = 20


class MetadataUnavailable(TsuzukiError):
    """AniList could not give a show's details; the message says why."""


@cache
def anilist() -> AniListClient:
    """The one AniList client of this process (its rate limit is per machine, not per call)."""
    from providers.anilist import ANILIST_URL, AniListClient

    return AniListClient(endpoint=os.environ.get(ENDPOINT_ENV, ANILIST_URL))


def anilist_fields(anilist_id: int, anime_title: str, aliases: list[str]) -> dict[str, object]:
    """The show fields AniList entry ``anilist_id`` fills in (blocks on the network)."""
    from providers.anilist import AniListError

    try:
        meta = anilist().get(anilist_id)
    except AniListError as error:
        raise MetadataUnavailable(f"could not get AniList entry {anilist_id}: {error}") from error
    own = normalise_title(anime_title)
    titles = [title for title in (*aliases, *meta.titles) if normalise_title(title) != own and len(title) <= 300]
    return {
        "anilist_id": meta.anilist_id,
        "episode_count": meta.episodes,
        "poster_image": meta.cover_image,
        "synopsis": (meta.synopsis or None) and meta.synopsis[:20_000],
        "genres": list(meta.genres)[:50],
        "title_aliases": list(dict.fromkeys(titles))[:MAX_ALIASES],
    }


def with_anilist(item: WatchlistItem | None, fields: dict[str, object]) -> dict[str, object]:
    """``fields`` completed from AniList when they name an ``anilist_id``; values given win,
    and given aliases are kept ahead of AniList's titles."""
    anilist_id = fields.get("anilist_id")
    if not isinstance(anilist_id, int):
        return fields
    title = str(fields.get("anime_title") or (item.anime_title if item else ""))
    given_aliases = fields.get("title_aliases") or (item.title_aliases if item else [])
    found = anilist_fields(anilist_id, title, list(given_aliases))  # type: ignore[call-overload]
    return {**found, **{key: value for key, value in fields.items() if key != "title_aliases"}}
