"""Where the window was and what it showed, and what the app has told once: ``window.json`` in the data folder.

Qt's own state blobs (geometry, header, splitter) are kept base64-encoded;
a damaged file is moved aside like any other and the window opens as new.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray

from core.datafolder import DataFolder
from core.errors import StorageError
from core.storage import JsonStore, VersionedDocument

log = logging.getLogger(__name__)

WINDOW_FILE = "window.json"
BLOBS = ("geometry", "watchlist_header", "splitter")


class WindowState(VersionedDocument):
    """The layout of ``window.json``.

    Attributes:
        told: the one-time messages already given ("still running in the tray"), by name.
    """

    schema_version: int = VersionedDocument.SCHEMA_VERSION
    geometry: str = ""
    watchlist_header: str = ""
    splitter: str = ""
    told: list[str] = []


class WindowStateStore:
    """Reads and saves the window's state; a failing disk costs only the layout (or a message said
    twice), never the app."""

    def __init__(self, folder: DataFolder) -> None:
        self._store = JsonStore(folder, WINDOW_FILE, WindowState, WindowState,
                                lambda recovery: log.warning("%s", recovery.message()))

    def load(self) -> dict[str, QByteArray]:
        """Each saved blob by name (empty when never saved)."""
        try:
            saved = self._store.read()
        except StorageError:
            return {}
        return {name: QByteArray.fromBase64(getattr(saved, name).encode()) for name in BLOBS if getattr(saved, name)}

    def save(self, **blobs: QByteArray) -> None:
        try:
            with self._store.edit() as document:
                for name, blob in blobs.items():
                    setattr(document, name, bytes(blob.toBase64().data()).decode())
        except StorageError as error:  # the layout is not worth an error dialog on the way out
            log.warning("the window's layout was not saved: %s", error)

    def tell_once(self, message: str) -> bool:
        """True the first time ``message`` is to be said (and it is remembered as said), False after."""
        try:
            with self._store.edit() as document:
                if message in document.told:
                    return False
                document.told.append(message)
        except StorageError as error:
            log.warning("could not remember that %r was said: %s", message, error)
        return True
