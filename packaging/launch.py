"""The bundle's entry point (PyInstaller runs this script): the ``tsuzuki`` console script."""

import sys

from gui.launcher import main

sys.exit(main())
