"""What every command gets: the profile's data folder, its stores, and how to print."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from core.cli import output
from core.datafolder import DataFolder
from core.episodes import EpisodeBook
from core.errors import InputError, describe_validation_error
from core.settings import SettingsStore
from core.storage import Recovery
from core.watchlist import WatchlistManager

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)


@dataclass
class Context:
    """What a command needs: the profile's folder, its stores, and how to print."""

    folder: DataFolder
    json: bool

    @cached_property
    def watchlist(self) -> WatchlistManager:
        return WatchlistManager(self.folder, on_recovery=_report_recovery)

    @cached_property
    def episodes(self) -> EpisodeBook:
        return EpisodeBook(self.folder, on_recovery=_report_recovery)

    @cached_property
    def settings(self) -> SettingsStore:
        return SettingsStore(self.folder, on_recovery=_report_recovery)

    def say(self, renderable: object) -> None:
        output.stdout_console().print(renderable)


def _report_recovery(recovery: Recovery) -> None:
    log.warning("%s", recovery.message())
    output.print_problem("warning", recovery.message())


def validated(model: type[M], **fields: object) -> M:
    """``model`` built from ``fields``; a validation failure is bad input (exit 2)."""
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        raise InputError(describe_validation_error(error)) from error
