"""A show's source, through its provider: checked when saved, listed when checked or explained."""

from __future__ import annotations

import logging
import os

from core.errors import InputError, TsuzukiError
from core.models import WatchlistItem
from providers.base import InvalidSourceUrl, Listing, SourceError, Validators
from providers.registry import UnknownProvider, get_provider

log = logging.getLogger(__name__)


def check_source(provider_id: str, anime_url: str) -> str:
    """``anime_url`` as its provider normalises it, checked offline.

    Raises ``InputError`` when no provider has that id or the provider cannot
    use the URL, so a bad source is refused when it is added, not at the
    first check.
    """
    try:
        return get_provider(provider_id).validate_url(anime_url)
    except UnknownProvider as error:
        raise InputError(f"provider_id: {error}") from error
    except InvalidSourceUrl as error:
        raise InputError(f"anime_url: {error}") from error


def missing_folder_warning(item: WatchlistItem) -> str | None:
    """A warning when ``item``'s source is a local folder that is not there (yet), else None.

    Such a source is kept, not refused: it may be on a drive that is not mounted now.
    """
    url = item.anime_url
    if not os.path.isabs(url) or os.path.isdir(url):
        return None
    what = "is not a folder" if os.path.exists(url) else "does not exist"
    return (
        f"{url} {what} now; each check of {item.anime_title!r} will look for it again "
        "(is it on a drive that is not mounted?)"
    )


class SourceUnavailable(TsuzukiError):
    """A show's source could not be listed; the message names the show and says why."""


def list_source(item: WatchlistItem, validators: Validators | None = None) -> Listing:
    """Every release at ``item``'s source now; ``SourceUnavailable`` when it cannot be listed."""
    try:
        return get_provider(item.provider_id).list_releases(item.anime_url, validators)
    except UnknownProvider as error:
        raise SourceUnavailable(f"{item.anime_title!r}: {error} (was its plugin uninstalled?)") from error
    except SourceError as error:
        raise SourceUnavailable(f"{item.anime_title!r}: {error}") from error
    except Exception as error:  # a provider's bug (often a plugin's) breaks its own shows, not the check
        log.exception("provider %r failed on %s", item.provider_id, item.anime_url)
        raise SourceUnavailable(
            f"{item.anime_title!r}: the {item.provider_id!r} provider failed "
            f"({type(error).__name__}: {error}); this is a bug in that provider"
        ) from error
