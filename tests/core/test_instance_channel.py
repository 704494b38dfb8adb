"""The command channel over real local sockets: the server runs in the test's event loop, each client
in a Python thread (it blocks) or a child process."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from pytestqt.qtbot import QtBot

from core.datafolder import DataFolder
from core.errors import InputError
from core.instance_channel import (
    MAX_MESSAGE_BYTES,
    ChannelError,
    CommandServer,
    Handler,
    Reply,
    _exchange,
    _socket_path,
    channel_name,
    send_request,
)

posix_only = pytest.mark.skipif(os.name != "posix", reason="socket files exist on POSIX only")


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(max_workers=2) as executor:
        yield executor


@pytest.fixture
def ask(qtbot: QtBot, pool: ThreadPoolExecutor, folder: DataFolder) -> Callable[..., Any]:
    """Runs a blocking client call in a thread while the test's event loop serves it."""
    def run(*args: Any, call: Callable[..., Any] = send_request, **kwargs: Any) -> Any:
        if call is send_request:
            kwargs.setdefault("timeout_s", 10)  # a broken server fails the test instead of hanging it
        future = pool.submit(call, folder, *args, **kwargs)
        qtbot.waitUntil(future.done, timeout=20_000)
        return future.result()
    return run


@pytest.fixture
def serve(qtbot: QtBot, folder: DataFolder) -> Iterator[Callable[[Handler], CommandServer]]:
    servers: list[CommandServer] = []

    def start(handler: Handler) -> CommandServer:
        server = CommandServer(folder, handler)
        server.listen()
        servers.append(server)
        return server
    yield start
    for server in servers:
        server.close()


@pytest.fixture
def dead_socket() -> Iterator[Callable[[DataFolder], Path]]:
    """Leaves the socket file a crashed server leaves (bound, never listened on, closed)."""
    made: list[Path] = []

    def make(folder: DataFolder) -> Path:
        path = _socket_path(channel_name(folder))
        with socket.socket(socket.AF_UNIX) as dead:
            dead.bind(str(path))
        made.append(path)
        return path
    yield make
    for path in made:
        path.unlink(missing_ok=True)


def echo(request: dict[str, Any], reply: Reply) -> None:
    reply({"echo": request})


def connections(server: CommandServer) -> int:
    return len(server.findChildren(QLocalSocket))


def test_channel_name_is_per_folder_and_short(tmp_path: Path) -> None:
    name = channel_name(DataFolder(tmp_path / "a"))
    assert name == channel_name(DataFolder(tmp_path / "b" / ".." / "a"))
    assert name != channel_name(DataFolder(tmp_path / "b"))
    assert name.startswith("tsuzuki-") and len(name) == 24


def test_a_reply_at_once_comes_back_whole(serve: Callable[[Handler], CommandServer], ask: Any) -> None:
    serve(echo)
    assert ask({"command": "list", "title": "続き"}) == {"echo": {"command": "list", "title": "続き"}}
    assert ask({"second": True}) == {"echo": {"second": True}}


def test_a_later_reply_follows_its_events(serve: Callable[[Handler], CommandServer], ask: Any) -> None:
    def later(request: dict[str, Any], reply: Reply) -> None:
        reply.event({"step": 1})
        QTimer.singleShot(300, lambda: reply.event({"step": 2}))
        QTimer.singleShot(300, lambda: reply({"done": True}))
    serve(later)
    events: list[dict[str, Any]] = []
    assert ask({"command": "check"}, on_event=events.append) == {"done": True}
    assert events == [{"step": 1}, {"step": 2}]


def test_nothing_listening_gives_none(qtbot: QtBot, ask: Any) -> None:
    assert ask({"command": "list"}) is None


@posix_only
def test_a_stale_socket_file_gives_none_and_does_not_stop_a_new_server(
        folder: DataFolder, dead_socket: Callable[[DataFolder], Path], serve: Callable[[Handler], CommandServer],
        ask: Any) -> None:
    assert dead_socket(folder).exists()
    assert ask({"command": "list"}) is None
    serve(echo)
    assert ask({"command": "list"}) == {"echo": {"command": "list"}}


@posix_only
def test_only_the_owner_may_connect(folder: DataFolder, serve: Callable[[Handler], CommandServer]) -> None:
    serve(echo)
    assert stat.S_IMODE(_socket_path(channel_name(folder)).stat().st_mode) & 0o077 == 0


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
def test_a_socket_of_another_user_is_refused(folder: DataFolder, qtbot: QtBot, ask: Any) -> None:
    path = _socket_path(channel_name(folder))
    with socket.socket(socket.AF_UNIX) as squatter:
        squatter.bind(str(path))
        try:
            squatter.listen()
            os.chown(path, 65534, 65534)  # "nobody"
            with pytest.raises(ChannelError, match="belongs to another user"):
                ask({"command": "list"})
        finally:
            path.unlink()


@posix_only
def test_listen_failing_says_so_plainly(folder: DataFolder, qtbot: QtBot) -> None:
    in_the_way = _socket_path(channel_name(folder))
    (in_the_way / "something").mkdir(parents=True)
    try:
        with pytest.raises(ChannelError, match="cannot take commands from the command line"):
            CommandServer(folder, echo).listen()
    finally:
        (in_the_way / "something").rmdir()
        in_the_way.rmdir()


@pytest.mark.parametrize("line, problem", [
    (b"not json\n", "not valid UTF-8 JSON"),
    (b"\xff\xfe{}\n", "not valid UTF-8 JSON"),
    (b"[1, 2]\n", "not a JSON object"),
    (b"x" * (MAX_MESSAGE_BYTES + 1), "longer than"),  # refused before its end arrives
])
def test_a_bad_request_gets_an_error_and_the_server_keeps_serving(
        serve: Callable[[Handler], CommandServer], ask: Any, line: bytes, problem: str) -> None:
    serve(echo)
    reply = ask(line, 10.0, 500, None, call=_exchange)
    assert reply is not None and problem in reply["error"] and reply["error"].startswith("bad request")
    assert ask({"after": 1}) == {"echo": {"after": 1}}


def test_the_client_refuses_to_send_an_oversized_request(folder: DataFolder) -> None:
    with pytest.raises(ChannelError, match="more than"):
        send_request(folder, {"blob": "x" * MAX_MESSAGE_BYTES})


def test_a_reply_that_cannot_be_sent_becomes_an_error(
        serve: Callable[[Handler], CommandServer], ask: Any) -> None:
    serve(lambda request, reply: reply({"blob": "x" * MAX_MESSAGE_BYTES} if request["big"] else {"when": time}))
    assert "more than" in ask({"big": True})["error"]
    assert "cannot be sent as JSON" in ask({"big": False})["error"]


@pytest.mark.parametrize("sent, problem", [
    (b"x" * (MAX_MESSAGE_BYTES + 1), "longer than"),
    (b"oops\n", "not valid UTF-8 JSON"),
    (b'{"other": 1}\n', "neither a reply nor an event"),
])
def test_the_client_refuses_a_bad_answer(folder: DataFolder, qtbot: QtBot, ask: Any, sent: bytes,
                                         problem: str) -> None:
    raw = QLocalServer()
    raw.newConnection.connect(lambda: raw.nextPendingConnection().write(sent))
    assert raw.listen(channel_name(folder))
    try:
        with pytest.raises(ChannelError, match=problem):
            ask({"command": "list"})
    finally:
        raw.close()


def test_a_handler_that_raises_gets_an_error_reply(
        serve: Callable[[Handler], CommandServer], ask: Any, caplog: pytest.LogCaptureFixture) -> None:
    def failing(request: dict[str, Any], reply: Reply) -> None:
        if request["plain"]:
            raise InputError("no show has id 7")
        raise KeyError("oops")
    serve(failing)
    assert ask({"plain": True}) == {"error": "no show has id 7"}
    assert ask({"plain": False}) == {"error": "'oops'"}
    assert "a command from the command line failed" in caplog.text  # only the unexpected one is logged
    assert caplog.text.count("failed") == 1


def test_silence_beyond_the_timeout_raises_and_a_late_reply_is_harmless(
        qtbot: QtBot, serve: Callable[[Handler], CommandServer], ask: Any) -> None:
    pending: list[Reply] = []
    server = serve(lambda request, reply: pending.append(reply) if request["hold"] else reply({"ok": 1}))
    started = time.monotonic()
    with pytest.raises(ChannelError, match="did not answer within 0.3 seconds"):
        ask({"hold": True}, timeout_s=0.3)
    assert time.monotonic() - started < 5
    qtbot.waitUntil(lambda: connections(server) == 0)  # the server saw the client hang up
    pending[0].event({"step": 1})
    pending[0]({"late": True})
    assert ask({"hold": False}) == {"ok": 1}


@posix_only
def test_a_server_that_takes_no_request_times_out(folder: DataFolder, qtbot: QtBot, ask: Any) -> None:
    path = _socket_path(channel_name(folder))
    with socket.socket(socket.AF_UNIX) as wedged:  # listens, never accepts: the request fills the buffer
        wedged.bind(str(path))
        try:
            wedged.listen()
            with pytest.raises(ChannelError, match="took no request for 0.3 seconds"):
                ask({"blob": "x" * (MAX_MESSAGE_BYTES // 2)}, timeout_s=0.3)
        finally:
            path.unlink()


def test_events_keep_a_slow_exchange_alive(serve: Callable[[Handler], CommandServer], ask: Any) -> None:
    def ticking(request: dict[str, Any], reply: Reply) -> None:
        for step in range(1, 5):
            QTimer.singleShot(150 * step, lambda step=step: reply.event({"step": step}))
        QTimer.singleShot(750, lambda: reply({"done": True}))
    serve(ticking)
    assert ask({"command": "check"}, timeout_s=0.5) == {"done": True}


def test_a_silent_connection_does_not_hold_up_another(
        qtbot: QtBot, folder: DataFolder, pool: ThreadPoolExecutor,
        serve: Callable[[Handler], CommandServer]) -> None:
    server = serve(lambda request, reply: QTimer.singleShot(300, lambda: reply({"echo": request})))
    silent = QLocalSocket()
    silent.connectToServer(channel_name(folder))
    qtbot.waitUntil(lambda: connections(server) == 1)
    other = pool.submit(send_request, folder, {"command": "list"}, timeout_s=1)
    qtbot.waitUntil(lambda: connections(server) == 2)
    silent.write(b'{"half": ')  # half a request, while the other one is being answered
    qtbot.waitUntil(other.done, timeout=5000)
    assert other.result() == {"echo": {"command": "list"}}
    silent.abort()


def test_a_server_closing_before_replying_is_reported(
        folder: DataFolder, serve: Callable[[Handler], CommandServer], ask: Any) -> None:
    server = serve(lambda request, reply: QTimer.singleShot(200, server.close))
    with pytest.raises(ChannelError, match="closed the connection without answering"):
        ask({"command": "check"})
    if os.name == "posix":
        assert not _socket_path(channel_name(folder)).exists()
    assert ask({"command": "check"}) is None


CHILD = """
import sys
from pathlib import Path
import core.instance_channel as channel
from core.datafolder import DataFolder
channel._Link = getattr(channel, sys.argv[1])
events = []
print(channel.send_request(DataFolder.for_profile(None), {"hold": False}, timeout_s=10, on_event=events.append))
print(events)
try:
    channel.send_request(DataFolder.for_profile(None), {"hold": True}, timeout_s=0.3)
except channel.ChannelError as error:
    print(error)
print(channel.send_request(DataFolder(Path(sys.argv[2])), {}), channel.send_request(DataFolder(Path(sys.argv[3])), {}))
"""


@posix_only
@pytest.mark.parametrize("link", ["_UnixLink", "_QtLink"])
def test_a_process_without_a_qt_application_can_ask_through_either_link(
        qtbot: QtBot, tmp_path: Path, dead_socket: Callable[[DataFolder], Path],
        serve: Callable[[Handler], CommandServer], link: str) -> None:
    """The child is what the command line is; the Qt link (Windows' named pipe) is run here too."""
    def handler(request: dict[str, Any], reply: Reply) -> None:
        if not request["hold"]:
            reply.event({"step": 1})
            QTimer.singleShot(200, lambda: reply({"done": True}))
    serve(handler)
    stale = tmp_path / "stale"
    dead_socket(DataFolder(stale))
    root = Path(__file__).resolve().parents[2]
    child = subprocess.Popen([sys.executable, "-c", CHILD, link, str(tmp_path / "idle"), str(stale)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=root,
                             env={**os.environ, "PYTHONPATH": str(root)})
    qtbot.waitUntil(lambda: child.poll() is not None, timeout=20_000)
    out, err = child.communicate()
    assert out.splitlines() == [
        "{'done': True}", "[{'step': 1}]", "the running Tsuzuki did not answer within 0.3 seconds", "None None"]
    assert (err, child.returncode) == ("", 0)  # not even a Qt warning in a process without an application
