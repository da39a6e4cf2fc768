"""Where a page's time goes, on the database bench_web.py seeded: per page,
the median wall time of the Flask test client (no HTTP, no gunicorn), the
SQL time and statement count, and the response size; with --profile, a
cProfile of that page (sorted by cumulative time).

    .venv/bin/python bench/profile_pages.py                       # every page, 10 requests each
    .venv/bin/python bench/profile_pages.py --only 'report page' --profile
    .venv/bin/python bench/profile_pages.py --against /tmp/base   # this checkout against another, same moment

bench_web.py measures what users feel; this says why, one page at a time.

--against DIR compares two checkouts: each serves through a test client
in a process of its own (its `app.py`, as gunicorn would load it), and
their requests alternate one by one. This host's speed drifts 2-3x within
minutes, so two runs one after the other cannot resolve a 10-20 % change;
alternated requests share the drift.
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import bench_web  # noqa: E402
from sqlalchemy import event  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=bench_web.DEFAULT_URL, help="the database bench_web.py seeded")
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--only", help="a regular expression: only the pages whose name matches")
    parser.add_argument("--profile", action="store_true", help="cProfile 5 requests of each page measured")
    parser.add_argument("--lines", type=int, default=40, help="lines of each profile")
    parser.add_argument("--statements", action="store_true", help="print each statement of the last request with its ms")
    parser.add_argument("--sort", default="cumulative", help="pstats order: cumulative, tottime, ...")
    parser.add_argument("--against", type=Path, help="another checkout: both serve, their requests alternate")
    args = parser.parse_args()
    if args.against:
        return compare(args)

    os.environ.update(DATABASE_URL=args.url, SECRET_KEY="profile", VENDORRISK_INSTANCE=tempfile.mkdtemp())
    from vendorrisk import create_app
    from vendorrisk.infra.db import session_factory

    app = create_app()
    sql = {"statements": 0, "seconds": 0.0, "log": []}
    engine = session_factory(app).kw["bind"]

    @event.listens_for(engine, "before_cursor_execute")
    def _started(conn, *_):
        conn.info["started"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _finished(conn, cursor, statement, *_):
        took = time.perf_counter() - conn.info["started"]
        sql["statements"] += 1
        sql["seconds"] += took
        sql["log"].append((took * 1000, statement))

    ids = bench_web.find_ids(args.url)
    client = app.test_client()
    form = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    signed_in = client.post("/login", data={"csrf_token": token, "email": bench_web.EMAIL,
                                            "password": bench_web.PASSWORD})
    if signed_in.status_code != 302:
        raise SystemExit(f"sign-in answered {signed_in.status_code}: is {args.url} seeded by bench_web.py?")

    print(f"{'page':34s} status   wall ms  SQL ms  statements  KiB")
    for name, path in bench_web.pages(ids).items():
        if args.only and not re.search(args.only, name):
            continue
        client.get(path)  # warm: templates compiled, caches filled
        walls, sql_ms = [], []
        for _ in range(args.requests):
            sql.update(statements=0, seconds=0.0, log=[])
            started = time.perf_counter()
            answer = client.get(path)
            walls.append((time.perf_counter() - started) * 1000)
            sql_ms.append(sql["seconds"] * 1000)
        print(f"{name:34s} {answer.status_code:6d} {statistics.median(walls):9.1f} {statistics.median(sql_ms):7.1f}"
              f" {sql['statements']:11d} {len(answer.data) // 1024:4d}", flush=True)
        if args.statements:
            for took, statement in sql["log"]:
                print(f"  {took:6.1f} ms  {' '.join(statement.split())[:400]}")
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(5):
                client.get(path)
            profile.disable()
            pstats.Stats(profile).sort_stats(args.sort).print_stats(args.lines)


# One checkout's app behind a test client, signed in; reads a path per line,
# answers [milliseconds, status]. Run with the checkout as cwd and first on
# sys.path, so it imports that checkout's code.
SERVE = """
import json, re, sys, time
import app
client = app.app.test_client()
form = client.get("/login").get_data(as_text=True)
token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
client.post("/login", data={"csrf_token": token, "email": sys.argv[1], "password": sys.argv[2]})
print("ready", flush=True)
for line in sys.stdin:
    started = time.perf_counter()
    answer = client.get(line.strip())
    print(json.dumps([(time.perf_counter() - started) * 1000, answer.status_code]), flush=True)
"""


def compare(args) -> None:
    checkouts = {"this": ROOT, "against": args.against.resolve()}
    servers = {}
    for name, code in checkouts.items():
        env = {**os.environ, "DATABASE_URL": args.url, "SECRET_KEY": "profile", "PYTHONPATH": str(code),
               "VENDORRISK_INSTANCE": tempfile.mkdtemp()}
        servers[name] = subprocess.Popen([sys.executable, "-c", SERVE, bench_web.EMAIL, bench_web.PASSWORD],
                                         cwd=code, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        if servers[name].stdout.readline().strip() != "ready":
            raise SystemExit(f"{code} did not start")

    def get(name: str, path: str) -> float:
        servers[name].stdin.write(path + "\n")
        servers[name].stdin.flush()
        took, status = json.loads(servers[name].stdout.readline())
        if status != 200:
            raise SystemExit(f"{path} answered {status} in {checkouts[name]}")
        return took

    print(f"{'page':34s} {'this ms':>8s} {'against ms':>11s}  this/against   (medians of {args.requests} alternated requests)")
    for page, path in bench_web.pages(bench_web.find_ids(args.url)).items():
        if args.only and not re.search(args.only, page):
            continue
        walls = {name: [] for name in servers}
        for name in servers:  # warm: templates compiled, statements prepared
            for _ in range(6):
                get(name, path)
        for _ in range(args.requests):
            for name in servers:
                walls[name].append(get(name, path))
        this, against = statistics.median(walls["this"]), statistics.median(walls["against"])
        print(f"{page:34s} {this:8.1f} {against:11.1f}  {this / against:12.2f}", flush=True)
    for server in servers.values():
        server.stdin.close()
        server.wait(30)


if __name__ == "__main__":
    main()
