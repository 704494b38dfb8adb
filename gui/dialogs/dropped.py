"""A source dropped or pasted on the window: a URL, or an absolute path, to open Add with."""

from __future__ import annotations

import os

from PySide6.QtCore import QMimeData

SCHEMES = ("http://", "https://", "file://")


def dropped_source(mime: QMimeData) -> str | None:
    """The URL or absolute path that ``mime`` carries (a text/uri-list or plain text), else None."""
    if mime.hasUrls():
        url = mime.urls()[0]
        return url.toLocalFile() if url.isLocalFile() else url.toString()
    if mime.hasText():
        text = mime.text().strip()
        first = text.splitlines()[0].strip() if text else ""
        if first.startswith(SCHEMES) or os.path.isabs(first):
            return first
    return None
