"""Run the viewer benchmark: ``python -m tests.bench [--quick] [--json PATH]``.

Qt must know its platform before PySide6 is imported, so this sets
``QT_QPA_PLATFORM=offscreen`` (unless already set) before importing the benchmark.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.bench.viewer import main

if __name__ == "__main__":
    sys.exit(main())
