"""The errors Tsuzuki reports to people, in plain words.

``InputError`` means the request itself was wrong (the command line exits 2);
any other ``TsuzukiError`` means the request was fine but could not be carried
out (exit 1). Either way nothing has been written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError


class TsuzukiError(Exception):
    """Base class: ``str(error)`` is a sentence a person can act on."""


class InputError(TsuzukiError):
    """The request was invalid: a bad value, an unknown id, a duplicate."""


class StorageError(TsuzukiError):
    """A file in the data folder could not be read or written."""


def describe_validation_error(error: ValidationError) -> str:
    """Turn a pydantic error into one line per problem, each naming its field."""
    lines = []
    for problem in error.errors(include_url=False):
        field = ".".join(str(part) for part in problem["loc"]) or "value"
        message = problem["msg"]
        if problem["type"] == "extra_forbidden":
            message = "is not a known field"
        elif problem["type"] == "missing":
            message = "is required"
        elif "input" in problem and problem["type"] != "value_error":
            message = f"{message} (got {problem['input']!r})"
        elif message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        lines.append(f"{field}: {message}")
    return "\n".join(lines)
