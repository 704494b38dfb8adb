"""A notification address is a key: no part of it that grants access reaches the terminal, the log
or the data folder's files, whatever ``tsuzuki notify`` is asked to do."""

from __future__ import annotations

from pathlib import Path

import keyring
from keyring.backends.fail import Keyring as NoKeyring

from core.logs import LOG_FILE
from tests.cli_runner import Result, Run
from tests.loopback import LoopbackServer

SECRETS = {
    "ntfy-topic": "t0picKeyAlpha",
    "ntfy-cloud": "t0picKeyBravo",
    "ntfy-https": "t0picKeyCharlie",
    "ntfys-host": "t0picKeyDelta",
    "discord-token": "d1scordT0kenEcho",
    "telegram-token": "AAEbotT0kenFoxtrot",
    "mail-password": "ma1lPassGolf",
    "json-password": "js0nPassHotel",
    "json-path": "pathT0kenIndia",
    "json-query": "queryT0kenJuliet",
}


def addresses(loopback: LoopbackServer) -> dict[str, str]:
    host = loopback.base_url.removeprefix("http://")
    s = SECRETS
    return {
        "Phone": f"ntfy://{host}/{s['ntfy-topic']}",
        "Cloud": f"ntfy://{s['ntfy-cloud']}",
        "Web": f"https://ntfy.sh/{s['ntfy-https']}",
        "Server": f"ntfys://ntfy.example.org/{s['ntfys-host']}",
        "Discord": f"discord://1234567890/{s['discord-token']}",
        "Telegram": f"tgram://123456789:{s['telegram-token']}/4242",
        "Mail": f"mailtos://me:{s['mail-password']}@example.com?to=me@example.com",
        "Hook": f"json://me:{s['json-password']}@{host}/{s['json-path']}?token={s['json-query']}",
    }


def test_no_secret_reaches_the_terminal_the_log_or_the_files(
    cli: Run, home: Path, loopback: LoopbackServer, qapp  # type: ignore[no-untyped-def]
) -> None:
    echo = f"denied for {SECRETS['ntfy-topic']} and {SECRETS['json-path']}"  # a server quoting the request
    loopback.route("/", echo, status=500)  # ntfy posts the topic in the body
    loopback.route(f"/{SECRETS['json-path']}", echo, status=500)
    results: list[Result] = []
    for label, url in addresses(loopback).items():
        results.append(cli("notify", "add", label, url))
        results.append(cli("notify", "add", f"{label} again", url, "--json"))
    assert all(result.code == 0 for result in results), [result.err for result in results]
    results += [cli("notify", "list"), cli("notify", "--json"), cli("notify", "list", "--json")]
    tests = [cli("notify", "test", "phone"), cli("notify", "test", "hook", "--json")]
    assert [result.code for result in tests] == [1, 1] and all("500" in result.err for result in tests)
    results += tests
    results += [cli("notify", "remove", "cloud"), cli("notify", "remove", "cloud")]
    results.append(cli("notify", "test", addresses(loopback)["Cloud"]))  # the address typed where its id goes
    assert results[-1].code == 2 and "no notification channel 'ntfy://…'" in results[-1].err

    shown = "\n".join(result.out + result.err for result in results)
    assert "ntfy://…" in shown and "discord://…" in shown  # the channels are still recognisable
    files = {path: path.read_text() for path in home.rglob("*") if path.suffix == ".json" or path.name == LOG_FILE}
    assert home / "logs" / LOG_FILE in files
    for name, secret in SECRETS.items():
        assert secret not in shown, name
        for path, text in files.items():
            assert secret not in text, (name, path)


def test_list_works_without_the_address(cli: Run, memory_keyring, qapp) -> None:  # type: ignore[no-untyped-def]
    assert cli("notify", "add", "Phone", "ntfy://t0picKeyKilo").code == 0
    memory_keyring.entries.clear()
    assert cli("notify", "list", "--json").json()[0]["address"] == "(missing from the keyring)"
    keyring.set_keyring(NoKeyring())  # the conftest fixture puts the memory keyring back afterwards
    listed = cli("notify", "list", "--json")
    assert listed.code == 0 and listed.json()[0]["address"] == "(keyring unavailable)"
