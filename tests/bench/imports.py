"""Import benchmark: ``python -m tests.bench.imports [--docs N] [--pages N] [--json PATH]``.

Into a fresh project (a new SQLite file in a temporary folder), imports

* ``--docs`` (1,000) small generated text documents (about 2 KB each, every one
  different) in one :func:`import_files` call over their folder, and
* one generated ``--pages`` (50) page PDF, drawn by Qt's ``QPdfWriter``,

and prints documents per second and MB per second (input bytes) for each, with
the time per document. Target: 1,000 small text documents in under 10 s on two
cores. The PDF time includes starting the parsing process and its limits.
Almost all of the text time is the project's one durable commit per document
(SQLite with ``synchronous=FULL``); reading and decoding 1,000 such files takes
about 0.2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TARGET_SECONDS = 10.0
WORDS = ("analysts", "claim", "chips", "export", "controls", "market", "model", "training",
         "cost", "China", "United", "States", "policy", "report", "evidence", "source",
         "reliability", "investment", "fund", "startup", "benchmark", "efficiency")


def make_texts(folder: Path, count: int, seed: int = 4) -> int:
    rng = random.Random(seed)
    total = 0
    for number in range(count):
        sentences = []
        for _ in range(24):
            words = [rng.choice(WORDS) for _ in range(rng.randint(8, 16))]
            sentences.append(" ".join(words).capitalize() + ".")
        text = f"Document {number}\n\n" + "\n\n".join(
            " ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4)) + "\n"
        data = text.encode("utf-8")
        (folder / f"doc-{number:05d}.txt").write_bytes(data)
        total += len(data)
    return total


def make_pdf(path: Path, pages: int) -> int:
    from PySide6.QtGui import QGuiApplication

    from tests.formats.documents import long_pdf

    _app = QGuiApplication.instance() or QGuiApplication([])
    long_pdf(path, pages)
    return path.stat().st_size


def run(docs: int, pages: int) -> dict:
    from annotator.formats.registry import ImportOptions
    from annotator.services.project import ProjectService
    from annotator.services.transfer import FileStatus, import_files

    results: dict = {"docs": docs, "pages": pages}
    with tempfile.TemporaryDirectory(prefix="annotator-bench-") as temp:
        root = Path(temp)
        texts = root / "texts"
        texts.mkdir()
        text_bytes = make_texts(texts, docs)
        pdf_bytes = make_pdf(root / "report.pdf", pages)
        service = ProjectService.open(root / "bench.annotator.sqlite", create=True)
        try:
            started = time.perf_counter()
            # The app's defaults: every text is also checked for PDF-extracted layout.
            report = import_files(service, [texts], options=ImportOptions())
            elapsed = time.perf_counter() - started
            imported = report.count(FileStatus.IMPORTED)
            if imported != docs:
                raise SystemExit(f"only {imported} of {docs} text documents imported: "
                                 f"{report.summary()}")
            results["text"] = {"seconds": elapsed, "docs_per_s": docs / elapsed,
                               "mb_per_s": text_bytes / 1e6 / elapsed,
                               "ms_per_doc": 1000 * elapsed / docs, "bytes": text_bytes,
                               "target_s": TARGET_SECONDS, "met": elapsed < TARGET_SECONDS}

            started = time.perf_counter()
            report = import_files(service, [root / "report.pdf"], options=ImportOptions())
            elapsed = time.perf_counter() - started
            (result,) = report.results
            if result.status is not FileStatus.IMPORTED:
                raise SystemExit(f"the PDF did not import: {result.reason}")
            document = service.document(result.document_id)
            results["pdf"] = {"seconds": elapsed, "pages_per_s": pages / elapsed,
                              "mb_per_s": pdf_bytes / 1e6 / elapsed, "bytes": pdf_bytes,
                              "chars": len(document.text),
                              "page_count": document.metadata.get("page_count")}
        finally:
            service.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    results = run(args.docs, args.pages)
    text, pdf = results["text"], results["pdf"]
    print(f"cores: {os.cpu_count()}  python: {sys.version.split()[0]}")
    print(f"text: {args.docs} documents ({text['bytes'] / 1e6:.1f} MB) in {text['seconds']:.2f} s"
          f" = {text['docs_per_s']:.0f} docs/s, {text['mb_per_s']:.2f} MB/s, "
          f"{text['ms_per_doc']:.1f} ms/doc (target < {TARGET_SECONDS:g} s: "
          f"{'met' if text['met'] else 'MISSED'})")
    print(f"pdf: {args.pages} pages ({pdf['bytes'] / 1e6:.2f} MB, {pdf['chars']:,} chars) in "
          f"{pdf['seconds']:.2f} s = {pdf['pages_per_s']:.1f} pages/s, "
          f"{pdf['mb_per_s']:.2f} MB/s")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0 if text["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
