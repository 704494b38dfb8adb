"""``python -m gui``: the same as the ``tsuzuki`` console script."""

import sys

from gui.launcher import main

sys.exit(main())
