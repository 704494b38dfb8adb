"""For the window's tests: a loopback feed of Frieren episodes, a recorder of repaints, the files the
app asked the desktop to open, and an engine with a window that records which shows it was asked
to bring into view."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

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



class FileOpener(QObject):
    """Stands in for the desktop's file opener: records each path instead of launching an app."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[Path] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.paths.append(Path(url.toLocalFile()))


@pytest.fixture
def opened_files() -> Iterator[list[Path]]:
    """The local files and folders the app asked the desktop to open, in order."""
    opener = FileOpener()
    QDesktopServices.setUrlHandler("file", opener, "open")
    yield opener.paths
    QDesktopServices.unsetUrlHandler("file")


class RecordingWindow(MainWindow):
    """The main window, remembering which shows it was asked to bring into view."""

    def __init__(self, service: CoreService) -> None:
        super().__init__(service)
        self.shown_items: list[str] = []

    def show_item(self, item_id: str) -> None:
        self.shown_items.append(item_id)


@pytest.fixture
def window(qtbot: QtBot, service: CoreService) -> RecordingWindow:
    window = RecordingWindow(service)
    qtbot.addWidget(window)
    return window
