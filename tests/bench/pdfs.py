"""PDF import benchmark: ``python -m tests.bench.pdfs [--quick] [--pages N] [--json PATH]``.

Speed: imports a generated ``--pages`` page PDF (dense pages of about 2,000
characters, drawn by Qt) through the importer -- parsing process, limits,
layout, reflow, page offsets -- and prints pages per second and the ratio of
its time to a baseline measured in the same run: bare pypdfium2 text
extraction of the same file in this process (``get_text_range`` per page, no
layout). Target: at least 150 pages a second (the pdfminer.six importer it
replaced managed about 15).

Quality: imports the samples of :mod:`tests.bench.pdf_samples` (two columns,
columns drawn line by line across the page, Cyrillic with indented paragraphs,
Chinese; running headers, footers and page numbers; words hyphenated at line
ends) and scores the text against the known body text: character similarity,
share of paragraphs found whole, header/footer lines that leaked in. With
pdfminer.six installed (``--compare``, the default outside ``--quick``), the
same samples and file go through pdfminer.six's layout analysis and the same
reflow, for comparison.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TARGET_PAGES_PER_S = 150.0
#: Below this similarity on any sample the run fails (the text got worse).
MIN_SIMILARITY = 0.99


def dense_pdf(path: Path, pages: int) -> Path:
    from PySide6.QtWidgets import QApplication

    from tests.formats.documents import long_pdf

    # A QApplication (not a QGuiApplication): the viewer benchmark runs next.
    _app = QApplication.instance() or QApplication([])
    return long_pdf(path, pages, paragraphs_per_page=12)


def bare_pdfium(data: bytes) -> float:
    """Seconds to read every page's text with pypdfium2, without layout."""
    import pypdfium2 as pdfium

    started = time.perf_counter()
    document = pdfium.PdfDocument(data)
    for index in range(len(document)):
        page = document[index]
        textpage = page.get_textpage()
        textpage.get_text_range()
        textpage.close()
        page.close()
    document.close()
    return time.perf_counter() - started


def pdfminer_text(data: bytes) -> str:
    """The text pdfminer.six's layout analysis gives, through the same reflow
    (what the importer did before pypdfium2)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextBox, LTTextLine

    from annotator.formats.reflow import Block, Line, join_pages

    pages = []
    for layout in extract_pages(io.BytesIO(data), laparams=LAParams()):
        blocks = []
        for item in layout:
            if isinstance(item, LTTextBox):
                lines = tuple(Line(line.get_text().rstrip("\n"), line.x0, line.x1)
                              for line in item if isinstance(line, LTTextLine))
                if lines:
                    blocks.append(Block(lines, item.x0, item.x1))
        pages.append(blocks)
    return join_pages(pages)[0]


def cpu_seconds() -> float:
    """Processor seconds used by this process and its ended children (0 where
    unknown): unlike wall time, hardly changed by other programs' load."""
    try:
        import resource
    except ImportError:
        return 0.0
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def has_pdfminer() -> bool:
    try:
        import pdfminer  # noqa: F401
    except ImportError:
        return False
    return True


def run(pages: int, sample_pages: int, compare: bool) -> dict:
    from annotator.formats.registry import extract_file
    from tests.bench.pdf_samples import make_samples, score

    results: dict = {"pages": pages, "sample_pages": sample_pages}
    with tempfile.TemporaryDirectory(prefix="annotator-bench-pdf-") as temp:
        folder = Path(temp)
        path = dense_pdf(folder / "dense.pdf", pages)
        data = path.read_bytes()
        extract_file(path)                      # warm the file cache and imports
        cpu_before = cpu_seconds()
        started = time.perf_counter()
        read = extract_file(path)
        importer = time.perf_counter() - started
        cpu = cpu_seconds() - cpu_before
        if read.metadata["page_count"] != pages:
            raise SystemExit(f"the importer read {read.metadata['page_count']} of {pages} pages")
        baseline = min(bare_pdfium(data) for _ in range(3))
        results["speed"] = {
            "importer_s": importer, "importer_pages_per_s": pages / importer,
            "baseline_s": baseline, "baseline_pages_per_s": pages / baseline,
            "ratio": importer / baseline, "chars_per_page": len(read.text) / pages,
            "importer_cpu_s": cpu, "importer_pages_per_cpu_s": pages / cpu if cpu else None,
            "bytes": len(data), "target_pages_per_s": TARGET_PAGES_PER_S,
            "met": pages / importer >= TARGET_PAGES_PER_S}
        compare = compare and has_pdfminer()
        if compare:
            few = min(pages, 40)
            subset = dense_pdf(folder / "few.pdf", few).read_bytes()
            cpu_before = cpu_seconds()
            started = time.perf_counter()
            pdfminer_text(subset)
            results["speed"]["pdfminer_pages_per_s"] = few / (time.perf_counter() - started)
            results["speed"]["pdfminer_pages_per_cpu_s"] = few / max(cpu_seconds() - cpu_before,
                                                                     1e-9)
        quality = {}
        for sample in make_samples(folder, sample_pages):
            row = {"pypdfium2": score(sample, extract_file(sample.path).text)}
            if compare:
                row["pdfminer.six"] = score(sample, pdfminer_text(sample.path.read_bytes()))
            quality[sample.name] = row
        results["quality"] = quality
    results["ok"] = all(row["pypdfium2"]["similarity"] >= MIN_SIMILARITY
                        for row in results["quality"].values())
    return results


def report(results: dict) -> None:
    speed = results["speed"]
    print(f"pdf import: {results['pages']} pages ({speed['chars_per_page']:.0f} chars/page, "
          f"{speed['bytes'] / 1e6:.2f} MB) in {speed['importer_s']:.2f} s = "
          f"{speed['importer_pages_per_s']:.0f} pages/s (target >= {TARGET_PAGES_PER_S:g}: "
          f"{'met' if speed['met'] else 'MISSED'}); bare pypdfium2 text "
          f"{speed['baseline_pages_per_s']:.0f} pages/s; ratio importer/bare "
          f"{speed['ratio']:.1f}")
    if speed["importer_pages_per_cpu_s"]:
        print(f"  processor time of the import (both processes): {speed['importer_cpu_s']:.2f} s"
              f" = {speed['importer_pages_per_cpu_s']:.0f} pages per CPU second (what an idle "
              f"machine's wall clock would show, start-up included)")
    if "pdfminer_pages_per_s" in speed:
        print(f"pdfminer.six layout analysis alone (in this process): "
              f"{speed['pdfminer_pages_per_s']:.1f} pages/s, "
              f"{speed['pdfminer_pages_per_cpu_s']:.1f} pages per CPU second")
    for name, row in results["quality"].items():
        for extractor, figures in row.items():
            print(f"  {name:<22} {extractor:<13} similarity {figures['similarity']:.4f}  "
                  f"paragraphs whole {figures['paragraphs_whole']:.0%}  "
                  f"header/footer lines leaked {figures['running_lines_leaked']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="60 pages, 3-page samples, no pdfminer.six comparison")
    parser.add_argument("--pages", type=int, help="pages of the speed run (default 300)")
    parser.add_argument("--compare", action=argparse.BooleanOptionalAction,
                        help="also run pdfminer.six when installed (default: not with --quick)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    pages = args.pages or (60 if args.quick else 300)
    compare = (not args.quick) if args.compare is None else args.compare
    results = run(pages, 3 if args.quick else 6, compare)
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    sys.stdout.flush()
    return 0 if results["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
