"""``tsuzuki --selftest``: does this installation work here? One line per part, exit 1 if any failed."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text

from core.cli.context import Context
from core.cli.output import print_json
from core.secrets import NoKeyring, SecretStore, keyring_help
from core.storage import atomic_write
from providers.registry import get_provider, provider_ids
from providers.release_names import parse_release_name


def _qt() -> str:
    from PySide6.QtCore import QCoreApplication, qVersion

    QCoreApplication.instance() or QCoreApplication([])
    return f"Qt {qVersion()}"


def _data_folder(ctx: Context) -> str:
    probe = ctx.folder.file(".selftest")
    ctx.folder.ensure()
    atomic_write(probe, b"ok")
    probe.unlink()
    return f"{ctx.folder.path} is writable"


class Missing(Exception):
    """An optional part is absent: reported with what to install, not a failure."""


def _keyring(ctx: Context) -> str:
    try:
        SecretStore(ctx.folder).require()
    except NoKeyring:
        raise Missing(
            "no system keyring, so notification channels and torrent-client passwords cannot be saved "
            f"(everything else works). {keyring_help()}"
        ) from None
    import keyring

    return f"keyring backend {type(keyring.get_keyring()).__name__}"


def _providers() -> str:
    for provider_id in provider_ids():
        get_provider(provider_id)
    return ", ".join(provider_ids())


def _parser() -> str:
    parsed = parse_release_name("[Group] Show - 05 (1080p).mkv")
    if (parsed.episode, parsed.video_resolution) != (5, "1080p"):
        raise RuntimeError(f"release names are misread: {parsed}")
    return "release names parse"


def run_selftest(ctx: Context) -> int:
    checks: list[tuple[str, Callable[[], str]]] = [
        ("qt", _qt),
        ("data folder", lambda: _data_folder(ctx)),
        ("keyring", lambda: _keyring(ctx)),
        ("providers", _providers),
        ("parser", _parser),
    ]
    results = []
    for name, check in checks:
        try:
            results.append({"part": name, "ok": True, "missing": False, "detail": check()})
        except Missing as absent:
            results.append({"part": name, "ok": True, "missing": True, "detail": str(absent)})
        except Exception as error:  # the point is to report any failure, whatever it is
            results.append({"part": name, "ok": False, "missing": False, "detail": str(error) or type(error).__name__})
    if ctx.json:
        print_json(results)
    else:
        for result in results:
            if result["missing"]:
                mark, detail = Text("note", style="bold yellow"), f"missing: {result['detail']}"
            else:
                mark = Text("ok  ", style="green") if result["ok"] else Text("FAIL", style="bold red")
                detail = str(result["detail"])
            ctx.say(Text.assemble(mark, f" {result['part']}: {detail}"))
    return 0 if all(result["ok"] for result in results) else 1
