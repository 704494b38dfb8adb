"""What every provider speaks: releases found at a source, and the interface to list them.

A provider turns a source URL (a feed, a folder, a channel) into the episode
releases available there. It does not decide what to download; ``core``
matches releases to shows. Providers never import ``core`` or Qt.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import ClassVar

from providers.link_kinds import LinkKind as LinkKind  # re-exported: providers import it from here
from providers.release_names import ParsedRelease, parse_release_name

# File name extensions taken for videos, wherever a file's kind shows only in its name.
VIDEO_EXTENSIONS: frozenset[str] = frozenset(
    {".mkv", ".mp4", ".m4v", ".webm", ".avi", ".mov", ".ts", ".wmv", ".flv", ".ogv"}
)


class SourceError(Exception):
    """A source could not be listed: unreachable, refused, malformed. The message says why."""


class InvalidSourceUrl(ValueError):
    """A provider cannot use this URL at all (wrong form or not a site it supports)."""


@dataclass(frozen=True)
class Release:
    """One downloadable item at a source.

    Attributes:
        name: the release name as the source publishes it (title or file name).
        link: where to fetch it (http(s)/file URL, magnet URI, .torrent URL, video page).
        kind: how to fetch ``link``.
        published: when the source says it was published, if it says.
        size: its size in bytes, if the source says.
        category: what the source files it under, when it says: "raw" (untranslated), "english"
            (English-translated) or "non-english" (translated into another language), as nyaa's categories.
    """

    name: str
    link: str
    kind: LinkKind
    published: datetime | None = None
    size: int | None = None
    category: str | None = None

    @cached_property
    def parsed(self) -> ParsedRelease:
        """What ``name`` says: episode, resolution, group, language... (parsed once, on first use)."""
        return parse_release_name(self.name)


@dataclass(frozen=True)
class Validators:
    """HTTP cache validators from the last fetch, for a conditional GET next time."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Listing:
    """What a source holds now.

    Attributes:
        releases: every release found (empty when ``not_modified``).
        not_modified: the source answered 304: nothing changed since ``validators`` were given.
        validators: pass these to the next ``list_releases`` of the same URL.
    """

    releases: tuple[Release, ...] = ()
    not_modified: bool = False
    validators: Validators = field(default_factory=Validators)


class Provider(ABC):
    """A kind of source. Subclasses set ``id`` and ``name`` and implement the two methods.

    Attributes:
        id: short name stored in ``provider_id`` ("feed", "directory", ...).
        name: what the user sees ("RSS/Atom feed").
        description: one sentence on what URLs it takes.
    """

    id: ClassVar[str]
    name: ClassVar[str]
    description: ClassVar[str]

    @abstractmethod
    def validate_url(self, url: str) -> str:
        """Check ``url``'s form offline; return it normalised or raise ``InvalidSourceUrl``."""

    @abstractmethod
    def list_releases(self, url: str, validators: Validators | None = None) -> Listing:
        """Every release at ``url``; raises ``SourceError`` when the source cannot be listed."""
