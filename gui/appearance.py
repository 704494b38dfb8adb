"""Light or dark: the app follows the desktop's colour scheme as it changes, or the one the user forces.

The desktop's platform theme (Windows, macOS, GNOME's and KDE's, the XDG portal) tells Qt the
scheme and paints its palette; where it cannot (no platform theme, as under a bare X server),
or cannot honour a forced choice, the app uses the Fusion style with its own palette.
Whatever Tsuzuki paints by hand reads the palette (``is_dark``, ``error_colour``), so it
follows either way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from core.choices import Appearance

if TYPE_CHECKING:  # not imported here: the app imports this module before pydantic is loaded
    from core.models import WatchlistSettings
    from core.service import CoreService

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

DARK_COLOURS = {
    Role.Window: "#2b2b2b", Role.WindowText: "#e8e8e8", Role.Base: "#1f1f1f", Role.AlternateBase: "#272727",
    Role.ToolTipBase: "#3a3a3a", Role.ToolTipText: "#e8e8e8", Role.PlaceholderText: "#8c8c8c",
    Role.Text: "#e8e8e8", Role.Button: "#363636", Role.ButtonText: "#e8e8e8", Role.BrightText: "#ff6b6b",
    Role.Light: "#4a4a4a", Role.Midlight: "#404040", Role.Mid: "#2f2f2f", Role.Dark: "#1a1a1a",
    Role.Shadow: "#0a0a0a", Role.Highlight: "#3d8ee6", Role.HighlightedText: "#ffffff", Role.Link: "#6cb4ff",
    Role.LinkVisited: "#b59cff", Role.Accent: "#3d8ee6",
}
DARK_DISABLED = {Role.WindowText: "#7d7d7d", Role.Text: "#7d7d7d", Role.ButtonText: "#7d7d7d",
                 Role.Highlight: "#4f4f4f", Role.HighlightedText: "#a0a0a0"}
ERROR_ON_LIGHT, ERROR_ON_DARK = QColor("#c62828"), QColor("#ff7b72")


def dark_palette() -> QPalette:
    """Tsuzuki's dark palette, for Fusion where the desktop gives none."""
    palette = QPalette()
    for role, colour in DARK_COLOURS.items():
        palette.setColor(role, QColor(colour))
    for role, colour in DARK_DISABLED.items():
        palette.setColor(Group.Disabled, role, QColor(colour))
    return palette


def is_dark(palette: QPalette) -> bool:
    """Whether this palette is a dark one (its window is)."""
    return palette.color(Role.Window).lightness() < 128


def error_colour(palette: QPalette) -> QColor:
    """A red that reads on this palette's window."""
    return ERROR_ON_DARK if is_dark(palette) else ERROR_ON_LIGHT


def placeholder_colour(key: str, palette: QPalette) -> QColor:
    """A show's own colour (its hue from ``key``, a hex id) until its poster comes: pale on a light
    palette, deep on a dark one."""
    return QColor.fromHsv(int(key[:6], 16) % 360, 90, 110 if is_dark(palette) else 200)


class ColourScheme(QObject):
    """Keeps the app light or dark as ``appearance`` asks, live: the desktop's scheme changing, or
    the setting.

    Attributes:
        appearance: what the user chose.
    """

    def __init__(self, app: QApplication, appearance: Appearance = Appearance.SYSTEM) -> None:
        super().__init__(app)
        self._app = app
        self._platform_style: str | None = None  # the style replaced by Fusion while our palette is on
        self.appearance = appearance
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._show)
        self.choose(appearance)

    def follow(self, service: CoreService) -> None:
        """Take the choice from the settings, now and whenever they change."""
        self.choose(service.settings().appearance)
        service.settings_changed.connect(self._settings_changed)

    def choose(self, appearance: Appearance) -> None:
        """Follow the desktop (``SYSTEM``), or be light or dark whatever it says."""
        self.appearance = appearance
        hints = QGuiApplication.styleHints()
        if appearance is Appearance.SYSTEM:
            hints.unsetColorScheme()
        else:  # a platform theme that can honour it does so, and tells colorSchemeChanged
            hints.setColorScheme(Qt.ColorScheme.Dark if appearance is Appearance.DARK else Qt.ColorScheme.Light)
        self._show(hints.colorScheme())

    def dark(self) -> bool:
        """Whether the app is dark now."""
        return is_dark(self._app.palette())

    def _settings_changed(self, settings: WatchlistSettings) -> None:
        if settings.appearance is not self.appearance:
            self.choose(settings.appearance)

    def _show(self, reported: Qt.ColorScheme) -> None:
        """Paint the scheme wanted, given the one the platform reports: the platform's own palette when
        it is the right one, else Fusion with ours."""
        want_dark = reported is Qt.ColorScheme.Dark if self.appearance is Appearance.SYSTEM \
            else self.appearance is Appearance.DARK
        if self._platform_style is not None:  # back to the platform's, to see what it paints
            self._app.setStyle(self._platform_style)
            self._platform_style = None
            self._app.setPalette(QPalette())
        if is_dark(self._app.palette()) == want_dark:
            return
        self._platform_style = self._app.style().name()
        fusion = QStyleFactory.create("Fusion")
        self._app.setStyle(fusion)
        self._app.setPalette(dark_palette() if want_dark else fusion.standardPalette())
