"""Evaluation of early warning (analytics/early_warning*.py, docs/early-warning.md) on two data sets, each in a
throw-away data dir and database:

- ucdp: the real UCDP GED sample (/work/shared/data/events, else the copy bundled in ingest/data), 310 events in
  Afghanistan 2001–2018 with more than 10 deaths on side A, imported with the project's importer into a mechanism
  built by build_mechanism; detection over the whole span, for every audience;
- demo: the demo's 2025–26 timeline, loaded as `ceasefire demo` loads it (load_demo: the complaints replayed at
  their historic times, the border timeline, the UCDP sample); detection from 1 Sep 2025 to 31 Mar 2026.

It prints every signal (kind, audience, area, window, observed/expected or the rule's figures) and a summary per
kind, so docs/early-warning.md can compare them with the known events (context/FACTS.md). With --keep DIR the demo's
data dir is kept and the alerts are raised through analytics.services.raise_alerts (so the pages show them).

Usage: .venv/bin/python bench/early_warning_eval.py [--data ucdp|demo|both] [--keep DIR] [--arl0 N] [--ratio K]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
SHARED_UCDP = Path("/work/shared/data/events/ucdp_ged_afghanistan_2001_2018_subset.csv")
PASSWORD = "early-warning-evaluation"


def setup(data_dir: Path, overrides: dict[str, Any]) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "ceasefire.settings"
    os.environ["CEASEFIRE_DEBUG"] = "true"  # no production secret needed for a throw-away run
    os.environ["CEASEFIRE_DATA_DIR"] = str(data_dir)
    os.environ["CEASEFIRE_LOG_LEVEL"] = "WARNING"
    os.environ.pop("CEASEFIRE_DATABASE_URL", None)
    import django
    from django.conf import settings

    django.setup()
    settings.EARLY_WARNING = overrides
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def describe(candidate: Any) -> str:
    s = candidate.statistic
    party = candidate.party.code if candidate.party is not None else "-"
    if "observed" in s:
        figures = (
            f"observed {s['observed']}, expected {s['expected']:.2f} (λ0 {s['baseline_rate']:.3f}/day), "
            f"S {s['cusum']:.2f} ≥ H {s['threshold']:.2f}"
        )
    elif candidate.crossing is not None and "quiet_days" in s:
        figures = f"{candidate.crossing.name}: {s['records']} record(s), nearest {s['nearest_km']} km"
    elif "rule" in s:
        figures = f"{s['rule']}: {s['count']} on {candidate.commitment.code} against {candidate.respondent.code}"
    else:
        figures = f"{candidate.crossing.name}: notice {s['notice_hours']} h (declared by {s['declared_by']})"
    window = f"{candidate.window_start}..{candidate.window_end}"
    return f"  {candidate.kind:<22} {candidate.audience:<9} {party:<3} {candidate.area:<20} {window:<22} {figures}"


def report(title: str, candidates: list[Any]) -> None:
    print(f"\n{title}: {len(candidates)} signals")
    for candidate in candidates:
        print(describe(candidate))
    print("  per kind and audience:", dict(Counter((c.kind, c.audience) for c in candidates)))


def evaluate_ucdp() -> None:
    from ceasefire.analytics.alerts_detect import detect
    from ceasefire.demo.mechanism import build_mechanism
    from ceasefire.ingest.demo import UCDP_SAMPLE
    from ceasefire.ingest.models import ExternalEvent
    from ceasefire.ingest.services import import_events

    build_mechanism(password=PASSWORD)
    path = SHARED_UCDP if SHARED_UCDP.is_file() else UCDP_SAMPLE
    run = import_events(None, source="ucdp", path=path, operator="early-warning evaluation")
    events = ExternalEvent.objects.all()
    first = min(e.starts_on for e in events)
    last = max(e.starts_on for e in events)
    by_precision = Counter(events.values_list("date_precision", flat=True))
    print(f"UCDP sample {path}: {run.inserted} events, {first}..{last}, date precision {dict(by_precision)}")
    by_year = Counter(e.starts_on.year for e in events)
    print("  events per year:", dict(sorted(by_year.items())))
    started = time.perf_counter()
    candidates = detect(since=first, until=last)
    seconds = time.perf_counter() - started
    report(f"UCDP {first}..{last} (detection {seconds:.1f} s)", candidates)
    busiest = Counter(e.starts_on for e in events).most_common(8)
    print("  busiest days:", [(str(d), n) for d, n in busiest])


def evaluate_demo(keep: bool) -> None:
    from ceasefire.analytics.alerts_detect import detect
    from ceasefire.analytics.services import raise_alerts
    from ceasefire.demo.loader import load_demo
    from ceasefire.incidents.models import Complaint
    from ceasefire.ledger.keys import ensure_log_key

    ensure_log_key()
    started = time.perf_counter()
    result = load_demo(PASSWORD)
    print(f"Demo loaded in {time.perf_counter() - started:.0f} s: {len(result.filed)} complaints filed")
    days = Counter(c.occurred_at.date() for c in Complaint.objects.all())
    print("  complaints per incident day:", [(str(d), n) for d, n in sorted(days.items())])
    since, until = dt.date(2025, 9, 1), dt.date(2026, 3, 31)
    started = time.perf_counter()
    candidates = detect(since=since, until=until)
    report(f"Demo {since}..{until} (detection {time.perf_counter() - started:.1f} s)", candidates)
    if keep:
        raised = raise_alerts(None, candidates=candidates)
        print(f"  raised {len(raised)} alerts in the kept data dir")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", choices=["ucdp", "demo", "both"], default="both")
    parser.add_argument("--keep", type=Path, help="keep the demo's data dir here (and raise its alerts)")
    parser.add_argument("--arl0", type=float, help="in-control ARL in days (default: the product's)")
    parser.add_argument("--ratio", type=float, help="the rise the CUSUM is tuned to (default: the product's)")
    args = parser.parse_args()
    overrides = {k: v for k, v in (("arl0", args.arl0), ("ratio", args.ratio)) if v is not None}
    if args.data == "both":
        # Each data set in a process of its own: Django is set up once per process, on one data dir.
        for data in ("ucdp", "demo"):
            command = [sys.executable, __file__, "--data", data]
            command += [f"--{k}={v}" for k, v in overrides.items()]
            if data == "demo" and args.keep:
                command += ["--keep", str(args.keep)]
            if subprocess.run(command, check=False).returncode:
                raise SystemExit(1)
        return
    data_dir = args.keep if (args.keep and args.data == "demo") else Path(tempfile.mkdtemp(prefix="ceasefire-ew-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        setup(data_dir, overrides)
        if args.data == "ucdp":
            evaluate_ucdp()
        else:
            evaluate_demo(keep=bool(args.keep))
    finally:
        if not (args.keep and args.data == "demo"):
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
