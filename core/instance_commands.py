"""Commands a running Tsuzuki carries out for the command line, over its local socket.

While the window or ``--headless`` runs, it owns the data folder: ``tsuzuki add``,
``check``, ``downloads cancel`` and the other writing commands are sent to it
(``InstanceClient``) and carried out by its ``CoreService`` (``InstanceServer``),
so the show added is checked at once and a running download is really cancelled.
One table, ``RESULTS``, names each command and the type of its answer; both
ends encode that answer with the same pydantic adapter, so the command line
prints exactly what it would print working on the files itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from pydantic import TypeAdapter
from PySide6.QtCore import QObject

from core.actions import Saved
from core.check_run import CheckRun
from core.datafolder import DataFolder
from core.downloads.jobs import DownloadJob
from core.errors import InputError, TsuzukiError
from core.instance import INSTANCE_LOCK
from core.instance_channel import CommandServer, Reply, send_request
from core.models import WatchlistItem, WatchlistSettings
from core.scheduler import SchedulerState
from core.service import CoreService

log = logging.getLogger(__name__)

CHECK = "check"
ACTIVATE = "activate"
PING = "ping"
_SAVED: TypeAdapter[Any] = TypeAdapter(Saved)
_ITEM: TypeAdapter[Any] = TypeAdapter(WatchlistItem)
_JOB: TypeAdapter[Any] = TypeAdapter(DownloadJob)
_NOTHING: TypeAdapter[Any] = TypeAdapter(None)
RESULTS: dict[str, TypeAdapter[Any]] = {
    "add_item": _SAVED,
    "update_item": _SAVED,
    "remove_item": _ITEM,
    "pause_item": _ITEM,
    "resume_item": _ITEM,
    "update_settings": TypeAdapter(WatchlistSettings),
    "downloads": TypeAdapter(list[DownloadJob]),
    "cancel_download": _JOB,
    "retry_download": _JOB,
    "remove_download": _JOB,
    "scheduler_state": TypeAdapter(SchedulerState),
    CHECK: TypeAdapter(dict[str, Any]),
    ACTIVATE: _NOTHING,
    PING: _NOTHING,
}


class InstanceServer(QObject):
    """Serves the command line on this data folder's socket, through ``service``."""

    def __init__(self, service: CoreService) -> None:
        super().__init__(service)
        self._service = service
        self._server = CommandServer(service.folder, self._handle, parent=self)

    def listen(self) -> None:
        """Start taking commands (the caller holds the instance lock)."""
        self._server.listen()

    def close(self) -> None:
        self._server.close()

    def _handle(self, request: dict[str, Any], reply: Reply) -> None:
        name, args = request.get("action"), request.get("args", {})
        if name not in RESULTS or not isinstance(args, dict):
            reply({"error": f"this Tsuzuki does not know the command {name!r}; is it older?", "bad_input": True})
            return
        try:
            if name == CHECK:
                self._check(args, reply)
                return
            result: object = None
            if name == ACTIVATE:
                self._service.request_activation()
            elif name != PING:
                result = getattr(self._service, name)(**args)
        except TsuzukiError as error:
            reply({"error": str(error), "bad_input": isinstance(error, InputError)})
        else:
            reply({"result": RESULTS[name].dump_json(result).decode()})

    def _check(self, args: dict[str, Any], reply: Reply) -> None:
        run = self._service.run_check(args.get("ref"), every=bool(args.get("every")), own_downloads_only=True)

        def answer(run: CheckRun) -> None:
            reply({"result": RESULTS[CHECK].dump_json(run.summary()).decode()})
            run.deleteLater()

        run.finished.connect(answer)


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
            return RESULTS[name].validate_json(reply["result"])
        error = InputError if reply.get("bad_input") else TsuzukiError
        raise error(str(reply.get("error") or "the running Tsuzuki could not carry out the command"))

    def __getattr__(self, name: str) -> Callable[..., Any]:
        """``client.add_item(fields=...)`` is ``client.call("add_item", fields=...)``."""
        if name not in RESULTS:
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
