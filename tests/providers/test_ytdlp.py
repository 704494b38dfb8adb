"""The yt-dlp provider, offline: allow-list checks without network, listings from a 127.0.0.1 server."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yt_dlp
from yt_dlp.extractor import gen_extractor_classes

from providers.base import InvalidSourceUrl, LinkKind, SourceError, Validators
from providers.ytdlp import ALLOWED_EXTRACTORS, YtDlpProvider, ffmpeg_available, format_selector
from tests.loopback import LoopbackServer

MP4 = b"\x00\x00\x00\x18ftypmp42" + bytes(2000)
# a path that yt-dlp's Mediasite extractor (not allowed) claims on any host
MEDIASITE = "/Mediasite/Play/0123456789abcdef0123456789abcdef01"


@pytest.fixture
def provider() -> YtDlpProvider:
    return YtDlpProvider()


@pytest.fixture
def server(loopback: LoopbackServer) -> LoopbackServer:
    """The user's own server: two episodes, pages showing them, and a feed listing them."""
    loopback.route("/ep11.mp4", MP4, headers={"Content-Type": "video/mp4"})
    loopback.route("/ep12.mp4", MP4, headers={"Content-Type": "video/mp4",
                                              "Last-Modified": "Fri, 22 Mar 2024 15:00:00 GMT"})
    html = {"Content-Type": "text/html; charset=utf-8"}
    loopback.route("/episode12.html", headers=html, body=(
        "<html><head><title>Frieren - Episode 12</title></head><body>"
        '<video controls><source src="ep12.mp4" type="video/mp4"></video></body></html>'))
    loopback.route("/season.html", headers=html, body=(
        "<html><head><title>Frieren</title></head><body>"
        '<video><source src="ep11.mp4" type="video/mp4"></video>'
        '<video><source src="ep12.mp4" type="video/mp4"></video></body></html>'))
    return loopback


def _rss(items: str) -> str:
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Frieren</title>{items}</channel></rss>'


def _item(title: str, url: str, published: str = "") -> str:
    date = f"<pubDate>{published}</pubDate>" if published else ""
    return f'<item><title>{title}</title>{date}<enclosure url="{url}" type="video/mp4" length="2016"/></item>'


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- validate_url: offline -------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "https://www.youtube.com/@MuseAsia/videos",
    "https://www.youtube.com/playlist?list=PLwLSw1_eDZl0XkE4-nYomtV8a3lgtO8pD",
    "https://youtu.be/dQw4w9WgXcQ",
    "https://vimeo.com/channels/staffpicks",
    "https://www.dailymotion.com/video/x8abcde",
    "https://www.bilibili.tv/en/play/2048321",
    "http://192.168.1.20:8096/anime/Frieren/index.html",
])
def test_validate_accepts_allowed_sites_and_own_server_pages(provider: YtDlpProvider, url: str,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args: pytest.fail("validate_url resolved a host"))
    assert provider.validate_url(f"  {url}\n") == url


@pytest.mark.parametrize(("url", "extractor"), [
    ("https://edition.cnn.com/videos/world/2024/03/01/some-report.cnn", "CNN"),
    ("https://www.pornhub.com/view_video.php?viewkey=ph0123456789", "PornHub"),
    ("https://www.twitch.tv/videos/1234567890", "TwitchVod"),
    (f"http://127.0.0.1:8000{MEDIASITE}", "Mediasite"),
])
def test_validate_refuses_sites_outside_the_allow_list(provider: YtDlpProvider, url: str,
                                                       extractor: str) -> None:
    with pytest.raises(InvalidSourceUrl) as refused:
        provider.validate_url(url)
    message = str(refused.value)
    assert f"yt-dlp would use its {extractor} extractor for {url}, which Tsuzuki does not allow" in message
    assert "supported: YouTube, Vimeo, Dailymotion, Bilibili" in message


@pytest.mark.parametrize("url", [
    "", "ftp://example.org/ep12.mp4", "magnet:?xt=urn:btih:0123", "ytsearch:frieren",
    "/srv/anime/ep12.mp4", "https://", "http://[::1/ep12.mp4",
])
def test_validate_refuses_what_is_not_a_web_address(provider: YtDlpProvider, url: str) -> None:
    with pytest.raises(InvalidSourceUrl, match="is not an http"):
        provider.validate_url(url)


def test_every_allowed_extractor_exists_in_yt_dlp() -> None:
    known = {ie.ie_key() for ie in gen_extractor_classes()}
    assert ALLOWED_EXTRACTORS <= known, sorted(ALLOWED_EXTRACTORS - known)


def test_provider_identity(provider: YtDlpProvider) -> None:
    assert (provider.id, provider.name) == ("ytdlp", "Video channel or playlist (yt-dlp)")


# --- list_releases: a real server on 127.0.0.1 ----------------------------------------------


def test_direct_video_file_is_one_release(provider: YtDlpProvider, server: LoopbackServer) -> None:
    listing = provider.list_releases(server.url("/ep12.mp4"), Validators(etag='"ignored"'))
    [release] = listing.releases
    assert release.link == server.url("/ep12.mp4")
    assert release.kind is LinkKind.YTDLP
    assert release.name == "ep12"
    assert release.published == datetime(2024, 3, 22, 15, tzinfo=UTC)  # the file's Last-Modified
    assert listing.validators == Validators() and not listing.not_modified
    assert [seen.method for seen in server.requests_to("/ep12.mp4")] == ["GET"]  # no download, one probe


def test_page_with_one_video_is_one_release_linking_to_the_page(provider: YtDlpProvider,
                                                                 server: LoopbackServer) -> None:
    [release] = provider.list_releases(server.url("/episode12.html")).releases
    assert release.name.startswith("Frieren - Episode 12")
    assert release.link == server.url("/episode12.html")
    assert server.requests_to("/ep12.mp4") == []  # listing never fetches the video


def test_page_with_several_videos_is_a_playlist_of_their_files(provider: YtDlpProvider,
                                                                server: LoopbackServer) -> None:
    releases = provider.list_releases(server.url("/season.html")).releases
    assert [release.link for release in releases] == [server.url("/ep11.mp4"), server.url("/ep12.mp4")]
    assert [release.name for release in releases] == ["Frieren (1)", "Frieren (2)"]


def test_media_feed_is_a_playlist_with_dates(provider: YtDlpProvider, server: LoopbackServer) -> None:
    server.route("/feed.xml", _rss(
        _item("Frieren - 11", server.url("/ep11.mp4"), "Fri, 15 Mar 2024 15:00:00 GMT")
        + _item("Frieren - 12", server.url("/ep12.mp4"))), headers={"Content-Type": "application/rss+xml"})
    releases = provider.list_releases(server.url("/feed.xml")).releases
    assert [(release.name, release.link, release.published) for release in releases] == [
        ("Frieren - 11", server.url("/ep11.mp4"), datetime(2024, 3, 15, 15, tzinfo=UTC)),
        ("Frieren - 12", server.url("/ep12.mp4"), None),
    ]
    assert server.requests_to("/ep11.mp4") == []  # entries are listed flat, not opened


def test_playlist_entries_for_refused_extractors_are_skipped(provider: YtDlpProvider,
                                                             server: LoopbackServer) -> None:
    server.route("/feed.xml", _rss(
        _item("Lecture", server.url(MEDIASITE)) + _item("Frieren - 12", server.url("/ep12.mp4"))))
    releases = provider.list_releases(server.url("/feed.xml")).releases
    assert [release.name for release in releases] == ["Frieren - 12"]


def test_page_metadata_gives_size_and_date(provider: YtDlpProvider, server: LoopbackServer) -> None:
    server.route("/ld.html", headers={"Content-Type": "text/html"}, body=(
        '<html><head><title>Frieren</title><script type="application/ld+json">'
        '{"@context": "https://schema.org", "@type": "VideoObject", "name": "Frieren - 12",'
        f' "contentUrl": "{server.url("/ep12.mp4")}", "encodingFormat": "video/mp4",'
        ' "uploadDate": "2024-03-22T15:00:00Z", "contentSize": "734003200"}'
        "</script></head><body></body></html>"))
    [release] = provider.list_releases(server.url("/ld.html")).releases
    assert (release.name, release.size) == ("Frieren - 12", 734003200)
    assert release.published == datetime(2024, 3, 22, 15, tzinfo=UTC)


def test_redirect_to_a_refused_extractor_is_a_source_error(provider: YtDlpProvider,
                                                           server: LoopbackServer) -> None:
    server.route(MEDIASITE, server.routes["/episode12.html"].body, headers={"Content-Type": "text/html"})
    server.route("/latest", status=302, headers={"Location": server.url(MEDIASITE)})
    refused = r"/latest leads elsewhere: yt-dlp would use its Mediasite extractor"
    with pytest.raises(SourceError, match=refused):
        provider.list_releases(server.url("/latest"))


@pytest.mark.parametrize(("path", "status", "reason"), [
    ("/missing.mp4", 404, "HTTP Error 404: Not Found"),
    ("/broken.mp4", 500, "HTTP Error 500: Internal Server Error"),
])
def test_http_errors_are_plain_source_errors(provider: YtDlpProvider, server: LoopbackServer,
                                             path: str, status: int, reason: str) -> None:
    server.route(path, b"no", status=status)
    with pytest.raises(SourceError) as failed:
        provider.list_releases(server.url(path))
    assert str(failed.value) == f"could not list {server.url(path)}: Unable to download webpage: {reason}"


def test_dead_server_is_a_plain_source_error(provider: YtDlpProvider) -> None:
    url = f"http://127.0.0.1:{_free_port()}/ep12.mp4"
    with pytest.raises(SourceError) as failed:
        provider.list_releases(url)
    message = str(failed.value)
    assert message.startswith(f"could not list {url}: ") and message.endswith("Connection refused")
    assert "ERROR" not in message and "\x1b[" not in message and "(host=" not in message


def test_page_without_video_is_a_source_error(provider: YtDlpProvider, server: LoopbackServer) -> None:
    server.route("/about.html", "<html><head><title>About</title></head><body>hi</body></html>",
                 headers={"Content-Type": "text/html"})
    url = server.url("/about.html")
    with pytest.raises(SourceError) as failed:
        provider.list_releases(url)
    assert str(failed.value) == f"could not list {url}: Unsupported URL: {url}"


def test_refused_url_is_a_source_error_without_network(provider: YtDlpProvider,
                                                       server: LoopbackServer) -> None:
    with pytest.raises(SourceError, match="Mediasite extractor"):
        provider.list_releases(server.url(MEDIASITE))
    assert server.requests == []


def test_nothing_is_printed(provider: YtDlpProvider, server: LoopbackServer,
                            capfd: pytest.CaptureFixture[str]) -> None:
    provider.list_releases(server.url("/season.html"))
    with pytest.raises(SourceError):
        provider.list_releases(server.url("/missing.mp4"))
    assert capfd.readouterr() == ("", "")


# --- format selection, proven by yt-dlp's own selector ---------------------------------------


def _format(format_id: str, height: int | None, video: bool = True, audio: bool = True) -> dict[str, Any]:
    return {"format_id": format_id, "url": f"https://cdn.example.org/{format_id}", "ext": "mp4",
            "protocol": "https", "height": height, "width": height and height * 16 // 9,
            "vcodec": "avc1.640028" if video else "none", "acodec": "mp4a.40.2" if audio else "none"}


SPLIT_AND_MERGED = [
    _format("18", 360), _format("22", 720),  # pre-merged
    _format("135", 480, audio=False), _format("136", 720, audio=False),
    _format("137", 1080, audio=False), _format("313", 2160, audio=False),
    _format("140", None, video=False),  # audio only
]


def _chosen(spec: str, formats: list[dict[str, Any]]) -> str:
    info = {"id": "ep12", "title": "Frieren - 12", "extractor": "test", "extractor_key": "Test",
            "webpage_url": "https://example.org/ep12", "formats": [dict(f) for f in formats]}
    with yt_dlp.YoutubeDL({"format": spec, "quiet": True, "logger": _Silent()}) as ydl:
        return ydl.process_ie_result(info, download=False)["format_id"]


class _Silent:
    def debug(self, message: str) -> None: ...

    def warning(self, message: str) -> None: ...

    def error(self, message: str) -> None: ...


@pytest.mark.parametrize(("quality", "ffmpeg", "chosen"), [
    ("auto", True, "313+140"),
    ("1080p", True, "137+140"),
    ("720p", True, "22"),  # a pre-merged format as tall as the split one: nothing to merge
    ("480p", True, "135+140"),
    ("auto", False, "22"),
    ("1080p", False, "22"),
    ("480p", False, "18"),
])
def test_format_selector_caps_the_height(quality: str, ffmpeg: bool, chosen: str) -> None:
    assert _chosen(format_selector(quality, ffmpeg), SPLIT_AND_MERGED) == chosen


@pytest.mark.parametrize(("ffmpeg", "formats", "chosen"), [
    (True, [_format("137", 1080, audio=False), _format("140", None, video=False)], "137+140"),
    (False, [_format("22", 720), _format("137", 1080, audio=False)], "22"),
    (False, [_format("direct", None)], "direct"),
])
def test_format_selector_falls_back_to_the_best_when_nothing_fits_the_cap(
        ffmpeg: bool, formats: list[dict[str, Any]], chosen: str) -> None:
    assert _chosen(format_selector("480p", ffmpeg), formats) == chosen


def test_format_selector_never_merges_without_ffmpeg() -> None:
    assert "+" not in format_selector("720p", False) and "+" not in format_selector("auto", False)


def test_format_selector_refuses_unknown_quality() -> None:
    with pytest.raises(ValueError, match="unknown quality 'best'"):
        format_selector("best", True)


def test_ffmpeg_available_follows_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert ffmpeg_available() is False
    ffmpeg = tmp_path / "ffmpeg"
    ffmpeg.write_text("#!/bin/sh\n")
    ffmpeg.chmod(0o755)
    assert ffmpeg_available() is True

