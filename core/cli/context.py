"""What every command gets: the profile's data folder, the application layer, and how to print."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from core.actions import Actions
from core.cli import output
from core.datafolder import DataFolder
from core.storage import Recovery

if TYPE_CHECKING:
    from core.instance_client import InstanceClient

log = logging.getLogger(__name__)


@dataclass
class Context:
    """What a command needs: the profile's folder, its actions, and how to print."""

    folder: DataFolder
    json: bool

    @cached_property
    def actions(self) -> Actions:
        """The application layer over the folder's files (for when no instance runs, and for reads)."""
        return Actions(self.folder, on_recovery=_report_recovery)

    @cached_property
    def door(self) -> Actions | InstanceClient:
        """Where a writing command goes: the Tsuzuki running on this folder, or else the files."""
        from core.instance_client import connect  # Qt loads only for the commands that write

        return connect(self.folder) or self.actions

    def say(self, renderable: object) -> None:
        output.stdout_console().print(renderable)


def _report_recovery(recovery: Recovery) -> None:
    log.warning("%s", recovery.message())
    output.print_problem("warning", recovery.message())
