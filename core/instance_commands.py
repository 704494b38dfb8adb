"""Commands a running Tsuzuki carries out for the command line, over its local socket (this side).

The command line asks through ``core.instance_client``; ``InstanceServer`` runs
each command with the instance's ``CoreService`` (so the show added is checked
at once, a running download really cancelled) and answers in the encoding the
client reads back.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject

from core.check_run import CheckRun
from core.errors import InputError, TsuzukiError
from core.instance_channel import CommandServer, Reply
from core.instance_client import ACTIVATE, CHECK, COMMANDS, PING, result_adapter
from core.service import CoreService

log = logging.getLogger(__name__)


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
        if name not in COMMANDS or not isinstance(args, dict):
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
            reply({"result": result_adapter(name).dump_json(result).decode()})

    def _check(self, args: dict[str, Any], reply: Reply) -> None:
        run = self._service.run_check(args.get("ref"), every=bool(args.get("every")), own_downloads_only=True)

        def answer(run: CheckRun) -> None:
            reply({"result": result_adapter(CHECK).dump_json(run.summary()).decode()})
            run.deleteLater()

        run.finished.connect(answer)
