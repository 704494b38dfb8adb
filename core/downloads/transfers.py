"""Moving one job's episode to disk, or to the user's torrent client: what a download worker runs."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.datafolder import DataFolder
from core.downloads.errors import DownloadError
from core.downloads.filenames import show_folder
from core.downloads.http_transfer import Progress, download_file
from core.downloads.job_files import http_target, video_stem
from core.downloads.jobs import DownloadJob
from core.downloads.torrent_base import TorrentClientError, TorrentProgress
from core.downloads.torrent_clients import TorrentClientConfig, open_client
from core.downloads.torrent_files import TorrentInstead
from core.secrets import SecretStore
from providers.link_kinds import LinkKind


@dataclass(frozen=True)
class TorrentHandoff:
    """A torrent client took the job: ``info_hash`` (lower-case hex; "" when unknown) follows it."""

    client_name: str
    info_hash: str

    def describe(self) -> str:
        """Where the episode went, for the job's ``path``: "qBittorrent: <info hash>"."""
        return f"{self.client_name}: {self.info_hash}" if self.info_hash else self.client_name


Transfer = Callable[[DownloadJob, Path, Progress, threading.Event], "str | TorrentHandoff"]


class TransferRunner:
    """Runs a job by its link kind: HTTP/file copy, yt-dlp, or hand-off to the torrent client.

    Returns where the episode went: the file's path, or the ``TorrentHandoff``.
    Raises ``DownloadError`` (plain words) or ``DownloadCancelled``.
    """

    def __init__(self, folder: DataFolder, secrets: SecretStore) -> None:
        self._torrent_client = TorrentClientConfig(folder)
        self._secrets = secrets

    def __call__(
        self, job: DownloadJob, download_dir: Path, progress: Progress, stop: threading.Event
    ) -> str | TorrentHandoff:
        folder = show_folder(download_dir, job.anime_title)
        if job.kind is LinkKind.HTTP:
            try:
                return str(download_file(job.link, http_target(job, download_dir), progress=progress, cancelled=stop))
            except TorrentInstead:  # a torrent link without a .torrent ending
                return self._hand_off(job, folder)
        if job.kind is LinkKind.YTDLP:
            from core.downloads.ytdlp_transfer import download_video  # yt-dlp takes 0.4 s to import

            return str(download_video(job.link, folder, video_stem(job), quality=job.quality, progress=progress,
                                      cancelled=stop))
        return self._hand_off(job, folder)

    def torrent_progress(self, info_hashes: list[str]) -> dict[str, TorrentProgress | None]:
        """What the torrent client says of each torrent (None: it no longer has it); blocks on the
        network. Raises ``TorrentClientError`` when the client is not set up or cannot be reached."""
        settings = self._torrent_client.get()
        if settings is None:
            raise TorrentClientError("no torrent client is set up any more")
        client = open_client(settings, self._secrets)
        return {info_hash: client.progress(info_hash) for info_hash in info_hashes}

    def _hand_off(self, job: DownloadJob, folder: Path) -> TorrentHandoff:
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
        return TorrentHandoff(settings.client_name, info_hash)
