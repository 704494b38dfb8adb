"""Add a show, or edit one: inline marks on bad fields, an AniList search, a live preview of the first check.

Everything that touches the network (the preview, the AniList search, the save
itself, which may ask AniList for a linked show's details) runs through
``CoreService.background``; only the latest preview's answer is shown.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.actions import Explanation, Saved
from core.choices import QualityPreference
from core.errors import TsuzukiError
from core.models import WatchlistItem
from core.service import CoreService
from core.titles import normalise_title
from gui.dialogs.anilist_search import AniListResults
from gui.dialogs.marks import Marks, say
from gui.models.preview import PreviewColumn, PreviewModel
from gui.posters import Posters

if TYPE_CHECKING:
    from providers.anilist import AnimeMetadata

PREVIEW_DELAY_MS = 600  # the preview waits for the fields to stop changing this long
LANGUAGES = ("sub", "dub", "vostfr", "vf", "multi")
LIST_FIELDS = ("title_aliases", "preferred_groups", "blocked_groups")
QUIET_FIELDS = ("auto_download", "anilist_id")  # changing these does not change what a check would take


def split_names(text: str) -> list[str]:
    """"A, B ,, C" -> ["A", "B", "C"]."""
    return [name.strip() for name in text.split(",") if name.strip()]


def other_names(title: str, names: list[str]) -> list[str]:
    """``names`` without ``title``, without repeats (compared as the matcher compares titles) and
    without names the comma-separated alias field cannot hold, in order."""
    seen = {normalise_title(title)}
    kept = []
    for name in names:
        if name and "," not in name and normalise_title(name) not in seen:
            seen.add(normalise_title(name))
            kept.append(name)
    return kept


def guessed_provider(source: str) -> str:
    """The source kind a bare URL or path most likely is: a folder for a path, else a feed."""
    return "directory" if os.path.isabs(source) or source.startswith("file://") else "feed"


class ShowDialog(QDialog):
    """Add a show (``item`` None) or edit ``item`` (saving only the fields that changed).

    Signals:
        saved(Saved): the show was saved (its warnings are for the user); the dialog then closes.

    Attributes:
        preview: the live preview's rows.
    """

    saved = Signal(object)

    def __init__(self, service: CoreService, parent: QWidget | None = None, item: WatchlistItem | None = None,
                 *, source: str = "", posters: Posters | None = None) -> None:
        """``source`` fills in the URL of a new show; ``posters`` is the window's (else one of its own)."""
        super().__init__(parent)
        self._service = service
        self._item = item
        self._anilist_id = item.anilist_id if item else None
        self._asked = 0  # the latest preview's number: older answers are dropped
        self._previewed: dict[str, object] | None = None
        self._saving = False
        self._problems: dict[str, str] = {}
        self.setWindowTitle(self.tr("Edit show") if item else self.tr("Add show"))
        self.resize(760, 640)
        self._build(posters or Posters(service, self))
        self._touched: set[str] = set(self.marks) if item else {"anime_url"} if source else set()  # marks shown
        self._fill(item, source)
        self._timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.refresh_preview)
        self._connect_edits()
        self._edited()

    # Building ----------------------------------------------------------------------------

    def _build(self, posters: Posters) -> None:
        self._form_marks = Marks()
        self.error = self._form_marks.general
        self.title = QLineEdit()
        self.results = AniListResults(self._service, posters, self)
        self.results.picked.connect(self.pick)
        self.search_button = QPushButton(self.tr("Search &AniList"))
        self.search_button.clicked.connect(lambda: self.results.search(self.title.text()))
        self.episodes = QLabel()
        self.url = QLineEdit(placeholderText=self.tr("https://…/feed.xml, a folder, or a channel URL"))
        self.provider = QComboBox()
        self.provider.addItems(self._service.provider_ids())
        self.lang = QComboBox(editable=True)
        self.lang.addItems(LANGUAGES)
        self.quality = QComboBox()
        for quality in QualityPreference:
            self.quality.addItem(self.tr("best available") if quality is QualityPreference.AUTO else quality.value,
                                 quality.value)
        self.auto_download = QCheckBox(self.tr("Download new episodes automatically"))
        self.lists = {name: QLineEdit(placeholderText=self.tr("comma-separated")) for name in LIST_FIELDS}
        self.offset = QSpinBox(minimum=-10_000, maximum=10_000)
        self.season = QSpinBox(minimum=0, maximum=99)  # 0: the season its titles say (1 when they say none)
        self.season.setSpecialValueText(self.tr("from its titles"))
        self.season.setToolTip(self.tr("A release that states another season is not taken."))
        self.offset.setToolTip(self.tr("Subtracted from a release's episode number (absolute numbering)."))
        self.marks = self._form_marks.labels
        form = QFormLayout()
        title_row = QHBoxLayout()
        title_row.addWidget(self.title, 1)
        title_row.addWidget(self.search_button)
        form.addRow(self.tr("&Title:"), self._form_marks.field("anime_title", title_row))
        form.addRow("", self.results)
        form.addRow("", self.episodes)
        form.addRow(self.tr("Source &URL:"), self._form_marks.field("anime_url", self.url))
        form.addRow(self.tr("&Provider:"), self._form_marks.field("provider_id", self.provider))
        form.addRow(self.tr("&Language:"), self._form_marks.field("lang", self.lang))
        form.addRow(self.tr("&Quality:"), self._form_marks.field("quality_preference", self.quality))
        form.addRow("", self.auto_download)
        for name, label in zip(LIST_FIELDS, (self.tr("Al&iases:"), self.tr("Pr&eferred groups:"),
                                             self.tr("&Blocked groups:")), strict=True):
            form.addRow(label, self._form_marks.field(name, self.lists[name]))
        form.addRow(self.tr("Episode &offset:"), self._form_marks.field("episode_offset", self.offset))
        form.addRow(self.tr("Sea&son:"), self._form_marks.field("season", self.season))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.error)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("<b>What the first check would take</b>")))
        layout.addWidget(self._preview_pane(), 1)
        layout.addWidget(self.buttons)

    def _preview_pane(self) -> QWidget:
        self.preview = PreviewModel(self)
        self.preview_message = QLabel(wordWrap=True)
        self.preview_message.hide()
        self.preview_table = QTableView()
        self.preview_table.setModel(self.preview)
        self.preview_table.verticalHeader().hide()
        self.preview_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.preview_table.horizontalHeader()
        header.setSectionResizeMode(PreviewColumn.RELEASE.value, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(PreviewColumn.REASON.value, QHeaderView.ResizeMode.Stretch)
        pane = QWidget()
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.preview_message)
        layout.addWidget(self.preview_table, 1)
        return pane

    def _fill(self, item: WatchlistItem | None, source: str) -> None:
        self.provider.setCurrentText(item.provider_id if item else guessed_provider(source))
        self.auto_download.setChecked(item.auto_download if item else True)
        if item is None:
            self.url.setText(source)
            return
        self.title.setText(item.anime_title)
        self.url.setText(item.anime_url)
        self.lang.setCurrentText(item.lang)
        self.quality.setCurrentIndex(self.quality.findData(item.quality_preference.value))
        for name, edit in self.lists.items():
            edit.setText(", ".join(getattr(item, name)))
        self.offset.setValue(item.episode_offset)
        self.season.setValue(item.season or 0)
        self._show_episodes(item.episode_count)

    def _connect_edits(self) -> None:
        changed = {"anime_title": self.title.textChanged, "anime_url": self.url.textChanged,
                   "provider_id": self.provider.currentIndexChanged, "lang": self.lang.currentTextChanged,
                   "quality_preference": self.quality.currentIndexChanged, "auto_download": self.auto_download.toggled,
                   "episode_offset": self.offset.valueChanged, "season": self.season.valueChanged,
                   **{name: edit.textChanged for name, edit in self.lists.items()}}
        for name, signal in changed.items():
            signal.connect(lambda *_args, name=name: self._edited(name))

    # The fields --------------------------------------------------------------------------

    def fields(self) -> dict[str, object]:
        """The show as the form says it now (``WatchlistItemCreate``'s names)."""
        fields: dict[str, object] = {
            "anime_title": self.title.text().strip(), "anime_url": self.url.text().strip(),
            "provider_id": self.provider.currentText(), "lang": self.lang.currentText().strip(),
            "quality_preference": self.quality.currentData(), "auto_download": self.auto_download.isChecked(),
            **{name: split_names(edit.text()) for name, edit in self.lists.items()},
            "episode_offset": self.offset.value(), "season": self.season.value() or None,
        }
        if self._anilist_id is not None:
            fields["anilist_id"] = self._anilist_id
        return fields

    def changes(self) -> dict[str, object]:
        """What saving would write: every field for a new show, the changed ones for an edit."""
        fields = self.fields()
        if self._item is None:
            return fields
        before = self._item.model_dump()
        return {name: value for name, value in fields.items() if before.get(name) != value}

    def pick(self, entry: AnimeMetadata) -> None:
        """Link the show to this AniList entry: its title, its id, and its episode count shown.

        What the user typed and the entry's other titles become aliases (after those already
        there), so a source naming the show any of these ways still matches."""
        self._anilist_id = entry.anilist_id
        if entry.titles:
            aliases = self.lists["title_aliases"]
            names = [*split_names(aliases.text()), self.title.text().strip(), *entry.titles[1:]]
            aliases.setText(", ".join(other_names(entry.titles[0], names)))
            self.title.setText(entry.titles[0])
        self._show_episodes(entry.episodes)
        self._edited("anime_title")

    def _show_episodes(self, count: int | None) -> None:
        linked = self._anilist_id is not None
        self.episodes.setText(self.tr("AniList #%1: %n episode(s)", "", count).replace("%1", str(self._anilist_id))
                              if linked and count else
                              self.tr("AniList #%1").replace("%1", str(self._anilist_id)) if linked else "")

    def _edited(self, name: str | None = None) -> None:
        """Mark the bad fields the user has been at (``name`` now too); refresh the preview once
        the fields stop changing."""
        if name == "anime_url" and "provider_id" not in self._touched and self._item is None:
            self.provider.blockSignals(True)  # a folder typed in: the directory provider, unless one was chosen
            self.provider.setCurrentText(guessed_provider(self.url.text().strip()))
            self.provider.blockSignals(False)
        if name is not None:
            self._touched.add(name)
        self._problems = self._service.field_problems(self.fields())
        for field, mark in self.marks.items():
            mark.setText(self._problems.get(field, ""))
            mark.setVisible(field in self._problems and field in self._touched)
        unplaced = [message for name, message in self._problems.items() if name not in self.marks]
        self._show_error("\n".join(unplaced))
        self._update_buttons()
        if name not in QUIET_FIELDS:
            self._timer.start()

    def _update_buttons(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not self._problems and not self._saving)
        ok.setToolTip("\n".join(self._problems.values()))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(not self._saving)
        self.search_button.setEnabled(not self._saving)

    def _show_error(self, message: str) -> None:
        say(self.error, message)

    # The preview -------------------------------------------------------------------------

    def refresh_preview(self) -> None:
        """Ask in the background what the first check would take (nothing while a field is bad)."""
        self._timer.stop()
        fields = {name: value for name, value in self.fields().items() if name not in QUIET_FIELDS}
        if fields == self._previewed:
            return
        self._asked += 1
        asked = self._asked
        if self._problems:
            self._previewed = None
            self.preview.show([])
            self._preview_note(self.tr("Complete the form to see what a check would take."))
            return
        self._previewed = fields
        self._preview_note(self.tr("Reading the source…"))
        service = self._service
        service.background(lambda: service.preview(fields), lambda answer: self._previewed_answer(asked, answer),
                           lambda error: self._preview_failed(asked, error), name="preview")

    def _previewed_answer(self, asked: int, answer: Explanation) -> None:
        if asked != self._asked:
            return
        self.preview.show(answer.decisions)
        self._preview_note("" if answer.decisions else self.tr("The source lists nothing now."))

    def _preview_failed(self, asked: int, error: BaseException) -> None:
        if asked != self._asked:
            return
        self._previewed = None  # the same fields are asked again on the next edit
        self.preview.show([])
        self._preview_note(self.tr("The source could not be read: %1").replace("%1", str(error)))

    def _preview_note(self, message: str) -> None:
        self.preview_message.setText(message)
        self.preview_message.setVisible(bool(message))

    # Saving ------------------------------------------------------------------------------

    def save(self) -> None:
        """Add or update the show in the background; an error shows at the top and the dialog stays."""
        if self._problems or self._saving:
            return
        self._saving = True
        self._update_buttons()
        self._show_error("")
        service, item, changes = self._service, self._item, self.changes()
        work = (lambda: service.add_item(changes)) if item is None else (lambda: service.update_item(item.id, changes))
        if service.background(work, self._saved, self._not_saved, name="save") is None:
            self._not_saved(TsuzukiError(self.tr("Tsuzuki is quitting: the show was not saved.")))

    def _saved(self, saved: Saved) -> None:
        self._saving = False
        self.saved.emit(saved)
        self.accept()

    def _not_saved(self, error: BaseException) -> None:
        self._saving = False
        self._update_buttons()
        if not isinstance(error, TsuzukiError):
            raise error  # a bug: the app's error dialog tells it
        self._show_error(str(error))

    def done(self, result: int) -> None:
        """Close, unless a save is running; late preview and search answers are then dropped."""
        if self._saving:
            return
        self._asked += 1
        self.results.forget()
        super().done(result)

