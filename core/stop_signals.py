"""Ending a long-running Tsuzuki (headless, a command-line check, the window) promptly.

Shared by the command line and the desktop app so both stop the same way: SIGINT and
SIGTERM quit the Qt event loop, and a process whose worker threads are stuck past the
shutdown's grace ends at once instead of hanging.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NoReturn

from PySide6.QtCore import QSocketNotifier, QTimer


@contextmanager
def stop_signals(quit_loop: Callable[[], None]) -> Iterator[list[int]]:
    """While inside, SIGINT and SIGTERM are recorded in the yielded list and call ``quit_loop``.

    Python runs a signal handler only when it gets control back, and Qt waits in C: the signal
    also writes a byte to a socket Qt watches, which wakes the loop (no polling timer).
    """
    received: list[int] = []

    def handle(signum: int, _frame: object) -> None:
        received.append(signum)
        QTimer.singleShot(0, quit_loop)  # queued: also quits a loop that has not started yet

    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(lambda: reader.recv(64))  # Python's handler has run by now
    previous_fd = signal.set_wakeup_fd(writer.fileno())
    previous = {signum: signal.signal(signum, handle) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield received
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        signal.set_wakeup_fd(previous_fd)
        notifier.setEnabled(False)
        reader.close()
        writer.close()


def end_process_now(code: int) -> NoReturn:
    """End the process at once with ``code``, leaving stuck worker threads behind (Qt aborts on
    destroying a running QThread); logs and standard streams are flushed first."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
