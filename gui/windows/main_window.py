"""Placeholder main window: the interface the app shell and the tray rely on (replaced by the real one)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow

from core.service import CoreService


class MainWindow(QMainWindow):
    """The main window over ``service``."""

    def __init__(self, service: CoreService) -> None:
        super().__init__()
        self._service = service
        self.setWindowTitle("Tsuzuki")
        self.setCentralWidget(QLabel("Tsuzuki"))

    def show_item(self, item_id: str) -> None:
        """Bring the show ``item_id`` into view (a notification about it was clicked)."""
