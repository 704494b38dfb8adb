"""Asking the Tsuzuki that runs for a data folder to carry out a command (the command line's side).

While the window or ``--headless`` runs, it owns the data folder: the writing
commands are sent to it over its local socket (``InstanceServer`` answers).
``RESULTS`` names each command and the type of its answer; both ends encode
the answer with the same pydantic adapter, so the command line prints exactly
what it would print working on the files itself. This side loads neither the
engine nor its libraries: asking costs little more than the socket.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from pydantic import TypeAdapter

from core.datafolder import DataFolder
from core.errors import InputError, TsuzukiError
from core.instance import INSTANCE_LOCK
from core.instance_channel import send_request

CHECK = "check"
ACTIVATE = "activate"
PING = "ping"


def _answer_types() -> dict[str, Any]:
    from core.actions import Saved
    from core.downloads.jobs import DownloadJob
    from core.models import WatchlistItem, WatchlistSettings
    from core.scheduler_state import SchedulerState

    return {
        "add_item": Saved,
        "update_item": Saved,
        "remove_item": WatchlistItem,
        "pause_item": WatchlistItem,
        "resume_item": WatchlistItem,
        "update_settings": WatchlistSettings,
        "downloads": list[DownloadJob],
        "cancel_download": DownloadJob,
        "retry_download": DownloadJob,
        "remove_download": DownloadJob,
        "scheduler_state": SchedulerState,
        CHECK: dict[str, Any],
        ACTIVATE: None,
        PING: None,
    }


COMMANDS = frozenset({"add_item", "update_item", "remove_item", "pause_item", "resume_item", "update_settings",
                      "downloads", "cancel_download", "retry_download", "remove_download", "scheduler_state",
                      CHECK, ACTIVATE, PING})


@cache
def result_adapter(name: str) -> TypeAdapter[Any]:
    """How the answer to command ``name`` is encoded and read back (built on first use)."""
    return TypeAdapter(_answer_types()[name])


class InstanceClient:
    """Sends commands to the Tsuzuki running for a data folder (see ``connect``)."""

    def __init__(self, folder: DataFolder) -> None:
        self._folder = folder

    def call(self, name: str, **args: object) -> Any:
        """Carry out ``name`` in the running instance and return its answer; raises ``InputError``
        or ``TsuzukiError`` as the command would here, and ``NotRunning`` if the instance is gone."""
        reply = send_request(self._folder, {"action": name, "args": args})
        if reply is None:
            raise NotRunning("Tsuzuki stopped before it could carry out the command; run it again")
        if "result" in reply:
            return result_adapter(name).validate_json(reply["result"])
        error = InputError if reply.get("bad_input") else TsuzukiError
        raise error(str(reply.get("error") or "the running Tsuzuki could not carry out the command"))

    def __getattr__(self, name: str) -> Callable[..., Any]:
        """``client.add_item(fields=...)`` is ``client.call("add_item", fields=...)``."""
        if name not in COMMANDS:
            raise AttributeError(name)
        return lambda **args: self.call(name, **args)


class NotRunning(TsuzukiError):
    """The instance a command was sent to has gone."""


def connect(folder: DataFolder) -> InstanceClient | None:
    """A client for the instance running on ``folder``, or None when none is (work on the files)."""
    if not folder.file(INSTANCE_LOCK).exists():  # no instance ever left its lock: nothing to ask
        return None
    client = InstanceClient(folder)
    try:
        client.call(PING)
    except NotRunning:
        return None
    return client
