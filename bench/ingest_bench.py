"""Benchmark of external event import and correlation (ingest/).

Prints, in one run on one SQLite database:
- the import rate (rows/s) and peak memory of a generated GED-layout file, through `import_events` (streamed,
  batched, parsed in a second process a batch ahead of the writes, geometry vectorised), next to the raw sqlite3
  executemany ceiling for the same rows (the same file's rows parsed and placed beforehand, untimed, then inserted
  as tuples into a table of the same columns and indexes, same batches and settings) measured in the same run;
  target >= 50k rows/s;
- peak memory: the importer's and its parsing process's together (proportional set size, which counts the pages
  they share once, sampled every 0.1 s), and each one's peak RSS; for a third of the file too, each import in its
  own process: flat memory means the two agree. (Below about 300k rows SQLite's page cache, 64 MB during an import,
  is not yet full, so a smaller file would show less; past it, memory stays put: a 2M-row file peaked within 10%
  of the 1M one);
- a generated 150k-row GDELT 2.0 day file (61 tab-separated columns);
- correlation of 10k complaints against the 1M imported events: loading the events' arrays from the database and
  matching every complaint (space-time window, category, score), and the complaint pairs; target <= 10 s.
Never asserts a time; the figures are printed with their ratios.

Usage: .venv/bin/python bench/ingest_bench.py [--rows 1000000] [--gdelt-rows 150000] [--complaints 10000]
       .venv/bin/python bench/ingest_bench.py --quick      (100k GED rows, 20k GDELT rows, 2k complaints)
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def setup(data_dir: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "ceasefire.settings"
    os.environ.setdefault("CEASEFIRE_DEBUG", "true")
    os.environ["CEASEFIRE_DATA_DIR"] = data_dir
    os.environ["CEASEFIRE_LOG_LEVEL"] = "WARNING"
    os.environ.pop("CEASEFIRE_DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- generated files ---

ACTORS = [("Government of Afghanistan", "Taleban"), ("Government of Pakistan", "TTP"), ("IS", "Taleban")]


def generate_ged(path: Path, rows: int, seed: int = 7) -> None:
    from ceasefire.ingest.sources.ucdp.layout import COLUMNS

    rnd = random.Random(seed)
    base = dt.date(2001, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for i in range(rows):
            day = base + dt.timedelta(days=rnd.randrange(9100))
            end = day + dt.timedelta(days=rnd.choice((0, 0, 0, 1, 3)))
            side_a, side_b = rnd.choice(ACTORS)
            row = dict.fromkeys(COLUMNS, "")
            row.update(
                id=str(100_000 + i), year=str(day.year), type_of_violence=str(rnd.randint(1, 3)), side_a=side_a,
                side_b=side_b, source_article=f"Generated report {i} of fighting", where_prec=str(rnd.randint(1, 4)),
                adm_1="Khost province", adm_2="Tani district", latitude=f"{rnd.uniform(29.5, 37.0):.5f}",
                longitude=f"{rnd.uniform(61.0, 74.0):.5f}", country="Afghanistan", country_id="700", region="Asia",
                date_prec="1", date_start=day.isoformat(), date_end=end.isoformat(), deaths_a=str(rnd.randint(0, 9)),
                deaths_b=str(rnd.randint(0, 9)), best=str(rnd.randint(1, 20)), low="1", high="25",
            )  # fmt: skip
            writer.writerow([row[c] for c in COLUMNS])


def generate_gdelt(path: Path, rows: int, seed: int = 11) -> None:
    from ceasefire.ingest.sources.gdelt.layout import V2

    rnd = random.Random(seed)
    codes = ["190", "193", "194", "195", "1951", "196", "042", "051", "112", "173", "180", "0871"]
    with path.open("w", encoding="utf-8") as out:
        for i in range(rows):
            row = dict.fromkeys(V2, "")
            placed = rnd.random() > 0.1
            row.update(
                GLOBALEVENTID=str(1_250_000_000 + i), SQLDATE="20251125", MonthYear="202511", Year="2025",
                FractionDate="2025.8959", Actor1Name=rnd.choice(["PAKISTAN", "AFGHANISTAN", "TALIBAN", "POLICE"]),
                Actor2Name=rnd.choice(["", "MILITANT", "CIVILIAN"]), IsRootEvent="1", EventCode=rnd.choice(codes),
                QuadClass="4", GoldsteinScale="-10.0", NumMentions="4", NumSources="1", NumArticles="4",
                AvgTone="-5.0", ActionGeo_Type="4" if placed else "0",
                ActionGeo_FullName="Khost, Khowst, Afghanistan" if placed else "",
                ActionGeo_CountryCode="AF" if placed else "", ActionGeo_ADM1Code="AF37" if placed else "",
                ActionGeo_Lat=f"{rnd.uniform(-40, 60):.4f}" if placed else "",
                ActionGeo_Long=f"{rnd.uniform(-120, 150):.4f}" if placed else "",
                DATEADDED="20251125120000", SOURCEURL=f"https://example.org/news/{i}",
            )  # fmt: skip
            out.write("\t".join(row[c] for c in V2) + "\n")


# --- one import in its own process (so its peak memory is its own) ---


def child_import(source: str, path: str) -> dict[str, Any]:
    from ceasefire.ingest import geometry
    from ceasefire.ingest.services import import_events

    geometry.prepare()  # built once per process; not part of the rows' cost
    before = peak_rss_mb()
    start = time.perf_counter()
    run = import_events(None, source=source, path=Path(path), operator="bench")
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds, "rows": run.rows_read, "inserted": run.inserted, "updated": run.updated,
        "unchanged": run.unchanged, "rejected": run.rejected, "skipped": run.skipped, "status": run.status,
        "rss_before_mb": before, "peak_rss_mb": peak_rss_mb(),
        # The parsing process the import forks (ingest/parse_ahead.py): its peak RSS, which counts the pages it
        # still shares with the importer as well.
        "parser_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }  # fmt: skip


def _pss_mb(pid: int) -> float:
    """Proportional set size of a process and its children (a page shared by two counts half in each), in MB:
    what the import's two processes hold together, without counting their shared pages twice."""
    total = 0.0
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        for process in (pid, *map(int, children)):
            for line in Path(f"/proc/{process}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) / 1024
    except (OSError, ValueError):  # a process that ended between the reads
        pass
    return total


def spawn(data_dir: str, source: str, path: Path) -> dict[str, Any]:
    """Run one import in its own process, sampling the proportional memory of it and its parsing process every
    0.1 s (the peak of the two together)."""
    command = [sys.executable, __file__, "--child", source, str(path), "--data-dir", data_dir]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as child:
        peak = 0.0
        while child.poll() is None:
            peak = max(peak, _pss_mb(child.pid))
            time.sleep(0.1)
        out, err = child.communicate()
    if child.returncode:
        raise SystemExit(f"import of {path.name} failed:\n{err}")
    return {**json.loads(out.strip().splitlines()[-1]), "peak_pss_mb": peak}


# --- the raw ceiling ---


def sqlite_ceiling(path: Path, ged: Path) -> tuple[float, int]:
    """executemany of the same rows the import wrote: the generated file's rows, parsed and placed beforehand
    (not timed) into tuples of the importer's columns, inserted into a bare table with the same unique and date
    indexes, a batch (importer.BATCH_SIZE rows) per transaction, with the same journal, synchronous and page cache
    settings as the import and Python's cyclic collector off as in the import: what SQLite alone costs for this
    data. Returns (seconds, rows)."""
    from ceasefire.ingest import geometry, importer, writer
    from ceasefire.ingest.sources import formats

    db = sqlite3.connect(str(path))
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(f"PRAGMA cache_size=-{writer.PAGE_CACHE_KIB}")
    db.execute(f"CREATE TABLE ev (id INTEGER PRIMARY KEY, {', '.join(importer.COLUMNS)})")
    db.execute("CREATE UNIQUE INDEX ev_src ON ev (source, source_id)")
    db.execute("CREATE INDEX ev_day ON ev (starts_on)")
    insert = f"INSERT INTO ev ({', '.join(importer.COLUMNS)}) VALUES ({', '.join('?' * len(importer.COLUMNS))})"  # noqa: S608
    spent, rows = 0.0, 0
    for batch in importer.stream_batches(formats()["ucdp"], ged, ged.name).batches:
        lons, lats = batch.columns[5], batch.columns[4]
        sides, distances, cells = geometry.place_batch(lons, lats)
        values = list(zip(*(["ucdp"] * len(batch), *batch.columns, sides, distances, cells, batch.hashes,
                             [1] * len(batch), ["2026-01-01 00:00:00"] * len(batch)), strict=True))  # fmt: skip
        gc.disable()  # as the importer has it (importer.without_cyclic_gc)
        t = time.perf_counter()
        with db:
            db.executemany(insert, values)
        spent += time.perf_counter() - t
        gc.enable()
        rows += len(values)
    db.close()
    return spent, rows


# --- correlation ---


def correlation_bench(complaints: int) -> dict[str, float]:
    import numpy as np

    from ceasefire.ingest import correlation, queries
    from ceasefire.ingest.correlation import Points

    rnd = np.random.default_rng(5)
    first = rnd.integers(dt.date(2001, 1, 1).toordinal(), dt.date(2025, 12, 1).toordinal(), complaints)
    first = first - dt.date(1970, 1, 1).toordinal()
    points = Points(
        np.arange(1, complaints + 1), rnd.uniform(61, 74, complaints), rnd.uniform(29.5, 37, complaints), first,
        first + rnd.integers(0, 2, complaints), rnd.choice([0.0, 5.0, 50.0], complaints),
        rnd.integers(0, len(correlation.CATEGORIES), complaints),
        slack_days=rnd.choice([0, 0, 0, 7], complaints),
    )  # fmt: skip
    start = time.perf_counter()
    # As services.refresh_correlations loads them: the complaints' span, within their latitudes' reach.
    events = queries.event_points(dt.date(2000, 1, 1), dt.date(2030, 1, 1), correlation.latitude_band(points))
    load = time.perf_counter() - start
    start = time.perf_counter()
    found = correlation.match_events(points, events)
    match = time.perf_counter() - start
    start = time.perf_counter()
    pairs = correlation.match_complaints(points)
    pair_time = time.perf_counter() - start
    return {"events": len(events), "load": load, "match": match, "pairs": pair_time, "candidates": len(found),
            "pair_candidates": len(pairs)}  # fmt: skip


def table(rows: list[tuple[str, str, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"{'measure'.ljust(width)}  {'figure':>22}  note")
    for name, figure, note in rows:
        print(f"{name.ljust(width)}  {figure:>22}  {note}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--gdelt-rows", type=int, default=150_000)
    parser.add_argument("--complaints", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="100k GED rows, 20k GDELT rows, 2k complaints")
    parser.add_argument("--child", nargs=2, metavar=("SOURCE", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        setup(args.data_dir)
        print(json.dumps(child_import(*args.child)))
        return
    if args.quick:
        args.rows, args.gdelt_rows, args.complaints = 100_000, 20_000, 2_000
    work = Path(tempfile.mkdtemp(prefix="ceasefire-ingest-bench-"))
    data_dir = str(work / "data")
    small_dir = str(work / "small")
    setup(data_dir)
    print(f"generating {args.rows} GED rows, {args.rows // 3} for the memory check, {args.gdelt_rows} GDELT rows ...")
    ged, small, gdelt = work / "ged.csv", work / "ged-small.csv", work / "gdelt.export.CSV"
    generate_ged(ged, args.rows)
    generate_ged(small, args.rows // 3, seed=8)
    generate_gdelt(gdelt, args.gdelt_rows)

    big = spawn(data_dir, "ucdp", ged)
    third = spawn(small_dir, "ucdp", small)
    again = spawn(data_dir, "ucdp", ged)  # re-import of the same file: every row unchanged
    day = spawn(data_dir, "gdelt", gdelt)
    ceiling, ceiling_rows = sqlite_ceiling(work / "ceiling.sqlite3", ged)
    corr = correlation_bench(args.complaints)

    rate = big["rows"] / big["seconds"]
    ceiling_rate = ceiling_rows / ceiling
    rows = [
        ("GED import, rows", f"{big['rows']:,}", f"inserted {big['inserted']:,}, status {big['status']}"),
        ("GED import, rows/s", f"{rate:,.0f}", f"target >= 50,000 ({rate / 50_000:.0%} of target)"),
        ("sqlite3 executemany ceiling, rows/s", f"{ceiling_rate:,.0f}", f"import = {rate / ceiling_rate:.0%} of it"),
        ("GED import, peak memory (PSS)", f"{big['peak_pss_mb']:,.0f} MB",
         f"importer and parsing process together, {big['rows']:,} rows"),
        ("GED import, peak RSS of each", f"{big['peak_rss_mb']:,.0f} + {big['parser_peak_rss_mb']:,.0f} MB",
         f"importer + parsing process (each counting the {big['rss_before_mb']:,.0f} MB they share at first)"),
        ("GED import of a third, peak memory (PSS)", f"{third['peak_pss_mb']:,.0f} MB",
         f"{third['rows']:,} rows; ratio {big['peak_pss_mb'] / third['peak_pss_mb']:.2f} (flat = ~1)"),
        ("GED re-import (all unchanged), rows/s", f"{again['rows'] / again['seconds']:,.0f}",
         f"unchanged {again['unchanged']:,}"),
        ("GDELT 2.0 day file, rows/s", f"{day['rows'] / day['seconds']:,.0f}",
         f"{day['rows']:,} rows, {day['inserted']:,} stored, {day['skipped']:,} without place"),
        ("correlation: load events", f"{corr['load']:.2f} s", f"{corr['events']:,} events as arrays"),
        ("correlation: match complaints", f"{corr['match']:.2f} s",
         f"{args.complaints:,} complaints, {corr['candidates']:,} candidates"),
        ("correlation: total", f"{corr['load'] + corr['match']:.2f} s",
         f"target <= 10 s ({(corr['load'] + corr['match']) / 10:.0%} of it)"),
        ("complaint pairs", f"{corr['pairs']:.2f} s", f"{corr['pair_candidates']:,} pairs among {args.complaints:,}"),
    ]  # fmt: skip
    table(rows)


if __name__ == "__main__":
    main()
