"""The window's Help menu: where the log is, and which Tsuzuki this is."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMainWindow, QMessageBox

from core.logs import log_path
from core.service import CoreService


def installed_version() -> str:
    """The version in the installed package's metadata (what pip or the installer put there)."""
    try:
        return version("tsuzuki")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return QCoreApplication.translate("help", "unknown (not installed)")


def add_help_menu(window: QMainWindow, service: CoreService) -> None:
    """Add Help > Open log folder and Help > About Tsuzuki to ``window``'s menu bar."""
    menu = window.menuBar().addMenu(QCoreApplication.translate("help", "&Help"))
    logs = log_path(service.folder).parent
    menu.addAction(QCoreApplication.translate("help", "Open &log folder"),
                   lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(logs))))
    menu.addAction(QCoreApplication.translate("help", "&About Tsuzuki"), lambda: _about(window, service, logs))


def _about(window: QMainWindow, service: CoreService, logs: Path) -> QMessageBox:
    """The About box, opened without blocking (as every box of the app)."""
    text = QCoreApplication.translate(
        "help",
        "<h3>Tsuzuki {version}</h3><p>Follow airing anime: Tsuzuki checks the sources of your watchlist "
        "for new episodes and downloads them.</p><p>Your data: {data}<br>Log: {logs}</p>",
    ).format(version=installed_version(), data=service.folder.path, logs=logs)
    box = QMessageBox(QMessageBox.Icon.NoIcon, QCoreApplication.translate("help", "About Tsuzuki"), text,
                      QMessageBox.StandardButton.Close, window)
    box.setIconPixmap(window.windowIcon().pixmap(64, 64))
    box.setObjectName("about")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
