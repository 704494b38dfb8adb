"""The tray menu on a real X screen with a tray host: run by test_tray_session.py on one
(``tests/tray_host.py``); pytest does not collect this file by itself: without a tray host these would fail."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QSystemTrayIcon
from pytestqt.qtbot import QtBot

from core.datafolder import DataFolder
from gui.dialogs.settings_dialog import SettingsDialog
from gui.shell import Shell
from gui.tray import TrayIcon


@pytest.fixture
def shell(qtbot: QtBot, folder: DataFolder) -> Iterator[Shell]:
    assert QSystemTrayIcon.isSystemTrayAvailable(), "no tray host on this screen"
    shell = Shell(folder, minimized=True)
    yield shell
    shell.quit()


@pytest.fixture
def tray(qtbot: QtBot, shell: Shell) -> TrayIcon:
    assert shell.tray is not None
    qtbot.waitUntil(lambda: not shell.tray.geometry().isEmpty(), timeout=5_000)  # embedded in the host
    return shell.tray


def open_menu(qtbot: QtBot, tray: TrayIcon) -> list[QAction]:
    menu = tray.contextMenu()
    menu.popup(tray.geometry().bottomLeft())
    qtbot.waitUntil(menu.isVisible, timeout=5_000)
    return menu.actions()


def choose(qtbot: QtBot, tray: TrayIcon, text: str) -> None:
    action = next(action for action in open_menu(qtbot, tray) if action.text() == text)
    tray.contextMenu().hide()
    action.trigger()


def test_the_icon_sits_in_the_tray_and_its_menu_opens_on_it(qtbot: QtBot, shell: Shell, tray: TrayIcon) -> None:
    assert not shell.window.isVisible()  # --minimized with a tray: only the icon
    qtbot.waitUntil(lambda: not shell.service.is_checking(), timeout=5_000)  # the catch-up at start
    texts = [action.text() for action in open_menu(qtbot, tray) if not action.isSeparator()]
    assert texts[0] == "Show window"
    assert texts[1].startswith("Next check: ")  # a new user's checks are periodic
    assert texts[2:] == ["Check &all", "Stop periodic checks", "&Settings…", "Quit"]
    assert tray.toolTip() == "Tsuzuki\nIdle"


def test_the_menu_shows_the_window_checks_pauses_and_opens_settings(qtbot: QtBot, shell: Shell,
                                                                    tray: TrayIcon) -> None:
    choose(qtbot, tray, "Show window")
    qtbot.waitExposed(shell.window)
    assert open_menu(qtbot, tray)[0].text() == "Hide window"
    tray.contextMenu().hide()
    with qtbot.waitSignal(shell.service.check_started, timeout=5_000):
        choose(qtbot, tray, "Check &all")
    choose(qtbot, tray, "Stop periodic checks")
    assert not shell.service.scheduler_state().running
    assert "Periodic checks are off" in [action.text() for action in open_menu(qtbot, tray)]
    tray.contextMenu().hide()
    choose(qtbot, tray, "&Settings…")
    qtbot.waitUntil(lambda: any(dialog.isVisible() for dialog in shell.window.findChildren(SettingsDialog)),
                    timeout=5_000)


def test_quit_from_the_menu_stops_the_app(qtbot: QtBot, shell: Shell, tray: TrayIcon) -> None:
    with qtbot.waitSignal(shell.stopped, timeout=3_000):
        choose(qtbot, tray, "Quit")
