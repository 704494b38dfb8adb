"""Where a download job's files are on disk: the file it saves, and what it leaves while unfinished."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from core.downloads.errors import DownloadError
from core.downloads.filenames import episode_file_name, safe_file_name, show_folder
from core.downloads.jobs import DownloadJob
from core.downloads.part_file import Part
from providers.link_kinds import LinkKind

log = logging.getLogger(__name__)


def http_target(job: DownloadJob, download_dir: Path) -> Path:
    """The file an HTTP job saves: ``download_dir/<show>/<episode file name>``."""
    return show_folder(download_dir, job.anime_title) / episode_file_name(job.release_name, job.link)


def video_stem(job: DownloadJob) -> str:
    """The name, without its extension, a yt-dlp job saves its video under."""
    return safe_file_name(Path(job.release_name).stem)


def discard_partial_files(job: DownloadJob, download_dir: Path) -> None:
    """Delete what an unfinished job left: its ``.part`` and sidecar, or yt-dlp's ``.part``/``.ytdl``
    files. Finished files stay; nothing outside ``download_dir`` is touched; torrents leave nothing."""
    try:
        if job.kind is LinkKind.HTTP:
            Part(http_target(job, download_dir), job.link).discard()
        elif job.kind is LinkKind.YTDLP:
            folder = show_folder(download_dir, job.anime_title)
            leftover = re.compile(rf"{re.escape(video_stem(job))}(\.f[\w-]+)?\.\w+\.(part(-Frag\d+)?|ytdl)")
            for path in folder.glob("*") if folder.is_dir() else ():
                if leftover.fullmatch(path.name):
                    path.unlink(missing_ok=True)
    except (DownloadError, OSError) as error:
        log.warning("could not delete the partial download of %r episode %d: %s", job.anime_title, job.episode, error)
