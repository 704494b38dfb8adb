"""RSS and Atom feeds: torrent feeds, video podcasts, YouTube channel feeds, any feed of episodes.

Each entry becomes one release. Its link is the most downloadable one the
entry offers, in this order: a .torrent file (by its type, its ending, or the
shape torrent sites give such links), a magnet URI (or one built from a
torrent info hash), a video or audio enclosure, a YouTube watch page, the
entry's own page (the download still recognises a torrent by its answer).

Feeds come from servers we do not control, so parsing is guarded: the body
reaches feedparser as a stream (a bare bytes body that names a local path
would make feedparser open that file) and documents that declare XML entities
are refused before parsing (feedparser's lenient parser expands them:
"billion laughs" and quadratic blow-ups).
"""

from __future__ import annotations

import calendar
import io
import logging
import re
import xml.sax
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import PurePosixPath
from typing import Any, ClassVar, NamedTuple
from urllib.parse import parse_qsl, quote, urlsplit

import feedparser
from feedparser.encodings import convert_to_utf8

from providers import http
from providers.base import (
    VIDEO_EXTENSIONS,
    InvalidSourceUrl,
    LinkKind,
    Listing,
    Provider,
    Release,
    SourceError,
    Validators,
)

log = logging.getLogger(__name__)

ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"

_INFO_HASH = re.compile(r"[0-9a-fA-F]{40}|[A-Z2-7]{32}")
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([KMGT]i?B|B|bytes)?", re.IGNORECASE)
_UNITS = {"b": 1, "bytes": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12}
_UNITS |= {f"{prefix}ib": 1024**power for power, prefix in enumerate("kmgt", start=1)}
_HTML_START = re.compile(rb"<(?:!doctype\s+)?html[\s>]", re.IGNORECASE)
_YOUTUBE_HOSTS = frozenset({"youtube.com", "www.youtube.com", "m.youtube.com"})
# nyaa's anime categories, by id or name; checked in this order ("Non-English-translated" holds "English").
_CATEGORIES = (
    (re.compile(r"^1_3$|non-english-translated", re.IGNORECASE), "non-english"),
    (re.compile(r"^1_2$|english-translated", re.IGNORECASE), "english"),
    (re.compile(r"^1_4$|anime - raw|^raw anime$", re.IGNORECASE), "raw"),
)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # plus seconds: fromtimestamp() fails before 1970 on Windows

# How much a kind of link is preferred: lower is better.
_TORRENT, _MAGNET, _VIDEO, _YOUTUBE, _PAGE = range(5)


class _Link(NamedTuple):
    """A link an entry offers, ranked."""

    rank: int
    kind: LinkKind
    href: str
    length: int | None = None


class FeedProvider(Provider):
    """Lists the entries of an RSS or Atom feed as releases.

    Attributes:
        max_bytes: the largest feed read; a bigger one is a ``SourceError``.
        retries: connection retries for each fetch.
        timeout: seconds to connect, and seconds to wait between bytes.
    """

    id: ClassVar[str] = "feed"
    name: ClassVar[str] = "RSS/Atom feed"
    description: ClassVar[str] = "The address (http:// or https://) of an RSS or Atom feed."

    def __init__(
        self, max_bytes: int = http.MAX_PAGE_BYTES, retries: int = 2, timeout: tuple[float, float] = http.TIMEOUT
    ) -> None:
        self.max_bytes = max_bytes
        self.retries = retries
        self.timeout = timeout

    def validate_url(self, url: str) -> str:
        url = url.strip()
        try:
            parts = urlsplit(url)
            _ = parts.port  # raises ValueError for a port that is not a number
        except ValueError as error:
            raise InvalidSourceUrl(f"{url!r} is not a valid URL: {error}") from None
        if parts.scheme not in ("http", "https"):
            raise InvalidSourceUrl(f"a feed URL must start with http:// or https:// (got {url!r})")
        if not parts.hostname:
            raise InvalidSourceUrl(f"a feed URL needs a host name, as in https://example.org/feed.xml (got {url!r})")
        return url

    def list_releases(self, url: str, validators: Validators | None = None) -> Listing:
        with http.new_session(self.retries) as session:
            page = http.fetch(
                session, url, validators, max_bytes=self.max_bytes, accept=ACCEPT, timeout=self.timeout
            )
        if page.not_modified:
            return Listing(not_modified=True, validators=page.validators)
        entries = _parse(page, url)
        releases = tuple(release for entry in entries if (release := _release(entry)) is not None)
        return Listing(releases=releases, validators=page.validators)


def _parse(page: http.Page, url: str) -> list[Any]:
    """The entries of the feed in ``page``; raises ``SourceError`` when it is not a usable feed."""
    if not page.content.strip():
        raise SourceError(f"the feed at {url} is empty")
    # Our final URL, not the server's Content-Location, resolves relative links.
    headers = {**page.headers, "content-location": page.url}
    if _declares_entities(page.content, headers):
        raise SourceError(
            f"the feed at {url} declares XML entities (<!ENTITY>); feeds doing so are refused for safety"
        )
    parsed = feedparser.parse(io.BytesIO(page.content), response_headers=headers)
    problem = _problem(parsed)
    if parsed.entries:
        if problem:
            log.warning("the feed at %s is not well-formed (%s); using the entries that could be read", url, problem)
        return parsed.entries
    if not parsed.get("version") and _looks_like_html(page):
        raise SourceError(f"{url} is a web page, not an RSS/Atom feed (a login or error page?)")
    if problem:
        raise SourceError(f"the feed at {url} is not valid RSS/Atom: {problem}")
    if not parsed.get("version"):
        raise SourceError(f"{url} is not an RSS/Atom feed: no <rss>, <feed> or <rdf:RDF> found")
    return []


def _declares_entities(content: bytes, headers: dict[str, str]) -> bool:
    """Whether a DOCTYPE declares entities, in the text as feedparser decodes it (UTF-16, UTF-7, ...)."""
    text = convert_to_utf8(headers, content, {}).lower()
    doctype = text.find(b"<!doctype")
    return doctype >= 0 and text.find(b"<!entity", doctype) >= 0


def _problem(parsed: feedparser.FeedParserDict) -> str | None:
    """Why feedparser found the feed malformed, in words; None if it did not (or it does not matter)."""
    error = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if error is None or isinstance(error, feedparser.ThingsNobodyCaresAboutButMe):
        return None  # a wrong charset or Content-Type: the XML itself was read
    if isinstance(error, xml.sax.SAXParseException):
        return f"{error.getMessage()} at line {error.getLineNumber()}"
    return str(error) or type(error).__name__


def _looks_like_html(page: http.Page) -> bool:
    return "html" in page.headers.get("content-type", "") or bool(_HTML_START.search(page.content[:4096]))


def _release(entry: Any) -> Release | None:
    """The release an entry offers; None (logged) when it has no title or no usable link."""
    name = " ".join(entry.get("title", "").split())
    links = list(_links(entry, name))
    if not name or not links:
        log.debug("feed entry %r skipped: %s", name or entry.get("id", "?"), "no usable link" if name else "no title")
        return None
    best = min(links, key=lambda link: link.rank)
    return Release(
        name=name,
        link=best.href,
        kind=best.kind,
        published=_published(entry),
        size=_namespaced_size(entry) or best.length,
        category=_category(entry),
    )


def _category(entry: Any) -> str | None:
    """What a torrent feed files the entry under (nyaa:categoryId "1_4", "Anime - Raw"), normalised."""
    stated = [str(entry.get("nyaa_categoryid", "")), str(entry.get("nyaa_category", ""))]
    stated += [str(tag.get("term", "")) for tag in entry.get("tags", ())]
    for text in stated:
        for pattern, category in _CATEGORIES:
            if pattern.search(text):
                return category
    return None


def _links(entry: Any, name: str) -> Iterator[_Link]:
    """Every usable link of an entry: its links and enclosures, its info hash, video id or page."""
    for link in entry.get("links", ()):
        found = _classify(link.get("href", ""), link.get("type", ""), _length(link.get("length")))
        if found and found.rank < _PAGE:  # other pages (comments, edit, ...) are not the entry's
            yield found
    for key, value in entry.items():
        value = value.strip() if isinstance(value, str) else ""
        if key.endswith("_magneturi") and (found := _classify(value)):
            yield found
        elif key.endswith("_infohash") and _INFO_HASH.fullmatch(value):
            magnet = f"magnet:?xt=urn:btih:{value}&dn={quote(name)}"
            yield _Link(_MAGNET, LinkKind.MAGNET, magnet)
    if video_id := entry.get("yt_videoid", "").strip():
        yield _Link(_YOUTUBE, LinkKind.YTDLP, f"https://www.youtube.com/watch?v={quote(video_id)}")
    if found := _classify(entry.get("link", "")):
        yield found


def _classify(href: str, mime: str = "", length: int | None = None) -> _Link | None:
    """What ``href`` leads to; None for a link we must not follow (javascript:, file:, ftp:...)."""
    if href.startswith("magnet:?"):
        return _Link(_MAGNET, LinkKind.MAGNET, href)
    try:
        parts = urlsplit(href)
    except ValueError:  # "http://[broken"
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    path = PurePosixPath(parts.path.lower())
    if mime == "application/x-bittorrent" or path.suffix == ".torrent" or _torrent_download(path, parts.query):
        return _Link(_TORRENT, LinkKind.TORRENT, href)  # its length is the .torrent file's, not the video's
    if mime.startswith(("video/", "audio/")) or path.suffix in VIDEO_EXTENSIONS:
        return _Link(_VIDEO, LinkKind.HTTP, href, length)
    if parts.hostname in _YOUTUBE_HOSTS and parts.path == "/watch":
        return _Link(_YOUTUBE, LinkKind.YTDLP, href)
    return _Link(_PAGE, LinkKind.HTTP, href, length)


def _torrent_download(path: PurePosixPath, query: str) -> bool:
    """Whether a URL has the shape torrent sites give their .torrent downloads without the ending:
    ``.../view/N/torrent``, ``?page=download&tid=N``. (A guess proved wrong fails plainly when the
    file is fetched; any other link that serves a torrent is still recognised at download time.)"""
    fields = dict(parse_qsl(query.lower()))
    return path.name == "torrent" or (fields.get("page") == "download" and "tid" in fields)


def _published(entry: Any) -> datetime | None:
    moment = entry.get("published_parsed") or entry.get("updated_parsed")
    return _EPOCH + timedelta(seconds=calendar.timegm(moment)) if moment else None


def _namespaced_size(entry: Any) -> int | None:
    """The content size torrent feeds give in their own elements (nyaa:size "1.4 GiB", torrent:contentLength)."""
    for key, value in entry.items():
        if key.endswith(("_size", "_contentlength")) and (size := _parse_size(value)):
            return size
    return None


def _parse_size(text: object) -> int | None:
    """Bytes in "1.4 GiB", "700 MB", "734003200"; None for anything else."""
    match = _SIZE.fullmatch(text.strip()) if isinstance(text, str) else None
    if not match:
        return None
    return round(float(match[1]) * _UNITS[(match[2] or "b").lower()]) or None


def _length(value: object) -> int | None:
    """An enclosure's length attribute in bytes; None when absent, zero or not a number."""
    return int(value) if isinstance(value, str) and value.isdigit() and int(value) > 0 else None
