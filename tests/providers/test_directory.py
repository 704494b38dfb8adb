from __future__ import annotations

import functools
import os
import socket
import sys
import threading
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from providers import directory, http
from providers.base import InvalidSourceUrl, LinkKind, Listing, Release, SourceError, Validators
from providers.directory import DirectoryProvider
from tests.loopback import LoopbackServer

FIXTURES = Path(__file__).parent / "fixtures" / "autoindex"
HTML = {"Content-Type": "text/html"}

FRIEREN = "[SubsPlease] Sousou no Frieren - 12 (1080p) [5A1C2E0B].mkv"
FRIEREN_720 = "[SubsPlease] Sousou no Frieren - 12 (720p) [C0FFEE12].mkv"
DANDADAN = "[SubsPlease] Dandadan - 08 (1080p) [0D8E3B7A].mkv"
KUSURIYA = "Kusuriya no Hitorigoto - 24.mp4"
FRIEREN_JP = "葬送のフリーレン 第12話 (1080p).mp4"
SEASON_2 = [
    "[SubsPlease] Dandadan S2 - 01 (1080p) [ABCDEF12].mkv",
    "[SubsPlease] Dandadan S2 - 02 (1080p) [12345678].mkv",
]
GIB, MIB = 1024**3, 1024**2


@pytest.fixture
def provider() -> DirectoryProvider:
    return DirectoryProvider()


def serve_listing(loopback: LoopbackServer, server: str, **options: object) -> str:
    """Serve the fixture pages of ``server`` at /anime/ and /anime/Season 2/; return the listing's URL."""
    loopback.route("/anime/", (FIXTURES / f"{server}.html").read_bytes(), headers=HTML, **options)
    loopback.route("/anime/Season%202/", (FIXTURES / f"{server}-season-2.html").read_bytes(), headers=HTML)
    return loopback.url("/anime/")


def by_name(listing: Listing) -> dict[str, Release]:
    releases = {release.name: release for release in listing.releases}
    assert len(releases) == len(listing.releases), "a release is listed twice"
    return releases


# --- validate_url ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("http://nas.local/anime", "http://nas.local/anime/"),
        ("https://nas.local:8443/anime/", "https://nas.local:8443/anime/"),
        ("  HTTP://nas.local  ", "http://nas.local/"),
        ("http://nas.local/My Anime/Season 2", "http://nas.local/My%20Anime/Season%202/"),
        ("http://nas.local/anime/?C=M;O=A#top", "http://nas.local/anime/"),
        ("http://nas.local/%5BSubs%5D/", "http://nas.local/%5BSubs%5D/"),
        ("http://nas.local/[Subs] 葬送/", "http://nas.local/%5BSubs%5D%20%E8%91%AC%E9%80%81/"),
    ],
)
def test_web_addresses_are_normalised(provider: DirectoryProvider, url: str, normal: str) -> None:
    assert provider.validate_url(url) == normal


def test_local_paths_are_expanded_and_need_not_exist_yet(
    provider: DirectoryProvider, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert provider.validate_url("~/Anime/Frieren") == str(tmp_path / "Anime" / "Frieren")
    assert provider.validate_url(str(tmp_path / "a" / ".." / "b")) == str(tmp_path / "b")
    folder = tmp_path / "My Anime [2026]"
    assert provider.validate_url(folder.as_uri()) == str(folder)
    assert provider.validate_url("file://localhost" + folder.as_uri()[len("file://") :]) == str(folder)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("", "give a folder path"),
        ("http://", "no server name"),
        ("http://nas.local:http/anime/", "invalid port"),
        ("ftp://nas.local/anime/", "neither a folder nor an http"),
        ("magnet:?xt=urn:btih:abc", "neither a folder nor an http"),
        ("anime/frieren", "not a full folder path"),
        ("~nosuchuser-tsuzuki/anime", "not a full folder path"),
        ("file://nas.local/anime", "on another computer"),
        ("/anime/\x00/x", "not a full folder path"),
    ],
)
def test_unusable_sources_are_refused_in_plain_words(provider: DirectoryProvider, url: str, reason: str) -> None:
    with pytest.raises(InvalidSourceUrl, match=reason):
        provider.validate_url(url)
    with pytest.raises(SourceError, match=reason):
        provider.list_releases(url)


# --- Web listings from the fixtures ----------------------------------------------------------------


def test_nginx_listing_names_links_sizes_and_dates(loopback: LoopbackServer, provider: DirectoryProvider) -> None:
    url = serve_listing(loopback, "nginx")
    listing = provider.list_releases(url)
    releases = by_name(listing)
    # No parent link, no .nfo/.srt/.jpg/.txt, no .part, no video still being written beside its .part.
    assert list(releases) == [KUSURIYA, DANDADAN, FRIEREN, FRIEREN_720, *SEASON_2]
    frieren = releases[FRIEREN]
    assert frieren.kind is LinkKind.HTTP
    assert frieren.link == url + "%5BSubsPlease%5D%20Sousou%20no%20Frieren%20-%2012%20(1080p)%20%5B5A1C2E0B%5D.mkv"
    assert frieren.size == 1467965432
    assert frieren.published == datetime(2026, 11, 24, 10, 15, tzinfo=UTC)
    season = releases[SEASON_2[0]]
    assert season.link.startswith(url + "Season%202/%5BSubsPlease%5D%20Dandadan%20S2")
    assert (season.size, season.published) == (1288490188, datetime(2026, 11, 14, 16, 30, tzinfo=UTC))
    assert [seen.path for seen in loopback.requests] == ["/anime/", "/anime/Season%202/"]


def test_listed_links_fetch_the_right_file(loopback: LoopbackServer, provider: DirectoryProvider) -> None:
    url = serve_listing(loopback, "nginx")
    episode = os.urandom(4096)
    loopback.route("/anime/%5BSubsPlease%5D%20Sousou%20no%20Frieren%20-%2012%20(1080p)%20%5B5A1C2E0B%5D.mkv", episode)
    frieren = by_name(provider.list_releases(url))[FRIEREN]
    assert requests.get(frieren.link, timeout=5).content == episode


def test_apache_listing_skips_sort_and_parent_links_and_reads_rounded_sizes(
    loopback: LoopbackServer, provider: DirectoryProvider
) -> None:
    url = serve_listing(loopback, "apache")
    releases = by_name(provider.list_releases(url))
    assert set(releases) == {KUSURIYA, DANDADAN, FRIEREN, FRIEREN_720, *SEASON_2}
    frieren = releases[FRIEREN]
    # Apache quotes in lower case: %5b ... %5d.
    assert frieren.link == url + "%5bSubsPlease%5d%20Sousou%20no%20Frieren%20-%2012%20(1080p)%20%5b5A1C2E0B%5d.mkv"
    assert frieren.size == round(1.4 * GIB)  # shown as "1.4G"
    assert frieren.published == datetime(2026, 11, 24, 10, 15, tzinfo=UTC)
    assert releases[FRIEREN_720].size == 700 * MIB
    assert releases[KUSURIYA].size == 384 * MIB
    assert all("?" not in seen.path for seen in loopback.requests)


def test_python_http_server_listing_has_names_but_no_dates_or_sizes(
    loopback: LoopbackServer, provider: DirectoryProvider
) -> None:
    url = serve_listing(loopback, "python")
    releases = by_name(provider.list_releases(url))
    assert list(releases) == [DANDADAN, FRIEREN, FRIEREN_720, FRIEREN_JP, SEASON_2[0]]
    assert releases[FRIEREN_JP].link == url + (
        "%E8%91%AC%E9%80%81%E3%81%AE%E3%83%95%E3%83%AA%E3%83%BC%E3%83%AC%E3%83%B3"  # 葬送のフリーレン
        "%20%E7%AC%AC12%E8%A9%B1%20%281080p%29.mp4"  # " 第12話 (1080p).mp4"
    )
    assert all(release.size is None and release.published is None for release in releases.values())


def test_lighttpd_listing(loopback: LoopbackServer, provider: DirectoryProvider) -> None:
    url = serve_listing(loopback, "lighttpd")
    releases = by_name(provider.list_releases(url))
    assert list(releases) == [KUSURIYA, DANDADAN, FRIEREN, FRIEREN_720, *SEASON_2]
    assert releases[FRIEREN_720].size == 700 * MIB  # shown as "700.0M"
    assert releases[FRIEREN].size == round(1.3 * GIB)  # shown as "1.3G"
    assert releases[FRIEREN].published == datetime(2026, 11, 24, 10, 15, tzinfo=UTC)


def test_caddy_listing_uses_exact_sizes_and_dates_from_the_markup(
    loopback: LoopbackServer, provider: DirectoryProvider
) -> None:
    url = serve_listing(loopback, "caddy")
    releases = by_name(provider.list_releases(url))
    assert list(releases) == [DANDADAN, FRIEREN, FRIEREN_720, SEASON_2[0]]
    frieren = releases[FRIEREN]
    assert (frieren.size, frieren.published) == (1467965432, datetime(2026, 11, 24, 10, 15, tzinfo=UTC))
    assert [seen.path for seen in loopback.requests] == ["/anime/", "/anime/Season%202/"]
    # Caddy leaves brackets unquoted in its links; ours are quoted, and fetch the file.
    path = "/anime/%5BSubsPlease%5D%20Sousou%20no%20Frieren%20-%2012%20%281080p%29%20%5B5A1C2E0B%5D.mkv"
    assert frieren.link == loopback.url(path)
    loopback.route(path, b"episode twelve")
    assert requests.get(frieren.link, timeout=5).content == b"episode twelve"


def test_apache_icons_that_are_links_share_their_row(loopback: LoopbackServer, provider: DirectoryProvider) -> None:
    row = (  # mod_autoindex with "IndexOptions IconsAreLinks": the icon links to the file too
        '<tr><td valign="top"><a href="ep%2001.mkv"><img src="/icons/movie.gif" alt="[VID]"></a></td>'
        '<td><a href="ep%2001.mkv">ep 01.mkv</a></td><td align="right">2026-11-24 10:15  </td>'
        '<td align="right">1.4G</td><td>&nbsp;</td></tr>'
    )
    loopback.route("/anime/", f"<table>\n{row}\n</table>", headers=HTML)
    [episode] = provider.list_releases(loopback.url("/anime/")).releases
    assert (episode.name, episode.size) == ("ep 01.mkv", round(1.4 * GIB))
    assert episode.published == datetime(2026, 11, 24, 10, 15, tzinfo=UTC)


def test_hostile_links_never_leave_the_listing(loopback: LoopbackServer, provider: DirectoryProvider) -> None:
    host = loopback.base_url.removeprefix("http://")
    page = (FIXTURES / "hostile.html").read_text().replace("{host}", host)
    loopback.route("/anime/", page, headers=HTML)
    url = loopback.url("/anime/")
    listing = provider.list_releases(url)
    assert [(release.name, release.link) for release in listing.releases] == [
        ("absolute.mkv", url + "absolute.mkv"),
        ("ok.mkv", url + "ok.mkv"),
    ]
    assert [seen.path for seen in loopback.requests] == ["/anime/"]  # "%2e%2e/" and "%2E/" were not followed


def test_unchanged_listing_answers_not_modified_without_reading_sub_directories(
    loopback: LoopbackServer, provider: DirectoryProvider
) -> None:
    url = serve_listing(loopback, "nginx", etag='"v1"', last_modified="Tue, 24 Nov 2026 10:15:00 GMT")
    first = provider.list_releases(url)
    assert first.validators == Validators('"v1"', "Tue, 24 Nov 2026 10:15:00 GMT") and first.releases
    second = provider.list_releases(url, first.validators)
    assert second.not_modified and second.releases == () and second.validators == first.validators
    assert [seen.path for seen in loopback.requests] == ["/anime/", "/anime/Season%202/", "/anime/"]
    assert loopback.requests[-1].headers["if-none-match"] == '"v1"'


def test_missing_listing_is_a_source_error(loopback: LoopbackServer, provider: DirectoryProvider) -> None:
    with pytest.raises(SourceError, match="answered 404 Not Found"):
        provider.list_releases(loopback.url("/nothing-here/"))


def test_missing_sub_directory_is_a_source_error(loopback: LoopbackServer, provider: DirectoryProvider) -> None:
    loopback.route("/anime/", (FIXTURES / "nginx.html").read_bytes(), headers=HTML)
    with pytest.raises(SourceError, match="Season%202/ answered 404"):
        provider.list_releases(loopback.url("/anime/"))


def test_dead_server_is_a_source_error(provider: DirectoryProvider) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(SourceError, match="could not reach"):
        provider.list_releases(f"http://127.0.0.1:{port}/anime/")


def test_sub_directory_redirected_outside_the_source_is_ignored(
    loopback: LoopbackServer, provider: DirectoryProvider
) -> None:
    def elsewhere(handler, seen) -> None:  # type: ignore[no-untyped-def]
        handler.send_response(302)
        handler.send_header("Location", "/private/")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    loopback.route("/anime/", (FIXTURES / "nginx.html").read_bytes(), headers=HTML)
    loopback.route("/anime/Season%202/", handler=elsewhere)
    loopback.route("/private/", (FIXTURES / "nginx-season-2.html").read_bytes(), headers=HTML)
    releases = by_name(provider.list_releases(loopback.url("/anime/")))
    assert list(releases) == [KUSURIYA, DANDADAN, FRIEREN, FRIEREN_720]
    assert "/private/" in [seen.path for seen in loopback.requests]


def route_sub_directories(loopback: LoopbackServer, *names: str, delay: float = 0.0) -> None:
    """An /anime/ listing of one sub-directory per name, each listing NAME.mkv (after ``delay`` s)."""
    items = "".join(f'<li><a href="{name}/">{name}/</a></li>\n' for name in names)
    loopback.route("/anime/", f"<ul>\n{items}</ul>", headers=HTML)
    for name in names:
        loopback.route(f"/anime/{name}/", f'<ul><li><a href="{name}.mkv">{name}.mkv</a></li></ul>', headers=HTML,
                       delay=delay)


def test_sub_directories_read_are_bounded(
    loopback: LoopbackServer, provider: DirectoryProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(directory, "MAX_SUBDIRECTORIES", 2)
    route_sub_directories(loopback, "a", "b", "c")
    releases = provider.list_releases(loopback.url("/anime/")).releases
    assert [release.name for release in releases] == ["a.mkv", "b.mkv"]
    assert [seen.path for seen in loopback.requests] == ["/anime/", "/anime/a/", "/anime/b/"]


# --- The genuine python http.server ----------------------------------------------------------------


@pytest.fixture
def http_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """python's own http.server serving a folder on 127.0.0.1: (its URL, the folder)."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    root = tmp_path / "served"
    root.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", root
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def write(path: Path, content: bytes | None = None) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = os.urandom(1024) if content is None else content
    path.write_bytes(data)
    return data


def test_genuine_http_server_listing_links_fetch_the_same_bytes(
    http_server: tuple[str, Path], provider: DirectoryProvider
) -> None:
    base, root = http_server
    shows = root / "anime"
    wanted = {
        name: write(shows / name)
        for name in (FRIEREN, FRIEREN_JP, "100% Frieren #13 & co; v2+.mkv", "Season 2/" + SEASON_2[0])
    }
    for other in (".hidden.mkv", "notes.nfo", "cover.jpg", "subs.srt", "x.mkv.part", "Season 2/Extras/deep.mkv"):
        write(shows / other)
    listing = provider.list_releases(base + "anime")
    assert sorted(release.name for release in listing.releases) == sorted(name.split("/")[-1] for name in wanted)
    for release in listing.releases:
        assert release.link.startswith(base + "anime/")
        path = next(name for name in wanted if name.endswith(release.name))
        assert requests.get(release.link, timeout=5).content == wanted[path]


# --- Local folders ---------------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder of episodes with everything that must be left out beside them."""
    root = tmp_path / "Anime"
    write(root / FRIEREN, b"frieren")
    os.utime(root / FRIEREN, (1_795_000_000, 1_795_000_000))
    write(root / "Season 2" / SEASON_2[0], b"season two")
    write(root / "Season 2" / "Extras" / "deep.mkv")  # two levels down
    write(root / ".hidden.mkv")
    write(root / ".hidden" / "in-hidden-folder.mkv")
    write(root / "downloading.mkv.part")
    write(root / "downloading.mkv.!qB")
    write(root / "placeholder.mkv", b"")  # Firefox: the .part beside it is the real download
    write(root / "placeholder.mkv.part")
    write(root / "notes.nfo")
    write(tmp_path / "outside" / "secret.mkv")
    (root / "secret.mkv").symlink_to(tmp_path / "outside" / "secret.mkv")
    (root / "Linked").symlink_to(tmp_path / "outside", target_is_directory=True)
    (root / "dangling.mkv").symlink_to(tmp_path / "nowhere.mkv")
    (root / "latest.mkv").symlink_to(root / FRIEREN)  # inside the folder: kept
    return root


def test_local_folder_lists_videos_one_level_deep(folder: Path, provider: DirectoryProvider) -> None:
    listing = provider.list_releases(str(folder))
    assert [release.name for release in listing.releases] == [FRIEREN, "latest.mkv", SEASON_2[0]]
    frieren = listing.releases[0]
    assert frieren.link == (folder / FRIEREN).as_uri() and frieren.kind is LinkKind.HTTP
    assert (frieren.size, frieren.published) == (7, datetime.fromtimestamp(1_795_000_000, tz=UTC))
    assert listing.validators == Validators() and not listing.not_modified
    contents = [b"frieren", b"frieren", b"season two"]
    for release, content in zip(listing.releases, contents, strict=True):
        with urllib.request.urlopen(release.link) as opened:  # the file:// links open the right files
            assert opened.read() == content


def test_local_folder_from_home_relative_path_and_file_url(
    folder: Path, provider: DirectoryProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(folder.parent))
    expected = provider.list_releases(str(folder)).releases
    assert provider.list_releases("~/Anime").releases == expected
    assert provider.list_releases(folder.as_uri()).releases == expected


def test_missing_local_folder_is_a_source_error(tmp_path: Path, provider: DirectoryProvider) -> None:
    with pytest.raises(SourceError, match=f"the folder {tmp_path / 'gone'} does not exist"):
        provider.list_releases(str(tmp_path / "gone"))


def test_file_instead_of_folder_is_a_source_error(tmp_path: Path, provider: DirectoryProvider) -> None:
    write(tmp_path / "episode.mkv")
    with pytest.raises(SourceError, match="is a file, not a folder"):
        provider.list_releases(str(tmp_path / "episode.mkv"))


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="needs POSIX permissions, as non-root")
def test_unreadable_local_folder_is_a_source_error(tmp_path: Path, provider: DirectoryProvider) -> None:
    locked = tmp_path / "locked"
    write(locked / "episode.mkv")
    locked.chmod(0)
    try:
        with pytest.raises(SourceError, match="permission denied"):
            provider.list_releases(str(locked))
    finally:
        locked.chmod(0o755)


def test_the_deadline_covers_the_listing_and_its_sub_directories_together(
    loopback: LoopbackServer, provider: DirectoryProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(http, "DEADLINE", 1.0)
    route_sub_directories(loopback, "a", "b", "c", delay=0.6)  # each in time on its own, not all three
    with pytest.raises(SourceError, match=r"^gave up on http://\S+/anime/b/ after 1 s: the server sent too slowly$"):
        provider.list_releases(loopback.url("/anime/"))
    assert [seen.path for seen in loopback.requests] == ["/anime/", "/anime/a/", "/anime/b/"]
