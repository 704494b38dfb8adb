"""The feed provider against a real HTTP server on 127.0.0.1, with fixture feeds of every kind."""

from __future__ import annotations

import io
import logging
import socket
import time
import tracemalloc
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import quote

import feedparser
import pytest

from providers.base import InvalidSourceUrl, LinkKind, Listing, Release, SourceError, Validators
from providers.feed import FeedProvider
from providers.registry import get_provider
from tests.loopback import LoopbackServer, SeenRequest

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}
GiB, MiB = 1024**3, 1024**2


def fixture(name: str, server: LoopbackServer | None = None) -> bytes:
    """A fixture file; ``LOOPBACK`` in it becomes the test server's base URL."""
    body = (FIXTURES / name).read_bytes()
    return body.replace(b"LOOPBACK", server.base_url.encode()) if server else body


def serve(server: LoopbackServer, name: str, **options: object) -> str:
    """Serve fixture ``name`` as an RSS feed at /NAME; returns its URL."""
    options.setdefault("headers", RSS)
    server.route(f"/{name}", body=fixture(name, server), **options)
    return server.url(f"/{name}")


def listing(server: LoopbackServer, name: str, **options: object) -> Listing:
    return FeedProvider(retries=0).list_releases(serve(server, name, **options))


def utc(*fields: int) -> datetime:
    return datetime(*fields, tzinfo=UTC)


def magnet_for(info_hash: str, name: str) -> str:
    return f"magnet:?xt=urn:btih:{info_hash}&dn={quote(name)}"


# --- URLs -------------------------------------------------------------------------------------


def test_registered_as_feed() -> None:
    provider = get_provider("feed")
    assert isinstance(provider, FeedProvider)
    assert (provider.id, provider.name) == ("feed", "RSS/Atom feed")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://feeds.example.org/frieren.xml", "https://feeds.example.org/frieren.xml"),
        ("  http://127.0.0.1:8080/rss?q=a%20b \n", "http://127.0.0.1:8080/rss?q=a%20b"),
        ("HTTPS://Example.org/feed", "HTTPS://Example.org/feed"),
    ],
)
def test_validate_url_accepts_http_and_strips_whitespace(url: str, expected: str) -> None:
    assert FeedProvider().validate_url(url) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/feed.xml", "must start with http:// or https:// (got 'ftp://example.org/feed.xml')"),
        ("file:///home/me/feed.xml", "must start with http:// or https://"),
        ("feeds.example.org/rss", "must start with http:// or https://"),
        ("", "must start with http:// or https:// (got '')"),
        ("https:///feed.xml", "needs a host name"),
        ("http://[::1/feed.xml", "is not a valid URL: Invalid IPv6 URL"),
        ("http://example.org:rss/feed.xml", "is not a valid URL: Port could not be cast"),
        ("http://", "needs a host name"),
    ],
)
def test_validate_url_refuses_with_a_plain_message(url: str, message: str) -> None:
    with pytest.raises(InvalidSourceUrl) as caught:
        FeedProvider().validate_url(url)
    assert message in str(caught.value)


# --- every kind of feed -----------------------------------------------------------------------


def test_torrent_feed_prefers_torrent_files_and_reads_namespaced_hash_and_size(loopback: LoopbackServer) -> None:
    releases = listing(loopback, "torrents.xml").releases
    hoshifuri_11 = "[Kumoya] Hoshifuri Tower - 11 (1080p) [E5F6A7B8].mkv"
    download = "https://tracker.example.org/download/"
    assert releases == (
        Release("[Kumoya] Hoshifuri Tower - 12 (1080p) [A1B2C3D4].mkv", download + "1790012.torrent",
                LinkKind.TORRENT, utc(2024, 4, 6, 15, 2, 11), round(1.4 * GiB), "english"),
        Release("[Kumoya] Hoshifuri Tower - 12 (720p) [B2C3D4E5].mkv", download + "1790011.torrent",
                LinkKind.TORRENT, utc(2024, 4, 6, 15, 2, 9), round(702.5 * MiB), "english"),
        Release("[Kumoya] Hoshifuri Tower - 12 (480p) [C3D4E5F6].mkv", download + "1790010.torrent",
                LinkKind.TORRENT, utc(2024, 4, 6, 15, 2, 7), round(351.2 * MiB), "english"),
        Release("[Asagiri-Subs] Ginga Bakery - 05 (1080p) [WEB 1080p AAC]", download + "1789950.torrent",
                LinkKind.TORRENT, utc(2024, 4, 5, 22, 30), round(1.2 * GiB), "english"),
        Release("[Asagiri-Subs] Ginga Bakery - 05 (720p) [WEB 720p AAC]", download + "1789949.torrent",
                LinkKind.TORRENT, utc(2024, 4, 5, 22, 29, 41), 620 * MiB, "english"),
        # +0900 in the feed: published is converted to UTC.
        Release("[Kumoya] Tsukikage Lighthouse - 01v2 (1080p) [D4E5F6A7].mkv", download + "1789900.torrent",
                LinkKind.TORRENT, utc(2024, 4, 4, 9, 45), round(1.3 * GiB), "english"),
        Release("[Asagiri-Subs] Tsukikage Lighthouse (01-12) (1080p) [Batch]", download + "1789800.torrent",
                LinkKind.TORRENT, utc(2024, 4, 3, 9, 0), round(16.8 * GiB), "english"),
        # No <link>, only the view page as guid: the magnet built from the info hash wins over that page.
        Release(hoshifuri_11, magnet_for("a08d6f9b42b3c5e607182930415c6d7e8f90a1b2", hoshifuri_11),
                LinkKind.MAGNET, utc(2024, 3, 30, 15, 2, 3), round(1.4 * GiB), "english"),
    )
    assert all(release.published.tzinfo is UTC for release in releases if release.published)


def test_podcast_feed_downloads_video_and_audio_enclosures(loopback: LoopbackServer) -> None:
    releases = listing(loopback, "podcast.xml").releases
    media = "https://media.example.com/hanabi/"
    assert releases == (
        Release("Neko Postman — Episode 3: The Rainy Route", media + "neko-postman-03-1080p.mp4",
                LinkKind.HTTP, utc(2024, 4, 8, 3, 0), 187654321),
        # Empty type: the .mkv extension says it is a video.
        Release("Neko Postman — Episode 2: Parcel for the Moon", media + "neko-postman-02-1080p.mkv",
                LinkKind.HTTP, utc(2024, 4, 1, 3, 0), 201234567),
        # A cover image comes first: the video enclosure is still the one chosen.
        Release("Neko Postman — Episode 1: First Delivery", media + "neko-postman-01-1080p.webm",
                LinkKind.HTTP, utc(2024, 3, 25, 3, 0), 176543210),
        Release("Behind the Scenes: Voicing Neko (audio commentary)", media + "commentary-01.mp3",
                LinkKind.HTTP, utc(2024, 3, 27, 12, 30), 24680135),
        # Only an image: the entry's page, with no size (the image's length is not the page's).
        Release("Announcement: season two key visual", "https://studio.example.com/shorts/announcement-season-2",
                LinkKind.HTTP, utc(2024, 3, 29, 9, 15), None),
    )


def test_youtube_channel_feed_gives_watch_pages_for_yt_dlp(loopback: LoopbackServer) -> None:
    releases = listing(loopback, "youtube.xml", headers={"Content-Type": "application/atom+xml"}).releases
    assert releases == (
        # Whitespace in titles collapsed; 18:00+09:00 is 09:00 UTC.
        Release("Kaze no Tabibito Episode 4 [English subtitles]", "https://www.youtube.com/watch?v=Qw3rTy8uIoP",
                LinkKind.YTDLP, utc(2024, 4, 7, 9, 0), None),
        Release("Kaze no Tabibito Episode 3 [English subtitles]", "https://www.youtube.com/watch?v=Zx9cVb7nMa2",
                LinkKind.YTDLP, utc(2024, 3, 31, 9, 0), None),
        # No yt:videoId: the youtube.com/watch link is enough; only <updated> gives the date.
        Release("Kaze no Tabibito season 2 trailer",
                "https://www.youtube.com/watch?v=Lm4nOp5qRs6&list=PLexampleTrailers",
                LinkKind.YTDLP, utc(2024, 3, 20, 12, 0), None),
    )


def test_magnet_feed_reads_magnets_from_link_enclosure_and_namespace(loopback: LoopbackServer) -> None:
    releases = listing(loopback, "magnets.xml").releases
    assert releases == (
        Release("Paper Lanterns (2023) [CC-BY] 1080p",
                "magnet:?xt=urn:btih:c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0&dn=Paper+Lanterns+%282023%29"
                "&tr=udp%3A%2F%2Ftracker.example.org%3A6969%2Fannounce",
                LinkKind.MAGNET, utc(2024, 4, 2, 20, 0), None),
        # A magnet in an application/x-bittorrent enclosure is still a magnet, preferred over the page.
        Release("The Last Kite (2021) [CC-BY-SA] 720p",
                "magnet:?xt=urn:btih:d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1&dn=The+Last+Kite",
                LinkKind.MAGNET, utc(2024, 4, 1, 20, 0), 734003200),
        Release("Harbour Lights (2019) [CC0] 1080p",
                "magnet:?xt=urn:btih:e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2&dn=Harbour+Lights",
                LinkKind.MAGNET, utc(2024, 3, 31, 20, 0), 1288490189),
    )


def test_odd_entries_are_skipped_or_made_safe(loopback: LoopbackServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="providers.feed")
    releases = listing(loopback, "edge_cases.xml").releases
    assert releases == (
        # Title whitespace collapsed; a relative link resolved against the feed's URL.
        Release("Kaze no Tabibito - 05 (1080p)", loopback.url("/files/kaze-05.mkv"),
                LinkKind.HTTP, utc(2024, 4, 8, 16, 30), None),
        # A file:// enclosure is never offered, whatever its type says.
        Release("Local file trick", "https://odd.example.org/posts/local-file-trick", LinkKind.HTTP, None, None),
        Release("Broken hash", "https://odd.example.org/posts/broken-hash", LinkKind.HTTP, None, None),
        Release("Base32 hash only", magnet_for("MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U", "Base32 hash only"),
                LinkKind.MAGNET, None, 734003200),
    )
    skipped = [record.getMessage() for record in caplog.records if "skipped" in record.getMessage()]
    assert len(skipped) == 5
    assert sum(message.endswith("skipped: no title") for message in skipped) == 1
    for name in ("No link at all", "Script link", "FTP only", "Unparsable link"):
        assert f"{name!r} skipped: no usable link" in " | ".join(skipped)


def test_empty_feed_is_an_empty_listing(loopback: LoopbackServer) -> None:
    loopback.route("/empty-feed.xml", body=b'<?xml version="1.0"?><rss version="2.0"><channel><title>New'
                   b"</title></channel></rss>", headers=RSS)
    assert FeedProvider().list_releases(loopback.url("/empty-feed.xml")) == Listing()


# --- conditional GET --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("etag", "last_modified"),
    [('"v1"', "Sat, 06 Apr 2024 15:05:00 GMT"), ('"v1"', None), (None, "Sat, 06 Apr 2024 15:05:00 GMT")],
    ids=["both", "etag-only", "last-modified-only"],
)
def test_conditional_get_skips_an_unchanged_feed_without_parsing(
    loopback: LoopbackServer, etag: str | None, last_modified: str | None
) -> None:
    url = serve(loopback, "torrents.xml", etag=etag, last_modified=last_modified)
    provider = FeedProvider()
    first = provider.list_releases(url)
    assert len(first.releases) == 8
    assert first.validators == Validators(etag=etag, last_modified=last_modified)

    second = provider.list_releases(url, first.validators)
    # The server answers 304 with an empty body: parsing it would have raised "the feed ... is empty".
    assert second == Listing(releases=(), not_modified=True, validators=first.validators)
    sent = loopback.requests_to("/torrents.xml")[-1].headers
    assert sent.get("if-none-match") == etag
    assert sent.get("if-modified-since") == last_modified


def test_changed_feed_is_listed_again_with_new_validators(loopback: LoopbackServer) -> None:
    route = loopback.route("/feed.xml", body=fixture("magnets.xml"), headers=RSS, etag='"v1"')
    provider = FeedProvider()
    first = provider.list_releases(loopback.url("/feed.xml"))
    route.body, route.etag = fixture("podcast.xml"), '"v2"'
    second = provider.list_releases(loopback.url("/feed.xml"), first.validators)
    assert not second.not_modified
    assert second.validators == Validators(etag='"v2"')
    assert [release.name for release in second.releases][0] == "Neko Postman — Episode 3: The Rainy Route"
    assert loopback.requests_to("/feed.xml")[-1].headers["if-none-match"] == '"v1"'


def test_asks_for_feeds(loopback: LoopbackServer) -> None:
    listing(loopback, "magnets.xml")
    assert "application/rss+xml" in loopback.requests_to("/magnets.xml")[0].headers["accept"]


# --- HTTP failures ----------------------------------------------------------------------------


def endless(written: list[int]) -> object:
    """A handler streaming feed-looking bytes until the client hangs up (or 64 MiB), counting them."""

    def handle(handler: BaseHTTPRequestHandler, seen: SeenRequest) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.send_header("Connection", "close")
        handler.end_headers()
        chunk = b"<item><title>padding</title><link>https://example.org/x</link></item>\n" * 1000
        try:
            handler.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel>')
            while written[0] < 64 * MiB:
                handler.wfile.write(chunk)
                written[0] += len(chunk)
        except OSError:
            pass
        handler.close_connection = True

    return handle


def test_a_feed_bigger_than_the_cap_is_refused_without_reading_it_all(loopback: LoopbackServer) -> None:
    written = [0]
    loopback.route("/huge.xml", handler=endless(written))
    with pytest.raises(SourceError, match=r"more than 1 MiB") as caught:
        FeedProvider(max_bytes=MiB).list_releases(loopback.url("/huge.xml"))
    assert loopback.url("/huge.xml") in str(caught.value)
    assert written[0] < 16 * MiB  # the client hung up long before the end


def test_a_declared_length_over_the_cap_is_refused_before_reading(loopback: LoopbackServer) -> None:
    loopback.route("/big.xml", body=fixture("torrents.xml") + b" " * (2 * MiB), headers=RSS)
    with pytest.raises(SourceError, match=r"more than 1 MiB"):
        FeedProvider(max_bytes=MiB).list_releases(loopback.url("/big.xml"))


def test_a_feed_just_under_the_cap_is_read(loopback: LoopbackServer) -> None:
    body = fixture("magnets.xml")
    loopback.route("/padded.xml", body=body + b"\n" * (MiB - len(body)), headers=RSS)
    assert len(FeedProvider(max_bytes=MiB).list_releases(loopback.url("/padded.xml")).releases) == 3


@pytest.mark.parametrize("status", [404, 500])
def test_http_errors_name_the_status(loopback: LoopbackServer, status: int) -> None:
    loopback.route("/gone.xml", body=b"<html>gone</html>", status=status)
    with pytest.raises(SourceError, match=rf"{status}"):
        FeedProvider(retries=0).list_releases(loopback.url("/gone.xml"))


def test_a_dead_server_is_a_source_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(SourceError, match="could not reach"):
        FeedProvider(retries=0).list_releases(f"http://127.0.0.1:{port}/feed.xml")


def test_a_slow_server_times_out(loopback: LoopbackServer) -> None:
    serve(loopback, "magnets.xml", delay=3.0)
    started = time.monotonic()
    with pytest.raises(SourceError, match="did not answer in time"):
        FeedProvider(retries=0, timeout=(1.0, 0.3)).list_releases(loopback.url("/magnets.xml"))
    assert time.monotonic() - started < 2.0


# --- malformed feeds --------------------------------------------------------------------------


def test_a_truncated_feed_gives_what_could_be_read_and_warns(
    loopback: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="providers.feed")
    releases = listing(loopback, "truncated.xml").releases
    assert [release.name for release in releases] == [
        "Neko Postman — Episode 3: The Rainy Route",
        "Neko Postman — Episode 2: Parcel for the Moon",
    ]
    assert releases[1].size == 201234567
    [warning] = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert "not well-formed" in warning.getMessage()
    assert "line 19" in warning.getMessage()


def test_a_feed_cut_before_any_entry_is_a_source_error(loopback: LoopbackServer) -> None:
    loopback.route("/cut.xml", body=fixture("podcast.xml")[:600], headers=RSS)
    expected = r"^the feed at http://127\.0\.0\.1:\d+/cut\.xml is not valid RSS/Atom: .+ at line \d+$"
    with pytest.raises(SourceError, match=expected):
        FeedProvider().list_releases(loopback.url("/cut.xml"))


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "application/xml", "application/xhtml+xml"])
def test_an_html_page_is_reported_as_a_web_page(loopback: LoopbackServer, content_type: str) -> None:
    url = serve(loopback, "login.html", headers={"Content-Type": content_type})
    with pytest.raises(SourceError, match="is a web page, not an RSS/Atom feed") as caught:
        FeedProvider().list_releases(url)
    assert url in str(caught.value)


def test_a_feed_served_as_html_is_still_read_without_warning(
    loopback: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="providers.feed")
    releases = listing(loopback, "magnets.xml", headers={"Content-Type": "text/html"}).releases
    assert len(releases) == 3
    assert not caplog.records


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "is empty"),
        (b"  \r\n\t ", "is empty"),
        (b'{"items": []}', r"is not valid RSS/Atom: not well-formed \(invalid token\) at line \d+$"),
        (b'<?xml version="1.0"?><playlist><track/></playlist>', "is not an RSS/Atom feed"),
    ],
    ids=["empty", "blank", "json", "other-xml"],
)
def test_bodies_that_are_no_feed(loopback: LoopbackServer, body: bytes, message: str) -> None:
    loopback.route("/feed.xml", body=body, headers=RSS)
    with pytest.raises(SourceError, match=message):
        FeedProvider().list_releases(loopback.url("/feed.xml"))


# --- hostile feeds ----------------------------------------------------------------------------


def assert_refused_quickly(url: str) -> None:
    started = time.monotonic()
    tracemalloc.start()
    try:
        with pytest.raises(SourceError, match=r"declares XML entities \(<!ENTITY>\); feeds doing so are refused"):
            FeedProvider().list_releases(url)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 2.0
    assert peak < 20 * MiB


def test_billion_laughs_is_refused(loopback: LoopbackServer) -> None:
    assert_refused_quickly(serve(loopback, "billion_laughs.xml"))


def test_quadratic_blowup_is_refused(loopback: LoopbackServer) -> None:
    # One 100 kB entity used 3000 times: feedparser alone would build a 300 MB title.
    body = (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "' + "x" * 100_000 + '">\n]>\n'
        '<rss version="2.0"><channel><title>t</title><item><title>' + "&a;" * 3000
        + "</title><link>https://example.org/a</link></item></channel></rss>"
    )
    loopback.route("/quadratic.xml", body=body, headers=RSS)
    assert_refused_quickly(loopback.url("/quadratic.xml"))


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("xxe.xml", "utf-8"), ("xxe.xml", "utf-16"), ("xxe.xml", "utf-7"), ("xxe_parameter.xml", "utf-8")],
)
def test_external_entities_are_refused_without_any_request(
    loopback: LoopbackServer, name: str, encoding: str
) -> None:
    text = fixture(name, loopback).decode().replace('encoding="UTF-8"', f'encoding="{encoding}"')
    body = text.encode(encoding)
    if encoding == "utf-7":  # spell the markup in UTF-7's base64 form, hiding "<!ENTITY" from a byte search
        body = body.replace(b"<!ENTITY", b"+ADwAIQ-ENTITY")
    assert b"<!ENTITY" not in body or encoding == "utf-8"
    loopback.route("/hostile.xml", body=body, headers={"Content-Type": "application/rss+xml"})
    assert_refused_quickly(loopback.url("/hostile.xml"))
    assert [seen.path for seen in loopback.requests] == ["/hostile.xml"]


def test_feedparser_itself_leaves_external_entities_unresolved(loopback: LoopbackServer, tmp_path: Path) -> None:
    """Defence in depth, should the entity check ever be bypassed: no file read, no request."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    body = fixture("xxe.xml", loopback).replace(b"file:///etc/passwd", secret.as_uri().encode())
    parsed = feedparser.parse(io.BytesIO(body), response_headers={"content-type": "application/rss+xml"})
    assert parsed.entries[0].title.startswith("Leak")
    assert "TOP-SECRET" not in repr(parsed)
    assert loopback.requests == []


def test_a_doctype_without_entities_is_read_and_its_dtd_never_fetched(loopback: LoopbackServer) -> None:
    releases = listing(loopback, "netscape_rss091.xml").releases
    assert releases == (
        Release("Screening night: Ginga Bakery episode 5", "https://club.example.org/news/screening-5",
                LinkKind.HTTP, None, None),
    )
    assert [seen.path for seen in loopback.requests] == ["/netscape_rss091.xml"]


def test_a_body_naming_a_local_file_is_not_read_from_disk(loopback: LoopbackServer, tmp_path: Path) -> None:
    local = tmp_path / "local.xml"
    local.write_text('<rss version="2.0"><channel><title>t</title><item><title>LOCAL-SECRET</title>'
                     "<link>https://example.org/a</link></item></channel></rss>")
    loopback.route("/feed.xml", body=str(local).encode(), headers=RSS)
    with pytest.raises(SourceError, match="is not") as caught:
        FeedProvider().list_releases(loopback.url("/feed.xml"))
    assert "LOCAL-SECRET" not in str(caught.value)


def test_torrent_links_without_a_torrent_ending(loopback: LoopbackServer) -> None:
    releases = listing(loopback, "torrent_links.xml").releases
    assert [(release.link, release.kind, release.size) for release in releases] == [
        # .../view/N/torrent is the .torrent file itself (with its trackers): better than a magnet
        # built from the info hash alone, which has none.
        ("https://tracker.example.org/view/1790100/torrent", LinkKind.TORRENT, round(1.4 * GiB)),
        # the enclosure's type says it; its length is the .torrent file's, not the episode's
        ("https://index.example.org/index.php?page=download&tid=52001", LinkKind.TORRENT, None),
        # the download page of a torrent index
        ("https://index.example.org/index.php?page=download&tid=52101", LinkKind.TORRENT, None),
    ]


def test_the_category_a_torrent_feed_files_an_entry_under_is_read(loopback: LoopbackServer) -> None:
    releases = listing(loopback, "nyaa-categories.xml").releases
    assert [release.category for release in releases] == ["raw", "non-english", "english", None]
