"""Titles compared as people mean them, not as they are typed."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+")


def normalise_title(text: str) -> str:
    """Case-folded, width-folded words: "[Oshi no Ko]" and "oshi_no_ko" both give "oshi no ko"."""
    return " ".join(_NON_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).split())
