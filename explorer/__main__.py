"""``python -m explorer``: the window, or a command-line tool when given a command."""

from __future__ import annotations

import sys

# the command-line tool's commands (explorer/cli.py), named here so that starting
# the window does not import the tool
COMMANDS = ("inspect", "critical", "descend", "render")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and (argv[0] in COMMANDS or argv[0] in ("-h", "--help")):
        from explorer import cli

        return cli.main(argv)
    from explorer.ui.app import run_gui

    return run_gui(argv)


if __name__ == "__main__":
    sys.exit(main())
