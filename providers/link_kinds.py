"""How a release is fetched: kept apart from ``providers.base`` so the stores that record it
(the download queue, episode states) load no release-name parser."""

from __future__ import annotations

from enum import StrEnum


class LinkKind(StrEnum):
    """How a release is fetched."""

    HTTP = "http"  # a plain file over HTTP(S), or a local file (file://)
    MAGNET = "magnet"  # handed to the user's torrent client
    TORRENT = "torrent"  # a .torrent file, handed to the user's torrent client
    YTDLP = "ytdlp"  # a video page downloaded through yt-dlp
