"""The local channel over which a command-line ``tsuzuki`` asks the running instance of its data folder.

One exchange per connection, as UTF-8 JSON objects, one a line: the client sends its request; the
server sends any number of ``{"event": {...}}`` lines (progress), then ``{"reply": {...}}``, and closes.
Either end refuses a line over ``MAX_MESSAGE_BYTES`` or that is not a JSON object: the server answers
``{"error": "..."}`` and keeps serving, the client raises ``ChannelError``.

The server is a QLocalServer that only its own user may connect to: a Unix socket in the temporary
folder on Linux and macOS, a named pipe on Windows. The client needs no Qt application.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDir, QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from core.datafolder import DataFolder
from core.errors import TsuzukiError

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 16 * 1024 * 1024
Message = dict[str, Any]


class ChannelError(TsuzukiError):
    """The running instance could not be asked, or did not answer."""


def channel_name(folder: DataFolder) -> str:
    """The server name for ``folder``: one for every spelling of its path, short enough for a socket."""
    path = os.path.normcase(str(folder.path.resolve()))
    return "tsuzuki-" + hashlib.sha256(path.encode("utf-8")).hexdigest()[:16]


def _encode(message: Message) -> bytes:
    try:
        data = json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n"
    except (TypeError, ValueError) as error:
        raise ChannelError(f"the message cannot be sent as JSON: {error}") from error
    if len(data) > MAX_MESSAGE_BYTES:
        raise ChannelError(f"the message is {len(data)} bytes, more than the {MAX_MESSAGE_BYTES} allowed")
    return data


def _decode(line: bytes) -> Message:
    try:
        message = json.loads(line.decode("utf-8"))
    except ValueError as error:  # UnicodeDecodeError and JSONDecodeError alike
        raise ChannelError(f"the message is not valid UTF-8 JSON: {error}") from error
    if not isinstance(message, dict):
        raise ChannelError("the message is not a JSON object")
    return message


class _Lines:
    """Splits a byte stream into lines, refusing any line over ``MAX_MESSAGE_BYTES``."""

    def __init__(self) -> None:
        self._data = bytearray()

    def feed(self, chunk: bytes | bytearray | memoryview) -> list[bytes]:
        start = len(self._data)  # only the new bytes can hold a newline
        self._data += chunk
        lines = []
        while (end := self._data.find(b"\n", start)) >= 0:
            lines.append(bytes(self._data[:end]))
            del self._data[:end + 1]
            start = 0
        if len(self._data) > MAX_MESSAGE_BYTES or any(len(line) > MAX_MESSAGE_BYTES for line in lines):
            raise ChannelError(f"a message is longer than the {MAX_MESSAGE_BYTES} bytes allowed")
        return lines


class Reply:
    """One connection's answer: ``reply(message)``, the final one; ``reply.event(message)`` before it.

    Call it on the server's thread (from a worker, through a queued signal). Calls after the final
    reply or after the client hung up do nothing. A message that cannot be sent (not JSON, too large)
    ends the exchange with an ``{"error": ...}`` reply instead.
    """

    def __init__(self, peer: QLocalSocket, handler: Handler) -> None:
        self._peer: QLocalSocket | None = peer
        self._lines, self._handler = _Lines(), handler
        peer.disconnected.connect(peer.deleteLater)  # lambdas: PySide holds a bound method weakly, and
        peer.disconnected.connect(lambda: self._hung_up())  # nothing else keeps this object alive
        peer.readyRead.connect(lambda: self._read())

    def __call__(self, message: Message) -> None:
        self._send({"reply": message}, final=True)

    def event(self, message: Message) -> None:
        self._send({"event": message}, final=False)

    def _send(self, envelope: Message, final: bool) -> None:
        if (peer := self._peer) is None:
            return
        try:
            data = _encode(envelope)
        except ChannelError as error:
            data, final = _encode({"reply": {"error": str(error)}}), True
        peer.write(data)
        if final:
            self._peer = None
            peer.disconnectFromServer()  # after what is buffered has gone out, without blocking

    def _hung_up(self) -> None:
        self._peer = None

    def _read(self) -> None:
        if (peer := self._peer) is None:
            return
        try:
            lines = self._lines.feed(peer.readAll().data())
            if not lines:
                return
            peer.readyRead.disconnect()  # one request per connection
            request = _decode(lines[0])
        except ChannelError as error:
            self({"error": f"bad request: {error}"})
            return
        try:
            self._handler(request, self)
        except Exception as error:
            if not isinstance(error, TsuzukiError):
                log.exception("a command from the command line failed")
            self({"error": str(error) or type(error).__name__})


Handler = Callable[[Message, Reply], None]


class CommandServer(QObject):
    """Listens on ``channel_name(folder)``; each connection carries one request and gets one reply.

    ``handler(request, reply)`` runs on this object's thread, once per request, and calls ``reply``
    once, at once or later. If it raises, the client gets ``{"error": "..."}``. Nothing here blocks:
    a client that connects and sends nothing holds up nobody.
    """

    def __init__(self, folder: DataFolder, handler: Handler, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name, self._handler = channel_name(folder), handler
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)

    def listen(self) -> None:
        """Start listening, replacing the socket file a crashed instance left behind.

        The caller holds the data folder's ``InstanceLock``, so no live server can own the name and
        removing it is safe. Raises ``ChannelError`` if the name cannot be taken.
        """
        QLocalServer.removeServer(self._name)
        if not self._server.listen(self._name):
            raise ChannelError(f"Tsuzuki cannot take commands from the command line: "
                               f"{self._server.errorString()} ({self._name})")

    def close(self) -> None:
        """Stop listening (the socket file goes too) and drop every open connection."""
        self._server.close()
        for peer in self._server.findChildren(QLocalSocket):
            peer.abort()

    def _accept(self) -> None:
        while (peer := self._server.nextPendingConnection()) is not None:
            Reply(peer, self._handler)


def _socket_path(name: str) -> Path:
    return Path(QDir.tempPath()) / name  # where QLocalServer puts a name without a slash on POSIX


class _UnixLink:
    """The client end on POSIX: Python's socket lets other threads and Ctrl-C run while it waits
    (PySide6's ``QLocalSocket.waitFor*`` holds the GIL). It refuses a socket of another user."""

    def __init__(self, name: str, connect_timeout_ms: int) -> None:
        path = _socket_path(name)
        if path.exists() and path.stat().st_uid != os.getuid():
            raise ChannelError(f"{path} belongs to another user, so Tsuzuki will not send commands to it")
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self._socket.settimeout(connect_timeout_ms / 1000)
            self._socket.connect(str(path))
        except OSError:
            self._socket.close()
            raise

    def send(self, data: bytes, timeout_s: float | None) -> None:
        self._socket.settimeout(timeout_s)
        try:
            self._socket.sendall(data)
        except TimeoutError as error:
            raise ChannelError(f"the running Tsuzuki took no request for {timeout_s:g} seconds") from error
        except (BrokenPipeError, ConnectionResetError):  # its refusal may still be there to read
            pass

    def receive(self, timeout_s: float | None) -> bytes | None:
        """Some bytes; b"" once the server has closed; None after ``timeout_s`` of silence."""
        self._socket.settimeout(timeout_s)
        try:
            return self._socket.recv(65536)
        except TimeoutError:
            return None
        except ConnectionResetError:
            return b""

    def close(self) -> None:
        self._socket.close()


class _QtLink:
    """The client end on Windows, where the server is a named pipe. It waits 200 ms at a time, as
    ``waitForReadyRead`` holds the GIL (and so Ctrl-C) for as long as it blocks."""

    def __init__(self, name: str, connect_timeout_ms: int) -> None:
        self._socket = QLocalSocket()
        self._socket.connectToServer(name)
        if not self._socket.waitForConnected(connect_timeout_ms):
            if self._socket.error() in (QLocalSocket.LocalSocketError.ServerNotFoundError,
                                        QLocalSocket.LocalSocketError.ConnectionRefusedError):
                raise ConnectionRefusedError
            raise OSError(self._socket.errorString())

    def send(self, data: bytes, timeout_s: float | None) -> None:
        self._socket.write(data)  # goes out while waiting for the reply, under the same timeout
        self._socket.flush()

    def receive(self, timeout_s: float | None) -> bytes | None:
        if self._socket.waitForReadyRead(200 if timeout_s is None else min(200, int(timeout_s * 1000))):
            return bytes(self._socket.readAll().data())
        return b"" if self._socket.state() is QLocalSocket.LocalSocketState.UnconnectedState else None

    def close(self) -> None:
        self._socket.abort()


_Link: type[_UnixLink] | type[_QtLink] = _UnixLink if os.name == "posix" else _QtLink


def send_request(folder: DataFolder, request: Message, *, timeout_s: float | None = None,
                 connect_timeout_ms: int = 500, on_event: Callable[[Message], None] | None = None,
                 ) -> Message | None:
    """Ask the instance running for ``folder`` and wait for its reply; any thread, no Qt application.

    Returns None when nothing listens (no server, or a stale socket file): work on the files directly.
    Otherwise returns the reply, which holds ``"error"`` if the server refused or failed the request.
    ``on_event`` gets each event. ``timeout_s`` bounds each silence (None: wait as long as it takes).
    Raises ``ChannelError`` if the server dies or stays silent longer.
    """
    return _exchange(folder, _encode(request), timeout_s, connect_timeout_ms, on_event)


def _exchange(folder: DataFolder, data: bytes, timeout_s: float | None, connect_timeout_ms: int,
              on_event: Callable[[Message], None] | None) -> Message | None:
    try:
        link = _Link(channel_name(folder), connect_timeout_ms)
    except (FileNotFoundError, ConnectionRefusedError):  # no server, or a stale socket file
        return None
    except OSError as error:
        raise ChannelError(f"cannot reach the running Tsuzuki: {error}") from error
    try:
        link.send(data, timeout_s)
        lines = _Lines()
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        while True:
            chunk = link.receive(None if deadline is None else max(0.0, deadline - time.monotonic()))
            if chunk == b"":
                raise ChannelError("the running Tsuzuki closed the connection without answering "
                                   "(it may have quit or crashed)")
            if chunk is None:
                if deadline is not None and time.monotonic() >= deadline:
                    raise ChannelError(f"the running Tsuzuki did not answer within {timeout_s:g} seconds")
                continue
            for line in lines.feed(chunk):
                deadline = None if timeout_s is None else time.monotonic() + timeout_s
                message = _decode(line)
                if isinstance(message.get("reply"), dict):
                    return message["reply"]
                if not isinstance(message.get("event"), dict):
                    raise ChannelError("the running Tsuzuki sent a line that is neither a reply nor an event")
                if on_event is not None:
                    on_event(message["event"])
    finally:
        link.close()
