"""The `ceasefire` command: Django's management commands under the product's name.

`ceasefire serve`, `demo`, `init`, `user create`, `token create`, `status` are the product's own (see
core/management/commands); every Django command (migrate, createsuperuser, ...) works too.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceasefire.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "ceasefire"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
