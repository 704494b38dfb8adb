"""The running app without a tray host (offscreen): the window stays, closing it quits cleanly."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot

from core.datafolder import DataFolder
from core.instance import AlreadyRunning, InstanceLock
from gui.error_dialog import ErrorDialogs, plain_words
from gui.shell import Shell


@pytest.fixture
def shell(qtbot: QtBot, folder: DataFolder) -> Iterator[Shell]:
    shell = Shell(folder, tray_wait_ms=0)
    yield shell
    shell.quit()


def test_without_a_tray_the_window_is_shown(shell: Shell) -> None:
    assert shell.tray is None
    assert shell.window.isVisible()


def test_closing_the_window_without_a_tray_quits_and_frees_the_folder(qtbot: QtBot, shell: Shell,
                                                                      folder: DataFolder) -> None:
    with qtbot.waitSignal(shell.stopped, timeout=3_000):
        shell.window.close()
    lock = InstanceLock(folder)
    lock.acquire("the test")
    lock.release()


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
