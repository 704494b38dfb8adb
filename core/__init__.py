"""Tsuzuki's core: the watchlist, its storage and the services around it.

GUI-free by design: it may use PySide6.QtCore, never QtWidgets or QtGui, so the
same code runs behind the desktop window, the command line and the headless mode.
"""

__version__ = "0.1.0"
