"""The desktop app, which ``tsuzuki`` without arguments opens.

Start options (``tsuzuki --minimized`` is what the autostart entry runs):
    --minimized: start hidden in the tray (minimised when there is no tray).
    --selftest: open the window and tray offscreen over the data, then exit (see gui.selftest).

SIGINT and SIGTERM (a logout, ``kill``) quit as the tray's Quit does, and the app then exits 0,
as headless mode does: that is how a desktop session ends it, not a failure.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.datafolder import DataFolder

def parse_options(argv: Sequence[str]) -> argparse.Namespace:
    """The app's start options (see the module's docstring)."""
    parser = argparse.ArgumentParser(prog="tsuzuki", description="Open Tsuzuki's window.")
    parser.add_argument("--minimized", action="store_true", help="start hidden in the tray (minimised without one)")
    parser.add_argument("--selftest", action="store_true",
                        help="open the window and tray offscreen over your data, check them, and exit")
    return parser.parse_args(list(argv))


def run(argv: Sequence[str]) -> int:
    """Open the app; returns the exit code.

    When Tsuzuki already runs for this data folder, it is asked to show its window instead
    (one instance per data folder).
    """
    options = parse_options(argv)
    from core.datafolder import DataFolder
    from core.instance_client import ACTIVATE, connect

    folder = DataFolder.for_profile(None)
    if options.selftest:
        from core.instance import AlreadyRunning
        from gui.selftest import selftest

        try:
            return selftest(folder)
        except AlreadyRunning as error:
            print(f"tsuzuki --selftest: {error}", file=sys.stderr)
            return 1
    running = connect(folder)
    if running is not None:
        running.call(ACTIVATE)
        print("Tsuzuki is already running for this data folder: it was asked to show its window.")
        return 0
    return _open(folder, minimized=options.minimized)


def _open(folder: DataFolder, *, minimized: bool) -> int:
    """The app itself, until it quits."""
    from core import __version__
    from core.instance import AlreadyRunning
    from core.logs import configure_logging
    from core.stop_signals import stop_signals
    from gui.appearance import ColourScheme
    from gui.application import application
    from gui.error_dialog import ErrorDialogs
    from gui.shell import Shell

    configure_logging(folder)  # logs/tsuzuki.log, as for every command
    logging.getLogger(__name__).info("Tsuzuki %s: the desktop app starts", __version__)
    app = application()
    ErrorDialogs().install()
    try:
        shell = Shell(folder, minimized=minimized)
    except AlreadyRunning as error:  # another one started since we asked
        print(f"tsuzuki: {error}", file=sys.stderr)
        return 1
    ColourScheme(app).follow(shell.service)  # before the first paint: no flash of the other scheme
    shell.stopped.connect(app.quit)
    with stop_signals(shell.quit):
        app.exec()
    shell.quit()  # the loop also ends when the window's File > Quit calls QApplication.quit()
    return 0
