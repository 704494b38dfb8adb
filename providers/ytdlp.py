"""Official video channels and playlists, listed through yt-dlp used as a library.

Only an allow-list of yt-dlp extractors may run: mainstream platforms where
official anime channels publish (Muse Asia, Ani-One... on YouTube; Bilibili and
Bstation channels), and yt-dlp's generic extractor for video files and pages on
the user's own server. Like yt-dlp itself, no geo-block bypass, no browser
cookies and nothing touching DRM. Listing never downloads a video: playlists
are read flat, one Release per entry.
"""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import yt_dlp
from yt_dlp.extractor import gen_extractor_classes
from yt_dlp.utils import YoutubeDLError, remove_terminal_sequences, unsmuggle_url

from providers.base import InvalidSourceUrl, LinkKind, Listing, Provider, Release, SourceError, Validators

log = logging.getLogger(__name__)

GENERIC = "Generic"
PLATFORMS: Mapping[str, frozenset[str]] = {
    "YouTube": frozenset({"Youtube", "YoutubeTab", "YoutubePlaylist", "YoutubeYtBe"}),
    "Vimeo": frozenset({"Vimeo", "VimeoChannel", "VimeoUser", "VimeoAlbum"}),
    "Dailymotion": frozenset({"Dailymotion", "DailymotionPlaylist", "DailymotionUser"}),
    "Bilibili": frozenset({
        "BiliBili", "BiliBiliBangumi", "BiliBiliBangumiSeason",
        "BilibiliSpaceVideo", "BilibiliCollectionList", "BilibiliSeriesList",
    }),
    "Bstation (bilibili.tv)": frozenset({"BiliIntl", "BiliIntlSeries"}),
    # yt-dlp's own fallback for any other http(s) page or file; html5 finds <video> tags in it.
    "video files and pages on your own server": frozenset({GENERIC, "HTML5MediaEmbed"}),
}
"""The yt-dlp extractor keys Tsuzuki lets run, by the platform the user knows."""

ALLOWED_EXTRACTORS: frozenset[str] = frozenset().union(*PLATFORMS.values())
MAX_ENTRIES = 200  # a playlist's first (for channels: newest) entries
SOCKET_TIMEOUT = 20.0  # seconds
_SUPPORTED = ", ".join(PLATFORMS)
_HEIGHT = re.compile(r"(\d+)p")
# yt-dlp's decorations: "ERROR: [generic] id: ", "HTTPConnection(host=...): ", "(caused by <...>)",
# the bug-report plea.
_NOISE = re.compile(
    r"^(?:ERROR:\s*)?(?:\[[^\]]+\]\s*(?:[^\s:]+:\s*)?)?|\w+\(host=[^)]*\):\s*"
    r"|\s*\(caused by .*\)$|;?\s*please report this issue on .*$",
    re.IGNORECASE,
)


def ffmpeg_available() -> bool:
    """Whether ffmpeg is on PATH (yt-dlp needs it to merge separate video and audio streams)."""
    return shutil.which("ffmpeg") is not None


def format_selector(quality: str, ffmpeg_available: bool) -> str:
    """A yt-dlp format string for a show's quality preference ("auto", "1080p", "720p", ...).

    The best format at most that tall; the best of all when none is. Without
    ffmpeg only formats holding both video and audio qualify (nothing can merge).
    """
    choices = ("bv*{cap}+ba", "b{cap}") if ffmpeg_available else ("b{cap}",)
    best = [choice.format(cap="") for choice in choices]
    if quality == "auto":
        return "/".join(best)
    height = _HEIGHT.fullmatch(quality)
    if height is None:
        raise ValueError(f"unknown quality {quality!r}: expected auto or a height such as 720p")
    capped = [choice.format(cap=f"[height<={height.group(1)}]") for choice in choices]
    return "/".join(capped + best)


class YtDlpProvider(Provider):
    """Videos of an official channel or playlist (or a video page on the user's own server)."""

    id = "ytdlp"
    name = "Video channel or playlist (yt-dlp)"
    description = f"A channel, playlist or video page that yt-dlp reads; supported: {_SUPPORTED}."

    def validate_url(self, url: str) -> str:
        """Check offline that ``url`` is http(s) and that yt-dlp would read it with an allowed extractor."""
        url = url.strip()
        if not _is_web_url(url):
            raise InvalidSourceUrl(f"{url!r} is not an http(s) address of a channel, playlist or video")
        refusal = refusal_reason(url)
        if refusal:
            raise InvalidSourceUrl(refusal)
        return url

    def list_releases(self, url: str, validators: Validators | None = None) -> Listing:
        """Every video at ``url`` (at most ``MAX_ENTRIES``); ``validators`` do not apply to yt-dlp."""
        try:
            url = self.validate_url(url)
        except InvalidSourceUrl as error:
            raise SourceError(str(error)) from None
        info = _extract(url)
        refusal = refusal_reason(info.get("webpage_url") or url, info.get("extractor_key"))
        if refusal:
            raise SourceError(f"{url} leads elsewhere: {refusal}")
        if info.get("_type") in ("playlist", "multi_video"):
            return Listing(releases=tuple(_entries(info)))
        single = _release(info, page=None)
        return Listing(releases=(single,) if single else ())


def _is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False


def _claimant(url: str) -> str:
    """The key of the extractor yt-dlp would pick for ``url`` (first match, as yt-dlp does), offline."""
    return next(
        (ie.ie_key() for ie in gen_extractor_classes() if ie.ie_key() != GENERIC and ie.suitable(url)),
        GENERIC,
    )


def refusal_reason(url: str, used: str | None = None) -> str | None:
    """Why ``url`` (or the extractor ``used`` on it) is not allowed, or None when it is."""
    for key in (used, _claimant(url)):
        if key and key not in ALLOWED_EXTRACTORS:
            return (f"yt-dlp would use its {key} extractor for {url}, which Tsuzuki does not allow; "
                    f"supported: {_SUPPORTED}")
    return None


@cache
def allowed_extractor_names() -> list[str]:
    """The ``allowed_extractors`` option: exact (regex-escaped) names of the allowed extractors."""
    allowed = (ie for ie in gen_extractor_classes() if ie.ie_key() in ALLOWED_EXTRACTORS)
    return [re.escape(ie.IE_NAME.lower()) for ie in allowed]


class YtDlpLog:
    """Where YoutubeDL's messages go: our log, never the terminal."""

    def debug(self, message: str) -> None:
        log.debug("yt-dlp: %s", message)

    def warning(self, message: str) -> None:
        log.info("yt-dlp: %s", message)  # mostly routine: "Falling back on generic information extractor"

    def error(self, message: str) -> None:
        log.debug("yt-dlp: %s", message)  # also raised, and reported, as a SourceError


def _options() -> dict[str, Any]:
    return {
        "allowed_extractors": allowed_extractor_names(),
        "extract_flat": "in_playlist",
        "playlist_items": f"1:{MAX_ENTRIES}",
        "skip_download": True,
        "socket_timeout": SOCKET_TIMEOUT,
        "geo_bypass": False,
        "logger": YtDlpLog(),
        "quiet": True,
        "no_warnings": True,
        "noprogress": True,
        "color": "no_color",
    }


def _extract(url: str) -> dict[str, Any]:
    """yt-dlp's flat information on ``url``; SourceError with yt-dlp's reason, plainly worded."""
    try:
        with yt_dlp.YoutubeDL(_options()) as ydl:
            info = ydl.extract_info(url, download=False)
    except YoutubeDLError as error:
        raise SourceError(f"could not list {url}: {plain_error(error)}") from error
    if not info:
        raise SourceError(f"could not list {url}: yt-dlp found nothing there")
    return info


def plain_error(error: Exception) -> str:
    """yt-dlp's error message without its colours, prefixes and bug-report plea."""
    text = remove_terminal_sequences(str(error)).strip()
    return _NOISE.sub("", text).strip() or type(error).__name__


def _entries(playlist: dict[str, Any]) -> Iterator[Release]:
    """A Release per playlist entry that is available and allowed."""
    page = playlist.get("webpage_url")
    for entry in playlist.get("entries") or ():
        release = _release(entry, page) if entry else None
        if release is None:
            continue
        refusal = refusal_reason(release.link, entry.get("ie_key") or entry.get("extractor_key"))
        if refusal:
            log.info("skipped %r in %s: %s", release.name, page, refusal)
            continue
        yield release


def _release(info: dict[str, Any], page: str | None) -> Release | None:
    """The Release for one video; ``page``: the playlist page it was found on, if any.

    A video's link is its own page; a video with no page of its own (a <video>
    tag on the playlist page, a feed enclosure) links to its media URL.
    """
    own_page = info.get("webpage_url")
    link = own_page if own_page and own_page != page else info.get("url")
    if not link:
        return None
    link = unsmuggle_url(link)[0]
    return Release(
        name=info.get("title") or info.get("id") or link,
        link=link,
        kind=LinkKind.YTDLP,
        published=_published(info),
        size=info.get("filesize") or info.get("filesize_approx"),
    )


def _published(info: Mapping[str, Any]) -> datetime | None:
    """When the video was released or uploaded, as an aware UTC datetime, if yt-dlp knows."""
    for key in ("release_timestamp", "timestamp"):
        if isinstance(info.get(key), int | float):
            return datetime.fromtimestamp(info[key], UTC)
    for key in ("release_date", "upload_date"):
        try:
            return datetime.strptime(info.get(key) or "", "%Y%m%d").replace(tzinfo=UTC)
        except ValueError:
            continue
    return None
