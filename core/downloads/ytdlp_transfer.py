"""Downloading one video through yt-dlp used as a library: resumable, cancellable, quiet.

yt-dlp writes ``NAME.part`` and resumes it with a Range request by itself.
Tsuzuki adds the ytdlp provider's extractor allow-list (checked again on the
page a link leads to, after redirects), the show's quality cap, throttled
progress and a cooperative cancel: a progress hook raises yt-dlp's
``DownloadCancelled``, leaving the ``.part`` file for the next attempt.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import yt_dlp
from yt_dlp.utils import YoutubeDLError

from core.downloads.errors import DownloadCancelled, DownloadError
from core.downloads.http_transfer import Progress, ProgressThrottle
from core.logs import redact
from providers.base import InvalidSourceUrl
from providers.ytdlp import (
    SOCKET_TIMEOUT,
    YtDlpLog,
    YtDlpProvider,
    allowed_extractor_names,
    ffmpeg_available,
    format_selector,
    plain_error,
    refusal_reason,
)

RETRIES = 10  # for a connection dropped mid-way; yt-dlp resumes from the .part file
MAX_BACKOFF = 10.0  # seconds between two attempts, at most (a cancel waits for the pause to end)


def download_video(url: str, destination_dir: Path, file_stem: str, *, quality: str = "auto",
                   progress: Progress | None = None, cancelled: threading.Event | None = None) -> Path:
    """Download the video at ``url`` to ``destination_dir/file_stem.EXT`` and return that path.

    ``quality``: the show's preference ("auto", "720p", ...). ``progress(done,
    total_or_None)`` is called a few times a second and once at the end.
    Setting ``cancelled`` stops the download and keeps its ``.part`` file; a
    later call resumes it, and one after a finished download returns the file.
    Raises DownloadCancelled, or DownloadError in plain words.
    """
    try:
        url = YtDlpProvider().validate_url(url)
    except InvalidSourceUrl as error:
        raise _failure(url, str(error)) from None
    hook = _Hook(progress, cancelled)
    try:
        hook.check_cancelled()
        with yt_dlp.YoutubeDL(_options(destination_dir, file_stem, quality, hook)) as ydl:
            info = ydl.extract_info(url, download=False)
            _check_video(url, info)
            info = ydl.process_ie_result(info, download=True)
    except yt_dlp.utils.DownloadCancelled:
        raise DownloadCancelled(redact(f"the download of {url} was cancelled")) from None
    except YoutubeDLError as error:
        raise _failure(url, plain_error(error)) from error
    return Path(info["requested_downloads"][0]["filepath"])


def _options(destination_dir: Path, file_stem: str, quality: str, hook: _Hook) -> dict[str, Any]:
    literal = str(destination_dir / file_stem).replace("%", "%%")  # a name, not an output template
    return {
        "format": format_selector(quality, ffmpeg_available()),
        "outtmpl": f"{literal}.%(ext)s",
        "continuedl": True,
        "noplaylist": True,
        "allowed_extractors": allowed_extractor_names(),
        "geo_bypass": False,
        "socket_timeout": SOCKET_TIMEOUT,
        "retries": RETRIES,
        "fragment_retries": RETRIES,
        "retry_sleep_functions": {"http": _backoff, "fragment": _backoff},
        "progress_hooks": [hook],
        "logger": YtDlpLog(),
        "quiet": True,
        "no_warnings": True,
        "noprogress": True,
        "color": "no_color",
    }


def _backoff(n: int) -> float:
    """Seconds to wait before retry ``n`` (counted from 0) of a dropped transfer."""
    return min(2.0**n, MAX_BACKOFF)


def _check_video(url: str, info: dict[str, Any] | None) -> None:
    """Refuse what is not one video, or what an extractor outside the allow-list would read."""
    if not info:
        raise _failure(url, "yt-dlp found no video there")
    refusal = refusal_reason(info.get("webpage_url") or url, info.get("extractor_key"))
    if refusal:
        raise _failure(url, refusal)
    if info.get("_type", "video") != "video":
        raise _failure(url, "it holds several videos, not one episode")


def _failure(url: str, detail: str) -> DownloadError:
    # redacted one by one: in "URL: detail", a "?token=..." at the URL's end would swallow the ":"
    return DownloadError(f"could not download {redact(url)}: {redact(detail)}")


class _Hook:
    """yt-dlp's progress hook: passes progress on (throttled) and raises when cancelled."""

    def __init__(self, progress: Progress | None, cancelled: threading.Event | None) -> None:
        self._report = ProgressThrottle(progress)
        self._cancelled = cancelled

    def check_cancelled(self) -> None:
        if self._cancelled is not None and self._cancelled.is_set():
            raise yt_dlp.utils.DownloadCancelled()

    def __call__(self, status: dict[str, Any]) -> None:
        self.check_cancelled()
        total = status.get("total_bytes") or status.get("total_bytes_estimate")
        # a file found already complete reports only its size
        done = status.get("downloaded_bytes", status.get("total_bytes", 0))
        self._report(int(done), int(total) if total else None, force=status["status"] == "finished")
