"""The running desktop app: the engine, the instance socket, the main window and the tray, and a
bounded quit."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QSystemTrayIcon

from core.choices import WindowOnStart
from core.datafolder import DataFolder
from core.instance import InstanceLock
from core.instance_commands import InstanceServer
from core.models import WatchlistSettings
from core.service import CoreService
from core.stop_signals import end_process_now
from gui.tray import TrayIcon
from gui.window_state import WindowStateStore
from gui.windowing import bring_forward
from gui.windows.main_window import MainWindow

log = logging.getLogger(__name__)

TRAY_WAIT_MS = 5_000  # an autostarted app may start before the panel: how long to wait for its tray
TRAY_POLL_MS = 250
SHUTDOWN_MS = 2_000  # worker threads' grace at quit; the whole quit stays under 3 s
STILL_RUNNING = "still running in the tray"  # the one-time messages, as remembered in window.json
CLOSING_QUITS = "closing quits without a tray"


class Shell(QObject):
    """Owns this data folder while the app runs (raises ``AlreadyRunning`` if another Tsuzuki does).

    The window starts as ``window_on_start`` says (``minimized`` overrides it with hidden): hidden
    leaves only the tray icon, and is minimised while there is no tray. A tray host that appears
    within ``tray_wait_ms`` (autostart before the panel) is still used. With a tray, closing the
    window hides it when ``close_to_tray`` is on (saying so the first time) and quits otherwise;
    without one, closing quits, after saying so the first time. Each such message is said once
    per data folder (``window.json`` remembers). ``checks=False`` leaves the engine stopped: no
    check, no download resumed (``--selftest``).

    Signals:
        stopped(): the engine is shut down and the lock released; the event loop may end.

    Attributes:
        service, window: the engine and the main window.
        tray: the tray icon, None while there is no tray host.
        notice: the message box saying that closing quits, while it is up.
    """

    stopped = Signal()

    def __init__(self, folder: DataFolder, *, minimized: bool = False, tray_wait_ms: int = TRAY_WAIT_MS,
                 tray_available: Callable[[], bool] = QSystemTrayIcon.isSystemTrayAvailable,
                 checks: bool = True) -> None:
        """``tray_available`` says whether a tray host is there now (tests stand in for one)."""
        super().__init__()
        self._lock = InstanceLock(folder)
        self._lock.acquire("the window")
        self._stopped = False
        self._tray_available = tray_available
        self._told = WindowStateStore(folder)
        self.service = CoreService(folder, parent=self)
        self._settings = self.service.settings()
        self._on_start = WindowOnStart.HIDDEN if minimized else self._settings.window_on_start
        self.service.settings_changed.connect(self._use_settings)
        self._server = InstanceServer(self.service)
        self._server.listen()
        self.window = MainWindow(self.service)
        self.window.installEventFilter(self)
        self.tray: TrayIcon | None = None
        self.notice: QMessageBox | None = None
        self.service.activation_requested.connect(self.show_window)
        self._tray_wait = QTimer(self)
        self._tray_wait.setInterval(TRAY_POLL_MS)
        self._tray_wait.timeout.connect(self._look_for_tray)
        if tray_available():
            self._add_tray()
        else:
            self._tray_deadline = tray_wait_ms // TRAY_POLL_MS
            if self._tray_deadline > 0:
                self._tray_wait.start()
        self._show_at_start()
        if checks:
            self.service.start(periodic_by_default=True, follow_airing=True)  # a new user's shows are checked every few hours

    def show_window(self) -> None:
        """Show the window in front (a second launch asked for it)."""
        bring_forward(self.window)

    def quit(self) -> None:
        """Stop the engine within the grace and release the data folder, then emit ``stopped``.

        A worker thread stuck past the grace (a slow source) is left behind: the process ends
        at once, as headless mode does; what it wrote so far is kept and resumed next time."""
        if self._stopped:
            return
        self._stopped = True
        self._tray_wait.stop()
        if self.tray is not None:
            self.tray.hide()
        self.window.hide()
        self._server.close()
        clean = self.service.shutdown(SHUTDOWN_MS)
        self._lock.release()
        if not clean:
            log.warning("quitting with worker threads still running")
            end_process_now(0)
        self.stopped.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Closing the window hides it in the tray, or quits (see the class's docstring)."""
        if watched is self.window and event.type() == QEvent.Type.Close:
            if self.tray is not None and self._settings.close_to_tray:
                if self._told.tell_once(STILL_RUNNING):
                    self.tray.say(self.tr("Tsuzuki"), self.tr(
                        "Tsuzuki is still running in the tray: checks and downloads go on. "
                        "Quit it from the tray icon's menu."))
            elif self.tray is None and self._told.tell_once(CLOSING_QUITS):
                self._say_closing_quits()  # opened before the window goes, so it is not the last window closed
            else:
                QTimer.singleShot(0, self.quit)  # after the close has finished
        return False

    def _say_closing_quits(self) -> None:
        self.notice = QMessageBox(QMessageBox.Icon.Information, self.tr("Tsuzuki"), self.tr(
            "This desktop has no tray, so closing the window quits Tsuzuki: it checks and downloads "
            "only while it is open. To keep it running, leave the window open or minimised."),
            QMessageBox.StandardButton.Ok)
        self.notice.finished.connect(self.quit)
        self.notice.open()

    def _use_settings(self, settings: WatchlistSettings) -> None:
        self._settings = settings

    def _show_at_start(self) -> None:
        how = self._on_start
        if how is WindowOnStart.HIDDEN and self.tray is None:
            how = WindowOnStart.MINIMIZED
        if how is WindowOnStart.NORMAL:
            self.window.show()
        elif how is WindowOnStart.MINIMIZED:
            self.window.showMinimized()
        log.info("the window starts %s%s", how.value, "" if self.tray else " (no tray yet)")

    def _look_for_tray(self) -> None:
        self._tray_deadline -= 1
        if self._tray_available():
            self._add_tray()
            if self._on_start is WindowOnStart.HIDDEN:
                self.window.hide()
        if self.tray is not None or self._tray_deadline <= 0:
            self._tray_wait.stop()

    def _add_tray(self) -> None:
        QApplication.setQuitOnLastWindowClosed(False)
        self.tray = TrayIcon(self.service, self.window)
        self.tray.quit_requested.connect(self.quit)
        self.tray.show()
