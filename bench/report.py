"""The benchmark's table: measure | figure | target | ratio to the ceiling | met?, and who used the CPU.

A missed target is printed, never raised: the benchmark reports, the reader decides.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from load import LoadResult


@dataclass
class Row:
    measure: str
    figure: str
    target: str = "—"
    ratio: str = "—"
    met: str = "—"


@dataclass
class CpuUse:
    """CPU seconds used during one load run, by side, and the wall time it ran."""

    wall: float
    machine: float
    server: float
    client: float
    by_name: dict[str, float]  # CPU seconds of every other process that lived through the run, by name

    @property
    def capacity(self) -> float:
        return max(self.wall * (os.cpu_count() or 1), 1e-9)

    def shares(self) -> dict[str, float]:
        """Each side's CPU time as a fraction of all CPUs over the run's wall time."""
        database = self.by_name.get("postgres", 0.0)  # SQLite runs inside the server's processes
        other = max(self.machine - self.server - self.client - database, 0.0)
        parts = {"server": self.server, "load generator": self.client, "PostgreSQL": database, "other": other}
        # "other" is everything else, kernel time (loopback, I/O) included, so it can exceed the named others.
        return {"machine": self.machine / self.capacity} | {k: v / self.capacity for k, v in parts.items()}

    def verdict(self) -> str:
        shares = self.shares()
        busy = shares.pop("machine")
        split = ", ".join(f"{k} {v:.0%}" for k, v in shares.items() if k != "PostgreSQL" or v > 0)
        others = sorted((v, k) for k, v in self.by_name.items() if k != "postgres" and v > 0.02 * self.capacity)
        if others:
            split += " [other: " + ", ".join(f"{k} {v / self.capacity:.0%}" for v, k in others[::-1][:3]) + "]"
        if busy < 0.85:
            return f"CPU {busy:.0%} busy ({split}): not CPU-bound; waits (locks, fsync, I/O) bound the rate"
        side = max(shares, key=lambda k: shares[k])
        caveats = []
        if shares["load generator"] > 0.2:
            caveats.append("the generator shares the CPUs, so figures are a floor")
        if shares["other"] > 0.1:
            caveats.append("other work on this machine took CPU, so figures are pessimistic")
        return f"CPU {busy:.0%} busy ({split}): CPU-saturated, mostly by {side}" + "".join(f" — {c}" for c in caveats)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def at_most(value: float, limit: float) -> str:
    return "yes" if value <= limit else "NO"


def at_least(value: float, limit: float) -> str:
    return "yes" if value >= limit else "NO"


def latency_rows(name: str, result: LoadResult, ceiling: float | None, unit: str = "req/s") -> list[Row]:
    """p50, p95 (target 50 ms) and rate with its ratio to the ceiling, for one measured endpoint."""
    ratio = f"{result.rate / ceiling:.3f}" if ceiling else "—"
    return [
        Row(f"{name}: p50", ms(result.percentile(50))),
        Row(f"{name}: p95", ms(result.percentile(95)), "<= 50 ms", "—", at_most(result.percentile(95), 0.050)),
        Row(f"{name}: rate", f"{result.rate:.0f} {unit}", "—", ratio),
    ]


def print_table(title: str, rows: list[Row], notes: list[str]) -> None:
    headers = ("measure", "figure", "target", "ratio-to-ceiling", "met?")
    cells = [headers] + [(r.measure, r.figure, r.target, r.ratio, r.met) for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    print(f"\n== {title} ==")
    for i, row in enumerate(cells):
        print("| " + " | ".join(cell.ljust(widths[j]) for j, cell in enumerate(row)) + " |")
        if i == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for note in notes:
        print(f"  * {note}")
