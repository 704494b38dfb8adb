"""ProgressDelegate paints its bar in the palette's colours: downloaded solid over found lighter."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect
from PySide6.QtGui import QColor, QImage, QPainter, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from gui.delegates.progress import ProgressDelegate
from gui.models.progress import EpisodeProgress, TransferProgress
from gui.models.rows import PROGRESS_ROLE

WIDTH, HEIGHT = 200, 24
HIGHLIGHT, BASE = QColor(0, 0, 255), QColor(255, 255, 255)


def painted(progress: object, text: str = "") -> QImage:
    """The cell as the delegate paints it, at WIDTH x HEIGHT, with a blue highlight on white."""
    model = QStandardItemModel(1, 1)
    entry = QStandardItem(text)
    entry.setData(progress, PROGRESS_ROLE)
    model.setItem(0, 0, entry)
    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_ARGB32)
    image.fill(BASE)
    option = QStyleOptionViewItem()
    option.rect = QRect(0, 0, WIDTH, HEIGHT)
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Highlight, HIGHLIGHT)
    palette.setColor(QPalette.ColorRole.Base, BASE)
    option.palette = palette
    painter = QPainter(image)
    index: QModelIndex | QPersistentModelIndex = model.index(0, 0)
    ProgressDelegate().paint(painter, option, index)
    painter.end()
    return image


def at(image: QImage, fraction: float) -> QColor:
    return image.pixelColor(round(WIDTH * fraction), HEIGHT // 2)


def test_episodes_paint_downloaded_solid_then_found_lighter_then_the_empty_rest(qtbot: QtBot) -> None:
    image = painted(EpisodeProgress(downloaded=2, found=6, total=10))

    assert at(image, 0.1) == HIGHLIGHT
    found = at(image, 0.4)
    assert found.blue() > found.red() > 0 and found.red() == found.green()  # the highlight, seen through
    rest = at(image, 0.8)
    assert rest.blue() == rest.red() == rest.green() < 255  # the bar's trough, a grey of the base


def test_a_download_fills_its_fraction_and_a_plain_cell_has_no_bar(qtbot: QtBot) -> None:
    image = painted(TransferProgress(done=50, total=100))
    assert at(image, 0.3) == HIGHLIGHT
    assert at(image, 0.7) != HIGHLIGHT
    unknown = painted(TransferProgress(done=50, total=None))
    assert at(unknown, 0.3) != HIGHLIGHT
    plain = painted(None)
    assert at(plain, 0.3) == BASE
