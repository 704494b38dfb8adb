"""Inline marks: a red message beside the field it is about, hidden while the field is fine."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLayout, QWidget

from gui.appearance import error_colour


class ErrorLabel(QLabel):
    """A label in a red that reads on the window's colours, light or dark, as they change."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self._tint()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() is QEvent.Type.PaletteChange:  # the window's colours, inherited, changed
            self._tint()

    def _tint(self) -> None:
        palette = self.palette()
        red = error_colour(palette)
        if palette.color(QPalette.ColorRole.WindowText) != red:  # setting it is itself a palette change
            palette.setColor(QPalette.ColorRole.WindowText, red)
            self.setPalette(palette)


def error_label() -> QLabel:
    """A red label, hidden until it has something to say."""
    label = ErrorLabel()
    label.hide()
    return label


def say(label: QLabel, message: str) -> None:
    """Show ``message`` in ``label``; an empty one hides it."""
    label.setText(message)
    label.setVisible(bool(message))


class Marks:
    """The marks of one form, by field name, and one for what names no field.

    Attributes:
        general: the mark for a message that names none of the fields.
        labels: each field's mark.
    """

    def __init__(self) -> None:
        self.general = error_label()
        self.labels: dict[str, QLabel] = {}

    def field(self, name: str, field: QWidget | QLayout) -> QWidget:
        """``field`` in a row with its mark beside it."""
        mark = error_label()
        self.labels[name] = mark
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        if isinstance(field, QLayout):
            layout.addLayout(field, 2)
        else:
            layout.addWidget(field, 2)
        layout.addWidget(mark, 1)
        return row

    def clear(self) -> None:
        for label in (self.general, *self.labels.values()):
            say(label, "")

    def show(self, message: str) -> None:
        """Put each line of an error beside the field it names ("key: why", without the key, or a line
        naming it), else in ``general``."""
        self.clear()
        placed: dict[QLabel, list[str]] = {}
        for line in filter(None, (line.strip() for line in message.splitlines())):
            key, _, why = line.partition(":")
            if key.strip() in self.labels and why.strip():
                placed.setdefault(self.labels[key.strip()], []).append(why.strip())
                continue
            named = [name for name in self.labels if name in line]
            placed.setdefault(self.labels[max(named, key=len)] if named else self.general, []).append(line)
        for label, lines in placed.items():
            say(label, "\n".join(lines))
