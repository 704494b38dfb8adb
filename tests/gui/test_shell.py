"""The running app: without a tray host (offscreen) the window stays and closing it quits cleanly, after
saying so once; with one (a stand-in for the tray check: offscreen has none), the window starts as the
settings say and closing it hides it in the tray, saying so once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from core.datafolder import DataFolder
from core.instance import AlreadyRunning, InstanceLock
from gui.error_dialog import ErrorDialogs, plain_words
from gui.shell import Shell
from tests.cli_runner import Run


@pytest.fixture
def shell(qtbot: QtBot, folder: DataFolder) -> Iterator[Shell]:
    shell = Shell(folder, tray_wait_ms=0)
    yield shell
    shell.quit()


def test_without_a_tray_the_window_is_shown(shell: Shell) -> None:
    assert shell.tray is None
    assert shell.window.isVisible()


def test_closing_the_window_without_a_tray_says_once_that_it_quits(qtbot: QtBot, shell: Shell,
                                                                    folder: DataFolder) -> None:
    shell.window.close()
    assert shell.notice is not None and shell.notice.isVisible()
    assert shell.notice.text().startswith("This desktop has no tray, so closing the window quits Tsuzuki")
    with qtbot.waitSignal(shell.stopped, timeout=3_000):
        shell.notice.button(QMessageBox.StandardButton.Ok).click()
    lock = InstanceLock(folder)
    lock.acquire("the test")
    lock.release()

    again = Shell(folder, tray_wait_ms=0)
    with qtbot.waitSignal(again.stopped, timeout=3_000):
        again.window.close()
    assert again.notice is None


def test_a_second_app_on_the_same_folder_is_refused(shell: Shell, folder: DataFolder) -> None:
    with pytest.raises(AlreadyRunning):
        Shell(folder, tray_wait_ms=0)


def test_a_second_launch_brings_the_window_back(shell: Shell) -> None:
    shell.window.showMinimized()
    shell.service.request_activation()
    assert shell.window.isVisible() and not shell.window.isMinimized()
    shell.window.hide()
    shell.service.request_activation()
    assert shell.window.isVisible()


def test_minimized_without_a_tray_starts_minimised(qtbot: QtBot, folder: DataFolder) -> None:
    shell = Shell(folder, minimized=True, tray_wait_ms=0)
    try:
        assert shell.window.isMinimized()
    finally:
        shell.quit()


def test_hidden_without_a_tray_starts_minimised(qtbot: QtBot, folder: DataFolder, cli: Run) -> None:
    assert cli("settings", "set", "window_on_start", "hidden").code == 0
    shell = Shell(folder, tray_wait_ms=0)
    try:
        assert shell.window.isMinimized()
    finally:
        shell.quit()


# Showing a tray icon where there is no tray host: what the offscreen platform cannot do, not the app's warning.
stand_in_tray = pytest.mark.qt_log_ignore(r"^QObject::connect: No such signal QPlatformNativeInterface::systemTrayWindowChanged")


def with_tray(folder: DataFolder, **options: object) -> Shell:
    """A shell told that a tray host is there; its tray's messages are kept in ``shell.said``."""
    shell = Shell(folder, tray_available=lambda: True, **options)  # type: ignore[arg-type]
    assert shell.tray is not None
    shell.said = []  # type: ignore[attr-defined]
    shell.tray.showMessage = lambda title, text, *_: shell.said.append(text)  # type: ignore[attr-defined,method-assign]
    return shell


@stand_in_tray
@pytest.mark.parametrize(("on_start", "visible", "minimized"), [("normal", True, False), ("minimized", True, True),
                                                                 ("hidden", False, False)])
def test_with_a_tray_the_window_starts_as_the_settings_say(qtbot: QtBot, folder: DataFolder, cli: Run,
                                                           on_start: str, visible: bool, minimized: bool) -> None:
    assert cli("settings", "set", "window_on_start", on_start).code == 0
    shell = with_tray(folder)
    try:
        assert (shell.window.isVisible(), shell.window.isMinimized()) == (visible, minimized)
    finally:
        shell.quit()


@stand_in_tray
def test_minimized_with_a_tray_starts_in_the_tray_only(qtbot: QtBot, folder: DataFolder) -> None:
    shell = with_tray(folder, minimized=True)
    try:
        assert not shell.window.isVisible()
    finally:
        shell.quit()


@stand_in_tray
def test_closing_to_the_tray_says_once_that_tsuzuki_still_runs(qtbot: QtBot, folder: DataFolder) -> None:
    shell = with_tray(folder)
    try:
        with qtbot.assertNotEmitted(shell.stopped, wait=100):
            shell.window.close()
        assert not shell.window.isVisible()
        assert shell.said == [  # type: ignore[attr-defined]
            "Tsuzuki is still running in the tray: checks and downloads go on. Quit it from the tray icon's menu."]
        shell.show_window()
        shell.window.close()
        assert len(shell.said) == 1  # type: ignore[attr-defined]
    finally:
        shell.quit()
    again = with_tray(folder)
    try:
        again.window.close()
        assert again.said == []  # type: ignore[attr-defined]  # remembered in the data folder
    finally:
        again.quit()


@stand_in_tray
def test_without_close_to_tray_closing_quits(qtbot: QtBot, folder: DataFolder, cli: Run) -> None:
    assert cli("settings", "set", "close_to_tray", "false").code == 0
    shell = with_tray(folder)
    with qtbot.waitSignal(shell.stopped, timeout=3_000):
        shell.window.close()
    assert shell.said == []  # type: ignore[attr-defined]


@stand_in_tray
def test_the_setting_applies_to_the_next_close_without_a_restart(qtbot: QtBot, folder: DataFolder) -> None:
    shell = with_tray(folder)
    shell.service.update_settings({"close_to_tray": False})
    with qtbot.waitSignal(shell.stopped, timeout=3_000):
        shell.window.close()


@stand_in_tray
def test_a_tray_that_appears_late_is_used_and_hides_a_hidden_window(qtbot: QtBot, folder: DataFolder,
                                                                     cli: Run) -> None:
    assert cli("settings", "set", "window_on_start", "hidden").code == 0
    panel = {"up": False}
    shell = Shell(folder, tray_wait_ms=3_000, tray_available=lambda: panel["up"])
    try:
        assert shell.tray is None and shell.window.isMinimized()
        qtbot.wait(400)
        panel["up"] = True  # the panel started after Tsuzuki, as an autostart can
        qtbot.waitUntil(lambda: shell.tray is not None, timeout=2_000)
        assert not shell.window.isVisible()
    finally:
        shell.quit()


def test_waiting_for_a_tray_host_gives_up_and_keeps_the_window(qtbot: QtBot, folder: DataFolder) -> None:
    shell = Shell(folder, tray_wait_ms=600)
    try:
        qtbot.wait(900)
        assert shell.tray is None
        assert shell.window.isVisible()
    finally:
        shell.quit()


class Button(QObject):
    clicked = Signal()


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_slot_becomes_a_dialog(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    dialogs = ErrorDialogs()
    monkeypatch.setattr("sys.excepthook", dialogs)
    button = Button()

    def broken() -> None:
        raise ValueError("the poster is not an image")

    button.clicked.connect(broken)
    button.clicked.emit()
    assert len(dialogs.dialogs) == 1
    box = dialogs.dialogs[0]
    assert box.isVisible()
    assert box.text() == "Something went wrong inside Tsuzuki (ValueError: the poster is not an image)."
    assert "raise ValueError" in box.detailedText()
    box.accept()
    assert dialogs.dialogs == []


def test_our_own_errors_are_shown_as_they_are_worded() -> None:
    from core.errors import TsuzukiError

    assert plain_words(TsuzukiError("The feed at https://x.example/feed is not a feed.")) \
        == "The feed at https://x.example/feed is not a feed."
