"""``tsuzuki --selftest``: the app opens on this machine — main window, tray, data — and closes.

The installer's build runs it on the packaged app: a missing Qt plugin, module or resource fails
here instead of on a user's desktop. It runs offscreen (no display needed), starts no check and
no download, and exits 0 when the window showed every show of the watchlist.
"""

from __future__ import annotations

import os
import sys
import time

from core.datafolder import DataFolder

LOAD_DEADLINE_S = 30.0  # the watchlist loads in the background; a big one on a slow machine


def selftest(folder: DataFolder) -> int:
    """Open the app over ``folder``, check what it shows, quit; returns the exit code."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from gui.resources import app_icon, install_translations
    from gui.shell import Shell
    from gui.tray import TrayIcon

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setWindowIcon(app_icon())
    install_translations(app)
    shell = Shell(folder, tray_wait_ms=0, checks=False)
    try:
        tray = shell.tray or TrayIcon(shell.service, shell.window)  # offscreen has no tray host: build it anyway
        tray.contextMenu().aboutToShow.emit()  # the menu is built as when it opens
        expected = len(shell.service.list_items())
        deadline = time.monotonic() + LOAD_DEADLINE_S
        while shell.window.watchlist.rowCount() < expected and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
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
