"""Painted cells of the window's tables."""
