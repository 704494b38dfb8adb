"""The settings dialog's pages that act at once: the periodic check, notification channels, the torrent client.

Whatever waits on the network (a channel's or the torrent client's test) runs
through ``CoreService.background``; its answer is shown beside its button.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.errors import TsuzukiError
from core.models import NotificationEvent, utc_now
from core.notifications import ChannelConfig
from core.scheduler_state import SchedulerState
from core.secrets import SecretsUnavailable
from core.service import CoreService
from gui.dialogs.marks import Marks, error_label, say
from gui.scheduler_text import status_text

REFRESH_MS = 30_000  # the countdown is repainted this often
ID_ROLE = Qt.ItemDataRole.UserRole


def _buttons(*buttons: QWidget, answer: QLabel | None = None) -> QHBoxLayout:
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    if answer is not None:
        row.addWidget(answer, 1)
    else:
        row.addStretch(1)
    return row


def _button(text: str, slot: Callable[[], object]) -> QPushButton:
    button = QPushButton(text)
    button.clicked.connect(slot)
    return button


def run_test(service: CoreService, work: Callable[[], object], answer: QLabel,
             done: Callable[[object], str]) -> None:
    """Run a blocking test in the background; its result (or the plain reason it failed) goes in
    ``answer``, unless the dialog has closed meanwhile."""

    def tell(text: str) -> None:
        if shiboken6.isValid(answer):
            answer.setText(text)

    def failed(error: BaseException) -> None:
        if not isinstance(error, TsuzukiError):
            raise error  # a bug: the app's error dialog tells it
        tell(str(error))

    answer.setText(answer.tr("Testing…"))
    if service.background(work, lambda result: tell(done(result)), failed, name="test") is None:
        answer.setText(answer.tr("Tsuzuki is quitting."))


def mark_when_no_keyring(service: CoreService, mark: QLabel) -> None:
    """Ask in the background whether secrets can be kept; if not, say why in ``mark``, beside the
    field a secret is typed in, before the user types one."""
    def answered(problem: str | None) -> None:
        if problem and shiboken6.isValid(mark) and not mark.text():  # the dialog may have closed
            say(mark, problem)

    def failed(error: BaseException) -> None:
        raise error  # keyring_problem turns every keyring error into its answer: this is a bug

    service.background(service.keyring_problem, answered, failed, name="keyring")


class SchedulerPage(QWidget):
    """The periodic check: what it does now, and Start / Stop / Run now.

    Attributes:
        status: the line saying how often and when next.
    """

    def __init__(self, service: CoreService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.status = QLabel()
        self.start_button = _button(self.tr("&Start"), service.start_scheduler)
        self.stop_button = _button(self.tr("St&op"), service.stop_scheduler)
        self.run_button = _button(self.tr("&Run now"), service.run_scheduled_check_now)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(_buttons(self.start_button, self.stop_button, self.run_button))
        layout.addStretch(1)
        service.scheduler_changed.connect(self.show_state)
        self._timer = QTimer(self, interval=REFRESH_MS)
        self._timer.timeout.connect(self.show_state)
        self._timer.start()
        self.show_state()

    def show_state(self, state: SchedulerState | None = None) -> None:
        state = state or self._service.scheduler_state()
        self.status.setText(status_text(state, utc_now()))
        self.start_button.setEnabled(not state.running)
        self.stop_button.setEnabled(state.running)


class ChannelsPage(QWidget):
    """Notification channels: a list (label, address, enabled), the events the chosen one is told
    about, Add, Remove and Test.

    A change of events is saved in the background, one save at a time (the latest choice wins).

    Attributes:
        table: one row per channel; the label's check box is whether it is enabled.
        events: the chosen channel's check box for each event; events_mark: why a change was not saved.
        label / url: the new channel's fields; marks: their inline marks.
        test_answer: "sent", or why the test message did not arrive.
    """

    def __init__(self, service: CoreService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([self.tr("Channel"), self.tr("Address")])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.itemChanged.connect(self._toggled)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.test_answer = QLabel(wordWrap=True)
        self._channels: dict[str, ChannelConfig] = {}
        self._unsaved: dict[str, frozenset[NotificationEvent]] = {}  # chosen (and in _channels), not yet saved
        self._saving = False
        self.events = {event: QCheckBox(text) for event, text in (
            (NotificationEvent.NEW_EPISODE, self.tr("New episodes")),
            (NotificationEvent.DOWNLOAD_FINISHED, self.tr("Finished downloads")),
            (NotificationEvent.DOWNLOAD_FAILED, self.tr("Failed downloads")),
            (NotificationEvent.SOURCE_BROKEN, self.tr("Broken sources")),
        )}
        for box in self.events.values():
            box.clicked.connect(self._events_chosen)
        self.events_mark = error_label()
        self.remove_button = _button(self.tr("&Remove"), self.remove)
        self.test_button = _button(self.tr("T&est"), self.test)
        self.label = QLineEdit(placeholderText=self.tr("My phone"))
        self.url = QLineEdit(placeholderText=self.tr("ntfy://…, discord://…, mailto://…"))
        self.marks = Marks()
        form = QFormLayout()
        form.addRow(self.marks.general)
        form.addRow(self.tr("&Label:"), self.marks.field("label", self.label))
        form.addRow(self.tr("&URL:"), self.marks.field("url", self.url))
        form.addRow("", _buttons(_button(self.tr("&Add"), self.add)))
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(_buttons(self.remove_button, self.test_button, answer=self.test_answer))
        layout.addLayout(_buttons(QLabel(self.tr("Tell it about:")), *self.events.values(), answer=self.events_mark))
        layout.addLayout(form)
        self.refresh()
        mark_when_no_keyring(service, self.marks.labels["url"])

    def refresh(self) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        self._channels = {channel.id: channel for channel in self._service.channels()}
        for channel in self._channels.values():
            row = self.table.rowCount()
            self.table.insertRow(row)
            label = QTableWidgetItem(channel.label)
            label.setData(ID_ROLE, channel.id)
            label.setFlags(label.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            label.setCheckState(Qt.CheckState.Checked if channel.enabled else Qt.CheckState.Unchecked)
            self.table.setItem(row, 0, label)
            self.table.setItem(row, 1, QTableWidgetItem(self._service.shown_address(channel.id)))
        self.table.blockSignals(False)
        self._update_buttons()

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        item = self.table.item(rows[0].row(), 0) if rows else None
        return item.data(ID_ROLE) if item is not None else None

    def _update_buttons(self) -> None:
        chosen = self.selected_id()
        self.remove_button.setEnabled(chosen is not None)
        self.test_button.setEnabled(chosen is not None)
        channel = self._channels.get(chosen or "")
        for event, box in self.events.items():
            box.setEnabled(channel is not None)
            box.setChecked(channel is not None and event in channel.events)
        say(self.events_mark, "")

    def _events_chosen(self) -> None:
        channel = self._channels.get(self.selected_id() or "")
        if channel is not None:
            events = frozenset(event for event, box in self.events.items() if box.isChecked())
            self._channels[channel.id] = channel.model_copy(update={"events": events})
            self._unsaved[channel.id] = events
            self._save_events()

    def _save_events(self) -> None:
        """Save the next unsaved choice of events in the background, unless a save is running."""
        if self._saving or not self._unsaved:
            return
        channel_id = next(iter(self._unsaved))
        events = list(self._unsaved.pop(channel_id))
        service = self._service

        def saved(_channel: ChannelConfig) -> None:
            if shiboken6.isValid(self):
                self._saving = False
                self._save_events()

        def failed(error: BaseException) -> None:
            if not isinstance(error, TsuzukiError):
                raise error  # a bug: the app's error dialog tells it
            if shiboken6.isValid(self):
                self._saving = False
                self.refresh()  # the list shows what is saved again
                say(self.events_mark, str(error))
                self._save_events()

        self._saving = service.background(lambda: service.set_channel_events(channel_id, events),
                                          saved, failed, name="channel events") is not None

    def _toggled(self, item: QTableWidgetItem) -> None:
        if item.column() == 0:
            self._service.set_channel_enabled(item.data(ID_ROLE), item.checkState() == Qt.CheckState.Checked)

    def add(self) -> None:
        """Add the channel the fields describe; what is wrong (the keyring too) is marked beside them."""
        self.marks.clear()
        try:
            self._service.add_channel(self.label.text().strip(), self.url.text())
        except SecretsUnavailable as error:
            say(self.marks.labels["url"], str(error))
            return
        except TsuzukiError as error:
            self.marks.show(str(error))
            return
        self.label.clear()
        self.url.clear()
        self.refresh()
        self.table.selectRow(self.table.rowCount() - 1)  # a new channel comes last

    def remove(self) -> None:
        channel_id = self.selected_id()
        if channel_id is not None:
            self._service.remove_channel(channel_id)
            self.test_answer.clear()
            self.refresh()

    def test(self) -> None:
        """Send the chosen channel a test message in the background."""
        channel_id, service, sent = self.selected_id(), self._service, self.tr("sent")
        if channel_id is not None:
            run_test(service, lambda: service.test_channel(channel_id), self.test_answer, lambda _: sent)


class TorrentClientPage(QWidget):
    """The torrent client: kind, URL, user name and password; Save, Clear and Test.

    Attributes:
        kind / url / username / password: its fields; marks: their inline marks.
        answer: what the client said to a test (its version), or why it could not be reached.
    """

    def __init__(self, service: CoreService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.kind = QComboBox()
        self.kind.addItems(["qbittorrent", "transmission"])
        self.url = QLineEdit(placeholderText="http://127.0.0.1:8080")
        self.username = QLineEdit()
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("kept in the system keyring"))
        self.answer = QLabel(wordWrap=True)
        self.marks = Marks()
        form = QFormLayout(self)
        form.addRow(self.marks.general)
        form.addRow(self.tr("&Kind:"), self.marks.field("kind", self.kind))
        form.addRow(self.tr("&URL:"), self.marks.field("url", self.url))
        form.addRow(self.tr("User &name:"), self.marks.field("username", self.username))
        form.addRow(self.tr("&Password:"), self.marks.field("password", self.password))
        form.addRow("", _buttons(_button(self.tr("&Save"), self.save), _button(self.tr("C&lear"), self.clear),
                                 _button(self.tr("T&est"), self.test), answer=self.answer))
        mark_when_no_keyring(service, self.marks.labels["password"])
        client = service.torrent_client()
        if client is not None:
            self.kind.setCurrentText(client.kind)
            self.url.setText(client.url)
            self.username.setText(client.username)

    def save(self) -> bool:
        """Use the client the fields describe (its other settings kept); True when saved."""
        self.marks.clear()
        client = self._service.torrent_client()
        fields = {**(client.model_dump() if client else {}), "kind": self.kind.currentText(),
                  "url": self.url.text().strip(), "username": self.username.text().strip()}
        if fields["username"] and not self.password.text():  # saving would replace the kept one with nothing
            say(self.marks.labels["password"], self.tr("Type the password: the keyring keeps it, it is not shown."))
            return False
        try:
            self._service.set_torrent_client(fields, self.password.text())
        except SecretsUnavailable as error:
            say(self.marks.labels["password"], str(error))
            return False
        except TsuzukiError as error:
            self.marks.show(str(error))
            return False
        self.answer.setText(self.tr("Saved."))
        return True

    def clear(self) -> None:
        warning = self._service.clear_torrent_client()
        for edit in (self.url, self.username, self.password):
            edit.clear()
        self.marks.clear()
        self.answer.setText(warning or self.tr("No torrent client is set up."))

    def test(self) -> None:
        """Ask the saved client for its version in the background."""
        service = self._service
        run_test(service, service.test_torrent_client, self.answer, str)
