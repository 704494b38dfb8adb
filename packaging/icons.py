"""The app icon's PNG sizes, rendered from resources/icons/tsuzuki.svg with Qt's own SVG renderer."""

from __future__ import annotations

import os
from pathlib import Path

HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def render_pngs(svg: Path, folder: Path, sizes: tuple[int, ...] = HICOLOR_SIZES) -> dict[int, Path]:
    """``svg`` rendered as ``folder/<N>x<N>/tsuzuki.png`` for every size; returns the PNGs by size."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 (QPainter needs one)
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not an SVG Qt can read")
    pngs = {}
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        path = folder / f"{size}x{size}" / "tsuzuki.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(path)):
            raise SystemExit(f"could not write {path}")
        pngs[size] = path
    return pngs
