"""The settings dialog: global settings (the window's among them), the periodic check, notification
channels, the torrent client.

The General page is applied on OK (only the changed keys; a bad value is marked
beside its field and the dialog stays open); the other pages act at once.
"""

from __future__ import annotations

from typing import cast

from annotated_types import Ge, Le
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.choices import WindowOnStart
from core.errors import InputError
from core.models import Appearance, WatchlistSettings
from core.service import CoreService
from gui.dialogs.marks import Marks
from gui.dialogs.settings_pages import ChannelsPage, SchedulerPage, TorrentClientPage

WINDOW_SWITCHES = ("close_to_tray", "start_on_login")  # laid out in the Window group
SUBTITLE_LANGUAGES = ("en", "fr", "es", "pt", "it", "de", "ar", "ru", "pl", "tr")  # offered; any two-letter code is taken


def setting_range(key: str) -> tuple[int, int]:
    """The smallest and largest value the model allows for a number setting."""
    metadata = WatchlistSettings.model_fields[key].metadata
    low = next(rule.ge for rule in metadata if isinstance(rule, Ge))
    high = next(rule.le for rule in metadata if isinstance(rule, Le))
    return cast(int, low), cast(int, high)


class GeneralPage(QWidget):
    """Every global setting, each with its widget and its inline mark.

    Attributes:
        numbers / switches: the spin box / check box of each number / on-off setting, by key.
        download_dir: the download folder's text.
        on_start: how the window starts (each item's data is a ``WindowOnStart``).
        marks: the inline marks, by key.
    """

    def __init__(self, settings: WatchlistSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._before = settings
        self.marks = Marks()
        self.numbers = {key: QSpinBox(minimum=setting_range(key)[0], maximum=setting_range(key)[1])
                        for key in ("check_interval_hours", "max_parallel_downloads", "max_concurrent_auto_downloads")}
        self.numbers["check_interval_hours"].setSuffix(self.tr(" h"))
        self.switches = {key: QCheckBox(text) for key, text in (
            ("auto_download_enabled", self.tr("Download new episodes automatically")),
            ("notify_on_new_episodes", self.tr("Tell me about new episodes")),
            ("include_completed_anime", self.tr("Check completed shows too")),
            ("complete_finished_shows", self.tr("Mark a show completed once its last episode is downloaded")),
            ("close_to_tray", self.tr("Closing the window keeps Tsuzuki running in the tray")),
            ("start_on_login", self.tr("Start Tsuzuki when I log in (in the tray)")),
        )}
        self.on_start = QComboBox()
        for how, text in ((WindowOnStart.NORMAL, self.tr("Normal")), (WindowOnStart.MINIMIZED, self.tr("Minimised")),
                          (WindowOnStart.HIDDEN, self.tr("Hidden (only the tray icon)"))):
            self.on_start.addItem(text, how)
        self.download_dir = QLineEdit()
        self.subtitle_language = QComboBox(editable=True)  # a two-letter code: what a show's "sub" means
        self.subtitle_language.addItems(SUBTITLE_LANGUAGES)
        self.subtitle_language.setToolTip(self.tr("The language a show's \"sub\" and \"dub\" mean, "
                                                  "as a two-letter code (en, fr, it, es, pt…)."))
        self.appearance = QComboBox()
        for value, text in ((Appearance.SYSTEM, self.tr("As the desktop")), (Appearance.LIGHT, self.tr("Light")),
                            (Appearance.DARK, self.tr("Dark"))):
            self.appearance.addItem(text, value)
        choose = QPushButton(self.tr("C&hoose…"))
        choose.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.download_dir, 1)
        folder_row.addWidget(choose)
        form = QFormLayout(self)
        form.addRow(self.marks.general)
        for key, label in (("check_interval_hours", self.tr("Check &every:")),
                           ("max_parallel_downloads", self.tr("&Parallel downloads:")),
                           ("max_concurrent_auto_downloads", self.tr("Automatic &downloads at once:"))):
            form.addRow(label, self.marks.field(key, self.numbers[key]))
        for key, box in self.switches.items():
            if key not in WINDOW_SWITCHES:
                form.addRow("", self.marks.field(key, box))
        form.addRow(self.tr("Download &folder:"), self.marks.field("download_dir", folder_row))
        form.addRow(self.tr("&Subtitle language:"), self.marks.field("subtitle_language", self.subtitle_language))
        form.addRow(self.tr("&Appearance:"), self.marks.field("appearance", self.appearance))
        window = QGroupBox(self.tr("Window"))
        window_form = QFormLayout(window)
        window_form.addRow(self.tr("On &start:"), self.marks.field("window_on_start", self.on_start))
        for key in WINDOW_SWITCHES:
            window_form.addRow("", self.marks.field(key, self.switches[key]))
        form.addRow(window)
        self._fill(settings)

    def _fill(self, settings: WatchlistSettings) -> None:
        for key, spin in self.numbers.items():
            spin.setValue(getattr(settings, key))
        for key, box in self.switches.items():
            box.setChecked(getattr(settings, key))
        self.download_dir.setText(str(settings.download_dir))
        self.subtitle_language.setCurrentText(settings.subtitle_language)
        self.appearance.setCurrentIndex(self.appearance.findData(settings.appearance))
        self.on_start.setCurrentIndex(self.on_start.findData(settings.window_on_start))

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Download folder"), self.download_dir.text())
        if chosen:
            self.download_dir.setText(chosen)

    def changes(self) -> dict[str, object]:
        """The settings the form changed (the folder as typed text: "~/Videos" is fine)."""
        values: dict[str, object] = {key: spin.value() for key, spin in self.numbers.items()}
        values.update({key: box.isChecked() for key, box in self.switches.items()})
        values["subtitle_language"] = self.subtitle_language.currentText().strip().lower()
        values["appearance"] = self.appearance.currentData()
        values["window_on_start"] = WindowOnStart(self.on_start.currentData())
        before = self._before.model_dump()
        changed = {key: value for key, value in values.items() if before[key] != value}
        folder = self.download_dir.text().strip()
        if folder != str(self._before.download_dir):
            changed["download_dir"] = folder
        return changed


class SettingsDialog(QDialog):
    """Tsuzuki's settings in tabs: General (applied on OK), Scheduler, Notifications, Torrent client."""

    def __init__(self, service: CoreService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.setWindowTitle(self.tr("Settings"))
        self.general = GeneralPage(service.settings(), self)
        self.scheduler = SchedulerPage(service, self)
        self.channels = ChannelsPage(service, self)
        self.torrent = TorrentClientPage(service, self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.general, self.tr("&General"))
        self.tabs.addTab(self.scheduler, self.tr("S&cheduler"))
        self.tabs.addTab(self.channels, self.tr("&Notifications"))
        self.tabs.addTab(self.torrent, self.tr("&Torrent client"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.buttons)

    def apply(self) -> None:
        """Save the General page's changes and close; a bad value is marked and the dialog stays."""
        changes = self.general.changes()
        self.general.marks.clear()
        if changes:
            try:
                self._service.update_settings(changes)
            except InputError as error:
                self.general.marks.show(str(error))
                self.tabs.setCurrentWidget(self.general)
                return
        self.accept()
