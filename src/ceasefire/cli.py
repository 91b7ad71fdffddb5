"""The `ceasefire` command: Django's management commands under the product's name.

`ceasefire serve`, `demo`, `init`, `user create`, `token create`, `status`, `complaints overdue`, `intel
list|export|import-stix|overdue`, `import`, `log`, `report daily|weekly`, `witness`, `worker` are the product's
own (see core/management/commands); every Django command (migrate, createsuperuser, ...) works too.
"""

from __future__ import annotations

import os
import sys

# Commands a party's auditor runs on its own machine, with no mechanism database and no server secret: a
# witness, and the offline checks of a tiles log or a receipt.
STANDALONE = (("witness", "keygen"), ("witness", "serve"), ("log", "verify-receipt"))


def is_standalone(args: list[str]) -> bool:
    words = tuple(args[1:3])
    return words in STANDALONE or (words == ("log", "verify") and "--tiles" in args)


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceasefire.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if is_standalone(args):
        os.environ.setdefault("CEASEFIRE_STANDALONE", "true")
    args[0] = "ceasefire"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
