"""``tsuzuki --selftest``: the app opens on this machine — main window, tray, data — and closes.

The installer's build runs it on the packaged app: a missing Qt plugin, module or resource fails
here instead of on a user's desktop. It runs offscreen (no display needed), starts no check and
no download, and exits 0 when the window showed every show of the watchlist.
"""

from __future__ import annotations

import os
import sys

from core.datafolder import DataFolder

LOAD_DEADLINE_MS = 30_000  # the watchlist loads in the background; a big one on a slow machine


def selftest(folder: DataFolder) -> int:
    """Open the app over ``folder``, check what it shows, quit; returns the exit code."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer

    from gui.application import application
    from gui.shell import Shell
    from gui.tray import TrayIcon

    app = application()
    shell = Shell(folder, tray_wait_ms=0, checks=False)
    try:
        tray = shell.tray or TrayIcon(shell.service, shell.window)  # offscreen has no tray host: build it anyway
        tray.contextMenu().aboutToShow.emit()  # the menu is built as when it opens
        expected = len(shell.service.list_items())
        watchlist = shell.window.watchlist
        if not watchlist.is_loaded():  # the rows are read in the background
            wait = QEventLoop()
            watchlist.loaded.connect(wait.quit)
            QTimer.singleShot(LOAD_DEADLINE_MS, wait.quit)
            wait.exec()
        app.processEvents()
        shown = shell.window.watchlist.rowCount()
        problems = [text for text, failed in (
            ("the main window did not show", not shell.window.isVisible()),
            (f"the watchlist shows {shown} of {expected} shows", shown != expected),
            ("the app's icon did not load", app.windowIcon().isNull()),
        ) if failed]
    finally:
        shell.quit()
    for problem in problems:
        print(f"tsuzuki --selftest: {problem}", file=sys.stderr)
    if not problems:
        print(f"tsuzuki --selftest: passed ({expected} shows, window and tray)")
    return 1 if problems else 0
