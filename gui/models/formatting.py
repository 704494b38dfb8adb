"""How times, sizes and sources read in the window's cells."""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePath
from urllib.parse import urlsplit

from PySide6.QtCore import QDateTime, QLocale

NEVER = float("-inf")  # the sort key of a time that is not there


def shown_time(when: datetime) -> str:
    """A moment in the user's locale and time zone, short."""
    moment = QDateTime.fromMSecsSinceEpoch(round(when.timestamp() * 1000))
    return QLocale().toString(moment, QLocale.FormatType.ShortFormat)


def time_key(when: datetime | None) -> float:
    return NEVER if when is None else when.timestamp()


def shown_size(count: int) -> str:
    return QLocale().formattedDataSize(count)


def shown_duration(seconds: float) -> str:
    """ "45 s", "12 min", "3 h 05 min": an ETA."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes = whole // 60
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def short_source(url: str) -> str:
    """A source as a column shows it: host and last path part, or a folder's name."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return PurePath(parts.path if parts.scheme == "file" else url).name or url
    host, segments = parts.hostname or "", [segment for segment in parts.path.split("/") if segment]
    if not segments:
        return host
    return f"{host}/{segments[-1]}" if len(segments) == 1 else f"{host}/…/{segments[-1]}"
