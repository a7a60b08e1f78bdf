"""The installed app's entry point (PyInstaller's script): ``annotator [ARGS]``.

The app runs some work in a child process of its own interpreter with
``sys.executable -m annotator.MODULE ...`` (the PDF reader,
:mod:`annotator.formats.pdf_child`). In a bundle ``sys.executable`` is this
program, so that form is dispatched here, before anything else is imported (the
PDF reader caps its memory before it imports its parser).
"""

import runpy
import sys


def _child_module(argv: list[str]) -> str | None:
    if len(argv) >= 3 and argv[1] == "-m" and argv[2].startswith("annotator."):
        return argv[2]
    return None


if __name__ == "__main__":
    module = _child_module(sys.argv)
    if module is not None:
        sys.argv = [module, *sys.argv[3:]]
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        sys.exit(0)
    from annotator.cli.main import main

    sys.exit(main())
