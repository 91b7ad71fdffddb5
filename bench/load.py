"""The load generator: N concurrent HTTP/1.1 keep-alive clients spread over P processes, loopback only.

Each client is a thread with its own http.client connection; the threads of one process share its GIL, so
the clients are spread over several processes to keep the client side from becoming the bottleneck. Every run
is bounded both in requests and in seconds. Each process reports its latencies, failures and its own CPU time,
so the caller can say which side was saturated.
"""

from __future__ import annotations

import http.client
import multiprocessing as mp
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests only
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    started: float = 0.0
    finished: float = 0.0
    client_cpu: float = 0.0  # CPU seconds used by the load generator's processes

    @property
    def wall(self) -> float:
        return max(self.finished - self.started, 1e-9)

    @property
    def ok(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.ok / self.wall

    def percentile(self, p: float) -> float:
        """The p-th percentile latency in seconds (nearest rank)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
        return ordered[rank]


def _client_thread(
    host: str, port: int, calls: list[Call], expect: int, take: Any, deadline: float, out: dict[str, Any]
) -> None:
    conn = http.client.HTTPConnection(host, port, timeout=30)
    while time.monotonic() < deadline:
        index = take()
        if index is None:
            break
        call = calls[index % len(calls)]
        began = time.perf_counter()
        try:
            conn.request(call.method, call.path, body=call.body, headers=dict(call.headers))
            response = conn.getresponse()
            body = response.read()
            status = response.status
            if response.getheader("connection", "").lower() == "close":
                conn.close()
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=30)
            status, body = 0, repr(exc).encode()
        elapsed = time.perf_counter() - began
        if status == expect:
            out["latencies"].append(elapsed)
        else:
            out["errors"] += 1
            if len(out["samples"]) < 5:
                out["samples"].append(f"{call.method} {call.path} -> {status}: {body[:400].decode(errors='replace')}")
    conn.close()


def _client_process(
    host: str,
    port: int,
    calls: list[Call],
    expect: int,
    threads: int,
    quota: int,
    seconds: float,
    barrier: Any,
    queue: Any,
) -> None:
    lock = threading.Lock()
    remaining = iter(range(quota))

    def take() -> int | None:
        with lock:
            return next(remaining, None)

    outs = [{"latencies": [], "errors": 0, "samples": []} for _ in range(threads)]
    cpu_before = sum(os.times()[:2])
    barrier.wait()
    started = time.time()
    deadline = time.monotonic() + seconds
    workers = [
        threading.Thread(target=_client_thread, args=(host, port, calls, expect, take, deadline, out)) for out in outs
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    finished = time.time()
    queue.put(
        {
            "latencies": [x for out in outs for x in out["latencies"]],
            "errors": sum(out["errors"] for out in outs),
            "samples": [s for out in outs for s in out["samples"]][:5],
            "started": started,
            "finished": finished,
            "cpu": sum(os.times()[:2]) - cpu_before,
        }
    )


def run_load(
    host: str,
    port: int,
    calls: list[Call],
    *,
    expect: int,
    count: int,
    seconds: float,
    clients: int = 16,
    processes: int = 2,
    on_started: Callable[[list[int]], None] | None = None,
) -> LoadResult:
    """Send up to `count` requests (cycling through `calls`) with `clients` concurrent clients, for at most
    `seconds`. Process p's clients take calls p, p+P, ... so different processes never send the same call.
    `on_started` gets the client processes' ids once they are forked."""
    ctx = mp.get_context("fork")  # the parent holds no threads or connections, so forking is safe and fast
    barrier = ctx.Barrier(processes)
    queue = ctx.Queue()
    per_thread = [clients // processes + (1 if i < clients % processes else 0) for i in range(processes)]
    children = []
    for p in range(processes):
        share = calls[p::processes] or calls
        quota = count // processes + (1 if p < count % processes else 0)
        child = ctx.Process(
            target=_client_process,
            args=(host, port, share, expect, per_thread[p], quota, seconds, barrier, queue),
        )
        child.start()
        children.append(child)
    if on_started is not None:
        on_started([child.pid for child in children if child.pid is not None])
    reports = [queue.get(timeout=seconds + 120) for _ in children]
    for child in children:
        child.join(timeout=30)
    result = LoadResult(
        latencies=[x for r in reports for x in r["latencies"]],
        errors=sum(r["errors"] for r in reports),
        error_samples=[s for r in reports for s in r["samples"]][:5],
        started=min(r["started"] for r in reports),
        finished=max(r["finished"] for r in reports),
        client_cpu=sum(r["cpu"] for r in reports),
    )
    return result
