"""The language tag a release name states: "vostfr", "vf", "multi", "dub", "sub" or "raw".

A name can state several ("VOSTFR" and "Multi-Subs"); the first tag found,
in the order of ``_TERMS`` (the most specific first), wins.
"""

from __future__ import annotations

import re

# A term stands alone: no letter or digit glued to it ("Erai-raws" states nothing).
_TERMS = {
    "vostfr": r"vostfr|vost[ -]?fr|vost",
    "vf": r"vff?|vfq|vfi|truefrench",
    "multi": r"multi(?:[ -]?(?:subs?|subtitles?|audio|lang(?:uages?)?))?|multiple[ -]subtitles?|dual[ -]audio",
    "dub": r"(?:english[ -]|eng[ -])?dub(?:bed|s)?",
    "sub": r"(?:english[ -]|eng[ -])?(?:sub(?:bed|s|titled)?)|softsubs?|hardsubs?",
    "raw": r"raw",
}
_PATTERNS = tuple(
    (tag, re.compile(rf"(?<![^\W_])(?:{terms})(?![^\W_])", re.IGNORECASE)) for tag, terms in _TERMS.items()
)


def detect_language(text: str) -> str | None:
    """The normalised language tag ``text`` states, None when it states none.

    Args:
        text: a release name, preferably without its title (a show called "Raw Hero" says nothing).
    """
    for tag, pattern in _PATTERNS:
        if pattern.search(text):
            return tag
    return None
