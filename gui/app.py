"""The desktop app, which ``tsuzuki`` without arguments opens."""

from __future__ import annotations

from collections.abc import Sequence


def run(argv: Sequence[str]) -> int:
    """Open the app; returns the exit code.

    Until the main window exists this prints the command line's help, as
    ``tsuzuki --help`` does; the window replaces it.
    """
    from core.cli.main import build_parser

    build_parser().print_help()
    return 0
