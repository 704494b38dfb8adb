"""Run-time hook of the Linux bundle, in place of PyInstaller's PySide6 one (see tsuzuki.spec).

PyInstaller's imports QtCore before the app starts, to register a qt.conf the PySide6 wheel
does not need: its Qt finds its prefix (translations) beside libQt6Core, where the bundle keeps
the wheel's layout. That import was most of what ``tsuzuki --version`` cost. What is left of it:
Qt's plugins are the bundle's.
"""

import os
import sys

os.environ["QT_PLUGIN_PATH"] = os.path.join(sys._MEIPASS, "PySide6", "Qt", "plugins")
