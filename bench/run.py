"""`make bench`: measure filing and listing against a real server on SQLite and PostgreSQL, next to a ceiling.

For each database: a fresh data dir (and database), migrate, seed the demo mechanism, start granian with two
workers, then measure with 16 concurrent keep-alive clients in 2 processes:
  1. the ceiling: GET /api/v1/health, a JSON view that touches no database;
  2. filing: POST /api/v1/complaints, AF and PK liaisons alternating, varied points inside the area;
  3. listing with 100k complaints (10k with --quick): two filter combinations on the API, and the web list.
Prints one table per database; a missed target is printed, never an error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import re
import secrets
import sys
import time
import traceback
from dataclasses import dataclass
from urllib.parse import urlencode

from cpu import CpuSampler, machine, machine_busy_seconds
from load import Call, LoadResult, run_load
from report import CpuUse, Row, at_least, latency_rows, ms, print_table
from server import (
    HOST,
    Server,
    Target,
    destroy_target,
    make_target,
    migrate,
)


@dataclass(frozen=True)
class Sizes:
    ceiling: int
    filings: int
    lists: int
    complaints: int
    seconds: float


FULL = Sizes(ceiling=20_000, filings=2_000, lists=2_000, complaints=100_000, seconds=20)
QUICK = Sizes(ceiling=3_000, filings=300, lists=400, complaints=10_000, seconds=10)

# What each side alleges in the filing run: (category, commitments, actors).
FILED = {"AF": ("air_strike", ["C2", "C3"], ["pk-forces"]), "PK": ("militant_attack", ["C4", "C5"], ["ttp"])}


class Bench:
    def __init__(self, target: Target, server: Server, clients: int, processes: int) -> None:
        self.target, self.server = target, server
        self.clients, self.processes = clients, processes
        self.notes: list[str] = []

    def probe(self, call: Call, expect: int) -> tuple[bool, bytes]:
        """One request before a run: does the endpoint exist and answer as the contract says?"""
        conn = http.client.HTTPConnection(HOST, self.server.port, timeout=30)
        conn.request(call.method, call.path, body=call.body, headers=dict(call.headers))
        response = conn.getresponse()
        body = response.read()
        conn.close()
        if response.status != expect:
            text = " ".join(body[:300].decode(errors="replace").split())
            where = call.path.split("?")[0]
            self.notes.append(f"{call.method} {where} answered {response.status}, not {expect}: {text} — skipped")
        return response.status == expect, body

    def load(self, name: str, calls: list[Call], expect: int, count: int, seconds: float) -> LoadResult:
        warm = max(len(calls) // 20, 50) if expect != 201 else 50
        run_load(
            HOST,
            self.server.port,
            calls[-warm:],
            expect=expect,
            count=warm,
            seconds=seconds,
            clients=self.clients,
            processes=self.processes,
        )  # workers import, connect and warm caches
        sampler, clients = CpuSampler(), set()
        busy0, server0 = machine_busy_seconds()[0], self.server.cpu_seconds()
        began = time.monotonic()

        def started(pids: list[int]) -> None:
            clients.update(pids)
            sampler.start()  # only now: forking the clients with a sampling thread running would be unsafe

        result = run_load(
            HOST,
            self.server.port,
            calls[: max(count, 1)],
            expect=expect,
            count=count,
            seconds=seconds,
            clients=self.clients,
            processes=self.processes,
            on_started=started,
        )
        cpu = CpuUse(
            wall=time.monotonic() - began,
            machine=machine_busy_seconds()[0] - busy0,
            server=self.server.cpu_seconds() - server0,
            client=result.client_cpu,
            by_name=sampler.stop(exclude={os.getpid(), *clients, *self.server.pids()}),
        )
        # CPU per request is what a request costs whatever the queueing: the figure to compare between runs.
        per_request = (cpu.server + cpu.by_name.get("postgres", 0.0)) / max(result.ok + result.errors, 1)
        who = "server+PostgreSQL" if self.target.name == "postgres" else "server"
        head = f"{name}: {result.ok} ok in {result.wall:.1f} s; {who} CPU {ms(per_request)} per request"
        self.notes.append(f"{head}; {cpu.verdict()}")
        if result.errors:
            self.notes.append(f"{name}: {result.errors} errors, e.g. " + " | ".join(result.error_samples[:3]))
        return result


def bearer(token: str, *extra: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    return (("Authorization", f"Bearer {token}"), *extra)


def filing_calls(info: dict, count: int, rng: random.Random) -> list[Call]:
    points = {side: [p for p in info["points"] if p["side"] == side] for side in ("AF", "PK")}
    now = dt.datetime.now(dt.UTC)
    calls = []
    for i in range(count):
        complainant = "AF" if i % 2 == 0 else "PK"
        category, commitments, actors = FILED[complainant]
        point = rng.choice(points[complainant])
        starts = now - dt.timedelta(days=rng.uniform(1, 300))
        body = {
            "category": category,
            "starts_at": starts.isoformat(),
            "time_precision": "hour",
            "ends_at": (starts + dt.timedelta(hours=2)).isoformat(),
            "latitude": point["latitude"],
            "longitude": point["longitude"],
            "respondent": "PK" if complainant == "AF" else "AF",
            "commitments": commitments,
            "actors": actors,
            "narrative": f"Benchmark filing {i}: an incident reported by the {complainant} liaison office.",
            "title": "",
            "tlp": "AMBER",
            "place_id": None,
            "place_description": "",
            "casualties": [{"kind": "injured", "status": "civilian", "best": 1 + i % 7, "low": None, "high": None}],
            "agreement": None,
            "submit": True,
        }
        token = info["tokens"][f"{complainant.lower()}-liaison"]
        calls.append(
            Call(
                "POST",
                "/api/v1/complaints",
                json.dumps(body).encode(),
                bearer(token, ("Content-Type", "application/json")),
            )
        )
    return calls


def web_session(port: int, login_path: str, username: str, password: str) -> str | None:
    """Sign in like a browser (CSRF cookie from the form, then POST); returns the Cookie header or None."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", login_path)
    response = conn.getresponse()
    page = response.read().decode(errors="replace")
    cookies = dict(c.split(";")[0].split("=", 1) for c in response.headers.get_all("Set-Cookie") or [])
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if "csrftoken" not in cookies or match is None:
        return None
    form = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": match.group(1)})
    conn.request(
        "POST",
        login_path,
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken']}",
            "Referer": f"http://{HOST}:{port}{login_path}",
        },
    )
    response = conn.getresponse()
    response.read()
    conn.close()
    for cookie in response.headers.get_all("Set-Cookie") or []:
        if cookie.startswith("sessionid="):
            return f"{cookie.split(';')[0]}; csrftoken={cookies['csrftoken']}"
    return None


def bench_database(name: str, sizes: Sizes, clients: int, processes: int) -> None:
    started = time.monotonic()
    target = make_target(name)
    rows: list[Row] = []
    try:
        migrate(target)
        password = secrets.token_urlsafe(18)
        info = json.loads(target.run("bench/seed.py", "prepare", "--password", password, capture=True).stdout)
        with Server(target) as server:
            bench = Bench(target, server, clients, processes)
            rows, ceiling = measure_ceiling(bench, sizes)
            rows += measure_filing(bench, sizes, info, ceiling)
            seeded = json.loads(
                target.run("bench/seed.py", "complaints", "--total", str(sizes.complaints), capture=True).stdout
            )
            bench.notes.append(f"bulk-seeded {seeded['added']} complaints; {seeded['total']} in the database")
            rows += measure_lists(bench, sizes, info, ceiling, seeded, password)
    finally:
        destroy_target(target)
    notes = [
        *bench.notes,
        f"{clients} clients in {processes} processes; run took {time.monotonic() - started:.0f} s",
    ]
    print_table(f"{name}", rows, notes)


def measure_ceiling(bench: Bench, sizes: Sizes) -> tuple[list[Row], float | None]:
    call = Call("GET", "/api/v1/health")
    ok, _ = bench.probe(call, 200)
    if not ok:
        return [Row("ceiling GET /api/v1/health", "not available")], None
    result = bench.load("ceiling", [call], 200, sizes.ceiling, sizes.seconds)
    return [
        Row("ceiling GET /api/v1/health: rate", f"{result.rate:.0f} req/s", "—", "1.00"),
        Row("ceiling: p50 / p95", f"{ms(result.percentile(50))} / {ms(result.percentile(95))}"),
    ], result.rate


def measure_filing(bench: Bench, sizes: Sizes, info: dict, ceiling: float | None) -> list[Row]:
    calls = filing_calls(info, sizes.filings + 51, random.Random(11))
    ok, _ = bench.probe(calls[-1], 201)
    if not ok:
        return [Row("filing POST /api/v1/complaints", "not available")]
    result = bench.load("filing", calls[:-51] or calls, 201, sizes.filings, sizes.seconds)
    rows = latency_rows("filing POST /api/v1/complaints", result, ceiling, "filings/s")
    rows[2].target, rows[2].met = ">= 200/s", at_least(result.rate, 200)
    rows.append(Row("filing: errors", str(result.errors), "0", "—", "yes" if result.errors == 0 else "NO"))
    return rows


def measure_lists(
    bench: Bench, sizes: Sizes, info: dict, ceiling: float | None, seeded: dict, password: str
) -> list[Row]:
    rows: list[Row] = []
    token = info["tokens"]["tr-investigator"]
    today = dt.date.today()
    combos = {
        "list respondent+category": {"respondent": "PK", "category": "air_strike", "limit": 50},
        "list dates+q": {
            "date_from": (today - dt.timedelta(days=150)).isoformat(),
            "date_to": (today - dt.timedelta(days=60)).isoformat(),
            "q": seeded["province"].split()[0].lower(),
            "limit": 50,
        },
    }
    for label, query in combos.items():
        call = Call("GET", f"/api/v1/complaints?{urlencode(query)}", None, bearer(token))
        ok, body = bench.probe(call, 200)
        if not ok:
            rows.append(Row(f"API {label}", "not available"))
            continue
        bench.notes.append(f"API {label} ({urlencode(query)}): {json.loads(body)['count']} visible matches")
        rows += latency_rows(
            f"API {label}", bench.load(f"API {label}", [call], 200, sizes.lists, sizes.seconds), ceiling
        )
    if not (info["web_list"] and info["login_path"]):
        bench.notes.append("web list /complaints/ not there yet — skipped")
        return rows
    cookie = web_session(bench.server.port, info["login_path"], "tr-investigator", password)
    if cookie is None:
        bench.notes.append("web list: could not sign in as tr-investigator — skipped")
        return rows
    call = Call("GET", "/complaints/?respondent=PK&category=air_strike", None, (("Cookie", cookie),))
    if bench.probe(call, 200)[0]:
        rows += latency_rows(
            "web /complaints/ respondent+category",
            bench.load("web list", [call], 200, sizes.lists, sizes.seconds),
            ceiling,
        )
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller counts (10k complaints) for a smoke run")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--processes", type=int, default=2, help="load-generator processes")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    print(f"Ceasefire bench ({'quick' if args.quick else 'full'}) on {machine()}")
    print("granian WSGI, 2 workers; load generator on the same machine (loopback)")
    failed = False
    for name in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        try:
            bench_database(name, sizes, args.clients, args.processes)
        except Exception:  # a broken set-up on one database must not hide the other's figures
            traceback.print_exc()
            print(f"\n== {name}: the benchmark could not run (see above) ==")
            failed = True
        sys.stdout.flush()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
