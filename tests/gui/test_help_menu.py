"""Help: the log folder opens, and About names the installed version."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from core.logs import log_path
from core.service import CoreService
from gui.windows.main_window import MainWindow


def help_action(window: MainWindow, text: str) -> QAction:
    (menu,) = [action.menu() for action in window.menuBar().actions() if action.text() == "&Help"]
    assert isinstance(menu, QMenu)
    (action,) = [action for action in menu.actions() if action.text() == text]
    return action


def test_open_log_folder_opens_the_folder_of_the_log(service: CoreService, qtbot: QtBot,
                                                     opened_files: list[Path]) -> None:
    window = MainWindow(service)
    qtbot.addWidget(window)

    help_action(window, "Open &log folder").trigger()

    assert opened_files == [log_path(service.folder).parent]


def test_about_names_the_version_in_the_package_metadata(service: CoreService, qtbot: QtBot) -> None:
    window = MainWindow(service)
    qtbot.addWidget(window)

    help_action(window, "&About Tsuzuki").trigger()

    box = window.findChild(QMessageBox, "about")
    assert box is not None and box.isVisible()
    assert f"Tsuzuki {version('tsuzuki')}" in box.text()
    assert str(service.folder.path) in box.text()
    box.close()
