"""Ids as people type them: any unique prefix of a show's or a download's id."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from core.errors import InputError


def index_by_prefix(ids: Sequence[str], ref: str, kind: str, where: str, describe: Callable[[int], str]) -> int:
    """The index of the one id starting with ``ref``; ``InputError`` otherwise.

    ``kind`` names the id ("watchlist"), ``where`` the entries ("show on the watchlist"),
    ``describe(index)`` an entry, in the message about an ambiguous prefix."""
    prefix = ref.strip().lower()
    if not prefix or any(ch not in "0123456789abcdef" for ch in prefix):
        raise InputError(f"{ref!r} is not a {kind} id: ids are made of hex digits (0-9, a-f)")
    matches = [index for index, entry in enumerate(ids) if entry.startswith(prefix)]
    if not matches:
        raise InputError(f"No {where} has an id starting with {prefix!r}")
    if len(matches) > 1:
        names = ", ".join(describe(index) for index in matches[:5])
        raise InputError(f"{prefix!r} matches {len(matches)} {where.split()[0]}s ({names}); give more of the id")
    return matches[0]
