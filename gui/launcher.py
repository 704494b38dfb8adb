"""The console script ``tsuzuki``: with arguments, core's command line; without, the app.

``--version`` is answered here, before the command line (and its parser) is imported,
so it costs no more than starting Python.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``tsuzuki``; returns the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments:
        from gui.app import run

        return run(arguments)
    if arguments == ["--version"]:
        from core import __version__

        print(f"tsuzuki {__version__}")
        return 0
    from core.cli.main import main as run_command

    return run_command(arguments)
