"""Logging to a rotating file in the data folder, with secrets taken out of every line."""

from __future__ import annotations

import logging
import os
import re
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

from core.datafolder import DataFolder, make_private_dir

LOG_FILE = "tsuzuki.log"
_MAX_BYTES = 1_000_000
_BACKUPS = 3
_HIDDEN = "***"
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
    # Discord webhooks: https://discord.com/api/webhooks/<id>/<token>, discord://<id>/<token>
    (re.compile(r"(?P<keep>/api/webhooks/\d+/)[\w-]+", re.I), rf"\g<keep>{_HIDDEN}"),
    (re.compile(r"(?P<keep>\bdiscord://[^/\s]+/)[^/\s?]+", re.I), rf"\g<keep>{_HIDDEN}"),
    # Telegram: bot<id>:<token> in API URLs, tgram://<token>/...
    (re.compile(r"(?P<keep>\bbot\d+:)[\w-]+"), rf"\g<keep>{_HIDDEN}"),
    (re.compile(r"(?P<keep>\btgram://)[^/\s?]+", re.I), rf"\g<keep>{_HIDDEN}"),
    # Authorization headers echoed in messages
    (
        re.compile(r"(?P<keep>\bauthorization[:=]?\s+(?:(?:bearer|basic|token)\s+)?|\bbearer\s+)\S+", re.I),
        rf"\g<keep>{_HIDDEN}",
    ),
)


def redact(text: str) -> str:
    """``text`` with passwords, tokens and webhook secrets replaced by ``***``."""
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFormatter(logging.Formatter):
    """Formats a record as usual, then redacts the whole line (message, args and traceback)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class _PrivateRotatingFileHandler(RotatingFileHandler):
    """A rotating log whose files are readable by their owner only (0600)."""

    def _open(self):  # type: ignore[no-untyped-def]
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return os.fdopen(fd, self.mode.replace("w", "a"), encoding=self.encoding, errors=self.errors)


class _FallbackHandler(logging.StreamHandler):  # type: ignore[type-arg]
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
