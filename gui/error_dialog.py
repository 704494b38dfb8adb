"""An uncaught error in a slot becomes a dialog in plain words, not a silent log line."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from core.errors import TsuzukiError

log = logging.getLogger(__name__)


def plain_words(error: BaseException) -> str:
    """What went wrong, for a person: our own errors already speak plainly; others are named."""
    if isinstance(error, TsuzukiError):
        return str(error)
    detail = str(error) or "no further detail"
    return f"Something went wrong inside Tsuzuki ({type(error).__name__}: {detail})."


class ErrorDialogs:
    """The ``sys.excepthook`` of the app: logs the error and shows it in a message box.

    The box is opened without blocking (``open()``), so an error raised while another box
    is up does not nest event loops; ``dialogs`` holds the boxes on screen.
    """

    def __init__(self) -> None:
        self.dialogs: list[QMessageBox] = []

    def install(self) -> None:
        sys.excepthook = self

    def __call__(self, kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        log.error("uncaught error", exc_info=(kind, error, trace))
        if QApplication.instance() is None or isinstance(error, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        box = QMessageBox(QMessageBox.Icon.Critical, "Tsuzuki: something went wrong", plain_words(error))
        box.setInformativeText("Tsuzuki carries on; if this happens again, please report it with the details.")
        box.setDetailedText("".join(traceback.format_exception(kind, error, trace)))
        box.finished.connect(lambda _result: self.dialogs.remove(box))
        self.dialogs.append(box)
        box.open()
