"""Benchmark: check 1,000 shows spread over 50 feeds served with 50 ms of added latency.

Prints the wall time and request count of a full check (target: one request per
feed, <= 2 s), of a second check of the unchanged feeds (all 304; target
<= 0.5 s), and the ratio against a naive checker that fetches and parses each
show's feed on its own, one after another (timed on a sample, scaled up).

Then the scale case: many shows on one big feed (default 2,000 shows, 5,000
entries; and a 100,000-entry feed), each check in a fresh process as the command
line runs it, with its time and peak memory (targets: first <= 10 s, unchanged
rerun <= 3 s, <= 200 MB; the 100,000-entry feed <= 300 MB).

    python bench/check_all.py [--shows 1000] [--feeds 50] [--latency-ms 50] [--naive-sample 100]
                              [--big-shows 2000] [--big-entries 5000,100000]
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


def big_feed_xml(shows: list[str], entries: int) -> bytes:
    """One feed of ``entries`` releases spread over ``shows``, a new episode per round (kept terse: the
    feed provider refuses a feed over 10 MiB)."""
    items = "".join(
        f"<item><title>{escape(f'[Group] {shows[k % len(shows)]} - {k // len(shows) + 1:02d} (1080p)')}</title>"
        f"<link>http://e.org/{k}</link></item>"
        for k in range(entries)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>{items}</channel></rss>'.encode()


def one_check(home: str, out: multiprocessing.Queue) -> None:
    """One check of every show, in this fresh process: its wall time and the process's peak RSS."""
    import resource

    os.environ["TSUZUKI_HOME"] = home
    folder = DataFolder.for_profile(None)
    watchlist = WatchlistManager(folder)
    checker = EpisodeChecker(watchlist, EpisodeBook(folder), SourceCache(folder), lambda *job: None)
    started = time.perf_counter()
    report = checker.check(watchlist.list_items(), WatchlistSettings())
    elapsed = time.perf_counter() - started
    out.put((elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, len(report.errors)))


def scale_case(shows: int, entries: int) -> None:
    """Many shows on one big feed served from loopback: two checks, each in a fresh process."""
    titles = [show_title(n) for n in range(shows)]
    ports: multiprocessing.Queue = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=({"/big.xml": big_feed_xml(titles, entries)}, 0, ports),
                                     daemon=True)
    server.start()
    url = f"http://127.0.0.1:{ports.get(timeout=60)}/big.xml"
    spawn = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory() as home:
        os.environ["TSUZUKI_HOME"] = home
        watchlist = WatchlistManager(DataFolder.for_profile(None))
        for title in titles:
            watchlist.create(WatchlistItemCreate(anime_title=title, anime_url=url, provider_id="feed",
                                                 auto_download=False, last_episode_downloaded=10_000))
        results = []
        for _ in ("first", "unchanged"):
            out = spawn.Queue()
            child = spawn.Process(target=one_check, args=(home, out))
            child.start()
            results.append(out.get(timeout=600))
            child.join()
    server.terminate()
    (first, first_mb, errors), (second, second_mb, _) = results
    print(f"one feed: {shows} shows, {entries} entries, errors {errors}")
    print(f"  first check      {first:6.2f} s  peak {first_mb:6.0f} MB   (target <= 10 s)")
    print(f"  unchanged (304)  {second:6.2f} s  peak {second_mb:6.0f} MB   (target <= 3 s; <= 200 MB, "
          f"<= 300 MB at 100,000 entries)")


def requests_so_far(base: str) -> int:
    import requests

    return int(requests.get(f"{base}/count", timeout=5).text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shows", type=int, default=1000)
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--naive-sample", type=int, default=100)
    parser.add_argument("--big-shows", type=int, default=2000)
    parser.add_argument("--big-entries", default="5000,100000", help="comma-separated feed sizes")
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
    for entries in (int(size) for size in args.big_entries.split(",") if size):
        scale_case(args.big_shows, entries)


if __name__ == "__main__":
    main()
