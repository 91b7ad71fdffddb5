"""`ceasefire import-flows FILE --user NAME`: import a people-flows CSV, all rows or none.

The figures are recorded as the user's membership (--party/--role choose one when the user has several), through
border.services.import_flow_csv, like an upload on the flows page. Each problem is printed with its line and column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ceasefire.border.services import import_flow_csv
from ceasefire.core.errors import DomainError
from ceasefire.core.management.commandlib import ProductCommand
from ceasefire.core.management.commands.token import chosen_membership


class Command(ProductCommand):
    help_text = gettext_lazy(
        "Import people-flow figures from a CSV file (columns: date, crossing, direction, category, total, "
        "documented, undocumented, source, source_note). The file is imported whole or not at all; every problem "
        "is reported with its line and column."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("the CSV file"))
        parser.add_argument("--user", required=True, help=_("user name of the person recording the figures"))
        parser.add_argument("--party", help=_("party code, when the user acts for several parties"))
        parser.add_argument("--role", help=_("role, when the user has several roles"))

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        member = chosen_membership(options["user"], options["party"], options["role"])
        try:
            batch = import_flow_csv(member, path.read_bytes(), file_name=path.name)
        except DomainError as exc:
            for where, message in exc.errors.items():
                self.stderr.write(f"{path.name}: {where}: {message}")
            raise CommandError(exc.message) from exc
        self.stdout.write(
            _("Imported %(rows)d rows from %(file)s as batch %(code)s (sha256 %(sha)s).")
            % {"rows": batch.rows, "file": path.name, "code": batch.public_code, "sha": batch.sha256[:16]}
        )
