"""Posters for the window: loaded off the GUI thread, never twice at once, a few hundred kept in memory.

``Posters.pixmap(url)`` answers at once: the poster when it is here, else None
(the caller paints a placeholder) while it is fetched in the background;
``ready(url)`` says when to repaint. The disk cache is the engine's
(``CoreService.poster``).
"""

from __future__ import annotations

import logging
from collections import OrderedDict

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QPixmap

from core.service import CoreService

log = logging.getLogger(__name__)

MEMORY_LIMIT = 300  # posters kept decoded in memory
MAX_LOADING = 4  # posters fetched at once; the others wait their turn


class Posters(QObject):
    """Signals:
        ready(str): the poster at this URL can be painted now.
    """

    ready = Signal(str)

    def __init__(self, service: CoreService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._pixmaps: OrderedDict[str, QPixmap] = OrderedDict()
        self._loading: set[str] = set()
        self._waiting: OrderedDict[str, None] = OrderedDict()
        self._failed: set[str] = set()

    def pixmap(self, url: str | None) -> QPixmap | None:
        """The poster at ``url`` if it is loaded; otherwise None, and it is fetched (once)."""
        if not url or url in self._failed:
            return None
        if url in self._pixmaps:
            self._pixmaps.move_to_end(url)
            return self._pixmaps[url]
        if url not in self._loading:
            self._waiting[url] = None
            self._waiting.move_to_end(url, last=False)  # the latest asked for is the one on screen now
            self._load_next()
        return None

    def _load_next(self) -> None:
        while self._waiting and len(self._loading) < MAX_LOADING:
            url, _ = self._waiting.popitem(last=False)
            if not self._start(url):  # shutting down
                self._waiting.clear()

    def _start(self, url: str) -> bool:
        self._loading.add(url)
        service = self._service
        if service.background(lambda: service.poster(url), lambda data: self._loaded(url, data),
                              lambda error: self._not_loaded(url, error), name="poster") is None:
            self._loading.discard(url)
            return False
        return True

    def _loaded(self, url: str, data: bytes) -> None:
        self._loading.discard(url)
        self._load_next()
        pixmap = QPixmap()
        if not pixmap.loadFromData(data):
            self._not_loaded(url, ValueError("not an image Qt can read"))
            return
        self._pixmaps[url] = pixmap
        while len(self._pixmaps) > MEMORY_LIMIT:
            self._pixmaps.popitem(last=False)
        self.ready.emit(url)

    def _not_loaded(self, url: str, error: BaseException) -> None:
        self._loading.discard(url)
        self._load_next()
        self._failed.add(url)  # not asked again this run: the placeholder stays
        log.info("no poster from %s: %s", url, error)
