"""Show posters on disk: fetched once, kept in a bounded cache in the data folder.

``PosterCache.get(url)`` blocks on the network the first time (run it in the
background); later calls read the file. The cache keeps at most
``MAX_FILES`` posters, dropping the least recently used; a poster larger than
``MAX_BYTES`` or that is not an image is refused.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading

from core.datafolder import DataFolder, make_private_dir
from core.errors import TsuzukiError
from core.storage import atomic_write

log = logging.getLogger(__name__)

POSTERS_FOLDER = "posters"
MAX_FILES = 500
MAX_BYTES = 2 * 1024 * 1024
_IMAGE_STARTS = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF8", b"RIFF")


class PosterUnavailable(TsuzukiError):
    """A poster could not be fetched or is not an image; the message says why."""


class PosterCache:
    """Posters by URL, on disk; safe from several threads."""

    def __init__(self, folder: DataFolder, max_files: int = MAX_FILES) -> None:
        self._folder = folder.path / POSTERS_FOLDER
        self._max_files = max_files
        self._lock = threading.Lock()

    def get(self, url: str) -> bytes:
        """The poster's bytes, from the cache or fetched now (blocks on the network)."""
        path = self._folder / hashlib.sha256(url.encode()).hexdigest()
        try:
            data = path.read_bytes()
            os.utime(path)  # recently used
            return data
        except FileNotFoundError:
            pass
        data = _fetch(url)
        with self._lock:
            make_private_dir(self._folder)
            atomic_write(path, data)
            self._trim()
        return data

    def _trim(self) -> None:
        files = sorted(self._folder.iterdir(), key=lambda file: file.stat().st_mtime)
        for stale in files[: max(0, len(files) - self._max_files)]:
            stale.unlink(missing_ok=True)


def _fetch(url: str) -> bytes:
    from providers.base import SourceError
    from providers.http import fetch, new_session

    if not url.lower().startswith(("https://", "http://")):
        raise PosterUnavailable(f"{url!r} is not a web address")
    try:
        page = fetch(new_session(retries=1), url, max_bytes=MAX_BYTES, accept="image/*")
    except SourceError as error:
        raise PosterUnavailable(str(error)) from error
    if not page.content.startswith(_IMAGE_STARTS):
        raise PosterUnavailable(f"{url} is not a JPEG, PNG, GIF or WebP image")
    return page.content
