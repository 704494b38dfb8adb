from __future__ import annotations

import time

import pytest

from providers import http
from providers.base import SourceError, Validators
from providers.http import USER_AGENT, Deadline, fetch, new_session
from tests.loopback import LoopbackServer, trickled_head


def test_fetch_returns_body_headers_and_validators(loopback) -> None:  # type: ignore[no-untyped-def]
    loopback.route("/feed", "<rss/>", etag='"v1"', last_modified="Tue, 24 Nov 2026 01:00:00 GMT",
                   headers={"Content-Type": "application/rss+xml"})
    page = fetch(new_session(), loopback.url("/feed"), accept="application/rss+xml")
    assert page.content == b"<rss/>" and not page.not_modified
    assert page.headers["content-type"] == "application/rss+xml"
    assert page.validators == Validators('"v1"', "Tue, 24 Nov 2026 01:00:00 GMT")
    [seen] = loopback.requests
    assert seen.headers["user-agent"] == USER_AGENT and seen.headers["accept"] == "application/rss+xml"


def test_conditional_get_sends_validators_and_reports_not_modified(loopback) -> None:  # type: ignore[no-untyped-def]
    loopback.route("/feed", "<rss/>", etag='"v1"')
    first = fetch(new_session(), loopback.url("/feed"))
    second = fetch(new_session(), loopback.url("/feed"), first.validators)
    assert second.not_modified and second.content == b""
    assert second.validators == first.validators
    assert loopback.requests[1].headers["if-none-match"] == '"v1"'


@pytest.mark.parametrize(("status", "reason"), [(404, "404 Not Found"), (500, "500 Internal Server Error")])
def test_http_errors_name_the_status(loopback, status: int, reason: str) -> None:  # type: ignore[no-untyped-def]
    loopback.route("/feed", "oops", status=status)
    with pytest.raises(SourceError, match=f"answered {reason}"):
        fetch(new_session(retries=0), loopback.url("/feed"))


def test_server_errors_are_retried(loopback) -> None:  # type: ignore[no-untyped-def]
    answers = iter([503, 200])

    def flaky(handler, seen) -> None:  # type: ignore[no-untyped-def]
        status = next(answers)
        handler.send_response(status)
        handler.send_header("Content-Length", "2")
        handler.send_header("Retry-After", "0")
        handler.end_headers()
        handler.wfile.write(b"ok")

    loopback.route("/feed", handler=flaky)
    assert fetch(new_session(), loopback.url("/feed")).content == b"ok"
    assert len(loopback.requests) == 2


def test_oversized_bodies_are_refused(loopback) -> None:  # type: ignore[no-untyped-def]
    loopback.route("/big", b"x" * 5000)
    with pytest.raises(SourceError, match="sent more than 4 KiB; refusing to read it all"):
        fetch(new_session(), loopback.url("/big"), max_bytes=4096)


def test_oversized_bodies_without_length_are_cut_off(loopback) -> None:  # type: ignore[no-untyped-def]
    def endless(handler, seen) -> None:  # type: ignore[no-untyped-def]
        handler.send_response(200)
        handler.send_header("Connection", "close")
        handler.end_headers()
        for _ in range(100):
            handler.wfile.write(b"y" * 1024)

    loopback.route("/stream", handler=endless)
    with pytest.raises(SourceError, match="sent more than"):
        fetch(new_session(), loopback.url("/stream"), max_bytes=8192)


def test_a_dead_server_is_a_plain_error() -> None:
    with pytest.raises(SourceError, match="could not reach http://127.0.0.1:9/x: connection refused"):
        fetch(new_session(retries=0), "http://127.0.0.1:9/x")


def test_a_server_that_stops_answering_times_out(loopback) -> None:  # type: ignore[no-untyped-def]
    loopback.route("/slow", "late", delay=1.0)
    with pytest.raises(SourceError, match="did not answer in time"):
        fetch(new_session(retries=0), loopback.url("/slow"), timeout=(1.0, 0.2))


def trickle(handler, seen) -> None:  # type: ignore[no-untyped-def]
    """An answer that announces 100 bytes and sends one every 0.2 s."""
    handler.send_response(200)
    handler.send_header("Content-Length", "100")
    handler.end_headers()
    for _ in range(100):
        handler.wfile.write(b"x")
        handler.wfile.flush()
        time.sleep(0.2)


def test_a_server_that_trickles_is_given_up_at_the_deadline(loopback) -> None:  # type: ignore[no-untyped-def]
    loopback.route("/slow", handler=trickle)
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"^gave up on http://\S+/slow after 1 s: the server sent too slowly$"):
        fetch(new_session(retries=0), loopback.url("/slow"), timeout=(5, 5), deadline=Deadline(1.0))
    assert time.monotonic() - started < 5


def test_a_body_shorter_than_announced_is_a_plain_error(loopback) -> None:  # type: ignore[no-untyped-def]
    def short(handler, seen) -> None:  # type: ignore[no-untyped-def]
        handler.send_response(200)
        handler.send_header("Content-Length", "100")
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.write(b"x" * 50)

    loopback.route("/short", handler=short)
    with pytest.raises(SourceError, match=r"^could not fetch http://\S+/short: the connection was cut before the end$"):
        fetch(new_session(retries=0), loopback.url("/short"))


def test_a_long_retry_after_is_not_waited_out(loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http, "MAX_RETRY_AFTER", 0.1)
    answers = iter([503, 200])

    def busy(handler, seen) -> None:  # type: ignore[no-untyped-def]
        handler.send_response(next(answers))
        handler.send_header("Content-Length", "2")
        handler.send_header("Retry-After", "86400")
        handler.end_headers()
        handler.wfile.write(b"ok")

    loopback.route("/feed", handler=busy)
    started = time.monotonic()
    assert fetch(new_session(), loopback.url("/feed")).content == b"ok"
    assert time.monotonic() - started < 5


def test_a_short_body_on_a_kept_alive_connection_fails_after_one_gap(loopback) -> None:  # type: ignore[no-untyped-def]
    def short(handler, seen) -> None:  # type: ignore[no-untyped-def]
        handler.send_response(200)
        handler.send_header("Content-Length", "100")
        handler.end_headers()
        handler.wfile.write(b"x" * 50)  # and the connection stays open

    loopback.route("/short", handler=short)
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"^http://\S+/short did not answer in time$"):
        fetch(new_session(), loopback.url("/short"), timeout=(5, 0.5))
    assert time.monotonic() - started < 5


def test_a_server_that_trickles_its_headers_is_given_up_at_the_deadline(loopback: LoopbackServer) -> None:
    loopback.route("/slow", handler=trickled_head(200))  # a head sent a byte at a time: never a gap of 5 s
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"^gave up on http://\S+/slow after 1 s: the server sent too slowly$"):
        fetch(new_session(retries=0), loopback.url("/slow"), timeout=(5, 5), deadline=Deadline(1.0))
    assert time.monotonic() - started < 5
