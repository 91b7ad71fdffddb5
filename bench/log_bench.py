"""Benchmark of the transparency log inside the product (ledger/ on a real database).

Prints, in one run on one database (SQLite file by default, or --database-url postgresql://...):
- log overhead on filing a complaint: `file_complaint` with the ledger hook vs the same calls with the hook
  replaced by a no-op (BENCHMARK ONLY: the swap happens in this process, never in the product), target <= 10%;
- the integrator (checkpointer) rate: entries hashed into database tiles per second, off the request path;
- inclusion and consistency proofs read from the database tiles, built and verified (target <= 5 ms);
- the witness add-checkpoint round trip: a real witness over loopback HTTP, each checkpoint with new entries.
Never asserts a time; the figures are printed with their ratios.

Usage: .venv/bin/python bench/log_bench.py [--filings 300] [--entries 100000] [--pushes 50]
       [--postgres | --database-url URL]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from typing import Any


def setup(database_url: str | None) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "ceasefire.settings"
    os.environ.setdefault("CEASEFIRE_DEBUG", "true")
    os.environ["CEASEFIRE_DATA_DIR"] = tempfile.mkdtemp(prefix="ceasefire-log-bench-")
    os.environ["CEASEFIRE_LOG_LEVEL"] = "WARNING"
    if database_url:
        os.environ["CEASEFIRE_DATABASE_URL"] = database_url
    else:
        os.environ.pop("CEASEFIRE_DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms"


def filing_overhead(filings: int) -> tuple[float, float]:
    import ceasefire.incidents.services as incidents
    from ceasefire.demo.mechanism import build_mechanism
    from ceasefire.ledger.models import LogEntry

    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
    from support import khost_strike_draft

    mechanism = build_mechanism(password="bench-password-123")
    member = mechanism.members["af-liaison"]
    real = incidents.record_change

    def no_hook(*args: Any, **kwargs: Any) -> Any:
        return None

    def run(rounds: int) -> list[float]:
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            incidents.file_complaint(member, khost_strike_draft())
            times.append(time.perf_counter() - start)
        return times

    run(20)  # warm-up: caches, prepared geometry
    with_hook, without_hook = [], []
    for _ in range(4):  # interleaved, so drift hits both alike
        incidents.record_change = real  # type: ignore[assignment]
        with_hook += run(filings // 4)
        incidents.record_change = no_hook  # type: ignore[assignment]
        without_hook += run(filings // 4)
    incidents.record_change = real  # type: ignore[assignment]
    print(f"entries in the log now: {LogEntry.objects.count()}")
    return statistics.median(with_hook), statistics.median(without_hook)


def integrator_rate(entries: int) -> float:
    from django.db import transaction

    from ceasefire.ledger.services import record_change
    from ceasefire.ledger.tree import integrate

    integrate()
    with transaction.atomic():
        for number in range(entries):
            record_change(None, kind="bench.entry", subject_code=f"B-{number}", record={"n": number}, sealed=False)
    start = time.perf_counter()
    integrate()
    return entries / (time.perf_counter() - start)


def proof_times(samples: int) -> tuple[float, float, int]:
    import random

    from ceasefire.ledger import merkle
    from ceasefire.ledger.leaf import leaf_bytes
    from ceasefire.ledger.models import LogEntry, TreeHead
    from ceasefire.ledger.tree import DatabaseTiles

    head = TreeHead.objects.get(pk=1)
    size, root = head.size, bytes(head.root)
    reader = DatabaseTiles()
    rng = random.Random(7)
    entries = {
        e.sequence: e for e in LogEntry.objects.filter(sequence__in=[rng.randrange(size) for _ in range(samples)])
    }
    inclusion = []
    for index, entry in entries.items():
        start = time.perf_counter()
        proof = merkle.inclusion_proof(reader, index, size)
        merkle.verify_inclusion(merkle.leaf_hash(leaf_bytes(entry)), index, size, proof, root)
        inclusion.append(time.perf_counter() - start)
    consistency = []
    for _ in range(samples):
        old = rng.randrange(1, size)
        old_root = merkle.root_hash(reader, old)
        start = time.perf_counter()
        proof = merkle.consistency_proof(reader, old, size)
        merkle.verify_consistency(old, size, proof, old_root, root)
        consistency.append(time.perf_counter() - start)
    return statistics.median(inclusion), statistics.median(consistency), size


def witness_round_trip(pushes: int) -> list[float]:
    from django.db import transaction

    from ceasefire.demo.mechanism import build_mechanism
    from ceasefire.ledger.checkpoint import CosignatureSigner
    from ceasefire.ledger.checkpoints import checkpoint_now
    from ceasefire.ledger.keys import ensure_log_key
    from ceasefire.ledger.models import Witness
    from ceasefire.ledger.note import Ed25519Signer, parse_verifier_key
    from ceasefire.ledger.services import record_change, register_witness
    from ceasefire.ledger.witness.server import WitnessApp, serve
    from ceasefire.ledger.witness.state import WitnessState
    from ceasefire.ledger.witnessing import push_checkpoint

    vkey = ensure_log_key()
    signer = Ed25519Signer.generate("bench.witness")
    app = WitnessApp(
        signer.name,
        signer.seed,
        [parse_verifier_key(vkey)],
        WitnessState(__import__("pathlib").Path(tempfile.mkdtemp()) / "state.json"),
    )
    holder: list[Any] = []
    ready = threading.Event()
    threading.Thread(
        target=serve, args=(app, "127.0.0.1", 0, lambda s: (holder.append(s), ready.set())), daemon=True
    ).start()
    ready.wait(5)
    mechanism = build_mechanism(password="bench-password-123")
    cosigner = CosignatureSigner(signer.name, signer.seed).verifier().vkey
    register_witness(
        None, party=mechanism.parties["AF"], url=f"http://127.0.0.1:{holder[0].server_address[1]}", vkey=cosigner
    )
    times = []
    for number in range(pushes):
        with transaction.atomic():
            record_change(None, kind="bench.push", subject_code=f"P-{number}", record={"n": number}, sealed=False)
        checkpoint = checkpoint_now()
        assert checkpoint is not None
        witness = Witness.objects.get(name=signer.name)
        start = time.perf_counter()
        outcome = push_checkpoint(checkpoint, witness)
        times.append(time.perf_counter() - start)
        if not outcome.cosigned:
            raise SystemExit(f"witness refused: {outcome.detail}")
    holder[0].shutdown()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--filings", type=int, default=300)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--pushes", type=int, default=50)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--postgres", action="store_true", help="on a fresh database ceasefire_logbench, made and dropped by this run"
    )
    args = parser.parse_args()
    if args.postgres:
        from server import PG_ADMIN_URL, _pg_execute  # bench/server.py: the same admin connection as bench/run.py

        _pg_execute("DROP DATABASE IF EXISTS ceasefire_logbench WITH (FORCE)")
        _pg_execute("CREATE DATABASE ceasefire_logbench")
        args.database_url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/ceasefire_logbench"
    try:
        setup(args.database_url)
        report(args)
    finally:
        if args.postgres:
            from django.db import connections

            connections.close_all()
            _pg_execute("DROP DATABASE IF EXISTS ceasefire_logbench WITH (FORCE)")


def report(args: argparse.Namespace) -> None:
    from django.db import connection

    print(f"database: {connection.vendor}")
    with_hook, without_hook = filing_overhead(args.filings)
    overhead = with_hook / without_hook - 1
    print(f"file_complaint median with the log hook     {ms(with_hook)}")
    print(f"file_complaint median without the log hook  {ms(without_hook)}")
    met = "yes" if overhead <= 0.10 else "NO"
    print(f"log overhead on filing                      {overhead:+.1%}   (target <= 10%: {met})")
    rate = integrator_rate(args.entries)
    print(f"integrator (tiles in the database)          {rate:,.0f} entries/s over {args.entries:,} entries")
    inclusion, consistency, size = proof_times(args.samples)
    target: Callable[[float], str] = lambda t: "yes" if t <= 0.005 else "NO"  # noqa: E731
    print(f"inclusion proof from DB tiles + verify      {ms(inclusion)} median, size {size:,}")
    print(f"   (<= 5 ms: {target(inclusion)})")
    print(f"consistency proof from DB tiles + verify    {ms(consistency)} median  (<= 5 ms: {target(consistency)})")
    trips = witness_round_trip(args.pushes)
    p95 = sorted(trips)[int(len(trips) * 0.95) - 1]
    median = ms(statistics.median(trips))
    print(f"witness add-checkpoint round trip (HTTP)    {median} median, {ms(p95)} p95 over {len(trips)}")


if __name__ == "__main__":
    main()
