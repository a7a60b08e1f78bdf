"""The README's table of encoding detection results, measured on the corpus of
tests/formats/encoding_corpus.py, so the figures cannot drift from the code.

    python -m tests.encoding_table           # print the table
    python -m tests.encoding_table --write   # rewrite it in README.md
    python -m tests.encoding_table --misses  # list the files detected wrong

tests/formats/test_encoding_corpus.py fails while README.md holds another table.
A file counts as right when the detected encoding decodes it to its own text
(Windows-1250 for a Czech memo that has no letter where it and ISO-8859-2 differ).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from annotator.formats.text import decode, encoding_label
from tests.formats.encoding_corpus import MIN_BYTES, Sample, corpus
from tests.readme_block import read_block, write_block


@dataclass(frozen=True, slots=True)
class Result:
    sample: Sample
    detected: str          #: codec name, or the reason no encoding was found

    @property
    def right(self) -> bool:
        try:
            return self.sample.data.decode(self.detected) == self.sample.text
        except (LookupError, UnicodeDecodeError):
            return False


def _detect(sample: Sample) -> str:
    from annotator.formats.problems import ImportProblem

    try:
        return decode(sample.data)[1]
    except ImportProblem as problem:
        return problem.reason


def results(samples: list[Sample] | None = None) -> list[Result]:
    return [Result(sample, _detect(sample)) for sample in samples or corpus()]


def _share(results: list[Result]) -> str:
    if not results:
        return "–"
    right = sum(result.right for result in results)
    return f"{right}/{len(results)}"


def table(results: list[Result]) -> str:
    """Markdown: per encoding, how many files were read right, by size."""
    lines = [f"| Written in | Languages | Short, under {MIN_BYTES} bytes "
             f"| Short, {MIN_BYTES} bytes or more | Long (memo) |",
             "| --- | --- | --- | --- | --- |"]
    encodings = list(dict.fromkeys(result.sample.encoding for result in results))
    for encoding in encodings:
        mine = [result for result in results if result.sample.encoding == encoding]
        languages = ", ".join(dict.fromkeys(result.sample.language for result in mine))
        tiny = [r for r in mine if r.sample.size == "short" and len(r.sample.data) < MIN_BYTES]
        short = [r for r in mine if r.sample.size == "short"
                 and len(r.sample.data) >= MIN_BYTES]
        long = [r for r in mine if r.sample.size == "long"]
        label = "UTF-8 (no byte-order mark)" if encoding == "utf-8" else encoding_label(encoding)
        lines.append(f"| {label} | {languages} | {_share(tiny)} | {_share(short)} "
                     f"| {_share(long)} |")
    return "\n".join(lines)


def readme_table(text: str) -> str:
    return read_block(text, "encodings")


def main(argv: list[str]) -> int:
    measured = results()
    if "--misses" in argv:
        for result in measured:
            if not result.right:
                print(f"{result.sample.name}: detected {result.detected}: "
                      f"{result.sample.text[:70]!r}")
        return 0
    generated = table(measured)
    if "--write" in argv:
        write_block("encodings", generated)
    else:
        print(generated)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
