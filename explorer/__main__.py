"""``python -m explorer``: the window, or a command-line tool when given a command."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from explorer import cli

    if argv and (argv[0] in cli.COMMANDS or argv[0] in ("-h", "--help")):
        return cli.main(argv)
    from explorer.ui.app import run_gui

    return run_gui(argv)


if __name__ == "__main__":
    sys.exit(main())
