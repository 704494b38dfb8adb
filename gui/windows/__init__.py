"""The app's windows."""
