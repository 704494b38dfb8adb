"""Table models of the window's lists, each fed only by CoreService signals."""
