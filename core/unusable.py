"""Releases no show can use, whatever their name says: books, Usenet posts, watch pages behind an account.

Rejected when a check decides, with the reason, instead of being taken and
failing at every check after.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from providers.base import Release

_BOOK = re.compile(r"\.(?P<ext>cbz|cbr|cb7|epub|mobi|azw3|pdf|zip|rar|7z)$", re.IGNORECASE)
_CHAPTER = re.compile(r"(?<![^\W_])(?:chapter|chap|ch)\.?\s?\d{1,4}(?:\.\d)?(?![^\W_])", re.IGNORECASE)
# Streaming services whose watch pages play only for a signed-in subscriber.
_ACCOUNT_SITES = {
    "crunchyroll.com": "Crunchyroll", "netflix.com": "Netflix", "hidive.com": "HIDIVE",
    "disneyplus.com": "Disney+", "primevideo.com": "Prime Video", "funimation.com": "Funimation",
    "animationdigitalnetwork.fr": "ADN", "animationdigitalnetwork.com": "ADN", "wakanim.tv": "Wakanim",
    "hulu.com": "Hulu", "max.com": "Max",
}


def not_downloadable(release: Release) -> str | None:
    """Why Tsuzuki cannot fetch ``release``'s link, None when it can."""
    parts = urlsplit(release.link)
    if parts.path.casefold().endswith(".nzb"):
        return "a Usenet .nzb file: Tsuzuki downloads files, torrents and videos, not Usenet posts"
    host = (parts.hostname or "").casefold()
    site = next((name for domain, name in _ACCOUNT_SITES.items() if host == domain or host.endswith(f".{domain}")),
                None)
    if site:
        return f"a {site} watch page: it plays only for a signed-in subscriber, so Tsuzuki cannot download it"
    return None


def not_an_episode(name: str) -> str | None:
    """Why ``name`` is not a video episode (a manga chapter, a book, an archive), None when it may be."""
    if book := _BOOK.search(name.strip()):
        return f"a .{book['ext'].casefold()} file is a book or an archive, not an episode"
    if chapter := _CHAPTER.search(name):
        return f"{chapter.group()!r} marks a manga chapter, not an episode"
    return None
