"""`ceasefire report daily|weekly --date D --audience public|internal [--party CODE] [--language ps] --out FILE`:
render one situation report to a PDF or HTML file (by the file's extension).

An internal report is built as a reader of --party (reports/queries.party_reader): exactly what that party's
members may see. Without --archive nothing is written to the database: the report is rendered for the file alone
(an HTML file carries its fonts inline, so it opens anywhere offline). With --archive it is generated into the
archive as the worker's schedule would (a new edition if the slot exists, a `report.generated` log entry), and
--out, if given, receives the archived file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ceasefire.core.errors import DomainError
from ceasefire.core.management.commandlib import ProductCommand, command_error, party_by_code
from ceasefire.reports import archive
from ceasefire.reports.enums import Audience, ReportKind
from ceasefire.reports.periods import period_containing
from ceasefire.reports.spec import ReportSpec, report_spec

FLAGS = {"kind": "kind", "day": "--date", "audience": "--audience", "party": "--party", "language": "--language"}
FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html"}


class Command(ProductCommand):
    help_text = gettext_lazy(
        "Reports: `report daily|weekly --date D --audience public|internal --party CODE --out FILE.pdf|.html` "
        "renders a situation report in the chosen language; --archive keeps it in the archive too."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=ReportKind.values, help=_("daily (one UTC day) or weekly (Monday-Sunday)"))
        parser.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            help=_("a day of the period, YYYY-MM-DD (default: yesterday, or last week)"),
        )
        parser.add_argument("--audience", choices=Audience.values, default=Audience.INTERNAL, help=_("who reads it"))
        parser.add_argument("--party", help=_("the party an internal report is for (its code)"))
        parser.add_argument("--language", default="en", help=_("language code: en, ps, fa (or prs), ur, ar, tr"))
        parser.add_argument("--out", type=Path, help=_("file to write: .pdf or .html"))
        parser.add_argument(
            "--archive", action="store_true", help=_("also keep the report in the archive, as the schedule does")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path | None = options["out"]
        if out is None and not options["archive"]:
            raise CommandError(_("--out FILE.pdf or FILE.html is required (or --archive)."))
        fmt = FORMATS.get(out.suffix.lower()) if out is not None else None
        if out is not None and fmt is None:
            raise CommandError(_("--out must end in .pdf or .html, not '%(name)s'.") % {"name": out.name})
        kind = options["kind"]
        day = options["date"] or period_containing(kind, timezone.now().date()).previous.first_day
        party = party_by_code(options["party"]) if options["party"] else None
        try:
            spec = report_spec(
                kind=kind, day=day, audience=options["audience"], party=party, language=options["language"]
            )
            data = self._archived(spec, fmt) if options["archive"] else self._rendered(spec, fmt)
        except DomainError as exc:
            raise command_error(exc, FLAGS) from exc
        if out is not None and data is not None:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
            self.stdout.write(
                _("Wrote %(file)s (%(size)d bytes, SHA-256 %(sha)s): %(what)s.")
                % {"file": out, "size": len(data), "sha": hashlib.sha256(data).hexdigest(), "what": _describe(spec)}
            )

    def _rendered(self, spec: ReportSpec, fmt: str | None) -> bytes | None:
        from ceasefire.reports.document import render_report

        rendered = render_report(spec, fonts="embedded", pdf=fmt == "pdf")
        return rendered.pdf if fmt == "pdf" else rendered.html

    def _archived(self, spec: ReportSpec, fmt: str | None) -> bytes | None:
        from ceasefire.reports.services import generate_report

        report = generate_report(
            None,
            kind=spec.kind,
            day=spec.period.first_day,
            audience=spec.audience,
            party=spec.party,
            language=spec.language,
        )
        self.stdout.write(
            _("Archived %(code)s (edition %(edition)d): %(what)s.")
            % {"code": report.public_code, "edition": report.edition, "what": _describe(spec)}
        )
        if fmt is None:
            return None
        return archive.load(report.pdf_sha256 if fmt == "pdf" else report.html_sha256, fmt)


def _describe(spec: ReportSpec) -> str:
    period = spec.period
    days = str(period.first_day) if period.first_day == period.last_day else f"{period.first_day}..{period.last_day}"
    party = spec.party.code if spec.party else "?"
    who = _("public") if spec.audience == Audience.PUBLIC else _("internal, %(party)s") % {"party": party}
    return f"{spec.kind} {days}, {who}, {spec.language}"
