"""The app's icons (``resources/icons``, SVG: sharp at every scale) and translations (``resources/translations``).

Translations: ``tsuzuki_fr.ts`` is the source a translator edits (Qt Linguist);
after ``pyside6-lupdate`` finds new texts and they are translated,
``pyside6-lrelease`` makes the ``.qm`` the app loads.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QRectF, QTranslator
from PySide6.QtGui import QColor, QIcon, QPainter, QPen

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
ICONS = RESOURCES / "icons"
TRANSLATIONS = RESOURCES / "translations"


def app_icon() -> QIcon:
    """Tsuzuki's icon, for its windows."""
    return QIcon(str(ICONS / "tsuzuki.svg"))


def tray_icon() -> QIcon:
    """The tray's icon: one flat mid-tone fill that reads on light and dark panels alike."""
    return QIcon(str(ICONS / "tsuzuki-tray.svg"))


TRAY_SIZES = (16, 22, 24, 32, 48, 64)


def badged(icon: QIcon, colour: QColor) -> QIcon:
    """``icon`` with a dot of ``colour`` in its lower right corner (ringed in white, to read on any panel)."""
    result = QIcon()
    for size in TRAY_SIZES:
        pixmap = icon.pixmap(size, size)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        diameter = max(6.0, size * 0.5)
        ring = max(1.0, size / 16)
        painter.setPen(QPen(QColor("white"), ring))
        painter.setBrush(colour)
        painter.drawEllipse(QRectF(pixmap.width() - diameter - ring / 2, pixmap.height() - diameter - ring / 2,
                                   diameter, diameter))
        painter.end()
        result.addPixmap(pixmap)
    return result


def install_translations(app: QCoreApplication, locale: QLocale | None = None) -> list[QTranslator]:
    """Tsuzuki's texts, and Qt's own (standard buttons), in the user's language when translated;
    returns the translators installed (none for English)."""
    locale = locale or QLocale.system()
    qt_translations = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    installed = []
    for name, folder in (("tsuzuki", str(TRANSLATIONS)), ("qtbase", qt_translations)):
        translator = QTranslator(app)
        if translator.load(locale, name, "_", folder):
            app.installTranslator(translator)
            installed.append(translator)
    return installed
