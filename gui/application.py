"""The process's QApplication, set up the same way for the app and for ``--selftest``."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from gui.resources import app_icon, install_translations


def application() -> QApplication:
    """The process's QApplication, named, with Tsuzuki's icon and the user's language."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Tsuzuki")
    app.setOrganizationName("Tsuzuki")
    app.setDesktopFileName("org.tsuzuki.Tsuzuki")  # the installed menu entry: desktops match the window to it
    app.setWindowIcon(app_icon())
    install_translations(app)
    return app
