"""The language tag a release name states: "vostfr", "vf", "multi", "dub", "sub", "raw", or a
subtitle or dub in another language: "sub-it", "dub-es", "sub-pt", "sub-ar", "dub-uk", ...

"sub" and "dub" are English subtitles and dub. A name can state several ("VOSTFR"
and "Multi-Subs"); the first tag found, in the order of ``_TERMS`` (the most
specific first), wins.
"""

from __future__ import annotations

import re

# Other languages than English and French, by the words names use for them.
_OTHER = {
    "it": r"ita|italian|italiano",
    "es": r"esp|spa|spanish|español|espanol|castellano|latino|lat|vose",
    "pt": r"pt-br|por-br|ptbr|portuguese|português|portugues|legendado|dublado",
    "ar": r"ara|arabic|عربي|مترجم",
    "uk": r"ukr|ukrainian|українською|укр",
    "de": r"ger|german|deutsch|gersub",
    "ru": r"rus|russian|русский",
    "zh": r"chs|cht|big5|chinese|简体|繁体|繁體|简繁|简日|繁日|中文",
}
# A term stands alone: no letter or digit glued to it ("Erai-raws" states nothing).
_TERMS = {
    "vostfr": r"vostfr|vost[ -]?fr|vost",
    "vf": r"vff?|vfq|vfi|truefrench",
    "multi": r"multi(?:[ -]?(?:subs?|subtitles?|audio|lang(?:uages?)?))?|multiple[ -]subtitles?|dual[ -]audio",
    **{f"dub-{code}": rf"(?:{words})[ -]?(?:dub(?:bed)?|audio)|dub(?:bed)?[ -](?:{words})" for code, words in _OTHER.items()},
    **{f"sub-{code}": rf"(?:{words})(?:[ -]?(?:subs?|subbed|subtitles?))?|subs?[ -](?:{words})" for code, words in _OTHER.items()},
    "vosta": r"vosta|vostang",
    "dub": r"(?:english[ -]|eng[ -])?dub(?:bed|s)?",
    "sub": r"(?:english[ -]|eng[ -])?(?:sub(?:bed|s|titled)?)|softsubs?|hardsubs?",
    "raw": r"raw",
}
_ENGLISH = re.compile(r"(?<![^\W_])(?:eng|english)(?![^\W_])", re.IGNORECASE)
# Every term starts with one of its letters: a match is tried only where a word starts with one of them.
_LETTERS = "".join(sorted({char for terms in _TERMS.values() for char in terms if char.isalpha()}))
_START = rf"(?<![^\W_])(?=[{_LETTERS}{_LETTERS.upper()}])"
_PATTERNS = tuple(
    (tag, re.compile(rf"{_START}(?:{terms})(?![^\W_])", re.IGNORECASE)) for tag, terms in _TERMS.items()
)
_ANY = re.compile(rf"{_START}(?:{'|'.join(_TERMS.values())})(?![^\W_])", re.IGNORECASE)  # most names state none


def detect_language(text: str) -> str | None:
    """The normalised language tag ``text`` states, None when it states none.

    Args:
        text: a release name, preferably without its title (a show called "Raw Hero" says nothing).
    """
    if _ANY.search(text) is None:
        return None
    for tag, pattern in _PATTERNS:
        if pattern.search(text):
            if tag[:4] in ("sub-", "dub-") and _ENGLISH.search(text):
                return "multi"  # "[ENG][POR-BR]": English and another language
            return "sub" if tag == "vosta" else tag  # "VOSTA": original version, English subtitles
    return None
