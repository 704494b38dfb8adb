"""The tray icon: the way back to the window, "check now", the scheduler, notifications, Quit."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from core.models import utc_now
from core.notifications import Notification
from core.service import CoreService
from gui.resources import tray_icon
from gui.scheduler_text import next_check_text
from gui.windowing import bring_forward
from gui.windows.main_window import MainWindow

MESSAGE_MS = 10_000  # how long a tray message stays up where the desktop lets us choose


class TrayIcon(QSystemTrayIcon):
    """Tsuzuki in the tray, over ``service`` and the main ``window``.

    The menu is rebuilt each time it opens, so every row is current. A click on a tray
    message opens the show the last message was about (one handler, connected once).

    Signals:
        quit_requested(): the user chose Quit.
    """

    quit_requested = Signal()

    def __init__(self, service: CoreService, window: MainWindow) -> None:
        super().__init__(tray_icon(), window)
        self._service = service
        self._window = window
        self._last_item_id: str | None = None
        self.setToolTip("Tsuzuki")
        self._menu = QMenu(window)
        self._menu.aboutToShow.connect(self._rebuild_menu)
        self.setContextMenu(self._menu)
        self._rebuild_menu()  # a menu is never empty, even before it is first opened
        self.activated.connect(self._on_activated)
        self.messageClicked.connect(self._on_message_clicked)
        service.notification.connect(self._on_notification)

    @property
    def last_item_id(self) -> str | None:
        """The show the last tray message was about (None: it was about no show)."""
        return self._last_item_id

    def _rebuild_menu(self) -> None:
        menu = self._menu
        menu.clear()
        if self._window.isVisible() and not self._window.isMinimized():
            menu.addAction(self.tr("Hide window"), self._window.hide)
        else:
            menu.addAction(self.tr("Show window"), self._show_window)
        check = menu.addAction(self.tr("Checking…") if self._service.is_checking() else self.tr("Check now"), self._service.check_all)
        check.setEnabled(not self._service.is_checking())
        menu.addSeparator()
        state = self._service.scheduler_state()
        menu.addAction(next_check_text(state, utc_now())).setEnabled(False)
        if state.running:
            menu.addAction(self.tr("Stop periodic checks"), self._service.stop_scheduler)
        else:
            menu.addAction(self.tr("Start periodic checks"), self._service.start_scheduler)
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

    def _on_notification(self, notification: Notification) -> None:
        self._last_item_id = notification.item_id
        self.showMessage(notification.title, notification.body, tray_icon(), MESSAGE_MS)

    def _on_message_clicked(self) -> None:
        self._show_window()
        if self._last_item_id is not None:
            self._window.show_item(self._last_item_id)
