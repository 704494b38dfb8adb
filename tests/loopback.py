"""A real HTTP server on 127.0.0.1 for tests: fixed routes, recorded requests, chosen misbehaviour.

    server.route("/feed.xml", body=b"<rss ...>", headers={"Content-Type": "application/rss+xml"},
                 etag='"v1"')
    server.url("/feed.xml")  # -> "http://127.0.0.1:PORT/feed.xml"
    server.requests          # every request seen: method, path, headers, body

A route with an ``etag`` or ``last_modified`` answers 304 to a matching
conditional GET. ``status``, ``delay`` (seconds before answering) and a
``handler`` callable (full control) cover the misbehaving cases.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PIECE = 64 * 1024  # a ServedFile writes its body in pieces this big


class _QuietServer(ThreadingHTTPServer):
    """Clients hanging up (on purpose, in many tests) are not errors worth printing."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


@dataclass(frozen=True)
class SeenRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0
    handler: Callable[[BaseHTTPRequestHandler, SeenRequest], None] | None = None


def trickled_head(byte_count: int) -> Callable[[BaseHTTPRequestHandler, SeenRequest], None]:
    """A handler that sends a response head one byte every 50 ms: never a long gap, never done."""

    def handle(handler: BaseHTTPRequestHandler, seen: SeenRequest) -> None:
        handler.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        for _ in range(byte_count):
            handler.wfile.write(b"z")
            handler.wfile.flush()
            time.sleep(0.05)

    return handle


@dataclass
class ServedFile:
    """A file served with Range / If-Range support, and misbehaviours switched on per test:
    ``loopback.route("/ep.mkv", handler=ServedFile(data))``.

    Attributes:
        extra: bytes declared beyond the real data (a Content-Length that lies).
        cuts: for the next responses, how many body bytes to send before hanging up.
        linger: after a cut, keep the connection open instead (a body shorter than announced, kept alive).
        errors: statuses to answer the next requests with, before serving the file.
        length: send Content-Length (else the body runs until the connection closes).
        pace: seconds to wait after each piece written.
        hold_at: in every response, stop after this many body bytes until ``gate`` is set.
        sent: body bytes written, per response.
        statuses: the status of every response.
    """

    data: bytes
    etag: str | None = '"v1"'
    ranges: bool = True
    extra: int = 0
    cuts: list[int] = field(default_factory=list)
    linger: bool = False
    errors: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    content_type: str = "video/x-matroska"
    length: bool = True
    pace: float = 0.0
    hold_at: int | None = None
    gate: threading.Event = field(default_factory=threading.Event)
    sent: list[int] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)

    def __call__(self, handler: BaseHTTPRequestHandler, seen: SeenRequest) -> None:
        if self.errors:
            self._error(handler, *self.errors.pop(0))
            return
        total = len(self.data) + self.extra
        start = 0
        if self.ranges and "range" in seen.headers and seen.headers.get("if-range", self.etag) == self.etag:
            start = int(seen.headers["range"].removeprefix("bytes=").removesuffix("-"))
        if start >= total:
            self._error(handler, 416, {"Content-Range": f"bytes */{total}"})
            return
        self.statuses.append(206 if start else 200)
        handler.send_response(206 if start else 200)
        if start:
            handler.send_header("Content-Range", f"bytes {start}-{total - 1}/{total}")
        if self.length:
            handler.send_header("Content-Length", str(total - start))
        else:
            handler.send_header("Connection", "close")
        if self.etag:
            handler.send_header("ETag", self.etag)
        handler.send_header("Content-Type", self.content_type)
        handler.end_headers()
        body = memoryview(self.data)[start:]
        if self.cuts:
            body = body[: self.cuts.pop(0)]
        self.sent.append(0)
        try:
            self._write(handler, body)
        except ConnectionError:  # the client hung up
            pass
        handler.close_connection = (self.sent[-1] < total - start and not self.linger) or not self.length

    def _write(self, handler: BaseHTTPRequestHandler, body: memoryview) -> None:
        for offset in range(0, len(body), PIECE):
            if offset == self.hold_at:
                self.gate.wait(30)
            handler.wfile.write(body[offset : offset + PIECE])
            self.sent[-1] += len(body[offset : offset + PIECE])
            time.sleep(self.pace)
        if self.hold_at is not None and self.hold_at >= len(body):
            self.gate.wait(30)

    def _error(self, handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str]) -> None:
        self.statuses.append(status)
        handler.send_response(status)
        for name, value in {"Content-Length": "0", **headers}.items():
            handler.send_header(name, value)
        handler.end_headers()


class LoopbackServer:
    """Serves registered routes on an ephemeral 127.0.0.1 port in a background thread."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[SeenRequest] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                server._answer(self)

            do_POST = do_HEAD = do_GET

        self._httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def route(self, path: str, body: bytes | str = b"", **options: object) -> Route:
        """Serve ``body`` (and the options of ``Route``) at ``path``; returns the route to adjust later."""
        route = Route(body=body.encode() if isinstance(body, str) else body, **options)  # type: ignore[arg-type]
        self.routes[path] = route
        return route

    def requests_to(self, path: str) -> list[SeenRequest]:
        with self._lock:
            return [seen for seen in self.requests if seen.path == path]

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        seen = SeenRequest(
            method=handler.command,
            path=handler.path,
            headers={name.lower(): value for name, value in handler.headers.items()},
            body=handler.rfile.read(length) if length else b"",
        )
        with self._lock:
            self.requests.append(seen)
        route = self.routes.get(handler.path.split("?")[0]) or self.routes.get(handler.path)
        if route is None:
            self._send(handler, 404, {"Content-Type": "text/plain"}, b"not found")
            return
        if route.delay:
            time.sleep(route.delay)
        if route.handler is not None:
            route.handler(handler, seen)
            return
        headers = dict(route.headers)
        if route.etag:
            headers["ETag"] = route.etag
        if route.last_modified:
            headers["Last-Modified"] = route.last_modified
        unchanged = (route.etag and seen.headers.get("if-none-match") == route.etag) or (
            route.last_modified and seen.headers.get("if-modified-since") == route.last_modified
        )
        if unchanged and route.status == 200:
            self._send(handler, 304, headers, b"")
            return
        self._send(handler, route.status, headers, b"" if handler.command == "HEAD" else route.body)

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: bytes) -> None:
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        if "Content-Length" not in headers and status != 304:
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if body:
            handler.wfile.write(body)
