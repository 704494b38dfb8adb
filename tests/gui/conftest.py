"""For the window's tests: a loopback feed of Frieren episodes, a recorder of repaints, an engine and a
window that records which shows it was asked to bring into view, and the files the app asked the
desktop to open."""

from __future__ import annotations

import os
from collections.abc import Iterator
from xml.sax.saxutils import escape

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from core.datafolder import DataFolder
from core.service import CoreService
from gui.windows.main_window import MainWindow
from tests.loopback import PIECE, LoopbackServer

VIDEO = os.urandom(8 * PIECE)


def feed(loopback: LoopbackServer, *episodes: int, size: int = len(VIDEO)) -> str:
    """An RSS feed offering these Frieren episodes at /NN.mkv."""
    entries = "".join(
        f'<item><title>{escape(f"[G] Frieren - {number:02d} (1080p)")}</title><enclosure '
        f'url="{loopback.url(f"/{number:02d}.mkv")}" type="video/x-matroska" length="{size}"/></item>'
        for number in episodes)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{entries}</channel></rss>'


class Repaints:
    """Records every dataChanged of a model as (top row, bottom row, left column, right column)."""

    def __init__(self, model: object) -> None:
        self.ranges: list[tuple[int, int, int, int]] = []
        model.dataChanged.connect(  # type: ignore[attr-defined]
            lambda top, bottom, roles=(): self.ranges.append((top.row(), bottom.row(), top.column(), bottom.column())))

    def rows(self) -> set[int]:
        return {row for top, bottom, _, _ in self.ranges for row in range(top, bottom + 1)}


class OpenedUrls(QObject):
    """Stands for the desktop's file opener (``QDesktopServices.setUrlHandler``)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


@pytest.fixture
def opened() -> Iterator[OpenedUrls]:
    """What the app opens with the desktop's application for a file (instead of opening it)."""
    handler = OpenedUrls()
    QDesktopServices.setUrlHandler("file", handler, "open")
    yield handler
    QDesktopServices.unsetUrlHandler("file")


class RecordingWindow(MainWindow):
    """The main window, remembering which shows it was asked to bring into view."""

    def __init__(self, service: CoreService) -> None:
        super().__init__(service)
        self.shown_items: list[str] = []

    def show_item(self, item_id: str) -> None:
        self.shown_items.append(item_id)


@pytest.fixture
def service(folder: DataFolder) -> Iterator[CoreService]:
    service = CoreService(folder)
    yield service
    assert service.shutdown()


@pytest.fixture
def window(qtbot: QtBot, service: CoreService) -> RecordingWindow:
    window = RecordingWindow(service)
    qtbot.addWidget(window)
    return window
