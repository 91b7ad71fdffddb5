"""`ceasefire witness`: run a party's witness, make its key, and register witnesses with the mechanism.

witness keygen --name NAME --out KEYFILE       new private key (C2SP/Go private-key string); prints the vkey
witness serve --name NAME --key KEYFILE --trust VKEY [--trust VKEY ...] --state FILE --listen HOST:PORT
                                               a C2SP tlog-witness v1.0.0 witness (ledger/witness/)
witness register --party CODE --url URL --vkey VKEY [--name NAME]
                                               the mechanism pushes its checkpoints there from now on
witness list                                   registered witnesses, their last size and error
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ceasefire.core.errors import DomainError
from ceasefire.core.management.commandlib import ProductCommand, command_error, party_by_code, render, table
from ceasefire.ledger.checkpoint import CosignatureSigner
from ceasefire.ledger.models import Witness
from ceasefire.ledger.note import Ed25519Signer, NoteError, parse_private_key, parse_verifier_key
from ceasefire.ledger.services import register_witness
from ceasefire.ledger.witness.server import WitnessApp, serve
from ceasefire.ledger.witness.state import WitnessState


def cosigner_vkey(signer: Ed25519Signer) -> str:
    return CosignatureSigner(signer.name, signer.seed).verifier().vkey


class Command(ProductCommand):
    help_text = gettext_lazy(
        "Witnesses: make a witness key, run a C2SP tlog-witness that checks and cosigns a log, and register "
        "each party's witness with this mechanism."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        keygen = actions.add_parser("keygen", help=_("write a new witness private key"))
        keygen.add_argument("--name", required=True, help=_("witness name, e.g. af.witness.example"))
        keygen.add_argument("--out", required=True, help=_("file for the private key (must not exist)"))
        run = actions.add_parser("serve", help=_("run the witness"))
        run.add_argument("--name", required=True, help=_("witness name (the key's name)"))
        run.add_argument("--key", required=True, help=_("private key file from `witness keygen`"))
        run.add_argument("--trust", action="append", required=True, help=_("a log's verifier key (repeatable)"))
        run.add_argument("--state", required=True, help=_("state file (created if absent)"))
        run.add_argument("--listen", default="127.0.0.1:7380", help=_("HOST:PORT (default: %(default)s)"))
        add = actions.add_parser("register", help=_("register a party's witness with this mechanism"))
        add.add_argument("--party", required=True, help=_("party code, e.g. AF"))
        add.add_argument("--url", required=True, help=_("the witness's URL prefix, e.g. http://127.0.0.1:7380"))
        add.add_argument("--vkey", required=True, help=_("the witness's verifier key (from keygen)"))
        add.add_argument("--name", default="", help=_("name (default: the key's name)"))
        actions.add_parser("list", help=_("list registered witnesses"))

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _keygen(self, options: dict[str, Any]) -> None:
        path = Path(options["out"])
        try:
            signer = Ed25519Signer.generate(options["name"])
        except NoteError as error:
            raise CommandError(f"--name: {error}") from error
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            message = _("--out: %(path)s exists; a witness key is never overwritten.") % {"path": path}
            raise CommandError(message) from None
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(signer.skey + "\n")
        self.stdout.write(cosigner_vkey(signer))

    def _serve(self, options: dict[str, Any]) -> None:
        try:
            signer = parse_private_key(Path(options["key"]).read_text(encoding="utf-8").strip())
        except (OSError, NoteError) as error:
            raise CommandError(f"--key: {error}") from error
        if signer.name != options["name"]:
            raise CommandError(
                _("--name %(name)s differs from the key's name %(key)s.")
                % {"name": options["name"], "key": signer.name}
            )
        try:
            trusted = [parse_verifier_key(vkey) for vkey in options["trust"]]
        except NoteError as error:
            raise CommandError(f"--trust: {error}") from error
        host, _sep, port = options["listen"].rpartition(":")
        if not host or not port.isdigit():
            raise CommandError(_("--listen must be HOST:PORT, e.g. 127.0.0.1:7380."))
        app = WitnessApp(signer.name, signer.seed, trusted, WitnessState(Path(options["state"])))
        self.stdout.write(
            _("Witness %(name)s (%(vkey)s) on http://%(listen)s/add-checkpoint, trusting %(logs)s")
            % {
                "name": signer.name,
                "vkey": cosigner_vkey(signer),
                "listen": options["listen"],
                "logs": ", ".join(sorted(app.logs)),
            }
        )
        self.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt):
            serve(app, host, int(port))

    def _register(self, options: dict[str, Any]) -> None:
        party = party_by_code(options["party"])
        try:
            witness = register_witness(
                None, party=party, url=options["url"], vkey=options["vkey"], name=options["name"]
            )
        except DomainError as exc:
            raise command_error(exc, {"url": "--url", "vkey": "--vkey", "name": "--name"}) from exc
        self.stdout.write(
            _("Witness %(name)s registered for %(party)s at %(url)s.")
            % {"name": witness.name, "party": party.code, "url": witness.url}
        )

    def _list(self, options: dict[str, Any]) -> None:
        rows = [
            (w.party.code, w.name, w.url, w.size, w.last_contact_at, w.last_error or None)
            for w in Witness.objects.select_related("party")
        ]
        columns = [_("Party"), _("Name"), _("URL"), _("Size"), _("Last contact"), _("Last error")]
        self.stdout.write(render(table(_("Witnesses"), columns, rows), width=160))
