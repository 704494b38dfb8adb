"""Moving one file to disk: over HTTP(S) with resume, or copied from a local folder (a file:// link).

The bytes go to ``NAME.part`` beside the destination, and ``NAME.part.json``
remembers what they are part of (a hash of the URL, the server's ETag or
Last-Modified, the full size). A later attempt, after a cut connection, a
cancel, a crash or a full disk, asks only for the rest (``Range`` +
``If-Range``); a server that ignores the range, or whose file changed, sends
the whole file and the part starts over. Our own loop resumes a body cut
mid-way, stalled (no byte for ``TIMEOUT[1]`` s) or trickling (under
``MIN_RATE``), and retries busy servers (5xx, 429 with its Retry-After), with
exponential backoff until ``retries`` attempts in a row bring no new byte
(or are too slow).
The finished part must have the announced size and be neither a web page nor
a few KiB; it is then renamed (``os.replace``) to the destination, or to
"NAME (2).ext" when a different file is already there.

This module runs the attempts; ``part_file`` keeps the partial file and
``byte_sources`` reads from servers and folders. Nothing here waits without
a timeout, holds a body in memory, or puts a secret from a URL in a message.
"""

from __future__ import annotations

import http.client
import logging
import math
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests
import urllib3

from core.downloads.byte_sources import Body, RangeRefused, Retry, Source, open_source
from core.downloads.errors import (  # re-exported: callers import them from here
    DownloadCancelled,
    DownloadError,
)
from core.downloads.part_file import Part, place
from core.downloads.torrent_files import TORRENT_TYPE, TorrentInstead, looks_like_torrent
from core.logs import redact
from providers.http import reason

log = logging.getLogger(__name__)

SPACE_MARGIN = 16 * 1024 * 1024  # bytes kept free beyond what the download still needs
PROGRESS_INTERVAL = 0.25  # seconds between two progress reports: a few a second
MAX_BACKOFF = 60.0  # seconds between two attempts, at most
TIMEOUT = (5.0, 10.0)  # seconds to connect; seconds without a byte before the attempt ends (and is resumed)
MIN_RATE = 1024  # bytes a second an attempt must average over every RATE_WINDOW, or it ends (and is resumed)
RATE_WINDOW = 60.0  # seconds
_PAUSE_STEP = 1.0  # pauses are slept in steps this long, so a cancel is noticed
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_HTML_STARTS = (b"<!doctype html", b"<html")

Progress = Callable[[int, int | None], None]


_TRANSIENT = (
    Retry,
    requests.exceptions.ConnectionError,
    requests.exceptions.Timeout,
    requests.exceptions.ChunkedEncodingError,
    urllib3.exceptions.HTTPError,
    http.client.HTTPException,
)


def download_file(
    url: str,
    destination: Path,
    *,
    session: requests.Session | None = None,
    expected_size: int | None = None,
    progress: Progress | None = None,
    cancelled: threading.Event | None = None,
    retries: int = 5,
    min_video_bytes: int = 64 * 1024,
    chunk_size: int = 1024 * 1024,
    timeout: tuple[float, float] = TIMEOUT,
    sleep: Callable[[float], None] = time.sleep,
) -> Path:
    """Download ``url`` (http, https or file) to ``destination``; return the path used.

    ``session`` serves one thread at a time (a new one without urllib3 retries
    by default: every retry is ours). ``expected_size`` is the exact size the
    source lists, if it does. ``progress(done, total_or_None)`` is called at
    most every ``PROGRESS_INTERVAL`` seconds, and once at the end.
    ``cancelled`` is checked between chunks and during pauses. ``retries`` is
    how many attempts in a row may fail without bringing a new byte before
    giving up; ``sleep`` is how to pause between them. An attempt ends when
    no byte comes for ``timeout[1]`` seconds, or fewer than ``MIN_RATE`` a
    second come over ``RATE_WINDOW``; a too-slow attempt counts as a failure
    even though it brought bytes, so a trickling server is given up on too.

    Raises ``DownloadCancelled`` (the part is kept) or ``DownloadError``.
    """
    source = open_source(url, session, timeout, chunk_size)
    part = Part(destination, url)
    transfer = _Transfer(
        source, part, destination, redact(url), expected_size, min_video_bytes, ProgressThrottle(progress), cancelled,
        retries, sleep,
    )
    try:
        return transfer.download()
    except requests.exceptions.RequestException as error:  # not worth retrying: a bad URL, a redirect loop
        raise DownloadError(f"could not download {redact(url)}: {reason(error)}") from error
    finally:
        part.close()
        source.close()


@dataclass
class _Transfer:
    """One call of ``download_file``: the attempts loop and the checks around it."""

    source: Source
    part: Part
    destination: Path
    name: str  # the URL, redacted
    expected_size: int | None
    min_video_bytes: int
    report: ProgressThrottle
    cancelled: threading.Event | None
    retries: int
    sleep: Callable[[float], None]

    def download(self) -> Path:
        folder = self.destination.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DownloadError(f"cannot create the folder {folder}: {error.strerror or error}") from error
        _check_space(folder, (self.expected_size or self.part.total or 0) - self.part.size)
        log.info("downloading %s to %s (from byte %d)", self.name, self.destination, self.part.size)
        self._fill()
        self.part.close(sync=True)
        self._check_result()
        size = self.part.size
        final = place(self.part, self.destination)
        self.report(size, size, force=True)
        return final

    def _fill(self) -> None:
        """Bring the part to the end of the file, resuming after every transient failure."""
        failures, furthest = 0, self.part.size
        while True:
            self._check_cancelled()
            try:
                with self.source.open(self.part.size, self.part.validator) as body:
                    self._receive(body)
                return
            except RangeRefused as refused:
                if self._complete(refused.total):
                    return
                self.part.restart()
                failure: BaseException = refused
            except requests.exceptions.SSLError as error:
                raise DownloadError(
                    f"could not download {self.name}: a secure connection failed ({reason(error)})"
                ) from error
            except _TRANSIENT as error:
                failure = error
            progressed = self.part.size > furthest and not isinstance(failure, TooSlow)  # refetched bytes are not
            failures = 1 if progressed else failures + 1
            furthest = max(furthest, self.part.size)
            if failures > self.retries:
                raise DownloadError(
                    f"could not download {self.name}: {_describe(failure)} (gave up after {failures} attempts)"
                ) from failure
            self._pause(failures, failure)

    def _receive(self, body: Body) -> None:
        part = self.part
        if body.start == 0 and body.content_type in _HTML_TYPES:
            raise self._web_page()  # an error in disguise: what the part holds stays
        if body.start == 0 and body.content_type == TORRENT_TYPE:
            raise TorrentInstead(f"{self.name} is a .torrent file")
        if body.start == 0:
            part.restart()
        elif body.start != part.size or (None not in (body.total, part.total) and body.total != part.total):
            part.restart()
            raise Retry("the file changed on the server, or it resumed at the wrong place; starting over")
        self._check_size(body.total, "offers")
        _check_space(self.destination.parent, (body.total or self.expected_size or 0) - part.size)
        part.remember(body.validator, body.total)
        total = body.total or self.expected_size
        self.report(part.size, total)
        pace = _Pace()
        for chunk in body.chunks:
            self._check_cancelled()
            if part.size == 0 and chunk.lstrip(b"\xef\xbb\xbf \t\r\n")[:14].lower().startswith(_HTML_STARTS):
                part.discard()
                raise self._web_page()
            if part.size == 0 and looks_like_torrent(chunk[:8]):
                part.discard()
                raise TorrentInstead(f"{self.name} is a .torrent file")
            part.append(chunk)
            self.report(part.size, total)
            pace.check(len(chunk))
        if body.total is not None and part.size != body.total:
            raise Retry(f"the connection ended after {format_size(part.size)} of {format_size(body.total)}")

    def _complete(self, total: int | None) -> bool:
        """After a 416: whether the part already holds the whole (unchanged) file."""
        known = {size for size in (total, self.part.total) if size is not None}
        return len(known) == 1 and self.part.size == known.pop()

    def _check_result(self) -> None:
        size = self.part.size
        if size < self.min_video_bytes:
            self.part.discard()
            raise DownloadError(f"{self.source.label} sent only {format_size(size)}; that is not a video")
        self._check_size(size, "sent")

    def _check_size(self, size: int | None, verb: str) -> None:
        """Refuse (and drop the part) when ``size`` is known and not the size the source listed."""
        if None not in (size, self.expected_size) and size != self.expected_size:
            self.part.discard()
            raise DownloadError(
                f"{self.source.label} {verb} {size} bytes for {self.name}, but the source listed {self.expected_size}"
            )

    def _web_page(self) -> DownloadError:
        return DownloadError(f"{self.source.label} sent a web page instead of the video (a login or error page?)")

    def _check_cancelled(self) -> None:
        if self.cancelled is not None and self.cancelled.is_set():
            raise DownloadCancelled(f"the download of {self.name} was cancelled")

    def _pause(self, failures: int, failure: BaseException) -> None:
        wait = getattr(failure, "wait", None)
        if wait is None:
            wait = min(2.0 ** (failures - 1), MAX_BACKOFF)
        log.warning("%s: %s; trying again in %g s", self.name, _describe(failure), wait)
        while wait > 0:
            self._check_cancelled()
            step = min(wait, _PAUSE_STEP)
            self.sleep(step)
            wait -= step


class TooSlow(Retry):
    """An attempt that brought fewer than ``MIN_RATE`` bytes a second over ``RATE_WINDOW``."""


class _Pace:
    """Measures one attempt's bytes in windows of ``RATE_WINDOW`` seconds; ``check`` raises ``TooSlow``."""

    def __init__(self) -> None:
        self._started, self._count = time.monotonic(), 0

    def check(self, count: int) -> None:
        self._count += count
        elapsed = time.monotonic() - self._started
        if elapsed < RATE_WINDOW:
            return
        if self._count < MIN_RATE * elapsed:
            raise TooSlow(f"the server sent too slowly (under {format_size(MIN_RATE)} a second for {RATE_WINDOW:g} s)")
        self._started, self._count = time.monotonic(), 0


class ProgressThrottle:
    """Passes progress on at most once per ``PROGRESS_INTERVAL``, and always when forced."""

    def __init__(self, callback: Progress | None) -> None:
        self._callback = callback
        self._last = -math.inf

    def __call__(self, done: int, total: int | None, force: bool = False) -> None:
        now = time.monotonic()
        if self._callback is not None and (force or now - self._last >= PROGRESS_INTERVAL):
            self._last = now
            self._callback(done, total)


def _check_space(folder: Path, remaining: int) -> None:
    """Raise ``DownloadError`` unless ``folder`` has ``remaining`` bytes free, plus ``SPACE_MARGIN``."""
    try:
        free = shutil.disk_usage(folder).free
    except OSError:  # cannot tell: writing will say
        return
    need = max(remaining, 0) + SPACE_MARGIN
    if free < need:
        raise DownloadError(f"not enough free space in {folder}: need {format_size(need)}, {format_size(free)} free")


def _describe(error: BaseException) -> str:
    """What went wrong with an attempt, for people."""
    if isinstance(error, Retry):
        return str(error)
    if isinstance(error, requests.exceptions.Timeout) or "timed out" in str(error).lower():
        return "the server stopped answering"
    if isinstance(error, requests.exceptions.ConnectionError) and "Connection aborted" not in str(error):
        return f"could not reach the server ({reason(error)})"
    return "the connection was cut before the end"


def format_size(count: int) -> str:
    """A byte count for people: "512 bytes", "1 KiB", "300 MiB", "1.2 GiB"."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= scale:
            return f"{count / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{count} bytes"
