"""HTTP for providers: one configured session, timeouts everywhere, capped bodies, conditional GET.

Every fetch also has an overall deadline (``DEADLINE``): a server that sends
a byte now and then is never caught by a socket timeout, so ``cut_at`` shuts
its connection down when the deadline passes. Downloads use the same means
for the head of each answer.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from importlib import metadata

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import MaxRetryError, ReadTimeoutError
from urllib3.util.retry import Retry

from providers.base import SourceError, Validators

TIMEOUT = (5.0, 20.0)  # seconds to connect, seconds between bytes
DEADLINE = 60.0  # seconds a whole fetch may take, however steadily the bytes trickle in
MAX_RETRY_AFTER = 10.0  # a busy server asking to wait longer is asked again after this many seconds
MAX_PAGE_BYTES = 10 * 1024 * 1024
_CHUNK = 64 * 1024


def _user_agent() -> str:
    try:
        version = metadata.version("tsuzuki")
    except metadata.PackageNotFoundError:
        version = "dev"
    return f"Tsuzuki/{version}"


USER_AGENT = _user_agent()


def new_session(retries: int = 2) -> requests.Session:
    """A session that retries failed connections and 502/503/504 answers, with backoff.

    Only connecting and the response head are retried here (urllib3 ``Retry``);
    a body cut mid-way is the caller's business.
    """
    retry = _BoundedRetry(
        total=retries,
        connect=retries,
        read=0,
        status=retries,
        backoff_factor=0.5,
        status_forcelist=(502, 503, 504),
        allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    return watched_session(retry)


def watched_session(retry: Retry | int) -> requests.Session:
    """A session with our User-Agent whose connections ``cut_at`` can shut down; ``retry``: urllib3's."""
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    adapter.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session


class _BoundedRetry(Retry):
    """urllib3's ``Retry``, but a Retry-After of hours is not slept through: it is cut to ``MAX_RETRY_AFTER``."""

    def get_retry_after(self, response: urllib3.BaseHTTPResponse) -> float | None:
        wait = super().get_retry_after(response)
        return None if wait is None else min(wait, MAX_RETRY_AFTER)


@dataclass(frozen=True)
class Deadline:
    """When some fetches (those of one source, say) must be done: ``seconds`` after ``started``.

    ``seconds`` is ``DEADLINE`` by default, read when the deadline is made.
    """

    seconds: float = field(default_factory=lambda: DEADLINE)
    started: float = field(default_factory=time.monotonic)

    def remaining(self) -> float:
        return self.started + self.seconds - time.monotonic()

    def passed(self) -> bool:
        return self.remaining() < 0


class DeadlinePassed(Exception):
    """The deadline of a ``cut_at`` block passed: its connections were shut down."""


class _Watched:
    """A connection pool that notes the connections it hands out for the fetch running in this thread."""

    def _get_conn(self, timeout: float | None = None) -> HTTPConnection:
        connection = super()._get_conn(timeout)  # type: ignore[misc]
        in_use = getattr(_fetching, "connections", None)
        if in_use is not None:
            in_use.append(connection)
        return connection


class _HTTPPool(_Watched, HTTPConnectionPool):
    pass


class _HTTPSPool(_Watched, HTTPSConnectionPool):
    pass


_fetching = threading.local()  # .connections: those the fetch in this thread has used


@contextmanager
def cut_at(deadline: Deadline) -> Iterator[None]:
    """Shut down the connections a ``watched_session`` used meanwhile, in this thread, when ``deadline`` passes.

    A server that keeps sending a byte now and then is never caught by a
    socket timeout (it counts from the last byte), neither in the head nor in
    the body; shutting the socket down wakes the read, which then fails.
    Raises ``DeadlinePassed`` when the block ends after the deadline, however it ends.
    """
    connections: list[HTTPConnection] = []
    _fetching.connections = connections
    timer = threading.Timer(max(deadline.remaining(), 0.0), _shut_down, (connections,))
    timer.daemon = True
    timer.start()
    try:
        yield
    except Exception as error:
        if deadline.passed():
            raise DeadlinePassed from error
        raise
    else:
        if deadline.passed():  # cut at the deadline: an answer may look whole and not be
            raise DeadlinePassed
    finally:
        timer.cancel()
        _fetching.connections = None


def _shut_down(connections: list[HTTPConnection]) -> None:
    for connection in list(connections):
        sock = getattr(connection, "sock", None)
        if sock is not None:
            with suppress(OSError):  # already closed
                sock.shutdown(socket.SHUT_RDWR)


@dataclass(frozen=True)
class Page:
    """A fetched page.

    Attributes:
        content: the body (empty when ``not_modified``).
        headers: response headers, names in lower case.
        not_modified: the server answered 304 to our validators.
        validators: ETag / Last-Modified to send next time.
        url: the final URL, after redirects.
    """

    content: bytes
    headers: dict[str, str]
    not_modified: bool
    validators: Validators
    url: str


def fetch(
    session: requests.Session,
    url: str,
    validators: Validators | None = None,
    max_bytes: int = MAX_PAGE_BYTES,
    accept: str | None = None,
    timeout: tuple[float, float] = TIMEOUT,
    deadline: Deadline | None = None,
) -> Page:
    """GET ``url`` (conditionally when ``validators`` are given), reading at most ``max_bytes``.

    The whole answer, head and body, must be in before ``deadline`` (one for
    this fetch alone by default; share one to bound several fetches together),
    however steadily the server trickles bytes; ``timeout`` bounds connecting
    and each gap between bytes. Raises ``SourceError`` with a plain-language reason for anything but a
    2xx or 304 answer: unreachable host, timeout, HTTP error, oversized body,
    a body too slow to arrive.
    """
    deadline = deadline or Deadline()
    headers: dict[str, str] = {}
    if accept:
        headers["Accept"] = accept
    if validators and validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators and validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    try:
        with cut_at(deadline), session.get(url, headers=headers, timeout=timeout, stream=True) as response:
            lower = {name.lower(): value for name, value in response.headers.items()}
            if response.status_code == 304:
                return Page(b"", lower, True, validators or Validators(), response.url)
            if response.status_code >= 400:
                raise SourceError(f"{url} answered {response.status_code} {response.reason}".rstrip())
            content = _read_capped(response, url, max_bytes)
            fresh = Validators(etag=lower.get("etag"), last_modified=lower.get("last-modified"))
            return Page(content, lower, False, fresh, response.url)
    except DeadlinePassed as error:
        raise SourceError(f"gave up on {url} after {_seconds(deadline.seconds)}: the server sent too slowly") from error
    except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError) as error:
        raise _failure(url, error) from error


def _failure(url: str, error: requests.exceptions.RequestException | urllib3.exceptions.HTTPError) -> SourceError:
    """What went wrong with a fetch, for people."""
    if isinstance(error, ReadTimeoutError) or (
        isinstance(error, requests.exceptions.RequestException) and _timed_out(error)
    ):
        return SourceError(f"{url} did not answer in time")
    if isinstance(error, urllib3.exceptions.ProtocolError):
        return SourceError(f"could not fetch {url}: the connection was cut before the end")
    if isinstance(error, (requests.exceptions.Timeout, requests.exceptions.ConnectionError)):
        return SourceError(f"could not reach {url}: {reason(error)}")
    return SourceError(f"could not fetch {url}: {reason(error)}")


def _timed_out(error: requests.exceptions.RequestException) -> bool:
    """Whether the server stopped answering (requests reports a read timeout
    behind urllib3's retry wrapper as a ConnectionError)."""
    if isinstance(error, requests.exceptions.Timeout):
        return True
    cause = error.args[0] if error.args else None
    return isinstance(cause, MaxRetryError) and isinstance(cause.reason, ReadTimeoutError)


def _read_capped(response: requests.Response, url: str, max_bytes: int) -> bytes:
    too_big = SourceError(f"{url} sent more than {_size(max_bytes)}; refusing to read it all")
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_big
    body = bytearray()
    for chunk in pieces(response, _CHUNK):
        body += chunk
        if len(body) > max_bytes:
            raise too_big
    return bytes(body)


def pieces(response: requests.Response, size: int, decode: bool = True) -> Iterator[bytes]:
    """The body of a streamed ``response`` as it arrives, in pieces of at most ``size`` bytes.

    Unlike ``iter_content``, a piece is handed over as soon as the socket gives
    anything, so a caller can apply its own deadline to a server that trickles.
    urllib3's errors (``ReadTimeoutError``, ``ProtocolError`` for a short body)
    are raised as they are. ``decode``: undo a Content-Encoding (gzip, ...).
    """
    while piece := response.raw.read1(size, decode_content=decode):
        yield piece


def _seconds(count: float) -> str:
    """A duration for people: "60 s", "2.5 s"."""
    return f"{count:.0f} s" if count >= 10 else f"{count:.1f}".removesuffix(".0") + " s"


def _size(count: int) -> str:
    """A byte count for people: 512 bytes, 64 KiB, 10 MiB."""
    for unit, scale in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if count >= scale:
            return f"{count / scale:g} {unit}"
    return f"{count} bytes"


def reason(error: BaseException) -> str:
    """The innermost cause of a requests error, without urllib3's object reprs."""
    text = str(error)
    for marker in ("Connection refused", "Name or service not known", "timed out", "Connection reset"):
        if marker.lower() in text.lower():
            return marker.lower()
    return text.split(": ")[-1].strip("()'\"") or type(error).__name__
