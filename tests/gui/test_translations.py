"""The French translation: every text of the window has one, and it loads for a French locale."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from core.service import CoreService
from gui.resources import TRANSLATIONS, install_translations
from gui.windows.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


def sources(ts: Path) -> set[str]:
    return {message.findtext("source") or "" for message in ET.parse(ts).getroot().iter("message")}


def test_every_text_of_the_window_is_in_the_french_translation(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    files = sorted(str(path) for path in (ROOT / "gui").rglob("*.py"))
    subprocess.run([str(Path(sys.executable).with_name("pyside6-lupdate")), *files, "-ts", str(fresh)],
                   check=True, capture_output=True)
    shipped = TRANSLATIONS / "tsuzuki_fr.ts"

    missing = sources(fresh) - sources(shipped)

    assert not missing, f"not in {shipped.name} (run pyside6-lupdate, translate, pyside6-lrelease): {missing}"
    unfinished = [message.findtext("source") for message in ET.parse(shipped).getroot().iter("message")
                  if message.find("translation").get("type") == "unfinished"]  # type: ignore[union-attr]
    assert unfinished == []


def test_the_translation_the_app_loads_is_compiled_from_the_shipped_source(tmp_path: Path) -> None:
    compiled = tmp_path / "fresh.qm"
    subprocess.run([str(Path(sys.executable).with_name("pyside6-lrelease")), "-silent",
                    str(TRANSLATIONS / "tsuzuki_fr.ts"), "-qm", str(compiled)], check=True)

    assert (TRANSLATIONS / "tsuzuki_fr.qm").read_bytes() == compiled.read_bytes(), \
        "tsuzuki_fr.qm is stale: packaging/setup.sh (or pyside6-lrelease) compiles it"


@pytest.fixture
def french(qapp: QApplication) -> Iterator[None]:
    installed = install_translations(qapp, QLocale(QLocale.Language.French, QLocale.Country.France))
    yield
    for translator in installed:
        QCoreApplication.removeTranslator(translator)


def test_the_window_speaks_french_for_a_french_user(french: None, service: CoreService, qtbot: QtBot) -> None:
    window = MainWindow(service)
    qtbot.addWidget(window)

    assert window.tabs.tabText(0) == "&Liste"
    assert window._actions["check_all"].text() == "Tout vé&rifier"
    assert window.watchlist.headerData(1, Qt.Orientation.Horizontal) == "Titre"


def test_an_english_user_keeps_the_english_texts(qapp: QApplication, service: CoreService, qtbot: QtBot) -> None:
    installed = install_translations(qapp, QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    try:
        window = MainWindow(service)
        qtbot.addWidget(window)
        assert window.tabs.tabText(0) == "&Watchlist"
    finally:
        for translator in installed:
            QCoreApplication.removeTranslator(translator)
