"""The console script ``tsuzuki``: with arguments, core's command line; without (or with only
the app's start options, such as ``--minimized``), the app.

``--version`` is answered here, before the command line (and its parser) is imported,
so it costs no more than starting Python.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

GUI_OPTIONS = frozenset({"--minimized", "--selftest"})  # the app's start options (gui.app); the rest is the command line's


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``tsuzuki``; returns the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if set(arguments) <= GUI_OPTIONS:
        from gui.app import run

        return run(arguments)
    if arguments == ["--version"]:
        from core import __version__

        print(f"tsuzuki {__version__}")
        return 0
    from core.cli.main import main as run_command

    return run_command(arguments)
