"""The tray icon: what Tsuzuki is doing, the way back to the window, the window's main actions,
the scheduler, notifications that open what they are about, and Quit."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from core.models import utc_now
from core.notifications import Notification
from core.service import CoreService
from gui.desktop_notifications import DesktopNotifications, available
from gui.resources import badged, tray_icon
from gui.scheduler_text import next_check_text
from gui.tray_activity import TrayActivity
from gui.windowing import bring_forward
from gui.windows.main_window import MainWindow

MESSAGE_MS = 10_000  # how long a tray message stays up where the desktop lets us choose
BUSY_COLOUR = QColor("#1e88e5")
PROBLEM_COLOUR = QColor("#e53935")


class TrayIcon(QSystemTrayIcon):
    """Tsuzuki in the tray, over ``service`` and the main ``window``.

    The icon carries a blue dot while a check or a download runs and a red one when something
    failed since the window was last up; the tooltip says which. The menu is rebuilt each time
    it opens, so every row is current; it shares the window's Check all and Settings actions.

    Notifications go to the desktop's notification service over D-Bus where there is one
    (``desktop_notifications``, on Linux by default): a click on one of ours opens the show it
    is about, or the file it downloaded, and a click on another application's does nothing.
    Elsewhere, or when the service is missing, they are tray messages, and ``messageClicked``
    follows the last one, once.

    Signals:
        quit_requested(): the user chose Quit.
    """

    quit_requested = Signal()

    def __init__(self, service: CoreService, window: MainWindow, *,
                 desktop_notifications: bool | None = None) -> None:
        super().__init__(tray_icon(), window)
        self._service = service
        self._window = window
        self._message_up = False  # a tray message of ours is up, not clicked yet
        self._last: Notification | None = None  # what it is about
        self.activity = TrayActivity(service, self)
        self.activity.changed.connect(self._show_activity)
        self._show_activity()
        self._menu = QMenu(window)
        self._menu.aboutToShow.connect(self._rebuild_menu)
        self.setContextMenu(self._menu)
        self._rebuild_menu()  # a menu is never empty, even before it is first opened
        self.activated.connect(self._on_activated)
        self.messageClicked.connect(self._on_message_clicked)
        self._desktop: DesktopNotifications | None = None
        if available() if desktop_notifications is None else desktop_notifications:
            self._desktop = DesktopNotifications(service, self)
            self._desktop.clicked.connect(self._open)
            self._desktop.unavailable.connect(self._show_message)
        service.notification.connect(self._on_notification)
        window.installEventFilter(self)

    @property
    def last_item_id(self) -> str | None:
        """The show the last tray message was about (None: it was about no show, or was clicked)."""
        return self._last.item_id if self._last is not None else None

    def say(self, title: str, body: str) -> None:
        """Tell the user something (a notification that opens the window when clicked)."""
        self._tell(title, body, None)

    def close_notifications(self) -> None:
        """Leave the session bus (the app does at quit): from now on, notifications are tray messages."""
        if self._desktop is not None:
            self._desktop.close()

    def _on_notification(self, notification: Notification) -> None:
        self._tell(notification.title, notification.body, notification)

    def _tell(self, title: str, body: str, target: Notification | None) -> None:
        if self._desktop is not None:
            self._desktop.send(title, body, target)
        else:
            self._show_message(title, body, target)

    def _show_message(self, title: str, body: str, target: object) -> None:
        self._last = target if isinstance(target, Notification) else None
        self._message_up = True
        self.showMessage(title, body, tray_icon(), MESSAGE_MS)

    def _on_message_clicked(self) -> None:
        if not self._message_up:  # no message of ours is up: another application's was clicked
            return
        self._message_up = False
        self._open(self._last)
        self._last = None

    def _open(self, target: object) -> None:
        """What a click on a notification leads to: the file it downloaded, its show, or the window."""
        if isinstance(target, Notification) and target.path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(target.path))
            return
        self._show_window()
        if isinstance(target, Notification) and target.item_id is not None:
            self._window.show_item(target.item_id)

    # Icon, tooltip and menu --------------------------------------------------------------

    def _show_activity(self) -> None:
        activity = self.activity
        if activity.problems:
            self.setIcon(badged(tray_icon(), PROBLEM_COLOUR))
        elif activity.busy():
            self.setIcon(badged(tray_icon(), BUSY_COLOUR))
        else:
            self.setIcon(tray_icon())
        self.setToolTip(activity.tooltip())

    def _rebuild_menu(self) -> None:
        menu = self._menu
        menu.clear()
        if self._window.isVisible() and not self._window.isMinimized():
            menu.addAction(self.tr("Hide window"), self._window.hide)
        else:
            menu.addAction(self.tr("Show window"), self._show_window)
        menu.addSeparator()
        state = self._service.scheduler_state()
        for row in (next_check_text(state, utc_now()), *self.activity.lines()):
            menu.addAction(row).setEnabled(False)
        menu.addSeparator()
        menu.addAction(self._window.action("check_all"))
        if state.running:
            menu.addAction(self.tr("Stop periodic checks"), self._service.stop_scheduler)
        else:
            menu.addAction(self.tr("Start periodic checks"), self._service.start_scheduler)
        menu.addAction(self._window.action("settings"))
        menu.addSeparator()
        menu.addAction(self.tr("Quit"), self.quit_requested.emit)

    def _show_window(self) -> None:
        bring_forward(self._window)

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason is QSystemTrayIcon.ActivationReason.Trigger:  # a left click: show or hide the window
            if self._window.isVisible() and not self._window.isMinimized():
                self._window.hide()
            else:
                self._show_window()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The window shown or brought to the front: what failed has been seen."""
        if watched is self._window and event.type() in (QEvent.Type.Show, QEvent.Type.WindowActivate):
            self.activity.seen()
        return False
