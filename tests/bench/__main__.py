"""Run the benchmarks: ``python -m tests.bench [--quick] [--json PATH]``.

The PDF import benchmark (:mod:`tests.bench.pdfs`, cheap with ``--quick``)
runs first, then the viewer benchmark, whose JSON line stays the last line.
Qt must know its platform before PySide6 is imported, so this sets
``QT_QPA_PLATFORM=offscreen`` (unless already set) before importing them.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.bench import pdfs
from tests.bench.viewer import main

if __name__ == "__main__":
    pdf_status = pdfs.main(["--quick"] if "--quick" in sys.argv[1:] else [])
    sys.exit(main() or pdf_status)
