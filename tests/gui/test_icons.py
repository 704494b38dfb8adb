"""The icons are drawn from their SVG at the size asked: sharp on a 200% screen, not a small picture blown up."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
from pytestqt.qtbot import QtBot

from gui.resources import ICONS, app_icon, tray_icon

LOGICAL = 48  # a tray or title-bar icon's size in logical pixels; 96 device pixels at 200%, beyond the SVGs' 64


def drawn(svg: str, pixels: int) -> QImage:
    """The SVG drawn straight at ``pixels`` square: what a sharp icon looks like."""
    image = QImage(pixels, pixels, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(ICONS / svg)).render(painter)
    painter.end()
    return image


def largest_difference(one: QImage, other: QImage) -> int:
    one, other = (image.convertToFormat(QImage.Format.Format_ARGB32) for image in (one, other))
    return max(abs(one.pixelColor(x, y).alpha() - other.pixelColor(x, y).alpha())
               + max(abs(getattr(one.pixelColor(x, y), channel)() - getattr(other.pixelColor(x, y), channel)())
                     for channel in ("red", "green", "blue"))
               for x in range(one.width()) for y in range(one.height()))


@pytest.mark.parametrize(("icon", "svg"), [(app_icon, "tsuzuki.svg"), (tray_icon, "tsuzuki-tray.svg")])
def test_an_icon_at_200_percent_is_twice_as_many_pixels_drawn_from_the_svg(
        icon: Callable[[], QIcon], svg: str, qtbot: QtBot) -> None:
    pixmap = icon().pixmap(QSize(LOGICAL, LOGICAL), 2.0)

    assert pixmap.devicePixelRatio() == 2.0
    assert (pixmap.width(), pixmap.height()) == (2 * LOGICAL, 2 * LOGICAL)
    sharp = drawn(svg, 2 * LOGICAL)
    assert largest_difference(pixmap.toImage(), sharp) <= 8
    blown_up = drawn(svg, LOGICAL).scaled(2 * LOGICAL, 2 * LOGICAL, mode=Qt.TransformationMode.SmoothTransformation)
    assert largest_difference(blown_up, sharp) > 40  # what a blurred icon would be: the check above tells it apart
