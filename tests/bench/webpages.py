"""Web page benchmark: ``python -m tests.bench.webpages [--mb 4.3] [--depths 1,100,200,253]``.

Reads generated pages of ``--mb`` megabytes of paragraphs in blocks of nested
``<div>``s, each against a flat page of the same size and the same elements
(the divs side by side), and prints the CPU seconds of each and their ratio.
Reading used to be quadratic in depth (a 4.3 MB page 100 deep took 21 s, 200
deep 45 s); the target is a ratio of at most :data:`TARGET_RATIO` at every depth.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

TARGET_RATIO = 5.0


def cpu_seconds(path: Path, repeat: int = 2) -> float:
    from annotator.formats.registry import extract_file

    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        extract_file(path)
        best = min(best, time.process_time() - started)
    return best


def main(argv: list[str] | None = None) -> int:
    from tests.formats.documents import nested_page

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=4.3)
    parser.add_argument("--depths", default="1,100,200,253")
    args = parser.parse_args(argv)
    size = int(args.mb * 1e6)
    met = True
    with tempfile.TemporaryDirectory(prefix="annotator-bench-") as temp:
        for depth in (int(value) for value in args.depths.split(",")):
            deep, flat = Path(temp) / "deep.html", Path(temp) / "flat.html"
            deep.write_text(nested_page(depth, size), encoding="utf-8")
            flat.write_text(nested_page(depth, size, deep=False), encoding="utf-8")
            deep_s, flat_s = cpu_seconds(deep), cpu_seconds(flat)
            ratio = deep_s / flat_s
            met = met and ratio <= TARGET_RATIO
            print(f"depth {depth:3}: {deep.stat().st_size / 1e6:.1f} MB nested {deep_s:.2f} s, "
                  f"flat {flat_s:.2f} s, ratio {ratio:.2f} (target <= {TARGET_RATIO:g}: "
                  f"{'met' if ratio <= TARGET_RATIO else 'MISSED'})")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
