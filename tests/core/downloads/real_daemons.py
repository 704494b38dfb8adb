"""Real transmission-daemon and qbittorrent-nox on 127.0.0.1, for tests (Debian packages of the same names).

Each runs in the foreground on free ports with a config folder of its own,
with DHT, local peer discovery, peer exchange and port mapping off, so that
nothing reaches beyond this machine. ``RealDaemon.url`` is what Tsuzuki is
given; ``stop()`` ends the process (the fixtures do it).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import requests

START_TIMEOUT = 60.0  # seconds for a daemon to answer, on a loaded machine
QBITTORRENT_USER = "admin"
QBITTORRENT_PASSWORD = "tsuzuki-test-pw"
TRANSMISSION_USER = "alice"
TRANSMISSION_PASSWORD = "tsuzuki-test-pw"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def missing(binary: str) -> str | None:
    """Why a test of ``binary`` cannot run (it is not installed), or None."""
    if shutil.which(binary) is None:
        return f"{binary} is not installed (packaging/setup.sh --test installs it)"
    return None


@dataclass
class RealDaemon:
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=20)


def _wait_until_up(daemon: RealDaemon, probe_url: str) -> RealDaemon:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if daemon.process.poll() is not None:
            raise RuntimeError(f"the daemon exited with {daemon.process.returncode}: {daemon.log.read_text()[-2000:]}")
        try:
            requests.get(probe_url, timeout=2)
            return daemon
        except requests.exceptions.ConnectionError:
            time.sleep(0.2)
    daemon.stop()
    raise RuntimeError(f"the daemon did not answer within {START_TIMEOUT:g} s: {daemon.log.read_text()[-2000:]}")


def start_transmission(folder: Path) -> RealDaemon:
    """transmission-daemon with RPC auth (``TRANSMISSION_USER``/``TRANSMISSION_PASSWORD``) on a free port."""
    config = folder / "transmission"
    config.mkdir(parents=True)
    rpc_port = free_port()
    settings = {
        "dht-enabled": False,
        "lpd-enabled": False,
        "pex-enabled": False,
        "utp-enabled": False,
        "port-forwarding-enabled": False,
        "blocklist-enabled": False,
        "bind-address-ipv4": "127.0.0.1",
        "bind-address-ipv6": "::1",
        "peer-port": free_port(),
        "rpc-bind-address": "127.0.0.1",
        "rpc-port": rpc_port,
        "rpc-authentication-required": True,
        "rpc-username": TRANSMISSION_USER,
        "rpc-password": TRANSMISSION_PASSWORD,
        "rpc-whitelist-enabled": True,
        "rpc-whitelist": "127.0.0.1",
        "rpc-host-whitelist-enabled": False,
        "download-dir": str(folder / "downloads"),
        "incomplete-dir-enabled": False,
        "start-added-torrents": False,
    }
    (config / "settings.json").write_text(json.dumps(settings))
    log = folder / "transmission.log"
    command = ["transmission-daemon", "-f", "-g", str(config), "--no-portmap", "--no-dht", "--no-lpd", "--log-error"]
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{rpc_port}/transmission/rpc"
    return _wait_until_up(RealDaemon(process, url, log), url)


def qbittorrent_password_hash(password: str) -> str:
    """``WebUI\\Password_PBKDF2`` as qBittorrent 4.2+ stores it: PBKDF2-HMAC-SHA512, 100,000 rounds."""
    salt = os.urandom(16)
    key = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, 100_000, dklen=64)
    return f"@ByteArray({base64.b64encode(salt).decode()}:{base64.b64encode(key).decode()})"


def start_qbittorrent(folder: Path) -> RealDaemon:
    """qbittorrent-nox with the Web UI (``QBITTORRENT_USER``/``QBITTORRENT_PASSWORD``) on a free port."""
    profile = folder / "qbittorrent"
    config = profile / "qBittorrent" / "config"
    config.mkdir(parents=True)
    webui_port = free_port()
    lines = [
        "[LegalNotice]",
        "Accepted=true",
        "[BitTorrent]",
        "Session\\DHTEnabled=false",
        "Session\\LSDEnabled=false",
        "Session\\PeXEnabled=false",
        "Session\\AnonymousModeEnabled=true",
        f"Session\\Port={free_port()}",
        "Session\\Interface=lo",
        "Session\\InterfaceName=lo",
        "Session\\InterfaceAddress=127.0.0.1",
        f"Session\\DefaultSavePath={folder / 'downloads'}",
        "Session\\AddTorrentPaused=true",
        "[Network]",
        "PortForwardingEnabled=false",
        "[Preferences]",
        "General\\UseRandomPort=false",
        "Connection\\UPnP=false",
        f"WebUI\\Port={webui_port}",
        "WebUI\\Address=127.0.0.1",
        f"WebUI\\Username={QBITTORRENT_USER}",
        f"WebUI\\Password_PBKDF2=\"{qbittorrent_password_hash(QBITTORRENT_PASSWORD)}\"",
        "WebUI\\LocalHostAuth=true",
        "WebUI\\CSRFProtection=true",
        "WebUI\\HostHeaderValidation=true",
        "WebUI\\UPnP=false",
    ]
    (config / "qBittorrent.conf").write_text("\n".join(lines) + "\n")
    log = folder / "qbittorrent.log"
    command = ["qbittorrent-nox", f"--profile={profile}", f"--webui-port={webui_port}"]
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{webui_port}"
    return _wait_until_up(RealDaemon(process, url, log), url + "/api/v2/app/webapiVersion")
