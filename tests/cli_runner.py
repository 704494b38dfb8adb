"""Running ``tsuzuki`` in tests: in-process (fast) or as a real process (for what crosses processes)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


Run = Callable[..., Result]


ADD_FRIEREN = ("add", "--title", "Frieren", "--url", "https://feeds.example.org/frieren.xml", "--provider", "feed")
