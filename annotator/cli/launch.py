"""How the ``annotator`` command starts and ends, beyond argparse: a project file
given as the only argument (a double-clicked project), and an unexpected error."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from annotator import logs
from annotator.paths import PROJECT_SUFFIX

#: Exit code of an unexpected error (a bug): its traceback is in the log.
EXIT_BUG = 3


def file_argument(argv: Sequence[str]) -> list[str]:
    """``annotator FILE.annotator.sqlite`` (how a file manager opens a project, from
    the .desktop file's ``%f``) means ``annotator --project FILE.annotator.sqlite``.
    Only a first positional argument is read so: a command's arguments are not."""
    args = list(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("--project", "--wait"):
            i += 2
        elif arg == "--self-test":      # a flag: no value follows
            i += 1
        elif arg.startswith("-"):
            return args
        elif arg.lower().endswith(PROJECT_SUFFIX):
            return [*args[:i], "--project", arg, *args[i + 1:]]
        else:
            return args
    return args


def report_bug(error: BaseException, argv: Sequence[str]) -> int:
    """Write an unexpected error's traceback to the log and one line naming the log
    to stderr; returns :data:`EXIT_BUG`."""
    log = logs.configure()
    logs.log_unexpected(type(error), error, error.__traceback__,
                        "command: annotator " + " ".join(argv))
    where = f"the details are in {log}" if log is not None else "no log could be written"
    text = " ".join(str(error).split())
    print(f"annotator: unexpected error ({type(error).__name__}: {text}); {where}",
          file=sys.stderr)
    return EXIT_BUG
