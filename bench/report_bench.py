"""Benchmark of the weekly situation report (reports/): a weekly PDF with a map and four charts, on the demo
database. Target (DESIGN.md): <= 5 s.

What a run does, on SQLite in a data dir of its own:
1. migrate and load the demo (`load_demo`: the mechanism, both sides' complaints replayed through the workflow, the
   2025 border timeline, the UCDP sample), unless --data-dir already holds it; the secretariat then publishes every
   determined complaint, so that the public report has something to show;
2. picks the demo's busiest week (the most complaints filed) and renders the weekly internal report of --party
   (default AF) --runs times, each stage timed: queries (figures through visible_to), charts (four PNGs by
   vl-convert), map (one PNG), HTML (the template), PDF (WeasyPrint with the bundled fonts);
3. the same for the public report of that week, and in Pashto (--language) for the internal one;
4. the floor in the same run: WeasyPrint turning a one-line page with the same fonts into a PDF, and vl-convert
   drawing a one-bar chart: the fixed costs any report pays.

The first render in the process is shown apart (cold: vl-convert starts its JavaScript engine, WeasyPrint loads the
fonts); the figures compared with the target are medians of the later runs, as in the worker, which renders many
reports in one process. Never asserts a time: a missed target is printed as NO.

Usage: .venv/bin/python bench/report_bench.py [--runs 5] [--party AF] [--language ps] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import Row, at_most, print_table  # noqa: E402  (bench/report.py: the benchmarks' table)

PASSWORD = "bench-password-not-secret"
TARGET_S = 5.0
STAGES = ("queries", "charts", "map", "html", "pdf")


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


def load(notes: list[str]) -> None:
    from ceasefire.demo.loader import load_demo
    from ceasefire.incidents.models import Complaint

    if Complaint.objects.exists():
        notes.append("the data dir already held the demo: reused as it is")
        return
    started = time.perf_counter()
    result = load_demo(PASSWORD)
    notes.append(f"demo loaded in {time.perf_counter() - started:.0f} s: {len(result.filed)} complaints filed")


def publish_determined(week: dt.date, notes: list[str]) -> None:
    """Every determined complaint published on the Friday of `week`, so that the public report of that week shows
    them (a public report counts publications by the day they were made)."""
    import time_machine

    from ceasefire.core.models import Membership
    from ceasefire.reports.queries import publishable_complaints
    from ceasefire.reports.services import publish_complaint

    secretariat = Membership.objects.select_related("party").get(user__username="tr-secretariat")
    candidates = list(publishable_complaints(secretariat))
    friday = dt.datetime.combine(week + dt.timedelta(days=4), dt.time(10), tzinfo=dt.UTC)
    with time_machine.travel(friday, tick=False):
        for complaint in candidates:
            publish_complaint(secretariat, complaint, summary=f"The mediators' finding on {complaint.public_code}.")
    notes.append(f"{len(candidates)} determined complaints published for the public report")


def busiest_week() -> Any:
    from ceasefire.incidents.models import Complaint
    from ceasefire.reports.enums import ReportKind
    from ceasefire.reports.periods import period_containing

    weeks = Counter(
        period_containing(ReportKind.WEEKLY, at.date()).first_day
        for at in Complaint.objects.filter(submitted_at__isnull=False).values_list("submitted_at", flat=True)
    )
    first_day, _count = weeks.most_common(1)[0]
    return first_day


def timed_runs(spec: Any, runs: int) -> list[dict[str, float]]:
    from ceasefire.reports.document import render_report

    results = []
    for _ in range(runs):
        started = time.perf_counter()
        rendered = render_report(spec)
        timings = dict(rendered.timings)
        timings["total"] = time.perf_counter() - started
        timings["pdf_bytes"] = float(len(rendered.pdf or b""))
        timings["images"] = float(rendered.html.count(b'src="data:image/png;base64,'))
        results.append(timings)
    return results


def floor(runs: int) -> tuple[float, float]:
    """WeasyPrint's fixed cost (a one-line page, same fonts) and vl-convert's (a one-bar chart), medians."""
    from ceasefire.reports.charts import comparison_spec
    from ceasefire.reports.document import html_to_pdf, png_data_uri
    from ceasefire.reports.figures import Compared
    from ceasefire.reports.fonts import font_faces, font_stack

    style = f"{font_faces('file', 'ps')} body {{ font-family: {font_stack('ps')}; }}"
    page = f"<!doctype html><html><head><style>{style}</style></head><body><p>Floor · کرښه</p>"
    spec = comparison_spec([Compared("x", "x", 1, 2)])
    pdf, png = [], []
    for _ in range(runs):
        started = time.perf_counter()
        html_to_pdf(page)
        pdf.append(time.perf_counter() - started)
        started = time.perf_counter()
        png_data_uri(spec)
        png.append(time.perf_counter() - started)
    return statistics.median(pdf), statistics.median(png)


def median(results: list[dict[str, float]], key: str) -> float:
    return statistics.median(r.get(key, 0.0) for r in results)


def rows_for(name: str, results: list[dict[str, float]], *, target: bool) -> list[Row]:
    cold, warm = results[0], results[1:] or results[:1]
    total = median(warm, "total")
    rows = [Row(f"{name}: cold first run", f"{cold['total']:.2f} s")]
    rows += [Row(f"{name}: {stage}", f"{median(warm, stage):.3f} s") for stage in STAGES]
    rows.append(
        Row(
            f"{name}: total (median of {len(warm)})",
            f"{total:.2f} s",
            "<= 5 s" if target else "—",
            "—",
            at_most(total, TARGET_S) if target else "—",
        )
    )
    rows.append(
        Row(f"{name}: PDF", f"{median(warm, 'pdf_bytes') / 1024:.0f} KiB, {int(median(warm, 'images'))} images")
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="renders per report (the first is reported as cold)")
    parser.add_argument("--party", default="AF", help="the party whose internal report is measured")
    parser.add_argument("--language", default="ps", help="the second language measured (right-to-left)")
    parser.add_argument("--data-dir", help="reuse this data dir (the demo is loaded into it if absent)")
    args = parser.parse_args()
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="ceasefire-report-bench-")
    notes: list[str] = [f"data dir {data_dir} (SQLite)"]
    setup(data_dir)
    load(notes)

    from ceasefire.core.models import Party
    from ceasefire.reports.spec import report_spec

    week = busiest_week()
    publish_determined(week, notes)
    party = Party.objects.get(code=args.party.upper())
    notes.append(f"the demo's busiest week: {week} to {week + dt.timedelta(days=6)}")
    internal = f"weekly internal {party.code}"
    specs = [
        (f"{internal} en", report_spec(kind="weekly", day=week, audience="internal", party=party, language="en"), True),
        (
            f"{internal} {args.language}",
            report_spec(kind="weekly", day=week, audience="internal", party=party, language=args.language),
            True,
        ),
        ("weekly public en", report_spec(kind="weekly", day=week, audience="public", party=None, language="en"), False),
    ]
    rows: list[Row] = []
    for name, spec, target in specs:
        rows += rows_for(name, timed_runs(spec, max(args.runs, 2)), target=target)
    pdf_floor, png_floor = floor(max(args.runs, 2))
    rows.append(Row("floor: one-line PDF, same fonts", f"{pdf_floor:.3f} s"))
    rows.append(Row("floor: one-bar chart PNG", f"{png_floor:.3f} s"))
    notes.append(f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f} at the end (other work skews figures)")
    print_table("Weekly situation report (reports/)", rows, notes)


if __name__ == "__main__":
    main()
