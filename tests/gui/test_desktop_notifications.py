"""Desktop notifications over D-Bus, on a private session bus (dbus-daemon) with a notification
service of our own, made with QtDBus as a desktop's would be: what a click on ours opens, and
that a click on another application's does nothing."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtDBus import QDBusConnection, QDBusMessage, QDBusVirtualObject
from pytestqt.qtbot import QtBot

from core.choices import NotificationEvent
from core.notifications import Notification
from core.service import CoreService
from gui.desktop_notifications import BUS_NAME, INTERFACE, NOTIFY_SIGNATURE, OBJECT_PATH
from gui.tray import TrayIcon
from tests.gui.conftest import RecordingWindow

pytestmark = pytest.mark.skipif(shutil.which("dbus-daemon") is None,
                                reason="needs dbus-daemon (packaging/setup.sh --test installs it)")

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""  # no service folders: nothing installed on this computer is started on this bus


@pytest.fixture
def bus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A session bus of the test's own; its address is the session bus's for the code under test."""
    config = tmp_path / "bus.conf"
    config.write_text(BUS_CONFIG)
    started = subprocess.run(["dbus-daemon", f"--config-file={config}", "--print-address=1", "--print-pid=1",
                              "--fork"], capture_output=True, text=True, timeout=10, check=True)
    address, pid = started.stdout.split()[:2]
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
    yield address
    os.kill(int(pid), signal.SIGTERM)


class NotificationServer(QDBusVirtualObject):
    """A desktop's notification service: numbers each notification, and can say one was clicked."""

    def __init__(self, address: str) -> None:
        super().__init__()
        self.connection = QDBusConnection.connectToBus(address, "notification-server")
        assert self.connection.registerService(BUS_NAME)
        assert self.connection.registerVirtualObject(OBJECT_PATH, self)
        self.received: list[tuple[str, list[object]]] = []  # (signature, arguments) of each Notify

    def introspect(self, path: str) -> str:
        return ""

    def handleMessage(self, message: QDBusMessage, connection: QDBusConnection) -> bool:
        member = message.member()
        answers: dict[str, list[object]] = {"GetCapabilities": [["actions", "body"]],
                                             "GetServerInformation": ["test", "Tsuzuki tests", "1", "1.2"],
                                             "CloseNotification": []}
        if member == "Notify":
            self.received.append((message.signature(), message.arguments()))
            answers[member] = [100 + len(self.received)]
        if member in answers:
            reply = message.createReply()
            reply.setArguments(answers[member])
        else:
            reply = message.createErrorReply("org.freedesktop.DBus.Error.UnknownMethod", member)
        connection.send(reply)
        return True

    def ids(self) -> list[int]:
        return [101 + number for number in range(len(self.received))]

    def emit(self, name: str, notification_id: int, argument: object) -> None:
        message = QDBusMessage.createSignal(OBJECT_PATH, INTERFACE, name)
        message.setArguments([notification_id, argument])
        assert self.connection.send(message)

    def close(self) -> None:
        self.connection.unregisterObject(OBJECT_PATH)
        QDBusConnection.disconnectFromBus("notification-server")


@pytest.fixture
def server(bus: str) -> Iterator[NotificationServer]:
    server = NotificationServer(bus)
    yield server
    server.close()


@pytest.fixture
def tray(bus: str, service: CoreService, window: RecordingWindow) -> Iterator[TrayIcon]:
    tray = TrayIcon(service, window, desktop_notifications=True)
    yield tray
    tray.close_notifications()


def new_episode(service: CoreService, item_id: str) -> None:
    service.notification.emit(Notification(NotificationEvent.NEW_EPISODE, "Frieren — episode 12",
                                           "New: [G] Frieren - 12 (1080p)", item_id))


def test_a_new_episode_is_sent_with_an_open_action_and_its_click_opens_the_show(
        qtbot: QtBot, server: NotificationServer, tray: TrayIcon, window: RecordingWindow,
        service: CoreService) -> None:
    new_episode(service, "show-1")
    qtbot.waitUntil(lambda: len(server.received) == 1, timeout=5_000)
    signature, arguments = server.received[0]
    assert signature == NOTIFY_SIGNATURE  # replaces_id a uint32, as GNOME and KDE insist
    assert arguments[0] == "Tsuzuki" and arguments[3:5] == ["Frieren — episode 12", "New: [G] Frieren - 12 (1080p)"]
    assert arguments[5][:2] == ["default", "Open"]
    qtbot.wait(100)  # the answer with the id reaches the app
    server.emit("ActionInvoked", server.ids()[0], "default")
    qtbot.waitUntil(lambda: window.shown_items == ["show-1"], timeout=5_000)
    assert window.isVisible()


def test_a_finished_download_click_opens_its_file(qtbot: QtBot, server: NotificationServer, tray: TrayIcon,
                                                  window: RecordingWindow, service: CoreService,
                                                  opened_files: list[Path], tmp_path: Path) -> None:
    video = tmp_path / "Frieren - 12.mkv"
    service.notification.emit(Notification(NotificationEvent.DOWNLOAD_FINISHED, "Frieren — episode 12",
                                           f"Downloaded to {video}", "show-1", str(video)))
    qtbot.waitUntil(lambda: len(server.received) == 1, timeout=5_000)
    qtbot.wait(100)
    server.emit("ActionInvoked", server.ids()[0], "open")
    qtbot.waitUntil(lambda: bool(opened_files), timeout=5_000)
    assert opened_files == [video]
    assert window.shown_items == []


def test_another_applications_notification_and_a_closed_one_do_nothing(
        qtbot: QtBot, server: NotificationServer, tray: TrayIcon, window: RecordingWindow,
        service: CoreService) -> None:
    new_episode(service, "show-1")
    new_episode(service, "show-2")
    qtbot.waitUntil(lambda: len(server.received) == 2, timeout=5_000)
    qtbot.wait(100)
    first, second = server.ids()
    server.emit("ActionInvoked", 7, "default")  # not one of ours
    server.emit("NotificationClosed", first, 2)  # dismissed: a late click on it is nothing
    server.emit("ActionInvoked", first, "default")
    server.emit("ActionInvoked", second, "snooze")  # not an action of ours
    server.emit("ActionInvoked", second, "default")  # signals arrive in order: this one comes last
    qtbot.waitUntil(lambda: window.shown_items != [], timeout=5_000)
    qtbot.wait(100)
    assert window.shown_items == ["show-2"]


def test_without_a_notification_service_a_tray_message_is_shown_and_followed(
        qtbot: QtBot, bus: str, tray: TrayIcon, window: RecordingWindow, service: CoreService) -> None:
    new_episode(service, "show-1")  # nobody owns org.freedesktop.Notifications on this bus
    qtbot.waitUntil(lambda: tray.last_item_id == "show-1", timeout=5_000)
    tray.messageClicked.emit()
    assert window.shown_items == ["show-1"]


def test_without_a_session_bus_a_tray_message_is_shown(qtbot: QtBot, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch, service: CoreService,
                                                       window: RecordingWindow) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'no-bus'}")
    tray = TrayIcon(service, window, desktop_notifications=True)
    new_episode(service, "show-1")
    qtbot.waitUntil(lambda: tray.last_item_id == "show-1", timeout=5_000)
    new_episode(service, "show-2")  # at once, now that it knows
    assert tray.last_item_id == "show-2"
