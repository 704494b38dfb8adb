"""Where a download's bytes come from: an HTTP(S) server, or a file in a local folder.

``open_source`` turns a link into a ``Source``, whose ``open(offset,
validator)`` gives a ``Body``: the bytes from that offset if the validator
(ETag / Last-Modified, or a local file's size and mtime) still holds, else
from the start. Answers worth another attempt (a busy server, a cut read, an
unreadable Content-Range) raise ``Retry``, with the wait a server asked for;
a 416 raises ``RangeRefused``; anything else hopeless raises
``DownloadError``. Bodies stream in chunks and are never held in memory.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import partial
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit
from urllib.request import url2pathname

import requests

from core.downloads.errors import DownloadError
from core.logs import redact
from providers.http import Deadline, DeadlinePassed, cut_at, pieces, watched_session

MAX_RETRY_AFTER = 120.0  # a server asking to wait longer is asked again after this
HEAD_DEADLINE = 60.0  # seconds an answer's head may take, however steadily it trickles in
SNIFF_BYTES = 64  # the first piece of a body holds at least this many bytes, to tell what the file is
_CONTENT_RANGE = re.compile(r"bytes\s+(?:(\d+)-\d+|\*)/(\d+|\*)", re.IGNORECASE)


class Retry(Exception):
    """A failure worth another attempt (a cut connection, a busy server); the message says what happened.

    Attributes:
        wait: seconds the server asked us to wait (Retry-After), if it did.
    """

    def __init__(self, message: str, wait: float | None = None) -> None:
        super().__init__(message)
        self.wait = wait


class RangeRefused(Retry):
    """416: nothing at or after our offset. Attributes: total: the size the server gave, if any."""

    def __init__(self, total: int | None) -> None:
        super().__init__("the server refused to resume the download")
        self.total = total


@dataclass
class Body:
    """What a source answered to one request.

    Attributes:
        start: the file offset of the first byte of ``chunks`` (0: the whole file).
        total: the whole file's size, when known.
        validator: ETag or Last-Modified (a local file's size and mtime) to resume against.
        content_type: the declared media type, lower case ("" when none).
        chunks: the bytes, in pieces, each handed over as soon as it arrives.
    """

    start: int
    total: int | None
    validator: str | None
    content_type: str
    chunks: Iterator[bytes]


@dataclass
class Source:
    """Where the bytes come from.

    Attributes:
        open: gives the body from an offset, resumed only if the validator still holds.
        label: who sends the bytes, for messages ("the server").
        close: releases what the source holds (a session made for this download).
    """

    open: Callable[[int, str | None], AbstractContextManager[Body]]
    label: str
    close: Callable[[], None] = lambda: None


def open_source(url: str, session: requests.Session | None, timeout: tuple[float, float], chunk_size: int) -> Source:
    """The source for an http(s) or local file link; ``session`` is used if given, else one made (and closed) for it."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "file" and parts.netloc in ("", "localhost"):
        return Source(partial(_file_body, Path(url2pathname(parts.path)), chunk_size=chunk_size), "the folder")
    if scheme in ("http", "https"):
        http_session = session or _new_session()
        body = partial(_http_body, http_session, url, timeout=timeout, chunk_size=chunk_size)
        return Source(body, "the server", http_session.close if session is None else lambda: None)
    raise DownloadError(f"cannot download {redact(url)}: only http, https and local file links can be downloaded")


def _new_session() -> requests.Session:
    """A session without urllib3 retries: every retry is ours, paced by ``download_file``'s ``sleep``."""
    return watched_session(0)


@contextmanager
def _http_body(
    session: requests.Session,
    url: str,
    offset: int,
    validator: str | None,
    *,
    timeout: tuple[float, float],
    chunk_size: int,
) -> Iterator[Body]:
    headers = {"Accept-Encoding": "identity"}
    if offset:
        headers["Range"] = f"bytes={offset}-"
        if validator:
            headers["If-Range"] = validator
    try:
        with cut_at(Deadline(HEAD_DEADLINE)):
            response = session.get(url, headers=headers, stream=True, timeout=timeout)
    except DeadlinePassed as error:
        raise Retry(f"the server took more than {HEAD_DEADLINE:g} s to answer") from error
    with response:
        yield _response_body(response, url, chunk_size)


def _response_body(response: requests.Response, url: str, chunk_size: int) -> Body:
    status, headers = response.status_code, response.headers
    if status == 416:
        raise RangeRefused(_content_range(headers.get("Content-Range", ""))[1])
    if status in (408, 425, 429) or status >= 500:
        raise Retry(f"the server answered {status} {response.reason}", _retry_after(headers.get("Retry-After")))
    if status not in (200, 206):
        raise DownloadError(f"{redact(url)} answered {status} {response.reason}".rstrip())
    if status == 206:
        start, total = _content_range(headers.get("Content-Range", ""))
    else:
        length = headers.get("Content-Length", "")
        start, total = 0, int(length) if length.isdigit() else None
    encoding = headers.get("Content-Encoding", "").strip().lower()
    if encoding not in ("identity", ""):
        raise DownloadError(
            f"the server compressed the file ({encoding}) although asked not to; it is refused rather than "
            "unpacked, as it could grow far beyond the size announced"
        )
    etag = headers.get("ETag")
    validator = etag if etag and not etag.startswith("W/") else headers.get("Last-Modified")  # no weak If-Range
    content_type = headers.get("Content-Type", "").split(";")[0].strip().lower()
    return Body(start, total, validator, content_type, _sniffable(pieces(response, chunk_size, decode=False)))


def _sniffable(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """``chunks`` with at least the first ``SNIFF_BYTES`` (or all there are) in the first piece.

    Pieces come as they arrive, perhaps a few bytes at a time; the first must
    hold enough to tell a web page or a .torrent file from a video.
    """
    start = b""
    for chunk in chunks:
        start += chunk
        if len(start) >= SNIFF_BYTES:
            break
    if start:
        yield start
    yield from chunks


def _content_range(value: str) -> tuple[int, int | None]:
    """The start and the whole size in "bytes 100-199/1000" (or "bytes */1000" with a 416)."""
    match = _CONTENT_RANGE.fullmatch(value.strip())
    if match is None:
        raise Retry(f"the server resumed with an unreadable Content-Range ({value!r})")
    start, total = match.groups()
    return int(start or 0), None if total == "*" else int(total)


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (it is a number or an HTTP date), capped at ``MAX_RETRY_AFTER``."""
    if not value:
        return None
    if value.strip().isdigit():
        seconds = float(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = (when.replace(tzinfo=when.tzinfo or UTC) - datetime.now(UTC)).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


@contextmanager
def _file_body(path: Path, offset: int, validator: str | None, *, chunk_size: int) -> Iterator[Body]:
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise DownloadError(f"{path} no longer exists") from None
    except OSError as error:
        raise DownloadError(f"cannot read {path}: {error.strerror or error}") from None
    with handle:
        info = os.fstat(handle.fileno())
        current = f"{info.st_size}:{info.st_mtime_ns}"
        start = offset if validator == current and offset <= info.st_size else 0
        handle.seek(start)
        yield Body(start, info.st_size, current, "", _read_chunks(handle, chunk_size))


def _read_chunks(handle: BinaryIO, chunk_size: int) -> Iterator[bytes]:
    while True:
        try:
            chunk = handle.read(chunk_size)
        except OSError as error:
            raise Retry(f"reading the file failed ({error.strerror or error})") from error
        if not chunk:
            return
        yield chunk
