"""Releases in a folder: a directory on this computer, or a web directory listing on the user's server.

A source is the folder itself plus one level of sub-folders ("Season 2/"),
never deeper and never outside it: parent links, absolute links elsewhere,
encoded separators ("%2e%2e%2f"), hidden names, names with control
characters and symlinks leading out of the folder are all left out.

Web listings are the autoindex pages of nginx, Apache httpd, lighttpd, caddy
and python's ``http.server``; any page whose links name files works. Dates
and sizes are read where the page shows them: dates are taken as UTC (nginx's
default; Apache and lighttpd show server-local time), and sizes shown rounded
(Apache's "1.4G") are approximate.
"""

from __future__ import annotations

import email.message
import logging
import os
import re
import stat
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path, PurePath
from typing import TypeVar
from urllib.parse import SplitResult, unquote, urljoin, urlsplit, urlunsplit
from urllib.request import url2pathname

from requests.utils import requote_uri

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
from providers.http import Deadline, Page, fetch, new_session

log = logging.getLogger(__name__)
_T = TypeVar("_T")

# A video with one of these next to it is still being written (Firefox, aria2);
# the partial files themselves (x.mkv.part, x.mkv.!qB) are not videos anyway.
PARTIAL_SUFFIXES = (".part", ".!qB", ".crdownload", ".aria2")
MAX_SUBDIRECTORIES = 50  # sub-folders read per source; the rest are ignored (and logged)

_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})  # controls, bidi overrides, separators
_MONTHS = {name: number for number, name in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
# The columns after a link: "24-Nov-2026 10:15   1467965432" (nginx), "2026-11-24 10:15  1.4G"
# (Apache), "2026-Nov-24 10:15:00 1.3G" (lighttpd). A directory shows "-" for its size.
_DATE_AND_SIZE = re.compile(
    r"(?P<date>\d{1,2}-[A-Za-z]{3}-\d{4}|\d{4}-(?:\d{2}|[A-Za-z]{3})-\d{2})"
    r"\s+(?P<time>\d{2}:\d{2}(?::\d{2})?)"
    r"(?:\s+(?P<size>\d+(?:\.\d+)?)\s?(?P<unit>[KMGT])?\b)?",
    re.ASCII,
)
_UNITS = "KMGT"


class DirectoryProvider(Provider):
    """Video files in a local folder or a web directory listing, and in their sub-folders."""

    id = "directory"
    name = "Folder or web directory"
    description = (
        "A folder on this computer (or a mounted share), or a web directory listing on your own server "
        "(nginx, Apache, lighttpd, caddy, python -m http.server)."
    )

    def validate_url(self, url: str) -> str:
        """An http(s) URL ending in "/", or an absolute local path (from a path, "~/..." or file:// URL).

        The folder need not exist yet; ``list_releases`` says so if it still does not.
        """
        text = url.strip()
        if not text:
            raise InvalidSourceUrl("give a folder path or the address of a web directory")
        parts = urlsplit(text)
        if parts.scheme in ("http", "https"):
            return _normal_web_url(parts, url)
        if parts.scheme == "file":
            if parts.netloc not in ("", "localhost"):
                raise InvalidSourceUrl(f"{url} is on another computer; mount it and give its local path")
            text = url2pathname(parts.path)
        elif len(parts.scheme) > 1:  # one letter is a Windows drive ("C:\...")
            raise InvalidSourceUrl(f"{url} is neither a folder nor an http(s) web directory")
        path = os.path.expanduser(text)
        if "\x00" in path or not os.path.isabs(path):
            raise InvalidSourceUrl(f"{url} is not a full folder path; give it from the root, like ~/Videos/Anime")
        return os.path.normpath(path)

    def list_releases(self, url: str, validators: Validators | None = None) -> Listing:
        """The video files at ``url``; ``validators`` apply to web listings only (a folder has none)."""
        try:
            source = self.validate_url(url)
        except InvalidSourceUrl as error:
            raise SourceError(str(error)) from error
        if source.startswith(("http://", "https://")):
            return _list_web(source, validators)
        return Listing(tuple(_list_folder(Path(source))))


def _normal_web_url(parts: SplitResult, url: str) -> str:
    """``parts`` with a host and a quoted path ending in "/"; query and fragment dropped."""
    try:
        parts.port  # raises ValueError for a malformed port
    except ValueError:
        raise InvalidSourceUrl(f"{url} has an invalid port number") from None
    if not parts.hostname:
        raise InvalidSourceUrl(f"{url} has no server name")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit((parts.scheme, parts.netloc, _quoted_path(path), "", ""))


def _quoted_path(path: str) -> str:
    """``path`` percent-encoded where needed (spaces, brackets, non-ASCII), its %XX escapes kept."""
    return requote_uri(path).replace("[", "%5B").replace("]", "%5D")  # RFC 3986: no brackets in a path


def _acceptable(name: str) -> bool:
    """Not hidden, not a path trick, no control or invisible formatting characters."""
    return (
        bool(name)
        and not name.startswith(".")
        and "/" not in name
        and "\\" not in name
        and not any(unicodedata.category(char) in _UNPRINTABLE for char in name)
    )


def _finished_video(name: str, siblings: Collection[str]) -> bool:
    """``name`` has a video extension and no partial-download file beside it."""
    return PurePath(name).suffix.lower() in VIDEO_EXTENSIONS and not any(
        name + suffix in siblings for suffix in PARTIAL_SUFFIXES
    )


def _first_subdirectories(where: str, folders: list[_T]) -> list[_T]:
    """At most ``MAX_SUBDIRECTORIES`` of ``folders``, saying so in the log when some are left out."""
    if len(folders) > MAX_SUBDIRECTORIES:
        log.warning("%s has %d sub-folders; only the first %d are read", where, len(folders), MAX_SUBDIRECTORIES)
    return folders[:MAX_SUBDIRECTORIES]


# --- Local folders ---------------------------------------------------------------------------------


def _list_folder(root: Path) -> list[Release]:
    boundary = root.resolve()
    entries = _folder_entries(root, boundary)
    releases = _folder_videos(entries)
    folders = [entry for entry in entries if entry.is_dir()]
    for folder in _first_subdirectories(str(root), folders):
        releases += _folder_videos(_folder_entries(folder, boundary))
    return releases


def _folder_entries(folder: Path, boundary: Path) -> list[Path]:
    """The visible entries of ``folder`` that lead nowhere outside ``boundary``, sorted."""
    try:
        names = sorted(os.listdir(folder))
    except FileNotFoundError:
        raise SourceError(f"the folder {folder} does not exist") from None
    except NotADirectoryError:
        raise SourceError(f"{folder} is a file, not a folder") from None
    except PermissionError:
        raise SourceError(f"cannot open the folder {folder}: permission denied") from None
    except OSError as error:
        raise SourceError(f"cannot read the folder {folder}: {error.strerror or error}") from None
    return [folder / name for name in names if _acceptable(name) and _inside(folder / name, boundary)]


def _inside(path: Path, boundary: Path) -> bool:
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return False
    return resolved != boundary and resolved.is_relative_to(boundary)


def _folder_videos(entries: list[Path]) -> list[Release]:
    names = {entry.name for entry in entries}
    releases = []
    for entry in entries:
        if not _finished_video(entry.name, names):
            continue
        try:
            info = entry.stat()
        except OSError:  # gone since listed, or a dangling symlink
            continue
        if stat.S_ISREG(info.st_mode):
            published = datetime.fromtimestamp(info.st_mtime, tz=UTC)
            releases.append(Release(entry.name, entry.as_uri(), LinkKind.HTTP, published, info.st_size))
    return releases


# --- Web directory listings ------------------------------------------------------------------------


def _list_web(url: str, validators: Validators | None) -> Listing:
    """The listing at ``url`` and its sub-directories.

    A 304 covers the sub-directories too: autoindex pages show each
    sub-directory's modification time, which changes when files come or go.
    """
    deadline = Deadline()  # for the listing and its sub-directories together
    with new_session() as session:
        page = fetch(session, url, validators, accept="text/html", deadline=deadline)
        if page.not_modified:
            return Listing(not_modified=True, validators=page.validators)
        releases, folders = _read_listing(page)
        for folder in _first_subdirectories(page.url, folders):
            subpage = fetch(session, folder, accept="text/html", deadline=deadline)
            if _child(urlsplit(page.url), subpage.url) is None:  # redirected out of the source
                log.warning("ignored %s: it redirects to %s, outside %s", folder, subpage.url, page.url)
                continue
            releases += _read_listing(subpage)[0]
    return Listing(tuple(releases), validators=page.validators)


@dataclass
class _Link:
    """A link on a listing page, and what its row says after it.

    Attributes:
        href: the link as written.
        text: the row's text after the link (dates, sizes, descriptions).
        size: an exact size from the markup (caddy's ``data-size``).
        published: an exact date from the markup (caddy's ``<time datetime>``).
    """

    href: str
    text: list[str] = field(default_factory=list)
    size: int | None = None
    published: datetime | None = None


class _ListingParser(HTMLParser):
    """Collects every link with the rest of its row: up to the next link, or the end of its row or list."""

    _ROW_ENDS = frozenset({"tr", "li", "pre", "table", "ul", "ol", "body"})

    def __init__(self) -> None:
        super().__init__()
        self.links: list[_Link] = []
        self._row: _Link | None = None
        self._in_link = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        href = values.get("href")
        if tag == "a" and href:
            self._in_link = True
            if self._row is None or self._row.href != href:  # Apache's IconsAreLinks: two links, one row
                self._row = _Link(href)
                self.links.append(self._row)
        size, stamp = values.get("data-size") or "", values.get("datetime")
        if self._row is not None and size.isdecimal():
            self._row.size = int(size)
        if self._row is not None and tag == "time" and stamp:
            self._row.published = _iso_date(stamp)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._in_link = False
        if tag in self._ROW_ENDS:
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._row is not None and not self._in_link:
            self._row.text.append(data)


def _read_listing(page: Page) -> tuple[list[Release], list[str]]:
    """The finished videos a listing page links to, and the URLs of its sub-directories."""
    parser = _ListingParser()
    parser.feed(_page_text(page))
    parser.close()
    base = urlsplit(page.url)
    files: dict[str, tuple[str, _Link]] = {}  # name -> (absolute URL, link)
    folders: list[str] = []
    for link in parser.links:
        child = _child(base, link.href)
        if child is None:
            continue
        url, name, is_folder = child
        if is_folder and url not in folders:
            folders.append(url)
        elif not is_folder:
            files.setdefault(name, (url, link))
    releases = []
    for name, (url, link) in files.items():
        if _finished_video(name, files):
            published, size = _row_details(" ".join(link.text))
            exact_size = link.size if link.size is not None else size
            releases.append(Release(name, url, LinkKind.HTTP, link.published or published, exact_size))
    return releases, folders


def _child(base: SplitResult, href: str) -> tuple[str, str, bool] | None:
    """(absolute URL, unquoted name, is a folder) when ``href`` names an entry directly in ``base``'s folder."""
    target = urlsplit(urljoin(base.geturl(), href.strip()))
    if target.query or target.fragment or (target.scheme, target.netloc.lower()) != (base.scheme, base.netloc.lower()):
        return None
    folder = base.path[: base.path.rfind("/") + 1]
    if not target.path.startswith(folder):
        return None
    rest = target.path[len(folder) :]
    is_folder = rest.endswith("/")
    name = unquote(rest[:-1] if is_folder else rest)
    if not _acceptable(name):  # also refuses "a/b" (deeper) and "%2e%2e%2f..."
        return None
    return urlunsplit((target.scheme, target.netloc, _quoted_path(target.path), "", "")), name, is_folder


def _page_text(page: Page) -> str:
    """The page decoded by its declared charset, else as UTF-8."""
    header = email.message.Message()
    header["content-type"] = page.headers.get("content-type", "text/html")
    try:
        return page.content.decode(header.get_content_charset() or "utf-8", errors="replace")
    except LookupError:  # an unknown charset name
        return page.content.decode("utf-8", errors="replace")


def _row_details(text: str) -> tuple[datetime | None, int | None]:
    """The date and size a row's text shows after its link, when it shows them."""
    found = _DATE_AND_SIZE.search(text)
    if found is None:
        return None, None
    size = None
    if found["size"]:
        scale = 1024 ** (_UNITS.index(found["unit"]) + 1) if found["unit"] else 1
        size = round(float(found["size"]) * scale)
    return _listing_date(found["date"], found["time"]), size


def _listing_date(date: str, time: str) -> datetime | None:
    """ "24-Nov-2026", "2026-11-24" or "2026-Nov-24" with "10:15[:00]", as UTC (month names in English)."""
    first, month, last = date.split("-")
    year, day = (first, last) if len(first) == 4 else (last, first)
    number = int(month) if month.isdigit() else _MONTHS.get(month.lower(), 0)
    try:
        hour, minute, second = ([int(part) for part in time.split(":")] + [0])[:3]
        return datetime(int(year), number, int(day), hour, minute, second, tzinfo=UTC)
    except ValueError:
        return None


def _iso_date(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
