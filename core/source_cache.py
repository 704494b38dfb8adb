"""What each source held at its last fetch, so an unchanged source costs one 304 and no parsing.

Kept in ``sources.json``: per source, the HTTP validators and the releases it
listed. A 304 answer reuses those releases, so a show added since the last
fetch still sees what its source already holds. It is a cache: losing it only
costs one full fetch per source.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from core.storage import DocumentKeeper, VersionedDocument
from providers.base import LinkKind, Listing, Release, Validators

SOURCES_FILE = "sources.json"


class _CachedRelease(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    link: str
    kind: LinkKind
    published: datetime | None = None
    size: int | None = None
    category: str | None = None


class CachedSource(BaseModel):
    """One source as last fetched. A 304 leaves it unchanged, so ``fetched_at`` is when its listing
    was last downloaded."""

    model_config = ConfigDict(extra="forbid")

    etag: str | None = None
    last_modified: str | None = None
    releases: list[_CachedRelease] = []
    fetched_at: datetime


class SourcesFile(VersionedDocument):
    """The layout of ``sources.json``: cached listings by source key ("provider url")."""

    schema_version: int = VersionedDocument.SCHEMA_VERSION
    sources: dict[str, CachedSource] = {}


def source_key(provider_id: str, url: str) -> str:
    return f"{provider_id} {url}"


class SourceCache(DocumentKeeper[SourcesFile]):
    """Validators and releases of every source, read once per check run and saved at its end."""

    FILE_NAME = SOURCES_FILE
    DOCUMENT = SourcesFile

    def load(self) -> dict[str, CachedSource]:
        """Every cached source, by key."""
        return dict(self._store.read().sources)

    @staticmethod
    def validators(cached: CachedSource | None) -> Validators | None:
        """What to send for a conditional GET; None when there is nothing to fall back on."""
        if cached is None or not (cached.etag or cached.last_modified):
            return None
        return Validators(cached.etag, cached.last_modified)

    @staticmethod
    def releases(cached: CachedSource) -> tuple[Release, ...]:
        return tuple(Release(**release.model_dump()) for release in cached.releases)

    def save(self, listings: Iterable[tuple[str, Listing]], keep: Iterable[str]) -> None:
        """Store fresh listings and drop sources no show uses any more."""
        now = self._clock()
        with self._store.edit() as document:
            for key, listing in listings:
                releases = [_CachedRelease(name=r.name, link=r.link, kind=r.kind, published=r.published, size=r.size,
                                        category=r.category)
                            for r in listing.releases]
                document.sources[key] = CachedSource(
                    etag=listing.validators.etag,
                    last_modified=listing.validators.last_modified,
                    releases=releases,
                    fetched_at=now,
                )
            wanted = set(keep)
            document.sources = {key: value for key, value in document.sources.items() if key in wanted}
