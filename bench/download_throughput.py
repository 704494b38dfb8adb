"""Download speed, memory and resume cost of ``download_file``, against curl on the same server.

Usage: python bench/download_throughput.py [--size-mib N] [--rounds R] [--kill-rate MIB_PER_S] [--dir DIR]

A file of N MiB (default 1024) is written to a temporary folder (in DIR, by
default the system's temporary folder; /dev/shm takes the disk out of the
figures) and served on 127.0.0.1 by a separate Python process (``sendfile``,
Range and If-Range support), so the server never competes with the client
for the GIL. Then:

1. speed: ``curl -sS -o`` and ``download_file`` each fetch it R times
   (alternating); the best run of each gives MiB/s and the ratio (target:
   download_file >= 0.8x curl). download_file's figure includes the fsync it
   does before the rename; curl does not fsync, so "curl+sync" times curl
   followed by ``os.sync()`` as well.
2. memory: the growth of this process's peak RSS (ru_maxrss) across the
   download_file runs (target <= 50 MB).
3. resume: a child process downloads the file (served at MIB_PER_S), is
   SIGKILLed at about 50%, and download_file resumes in this process at full
   speed. Before the kill the server holds still for 0.2 s so the child drains
   its socket: what a dying process's socket takes in while the kernel tears
   it down would count against any client, curl too. Prints what the resume
   asked for beyond the missing part, and the bytes served twice: everything
   the server sent over both runs minus the file's size (target <= 1 MiB).
"""

from __future__ import annotations

import argparse
import filecmp
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from core.downloads.http_transfer import download_file

MiB = 1024 * 1024
ETAG = '"bench"'
SERVED_LOG = "served.log"
PACE = "pace"
HOLD = "hold"
CHILD = """
import sys
from pathlib import Path
from core.downloads.http_transfer import download_file
download_file(sys.argv[1], Path(sys.argv[2]))
"""


# --- The server (runs in its own process: `download_throughput.py --serve ROOT`) ----------------


class _FileHandler(BaseHTTPRequestHandler):
    """GET ROOT/NAME with Range/If-Range; logs the bytes sent.

    The body is paced at the MiB/s written in ROOT/PACE, if any, and held
    while ROOT/HOLD exists.
    """

    protocol_version = "HTTP/1.1"
    root = Path()

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        path = self.root / parts.path.lstrip("/")
        pace = self.root / PACE
        rate = float(pace.read_text()) * MiB if pace.exists() else 0.0
        size = path.stat().st_size
        asked = self.headers.get("Range", "")
        start = int(asked[6:-1]) if asked and self.headers.get("If-Range", ETAG) == ETAG else 0
        if start >= size > 0:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(206 if start else 200)
        if start:
            self.send_header("Content-Range", f"bytes {start}-{size - 1}/{size}")
        self.send_header("Content-Length", str(size - start))
        self.send_header("Content-Type", "video/x-matroska")
        self.send_header("ETag", ETAG)
        self.end_headers()
        sent = 0
        try:
            with path.open("rb") as source:
                sent = self._send(source, start, size - start, rate)
        except ConnectionError as error:
            sent = getattr(error, "sent", sent)
        with (self.root / SERVED_LOG).open("a") as log:
            log.write(f"{parts.path} {start} {sent}\n")

    def _send(self, source: BinaryIO, start: int, count: int, rate: float) -> int:
        piece = 256 * 1024 if rate else 8 * MiB
        sent = 0
        began = time.monotonic()
        while sent < count:
            while (self.root / HOLD).exists():
                time.sleep(0.005)
            try:
                sent += self.connection.sendfile(source, start + sent, min(piece, count - sent))
            except ConnectionError as error:
                error.sent = sent  # type: ignore[attr-defined]
                raise
            if rate:
                time.sleep(max(0.0, began + sent / rate - time.monotonic()))
        return sent


def serve(root: Path) -> None:
    _FileHandler.root = root
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FileHandler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


# --- The measurements -------------------------------------------------------------------------------


def make_file(path: Path, size_mib: int) -> None:
    block = os.urandom(MiB)
    with path.open("wb") as handle:
        for _ in range(size_mib):
            handle.write(block)


def served_lines(root: Path) -> list[str]:
    log = root / SERVED_LOG
    return log.read_text().splitlines() if log.exists() else []


def served_bytes(root: Path, name: str) -> int:
    return sum(int(line.split()[2]) for line in served_lines(root) if line.split()[0] == f"/{name}")


def timed(run: object) -> float:
    began = time.perf_counter()
    run()  # type: ignore[operator]
    return time.perf_counter() - began


def speed(url: str, source: Path, out: Path, size_mib: int, rounds: int) -> None:
    command = ["curl", "-sS", "--fail", "-o", str(out), url]
    curl, curl_sync, ours = [], [], []
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(rounds):
        curl.append(timed(lambda: subprocess.run(command, check=True)))
        out.unlink()
        curl_sync.append(timed(lambda: (subprocess.run(command, check=True), os.sync())))
        out.unlink()
        ours.append(timed(lambda: download_file(url, out)))
        identical = filecmp.cmp(out, source, shallow=False)
        out.unlink()
    growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before  # KiB on Linux
    best = {name: size_mib / min(times) for name, times in (("curl", curl), ("curl+sync", curl_sync), ("ours", ours))}
    print(f"speed, best of {rounds} ({size_mib} MiB over loopback):")
    for name, rate in best.items():
        print(f"  {name:<14} {rate:8.0f} MiB/s")
    print(f"  ratio download_file / curl:        {best['ours'] / best['curl']:.2f}x  (target >= 0.8x)")
    print(f"  ratio download_file / curl + sync: {best['ours'] / best['curl+sync']:.2f}x")
    print(f"  download_file's copy identical to the source: {identical}")
    print(f"memory: peak RSS grew by {growth / 1024:.1f} MiB during download_file (target <= 50 MB)")


def resume(root: Path, url: str, out: Path, size: int, rate: float) -> None:
    os.sync()  # no dirty-page writeback from the speed runs slows the child down
    before = served_bytes(root, "episode.mkv")
    (root / PACE).write_text(str(rate))
    part = out.with_name(out.name + ".part")
    child = subprocess.Popen([sys.executable, "-c", CHILD, url, str(out)], cwd=Path(__file__).resolve().parent.parent)
    while not (part.exists() and part.stat().st_size >= size // 2) and child.poll() is None:
        time.sleep(0.002)
    if child.poll() is not None:
        print("resume: the child finished before it could be killed; raise --size-mib or lower --kill-rate")
        return
    (root / HOLD).touch()  # see the module's docstring
    time.sleep(0.2)
    child.send_signal(signal.SIGKILL)
    child.wait()
    kept = part.stat().st_size
    requests = len(served_lines(root))
    (root / HOLD).unlink()
    (root / PACE).unlink()
    while len(served_lines(root)) == requests:  # the held request ends (broken pipe) and is logged
        time.sleep(0.01)
    killed_run = served_bytes(root, "episode.mkv") - before
    resumed = timed(lambda: download_file(url, out))
    resumed_run = served_bytes(root, "episode.mkv") - before - killed_run
    print(f"resume: killed at {kept / size:.0%} ({kept / MiB:.1f} MiB on disk), resumed in {resumed:.2f} s")
    print(f"  asked for beyond the missing part: {(resumed_run - (size - kept)) / MiB:.3f} MiB")
    print(f"  bytes served twice (received by the child, never written): {(killed_run + resumed_run - size) / MiB:.3f}"
          " MiB (target <= 1 MiB)")
    print(f"  file intact: {filecmp.cmp(out, root / 'episode.mkv', shallow=False)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--kill-rate", type=float, default=50.0, help="MiB/s served to the child that is killed")
    parser.add_argument("--dir", type=Path, help="where to put the temporary folder")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve)
        return 0
    with tempfile.TemporaryDirectory(prefix="tsuzuki-bench-", dir=args.dir) as temp:
        root = Path(temp)
        make_file(root / "episode.mkv", args.size_mib)
        server = subprocess.Popen([sys.executable, __file__, "--serve", str(root)], stdout=subprocess.PIPE, text=True)
        try:
            base = f"http://127.0.0.1:{server.stdout.readline().strip()}/episode.mkv"  # type: ignore[union-attr]
            out = root / "out" / "episode.mkv"
            out.parent.mkdir()
            speed(base, root / "episode.mkv", out, args.size_mib, args.rounds)
            resume(root, base, out, args.size_mib * MiB, args.kill_rate)
        finally:
            server.terminate()
            server.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
