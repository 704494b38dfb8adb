"""The app's icons (``resources/icons``, SVG: sharp at every scale) and translations (``resources/translations``).

Translations: ``tsuzuki_fr.ts`` is the source a translator edits (Qt Linguist);
after ``pyside6-lupdate`` finds new texts and they are translated,
``pyside6-lrelease`` makes the ``.qm`` the app loads.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QIcon

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
ICONS = RESOURCES / "icons"
TRANSLATIONS = RESOURCES / "translations"


def app_icon() -> QIcon:
    """Tsuzuki's icon, for its windows."""
    return QIcon(str(ICONS / "tsuzuki.svg"))


def tray_icon() -> QIcon:
    """The tray's icon: one flat mid-tone fill that reads on light and dark panels alike."""
    return QIcon(str(ICONS / "tsuzuki-tray.svg"))


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
