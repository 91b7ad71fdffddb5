"""`ceasefire log`: the transparency log from the command line.

  log vkey                                   the log's verifier key (give it to every party's witness)
  log checkpoint                             integrate, sign and take a checkpoint to the witnesses now
  log verify --tiles URL_OR_DIR --vkey VKEY [--witness-vkey VKEY ...]
                                             full offline audit of any C2SP tlog-tiles log
  log verify --database                      audit this installation: entries, tiles, checkpoints, records
  log verify-receipt FILE --vkey VKEY [--vkey ...]
                                             check one receipt (.tlog-proof) offline

Verification exits with status 1 and names the first bad index, record or tile.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ceasefire.core.management.commandlib import ProductCommand
from ceasefire.ledger.audit import AuditFailed, AuditReport, audit_database, audit_tiles, fetcher
from ceasefire.ledger.checkpoints import latest_checkpoint
from ceasefire.ledger.jobs import checkpoint_and_witness
from ceasefire.ledger.keys import LogKeyMissing, log_verifier
from ceasefire.ledger.receipts import ReceiptError, verify_receipt


class Command(ProductCommand):
    help_text = gettext_lazy(
        "The transparency log: print its verifier key, make a checkpoint now, audit a whole tiles log "
        "(ours or any other) or this database, and verify a receipt offline."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("vkey", help=_("print the log's verifier key"))
        actions.add_parser("checkpoint", help=_("sign a checkpoint of new entries and push it to the witnesses"))
        verify = actions.add_parser("verify", help=_("audit a whole log"))
        verify.add_argument("--tiles", help=_("URL prefix or directory of a C2SP tlog-tiles log"))
        verify.add_argument("--vkey", action="append", default=[], help=_("the log's verifier key (repeatable)"))
        verify.add_argument(
            "--witness-vkey", action="append", default=[], help=_("a witness that must have cosigned (repeatable)")
        )
        verify.add_argument("--database", action="store_true", help=_("audit this installation's database"))
        receipt = actions.add_parser("verify-receipt", help=_("verify a receipt offline"))
        receipt.add_argument("file", help=_("the .tlog-proof file"))
        receipt.add_argument(
            "--vkey",
            action="append",
            default=[],
            required=True,
            help=_("a log key or witness key (repeatable); every witness key given must have cosigned"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "vkey":
                self.stdout.write(log_verifier().vkey)
            elif action == "checkpoint":
                self._checkpoint()
            elif action == "verify":
                self._verify(options)
            else:
                self._verify_receipt(options)
        except LogKeyMissing as error:
            raise CommandError(str(error)) from error

    def _checkpoint(self) -> None:
        outcomes = checkpoint_and_witness()
        latest = latest_checkpoint()
        if latest is None:
            self.stdout.write(_("The log is empty: no checkpoint."))
            return
        root = base64.b64encode(bytes(latest.root)).decode()
        self.stdout.write(_("Checkpoint: size %(size)d, root %(root)s") % {"size": latest.size, "root": root})
        for outcome in outcomes:
            state = _("cosigned") if outcome.cosigned else outcome.detail
            self.stdout.write(f"  {outcome.witness}: {state}")
        witnessed = _("yes") if latest.witnessed_at else _("not yet")
        self.stdout.write(_("Witnessed: %(state)s") % {"state": witnessed})

    def _verify(self, options: dict[str, Any]) -> None:
        if bool(options["tiles"]) == bool(options["database"]):
            raise CommandError(_("Give either --tiles URL_OR_DIR (with --vkey) or --database."))
        try:
            if options["database"]:
                report = audit_database()
            else:
                if not options["vkey"]:
                    raise CommandError(_("--vkey is required with --tiles: the log's verifier key."))
                report = audit_tiles(fetcher(options["tiles"]), options["vkey"], options["witness_vkey"])
        except AuditFailed as failed:
            for problem in failed.problems:
                self.stderr.write(_("FAIL: %(problem)s") % {"problem": problem})
            raise CommandError(_("The log does not verify: %(first)s") % {"first": failed.problems[0]}) from None
        self._report(report)

    def _report(self, report: AuditReport) -> None:
        if report.origin:
            self.stdout.write(_("Origin: %(origin)s") % {"origin": report.origin})
        self.stdout.write(_("Size: %(size)d") % {"size": report.size})
        self.stdout.write(_("Root: %(root)s") % {"root": base64.b64encode(report.root).decode()})
        for check in report.checks:
            self.stdout.write(f"OK  {check}")

    def _verify_receipt(self, options: dict[str, Any]) -> None:
        try:
            text = Path(options["file"]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            message = _("Cannot read %(file)s: %(error)s") % {"file": options["file"], "error": error}
            raise CommandError(message) from error
        try:
            report = verify_receipt(text, options["vkey"])
        except ReceiptError as error:
            raise CommandError(_("The receipt does not verify: %(error)s") % {"error": error}) from None
        self.stdout.write(
            _("OK: entry %(index)d is in %(origin)s at size %(size)d")
            % {"index": report.index, "origin": report.origin, "size": report.size}
        )
        for name, timestamp in sorted(report.cosigners.items()):
            self.stdout.write(_("  cosigned by %(name)s at %(time)d") % {"name": name, "time": timestamp})
        for key, value in report.leaf.items():
            self.stdout.write(f"  {key}: {value}")
