"""Benchmark: check 1,000 shows spread over 50 feeds served with 50 ms of added latency.

Prints the wall time and request count of a full check (target: one request per
feed, <= 2 s), of a second check of the unchanged feeds (all 304; target
<= 0.5 s), and the ratio against a naive checker that fetches and parses each
show's feed on its own, one after another (timed on a sample, scaled up).

    python bench/check_all.py [--shows 1000] [--feeds 50] [--latency-ms 50] [--naive-sample 100]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.checker import EpisodeChecker  # noqa: E402
from core.datafolder import DataFolder  # noqa: E402
from core.episodes import EpisodeBook  # noqa: E402
from core.matching import decide  # noqa: E402
from core.models import WatchlistItemCreate, WatchlistSettings  # noqa: E402
from core.source_cache import SourceCache  # noqa: E402
from core.sources import list_source  # noqa: E402
from core.watchlist import WatchlistManager  # noqa: E402

SYLLABLES = ["ka", "shi", "no", "to", "ri", "mu", "sa", "ne", "ko", "ha", "yo", "mi", "ren", "fu", "ta", "ge"]


def show_title(n: int) -> str:
    """A made-up two-word title, different for every n (titles are words, not numbers)."""
    word = lambda k: "".join(SYLLABLES[(k >> shift) % 16] for shift in (0, 4, 8)).capitalize()  # noqa: E731
    return f"{word(n)} no {word(n * 7 + 3)}"


def feed_xml(feed: int, shows: list[str]) -> bytes:
    items = "".join(
        f"<item><title>{escape(f'[Group{feed}] {title} - {episode:02d} ({quality})')}</title>"
        f"<link>https://example.org/{feed}/{n}/{episode}/{quality}.torrent</link>"
        f"<pubDate>Tue, 24 Nov 2026 10:00:00 +0000</pubDate></item>"
        for n, title in enumerate(shows) for episode in (11, 12) for quality in ("1080p", "720p")
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {feed}</title>{items}</channel></rss>'.encode()


def serve(feeds: dict[str, bytes], latency: float, port_out: multiprocessing.Queue) -> None:
    """A feed server in its own process (so it does not compete with the checker for the GIL)."""
    counter = multiprocessing.Value("i", 0)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            if self.path == "/count":
                body = str(counter.value).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            with counter.get_lock():
                counter.value += 1
            time.sleep(latency)
            body = feeds[self.path]
            etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port_out.put(server.server_address[1])
    server.serve_forever()


def requests_so_far(base: str) -> int:
    import requests

    return int(requests.get(f"{base}/count", timeout=5).text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shows", type=int, default=1000)
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--naive-sample", type=int, default=100)
    args = parser.parse_args()
    per_feed = args.shows // args.feeds
    titles = {feed: [show_title(feed * per_feed + n) for n in range(per_feed)] for feed in range(args.feeds)}
    feeds = {f"/feed{feed}.xml": feed_xml(feed, shows) for feed, shows in titles.items()}
    ports: multiprocessing.Queue = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(feeds, args.latency_ms / 1000, ports), daemon=True)
    server.start()
    base = f"http://127.0.0.1:{ports.get(timeout=10)}"

    with tempfile.TemporaryDirectory() as home:
        os.environ["TSUZUKI_HOME"] = home
        folder = DataFolder.for_profile(None)
        watchlist = WatchlistManager(folder)
        for feed, shows in titles.items():
            for title in shows:
                watchlist.create(WatchlistItemCreate(
                    anime_title=title, anime_url=f"{base}/feed{feed}.xml",
                    provider_id="feed", auto_download=False, last_episode_downloaded=12,
                ))
        items = watchlist.list_items()
        checker = EpisodeChecker(watchlist, EpisodeBook(folder), SourceCache(folder), lambda *job: None)
        settings = WatchlistSettings()

        before = requests_so_far(base)
        started = time.perf_counter()
        report = checker.check(items, settings)
        first = time.perf_counter() - started
        first_requests = requests_so_far(base) - before

        before = requests_so_far(base)
        started = time.perf_counter()
        checker.check(items, settings)
        second = time.perf_counter() - started
        second_requests = requests_so_far(base) - before

        sample = items[: args.naive_sample]
        started = time.perf_counter()
        for item in sample:  # the naive way: every show fetches and parses its own feed, one after another
            decide(item, list_source(item).releases)
        naive = (time.perf_counter() - started) * len(items) / len(sample)

    server.terminate()
    print(f"shows {len(items)}, feeds {args.feeds}, latency {args.latency_ms:g} ms, errors {len(report.errors)}")
    print(f"first check      {first:6.2f} s  {first_requests:5d} requests   (target <= 2 s, {args.feeds} requests)")
    print(f"unchanged (304)  {second:6.2f} s  {second_requests:5d} requests   (target <= 0.5 s)")
    print(f"naive checker    {naive:6.2f} s  (sample of {len(sample)}, scaled)  ratio naive/ours {naive / first:5.1f}x")


if __name__ == "__main__":
    main()
