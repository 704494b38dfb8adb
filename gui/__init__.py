"""Tsuzuki's desktop window and tray icon (QtWidgets), talking to ``core`` only."""
