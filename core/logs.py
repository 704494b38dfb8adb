"""Logging to a rotating file in the data folder, with secrets taken out of every line."""

from __future__ import annotations

import logging
import os
import re
import sys
from io import TextIOWrapper
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import TextIO
from urllib.parse import parse_qsl, unquote, urlsplit

from core.datafolder import DataFolder, make_private_dir, make_private_file

LOG_FILE = "tsuzuki.log"
_MAX_BYTES = 1_000_000
_BACKUPS = 3
_HIDDEN = "***"
_SHORTEST_SECRET = 4  # shorter parts of an address (ports, "no", "on") are not worth hiding
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*)://", re.I)
_SECRET_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # user:password@ in any URL
    (re.compile(r"(?P<keep>[a-z][a-z0-9+.-]*://[^/\s:@]+:)[^@\s/]+(?=@)", re.I), rf"\g<keep>{_HIDDEN}"),
    # ?token=..., &password=..., &api_key=... and friends
    (
        re.compile(
            r"(?P<keep>[?&;](?:[a-z_]*token|[a-z_]*key|apikey|pass(?:word)?|secret|auth|sig(?:nature)?)=)[^&;#\s]+",
            re.I,
        ),
        rf"\g<keep>{_HIDDEN}",
    ),
    # Apprise addresses (discord://ID/TOKEN, tgram://TOKEN/CHAT, ntfy://TOPIC, json://user:pass@...):
    # any scheme but the web's and files' is a notification address, shown as its scheme only
    (re.compile(r"(?<![\w+.-])(?!(?:https?|file)://)(?P<keep>[a-z][a-z0-9+.-]*://)(?!…)[^\s'\"]+", re.I), r"\g<keep>…"),
    # ntfy.sh topics (the topic is the key), Discord webhooks (/api/webhooks/<id>/<token>)
    (re.compile(r"(?P<keep>\bntfy\.sh/)[^/\s?#'\"]+", re.I), rf"\g<keep>{_HIDDEN}"),
    (re.compile(r"(?P<keep>/api/webhooks/\d+/)[\w-]+", re.I), rf"\g<keep>{_HIDDEN}"),
    # Telegram: bot<id>:<token> in API URLs
    (re.compile(r"(?P<keep>\bbot\d+:)[\w-]+"), rf"\g<keep>{_HIDDEN}"),
    # Authorization headers echoed in messages
    (
        re.compile(r"(?P<keep>\bauthorization[:=]?\s+(?:(?:bearer|basic|token)\s+)?|\bbearer\s+)\S+", re.I),
        rf"\g<keep>{_HIDDEN}",
    ),
)


def redact(text: str, *addresses: str) -> str:
    """``text`` with passwords, tokens and webhook secrets replaced by ``***``, and notification
    addresses by their display form (``display_address``).

    ``addresses`` are addresses ``text`` may quote in pieces (an error naming an ntfy topic, a
    server echoing a path): each of their parts is hidden wherever it appears.
    """
    for address in addresses:
        text = text.replace(address, display_address(address))
        for part in _parts(address):
            text = text.replace(part, _HIDDEN)
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def display_address(address: str) -> str:
    """How a notification address is shown anywhere: its scheme only (``ntfy://…``), since any
    other part of it (a topic, a token, a password, a webhook id) may be what grants access."""
    match = _SCHEME.match(address.strip())
    return f"{match[1].lower()}://…" if match else "…"


def _parts(address: str) -> list[str]:
    """The pieces of ``address`` after its scheme (user, password, host, path segments, query
    values), raw and decoded, longest first."""
    url = urlsplit(address.strip())
    pieces = [*re.split(r"[@:]", url.netloc), *url.path.split("/"), url.fragment]
    pieces += [value for _, value in parse_qsl(url.query)] + [unquote(piece) for piece in pieces]
    return sorted({piece for piece in pieces if len(piece) >= _SHORTEST_SECRET}, key=len, reverse=True)


class RedactingFormatter(logging.Formatter):
    """Formats a record as usual, then redacts the whole line (message, args and traceback)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class _PrivateRotatingFileHandler(RotatingFileHandler):
    """A rotating log whose files are readable by their owner only (0600)."""

    def _open(self) -> TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        make_private_file(Path(self.baseFilename))
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)  # O_APPEND: the mode is "a"


class _FallbackHandler(logging.StreamHandler[TextIO]):
    """Where log records go when the log file cannot be written: errors only, one line each, to stderr."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)
        self.setLevel(logging.ERROR)
        self.setFormatter(_OneLineFormatter("tsuzuki: log: %(message)s"))


class _OneLineFormatter(RedactingFormatter):
    def formatException(self, ei) -> str:  # type: ignore[no-untyped-def]  # no tracebacks on a terminal
        return ""

    def formatStack(self, stack_info: str) -> str:
        return ""


def log_path(folder: DataFolder) -> Path:
    """Where ``folder``'s log file is."""
    return folder.path / "logs" / LOG_FILE


def configure_logging(folder: DataFolder, level: int = logging.INFO) -> logging.Handler:
    """Send the root logger to ``folder``'s rotating log file (replacing an earlier one)."""
    folder.ensure()
    path = log_path(folder)
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, (_PrivateRotatingFileHandler, _FallbackHandler))]:
        root.removeHandler(old)
        old.close()
    handler: logging.Handler
    try:
        make_private_dir(path.parent)
        handler = _PrivateRotatingFileHandler(path, maxBytes=_MAX_BYTES, backupCount=_BACKUPS, encoding="utf-8")
        handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    except OSError as error:  # a read-only or full data folder: reading commands still work
        handler = _FallbackHandler()
        print(f"tsuzuki: warning: the log cannot be written ({error.strerror or error}); "
              "errors go to the terminal instead.", file=sys.stderr)
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # it narrates every run at INFO
    return handler
