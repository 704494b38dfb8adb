"""How a download ends early: it failed, or it was asked to stop.

Both the HTTP transfer and the modules it is built from (the partial file,
the byte sources) raise these, so they live apart from all of them; callers
keep importing them from ``core.downloads.http_transfer``.
"""

from __future__ import annotations

from core.errors import TsuzukiError


class DownloadError(TsuzukiError):
    """A download failed; the message says why in plain words, without secrets."""


class DownloadCancelled(Exception):
    """The download stopped because it was asked to; its ``.part`` file is kept for a later resume."""
