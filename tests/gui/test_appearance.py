"""Light and dark: the real window follows the desktop's scheme live, or the one chosen in the settings,
and what Tsuzuki paints itself (progress bars, marks, placeholder posters) follows with it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from core.models import Appearance
from core.service import CoreService
from gui.appearance import ERROR_ON_DARK, ERROR_ON_LIGHT, ColourScheme, is_dark
from gui.dialogs.settings_dialog import SettingsDialog
from gui.models.watchlist import WatchlistColumn
from gui.windows.main_window import MainWindow
from tests.conftest import add_show
from tests.loopback import LoopbackServer

Role = QPalette.ColorRole


@pytest.fixture
def scheme(qapp: QApplication) -> Iterator[ColourScheme]:
    made = ColourScheme(qapp)
    yield made
    made.choose(Appearance.SYSTEM)
    shiboken6.delete(made)
    assert not is_dark(qapp.palette())


@pytest.fixture
def window(service: CoreService, loopback: LoopbackServer, qtbot: QtBot) -> MainWindow:
    """The window showing a show whose source failed, with its progress bar and placeholder poster."""
    made = MainWindow(service)
    qtbot.addWidget(made)
    made.show()
    item = add_show(service, loopback, status="paused")
    made.details.show_item(item.model_copy(update={"last_error": "the feed answered 500"}))
    return made


def settle(window: MainWindow, qtbot: QtBot, *, dark: bool) -> None:
    """Wait for the app's palette to reach the window's widgets (it is posted to them)."""
    qtbot.waitUntil(lambda: is_dark(window.details._source_error.palette()) == dark, timeout=2_000)


def source_error_colour(window: MainWindow) -> str:
    label = window.details._source_error
    assert label.isVisibleTo(window) and "500" in label.text()
    return label.palette().color(Role.WindowText).name()


def cell_pixel(window: MainWindow, column: WatchlistColumn, x_fraction: float) -> tuple[int, int]:
    """Lightness of the table's first row at this point of ``column``, and of the table's base."""
    table = window._table
    index = table.model().index(0, column.value)
    table.scrollTo(index)
    rect = table.visualRect(index)
    image = table.viewport().grab().toImage()
    point = rect.left() + round(rect.width() * x_fraction), rect.center().y()
    return image.pixelColor(*point).lightness(), table.palette().color(Role.Base).lightness()


def test_dark_repaints_the_window_and_what_it_paints_itself_and_light_brings_it_back(
        window: MainWindow, scheme: ColourScheme, qtbot: QtBot) -> None:
    assert not scheme.dark() and source_error_colour(window) == ERROR_ON_LIGHT.name()
    trough, base = cell_pixel(window, WatchlistColumn.PROGRESS, 0.5)
    assert trough < base  # the bar's empty part, a little darker than the white

    scheme.choose(Appearance.DARK)

    assert scheme.dark() and QApplication.style().name().lower() == "fusion"
    settle(window, qtbot, dark=True)
    assert is_dark(window.palette()) and is_dark(window.details.palette())
    assert window.palette().color(Role.WindowText).lightness() > 200
    assert source_error_colour(window) == ERROR_ON_DARK.name()
    trough, base = cell_pixel(window, WatchlistColumn.PROGRESS, 0.5)
    assert base < 60 and base < trough < 128  # a dark table; the bar still shows, lighter than its base
    swatch, _ = cell_pixel(window, WatchlistColumn.POSTER, 0.5)
    assert swatch < 128  # no pale patch on the dark table

    scheme.choose(Appearance.LIGHT)

    settle(window, qtbot, dark=False)
    assert not is_dark(window.palette()) and source_error_colour(window) == ERROR_ON_LIGHT.name()


def test_following_the_system_changes_live_with_its_scheme(window: MainWindow, scheme: ColourScheme,
                                                            qtbot: QtBot) -> None:
    hints = QGuiApplication.styleHints()
    assert scheme.appearance is Appearance.SYSTEM and not scheme.dark()  # no desktop here says dark

    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # as the platform theme does when the desktop switches
    settle(window, qtbot, dark=True)
    assert is_dark(window.palette()) and source_error_colour(window) == ERROR_ON_DARK.name()

    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    settle(window, qtbot, dark=False)
    assert not is_dark(window.palette())


def test_a_forced_choice_ignores_the_systems_changes(window: MainWindow, scheme: ColourScheme,
                                                     qtbot: QtBot) -> None:
    scheme.choose(Appearance.DARK)
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    settle(window, qtbot, dark=True)
    assert scheme.dark()


def test_the_setting_chosen_in_the_dialog_applies_at_once(window: MainWindow, service: CoreService,
                                                          scheme: ColourScheme, qtbot: QtBot) -> None:
    scheme.follow(service)
    dialog = SettingsDialog(service, window)
    qtbot.addWidget(dialog)
    choice = dialog.general.appearance
    assert choice.currentData() == Appearance.SYSTEM

    choice.setCurrentIndex(choice.findData(Appearance.DARK))
    dialog.apply()

    assert service.settings().appearance is Appearance.DARK
    settle(window, qtbot, dark=True)
    service.update_settings({"appearance": "system"})  # as `tsuzuki settings set appearance system` does
    settle(window, qtbot, dark=False)
