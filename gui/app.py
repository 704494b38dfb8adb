"""The desktop app, which ``tsuzuki`` without arguments opens."""

from __future__ import annotations

from collections.abc import Sequence


def run(argv: Sequence[str]) -> int:
    """Open the app; returns the exit code.

    When Tsuzuki already runs for this data folder, it is asked to show its window instead
    (one instance per data folder). Until the main window exists this then prints the command
    line's help, as ``tsuzuki --help`` does; the window replaces it.
    """
    from core.cli.main import build_parser
    from core.datafolder import DataFolder
    from core.instance_commands import ACTIVATE, connect

    running = connect(DataFolder.for_profile(None))
    if running is not None:
        running.call(ACTIVATE)
        print("Tsuzuki is already running for this data folder: it was asked to show its window.")
        return 0
    build_parser().print_help()
    return 0
