"""Notifications through the desktop's notification service (``org.freedesktop.Notifications``
on the D-Bus session bus), so that only a click on one of Tsuzuki's own does anything.

Each notification is sent with an "Open" action; the id the service answers is kept with what
the notification was about, and ``ActionInvoked`` is followed only for those ids (Qt's own tray
messages fire ``messageClicked`` for any application's notification: qBittorrent #9084).

The messages are made with jeepney rather than QtDBus: PySide6 cannot send a uint32 (Notify's
``replaces_id``), only an int32 or int64, and GNOME and KDE refuse such a call. jeepney is
pure Python and comes with keyring on Linux. Connecting (a local socket) runs in the background;
after that the socket is read on the GUI thread when it has data (a QSocketNotifier): no thread,
no wait, no timer.
"""

from __future__ import annotations

import importlib.util
import logging
import sys
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QSocketNotifier, Signal

from core.service import CoreService
from gui.resources import ICONS

log = logging.getLogger(__name__)

BUS_NAME = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"
INTERFACE = "org.freedesktop.Notifications"
NOTIFY_SIGNATURE = "susssasa{sv}i"
OPEN_ACTIONS = frozenset({"default", "open"})  # a click on the notification, or on its Open button
REMEMBERED = 100  # ids kept for a click, should the service never say a notification was closed


def available() -> bool:
    """Whether this system has desktop notifications over D-Bus (Linux and the like, with jeepney)."""
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return False
    return importlib.util.find_spec("jeepney") is not None


class DesktopNotifications(QObject):
    """Shows notifications through the desktop's notification service and says which was clicked.

    What a notification is about (``target``: any object) comes back with its click. A
    notification that cannot be shown (no service on the bus, no session bus) comes back
    through ``unavailable`` for another way of telling the user.

    Signals:
        clicked(object): one of ours was clicked; its target.
        unavailable(str, str, object): title, body and target of a notification not shown.
    """

    clicked = Signal(object)
    unavailable = Signal(str, str, object)

    def __init__(self, service: CoreService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._connection: Any = None  # jeepney's DBusConnection, once connected
        self._reader: QSocketNotifier | None = None
        self._state = "idle"  # idle -> connecting -> connected | broken
        self._waiting: list[tuple[str, str, object]] = []  # sent while connecting
        self._calls: dict[int, tuple[str, str, object]] = {}  # Notify calls by serial, until answered
        self._shown: dict[int, object] = {}  # the service's notification id -> target
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.close)

    def send(self, title: str, body: str, target: object = None) -> None:
        """Show a notification (asynchronously); a click on it emits ``clicked(target)``."""
        if self._state == "broken":
            self.unavailable.emit(title, body, target)
            return
        if self._state != "connected":
            self._waiting.append((title, body, target))
            self._connect()
            return
        self._notify(title, body, target)

    def close(self) -> None:
        """Leave the bus (clicks on notifications still up do nothing from now on)."""
        if self._reader is not None:
            self._reader.setEnabled(False)
            self._reader = None
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self._state = "broken"

    def _connect(self) -> None:
        if self._state != "idle":
            return
        self._state = "connecting"
        from jeepney.io.blocking import open_dbus_connection

        if self._service.background(open_dbus_connection, self._connected, self._not_connected,
                                    name="desktop notifications") is None:
            self._not_connected(RuntimeError("shutting down"))

    def _connected(self, connection: Any) -> None:
        from jeepney.bus_messages import MatchRule, message_bus

        if self._state != "connecting":  # closed meanwhile
            connection.close()
            return
        self._connection = connection
        connection.sock.setblocking(False)  # read only what is there, when it is there
        self._reader = QSocketNotifier(connection.sock.fileno(), QSocketNotifier.Type.Read, self)
        self._reader.activated.connect(self._read)
        self._state = "connected"
        self._call(message_bus.AddMatch(MatchRule(type="signal", sender=BUS_NAME, interface=INTERFACE,
                                                  path=OBJECT_PATH)))
        waiting, self._waiting = self._waiting, []
        for title, body, target in waiting:
            self.send(title, body, target)  # as tray messages if the bus was lost meanwhile

    def _not_connected(self, error: BaseException) -> None:
        log.info("no desktop notifications over D-Bus (%s): using the tray's messages", error)
        self._state = "broken"
        waiting, self._waiting = self._waiting, []
        for message in waiting:
            self.unavailable.emit(*message)

    def _notify(self, title: str, body: str, target: object) -> None:
        from jeepney import DBusAddress, new_method_call

        address = DBusAddress(OBJECT_PATH, bus_name=BUS_NAME, interface=INTERFACE)
        actions = ["default", self.tr("Open"), "open", self.tr("Open")]
        message = new_method_call(address, "Notify", NOTIFY_SIGNATURE,
                                  ("Tsuzuki", 0, str(ICONS / "tsuzuki.svg"), title, body, actions, {}, -1))
        serial = self._call(message)
        if serial is None:
            self.unavailable.emit(title, body, target)
        else:
            self._calls[serial] = (title, body, target)

    def _call(self, message: Any) -> int | None:
        """Send ``message``; its serial, which its answer will quote (None: the bus is gone)."""
        serial: int = next(self._connection.outgoing_serial)
        try:
            self._connection.send(message, serial=serial)
        except OSError as error:
            self._lost(error)
            return None
        return serial

    def _read(self) -> None:
        try:
            data = self._connection.sock.recv(65536)
        except BlockingIOError:
            return
        except OSError as error:
            self._lost(error)
            return
        if not data:
            self._lost(ConnectionResetError("the session bus closed the connection"))
            return
        parser = self._connection.parser
        parser.add_data(data)
        while self._connection is not None and (message := parser.get_next_message()) is not None:
            self._handle(message)

    def _handle(self, message: Any) -> None:
        from jeepney import HeaderFields, MessageType

        header = message.header
        kind = header.message_type
        if kind in (MessageType.method_return, MessageType.error):
            call = self._calls.pop(header.fields.get(HeaderFields.reply_serial, -1), None)
            if call is None:
                return
            if kind is MessageType.method_return and message.body:
                self._remember(int(message.body[0]), call[2])
            else:
                log.info("the notification service refused %r: %s", call[0],
                         header.fields.get(HeaderFields.error_name, "?"))
                self.unavailable.emit(*call)
        elif kind is MessageType.signal and header.fields.get(HeaderFields.interface) == INTERFACE:
            member = header.fields.get(HeaderFields.member)
            if member == "ActionInvoked" and len(message.body) == 2 and message.body[1] in OPEN_ACTIONS:
                notification_id = int(message.body[0])
                if notification_id in self._shown:  # ours: another application's ids are not kept
                    self.clicked.emit(self._shown[notification_id])
            elif member == "NotificationClosed" and message.body:
                self._shown.pop(int(message.body[0]), None)

    def _remember(self, notification_id: int, target: object) -> None:
        self._shown.pop(notification_id, None)
        self._shown[notification_id] = target
        while len(self._shown) > REMEMBERED:
            del self._shown[next(iter(self._shown))]

    def _lost(self, error: BaseException) -> None:
        log.warning("lost the desktop notification service: %s", error)
        unanswered = list(self._calls.values())
        self._calls.clear()
        self.close()
        for message in unanswered:
            self.unavailable.emit(*message)

