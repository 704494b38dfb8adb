"""The running desktop app: the engine, the instance socket, the main window and the tray, and a
bounded quit."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from core.datafolder import DataFolder
from core.instance import InstanceLock
from core.instance_commands import InstanceServer
from core.service import CoreService
from core.stop_signals import end_process_now
from gui.tray import TrayIcon
from gui.windowing import bring_forward
from gui.windows.main_window import MainWindow

log = logging.getLogger(__name__)

TRAY_WAIT_MS = 5_000  # an autostarted app may start before the panel: how long to wait for its tray
TRAY_POLL_MS = 250
SHUTDOWN_MS = 2_000  # worker threads' grace at quit; the whole quit stays under 3 s


class Shell(QObject):
    """Owns this data folder while the app runs (raises ``AlreadyRunning`` if another Tsuzuki does).

    With a tray, closing the window hides it and Quit is in the tray's menu; without one (none
    appeared within ``tray_wait_ms``) the window stays up and closing it quits. ``minimized``
    starts hidden in the tray, or minimised without one. ``checks=False`` leaves the engine
    stopped: no check, no download resumed (``--selftest``).

    Signals:
        stopped(): the engine is shut down and the lock released; the event loop may end.

    Attributes:
        service, window: the engine and the main window.
        tray: the tray icon, None while there is no tray host.
    """

    stopped = Signal()

    def __init__(self, folder: DataFolder, *, minimized: bool = False, tray_wait_ms: int = TRAY_WAIT_MS,
                 checks: bool = True) -> None:
        super().__init__()
        self._lock = InstanceLock(folder)
        self._lock.acquire("the window")
        self._minimized = minimized
        self._stopped = False
        self.service = CoreService(folder, parent=self)
        self._server = InstanceServer(self.service)
        self._server.listen()
        self.window = MainWindow(self.service)
        self.window.installEventFilter(self)
        self.tray: TrayIcon | None = None
        self.service.activation_requested.connect(self.show_window)
        self._tray_wait = QTimer(self)
        self._tray_wait.setInterval(TRAY_POLL_MS)
        self._tray_wait.timeout.connect(self._look_for_tray)
        if QSystemTrayIcon.isSystemTrayAvailable():
            self._add_tray()
        else:
            if minimized:
                self.window.showMinimized()
            else:
                self.window.show()
            self._tray_deadline = tray_wait_ms // TRAY_POLL_MS
            if self._tray_deadline > 0:
                self._tray_wait.start()
        if checks:
            self.service.start(periodic_by_default=True)  # a new user's shows are checked every few hours

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
        """Closing the window quits when there is no tray to come back from."""
        if watched is self.window and event.type() == QEvent.Type.Close and self.tray is None:
            QTimer.singleShot(0, self.quit)  # after the close has finished
        return False

    def _look_for_tray(self) -> None:
        self._tray_deadline -= 1
        if QSystemTrayIcon.isSystemTrayAvailable():
            self._add_tray()
            if self._minimized:
                self.window.hide()
        if self.tray is not None or self._tray_deadline <= 0:
            self._tray_wait.stop()

    def _add_tray(self) -> None:
        QApplication.setQuitOnLastWindowClosed(False)
        self.tray = TrayIcon(self.service, self.window)
        self.tray.quit_requested.connect(self.quit)
        self.tray.show()
        if not self._minimized:
            self.window.show()
