"""CPU accounting from /proc (read only): the server's processes, PostgreSQL's, the rest, the machine's.

The benchmark shares the machine with its load generator and whatever else runs there; these figures say which
side used the CPUs during a run, so a reader can tell a slow server from a busy machine.
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

PG_BENCH_DB = "ceasefire_bench"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def proc_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime of the process (all its threads)


def descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
    found, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, ppid in parents.items() if ppid in frontier]
        found += frontier
    return found


def _postgres_name(cmdline: bytes) -> str:
    """Backends of the bench database are "postgres"; a parallel worker is named after its leader later."""
    if f" {PG_BENCH_DB} ".encode() in cmdline:
        return "postgres"
    if b"parallel worker for PID " in cmdline:
        return "parallel:" + cmdline.split(b"parallel worker for PID ")[1].split()[0].decode()
    return "postgres (other)"


def process_cpu() -> dict[int, tuple[str, float]]:
    """Every process's name and CPU seconds so far."""
    found: dict[int, tuple[str, float]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                name = (entry / "comm").read_text().strip()
                if name == "postgres":
                    name = _postgres_name((entry / "cmdline").read_bytes().replace(b"\0", b" "))
                found[int(entry.name)] = (name, proc_cpu(int(entry.name)))
    for pid, (name, cpu) in found.items():
        if name.startswith("parallel:"):
            leader = found.get(int(name.split(":")[1]), ("postgres (other)", 0.0))[0]
            found[pid] = ("postgres" if leader == "postgres" else "postgres (other)", cpu)
    return found


class CpuSampler:
    """CPU seconds used by every process during a run, by name, sampled often enough to see short-lived ones
    (PostgreSQL's parallel workers, another helper's test run). Start it only after forking the clients."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.first = process_cpu()
        self.last = dict(self.first)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def _sample(self) -> None:
        for pid, seen in process_cpu().items():
            if pid not in self.first:
                self.first[pid] = (seen[0], 0.0)  # born during the run: all its CPU time counts
            self.last[pid] = seen

    def stop(self, exclude: set[int]) -> dict[str, float]:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        self._sample()
        used: dict[str, float] = {}
        for pid, (name, cpu) in self.last.items():
            if pid not in exclude:
                used[name] = used.get(name, 0.0) + cpu - self.first[pid][1]
        return used


def machine_busy_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    total = sum(values[:8])  # guest time is already counted in user
    return (total - idle) / CLK_TCK, total / CLK_TCK


def machine() -> str:
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {model}"
