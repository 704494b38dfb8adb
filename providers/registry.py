"""Providers by id: the built-in ones, and third-party ones from the ``tsuzuki.providers`` entry points.

A plugin distribution registers a ``Provider`` subclass in its pyproject.toml::

    [project.entry-points."tsuzuki.providers"]
    myprovider = "my_package.module:MyProvider"
"""

from __future__ import annotations

import importlib
import logging
from functools import cache
from importlib import metadata

from providers.base import Provider

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "tsuzuki.providers"
_BUILTIN = {
    "feed": "providers.feed:FeedProvider",
    "directory": "providers.directory:DirectoryProvider",
    "ytdlp": "providers.ytdlp:YtDlpProvider",
}


class UnknownProvider(LookupError):
    """No provider is registered under this id."""


def _load(target: str) -> type[Provider]:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


@cache
def _classes() -> dict[str, type[Provider] | str]:
    """Provider classes by id: built-ins as import paths (loaded on first use), plugins loaded."""
    found: dict[str, type[Provider] | str] = dict(_BUILTIN)
    for entry in metadata.entry_points(group=ENTRY_POINT_GROUP):
        if entry.name in _BUILTIN:
            if entry.value != _BUILTIN[entry.name]:
                log.warning("plugin provider %r ignored: a built-in provider has that id", entry.name)
            continue
        try:
            cls = entry.load()
        except Exception:  # a broken plugin must not take the app down
            log.exception("plugin provider %r (%s) could not be loaded", entry.name, entry.value)
            continue
        if not (isinstance(cls, type) and issubclass(cls, Provider)):
            log.warning("plugin provider %r ignored: %s is not a Provider subclass", entry.name, entry.value)
            continue
        found[entry.name] = cls
    return found


def provider_ids() -> list[str]:
    """Every registered provider id, sorted."""
    return sorted(_classes())


@cache
def get_provider(provider_id: str) -> Provider:
    """The provider registered as ``provider_id`` (one shared instance)."""
    try:
        target = _classes()[provider_id]
    except KeyError:
        raise UnknownProvider(
            f"unknown provider {provider_id!r}; the providers are: {', '.join(provider_ids())}"
        ) from None
    cls = _load(target) if isinstance(target, str) else target
    return cls()
