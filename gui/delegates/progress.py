"""A painted progress cell: a show's episodes (downloaded over found, of those aired) or a download's bytes.

Hand-painted from the cell's palette, so it follows the light or dark colour scheme.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from gui.models.progress import EpisodeProgress, TransferProgress
from gui.models.rows import PROGRESS_ROLE

MARGIN = 3
FOUND_ALPHA = 90  # the found layer: the downloaded colour, seen through
TROUGH_SHADE = 0.12  # how far the empty part goes from the base towards the text colour


class ProgressDelegate(QStyledItemDelegate):
    """Paints the cells whose ``PROGRESS_ROLE`` holds an EpisodeProgress or a TransferProgress;
    others are painted as usual."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        progress = index.data(PROGRESS_ROLE)
        if not isinstance(progress, EpisodeProgress | TransferProgress):
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget is not None else QApplication.style()
        text, option.text = option.text, ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)  # background
        layers = _layers(progress)
        palette = option.palette
        bar = QRectF(option.rect).adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        radius = min(4.0, bar.height() / 2)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(trough_colour(palette))
        painter.drawRoundedRect(bar, radius, radius)
        fill = palette.color(QPalette.ColorRole.Highlight)
        for fraction, alpha in layers:
            if fraction > 0:
                colour = QColor(fill)
                colour.setAlpha(alpha)
                painter.setBrush(colour)
                painter.drawRoundedRect(QRectF(bar.left(), bar.top(), bar.width() * fraction, bar.height()),
                                        radius, radius)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.drawText(bar, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()


def trough_colour(palette: QPalette) -> QColor:
    """The bar's empty part: the cell's base, a little towards its text (darker on light, lighter on dark)."""
    base, text = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)

    def towards_text(part: str) -> float:
        start = getattr(base, part)()
        return start + (getattr(text, part)() - start) * TROUGH_SHADE

    return QColor.fromRgbF(towards_text("redF"), towards_text("greenF"), towards_text("blueF"))


def _layers(progress: EpisodeProgress | TransferProgress) -> list[tuple[float, int]]:
    """(fraction, alpha) of each layer, back to front: found lighter, then downloaded solid."""
    if isinstance(progress, TransferProgress):
        return [(progress.fraction or 0.0, 255)]
    whole = max(progress.out_of or 0, progress.found, 1)
    return [(progress.found / whole, FOUND_ALPHA), (progress.downloaded / whole, 255)]
