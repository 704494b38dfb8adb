"""The app's icons, read from ``resources/icons`` (SVG: sharp at every scale)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"


def app_icon() -> QIcon:
    """Tsuzuki's icon, for its windows."""
    return QIcon(str(ICONS / "tsuzuki.svg"))


def tray_icon() -> QIcon:
    """The tray's icon: one flat mid-tone fill that reads on light and dark panels alike."""
    return QIcon(str(ICONS / "tsuzuki-tray.svg"))
