"""Moving one job's episode to disk, or to the user's torrent client: what a download worker runs."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from core.datafolder import DataFolder
from core.downloads.errors import DownloadError
from core.downloads.filenames import show_folder
from core.downloads.http_transfer import Progress, download_file
from core.downloads.job_files import http_target, video_stem
from core.downloads.jobs import DownloadJob
from core.downloads.torrent_base import TorrentClientError
from core.downloads.torrent_clients import TorrentClientConfig, open_client
from core.downloads.torrent_files import TorrentInstead
from core.downloads.ytdlp_transfer import download_video
from core.secrets import SecretStore
from providers.base import LinkKind

Transfer = Callable[[DownloadJob, Path, Progress, threading.Event], str]


class TransferRunner:
    """Runs a job by its link kind: HTTP/file copy, yt-dlp, or hand-off to the torrent client.

    Returns where the episode went: the file's path, or "<client>: <info hash>".
    Raises ``DownloadError`` (plain words) or ``DownloadCancelled``.
    """

    def __init__(self, folder: DataFolder, secrets: SecretStore) -> None:
        self._torrent_client = TorrentClientConfig(folder)
        self._secrets = secrets

    def __call__(self, job: DownloadJob, download_dir: Path, progress: Progress, stop: threading.Event) -> str:
        folder = show_folder(download_dir, job.anime_title)
        if job.kind is LinkKind.HTTP:
            try:
                return str(download_file(job.link, http_target(job, download_dir), progress=progress, cancelled=stop))
            except TorrentInstead:  # a torrent link without a .torrent ending
                return self._hand_off(job, folder)
        if job.kind is LinkKind.YTDLP:
            return str(download_video(job.link, folder, video_stem(job), quality=job.quality, progress=progress,
                                      cancelled=stop))
        return self._hand_off(job, folder)

    def _hand_off(self, job: DownloadJob, folder: Path) -> str:
        settings = self._torrent_client.get()
        if settings is None:
            raise DownloadError(
                "this release is a torrent, and no torrent client is set up: choose qBittorrent or "
                "Transmission in the settings"
            )
        try:
            info_hash = open_client(settings, self._secrets).add(job.link, name=job.release_name, save_path=folder)
        except TorrentClientError as error:
            raise DownloadError(str(error)) from error
        return f"{settings.client_name}: {info_hash}" if info_hash else settings.client_name
