"""Titles compared as people mean them, not as they are typed."""

from __future__ import annotations

from providers.release_context import title_words


def normalise_title(text: str) -> str:
    """Case-folded, width-folded words: "[Oshi no Ko]" and "oshi_no_ko" both give "oshi no ko"."""
    return title_words(text)
