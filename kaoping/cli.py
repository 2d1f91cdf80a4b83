"""The `kaoping` command.

`kaoping rubric|sheet|score …` are the clerk's scoring tools: they need no database and no server.
`kaoping demo` loads the demo data; anything else is passed to Django's management commands.
"""

from __future__ import annotations

import os
import sys

SCORING_COMMANDS = {"rubric", "sheet", "score"}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in SCORING_COMMANDS:
        from kaoping.scoring.cli import main as scoring_main

        return scoring_main(args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaoping.settings")
    from django.core.management import execute_from_command_line

    if not args:
        args = ["help"]
    execute_from_command_line(["kaoping", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
