"""A project for the export tests: the seeds (CJK, Cyrillic, emoji) plus
documents made here with combining characters, CRLF line ends, emoji
sequences and right-to-left text, and claims by two annotators on all of them,
with every kind of label, notes that would be spreadsheet formulas, tags,
claim sources and propositions.

Claims are made through :class:`ProjectService` on a real SQLite file. Each
claim's span is found by searching the text for its quote, so ``text[start:end]
== quote`` holds by construction; the tests check the exports keep it.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from annotator.domain.codebook import Dimension, Label, with_labels
from annotator.domain.model import Claim, Document, Source
from annotator.paths import seeds_dir
from annotator.services import exports
from annotator.services.codebook import CodebookService
from annotator.services.project import ProjectService
from annotator.services.sample import import_sample_corpus

MERICS = "merics-deepseek-us-china-ai-race.txt"
BLOG = "deep-seek-hedge-fund-blog.txt"

#: Text with combining characters: "é" as e + U+0301, Vietnamese stacked marks,
#: Devanagari with a virama, and a Hangul syllable as conjoining jamo.
COMBINING = ("Cafe\u0301 society: the re\u0301sume\u0301 of Nguye\u0302\u0303n Va\u0306n A"
             " reads \u0939\u093f\u0928\u094d\u0926\u0940 and \u1112\u1161\u11ab gul. "
             "Zalgo: Z\u0324\u0354\u0367a\u0351l\u0360g\u0315o.\n")
#: Windows line ends, a quote spanning one, emoji with ZWJ and skin tones, Arabic.
CRLF = ("First line of the memo.\r\nSecond line: 👩🏽‍💻 built it.\r\n"
        "Third line, مرحبا بالعالم, and the end.\r\n\r\nSigned: 深度求素 team 👇\r\n")

FORMULA_NOTE = '=HYPERLINK("http://example.invalid","click")'
#: Cells that a spreadsheet would run as a formula (OWASP's list).
FORMULA_STARTS = ("=1+1", "+1 per cent", "-2 points", "@SUM(A1)", "\ttabbed", "\rreturn")

# (document, quote, occurrence, annotator, labels); ``occurrence`` picks the n-th match.
CLAIMS: list[tuple[str, str, int, str, dict]] = [
    (MERICS, "深度求素", 0, "alice", dict(stance="supports", source_reliability="B",
                                          info_credibility=2, claim_type="quantity",
                                          tags=("cjk", "name"), note=FORMULA_NOTE,
                                          proposition="DeepSeek is a Chinese company")),
    (MERICS, "梁文锋", 0, "bob", dict(stance="neutral", note="Founder's name.\nSecond line")),
    (MERICS, "深度求素 in \n\nMandarin)", 0, "alice", dict(note="spans a blank line")),
    (BLOG, "👇", 0, "bob", dict(stance="unclear", tags=("emoji",))),
    (BLOG, "января", 0, "alice", dict(stance="refutes", info_credibility=6,
                                      source_reliability="F", claim_type="prediction")),
    (BLOG, "Войти", 0, "bob", dict(stance="supports", note="+1 per cent")),
    ("combining", "Cafe\u0301", 0, "alice", dict(stance="supports", note="-2 points")),
    ("combining", "re\u0301sume\u0301", 0, "bob", dict(stance="refutes", note="@SUM(A1)")),
    ("combining", "Nguye\u0302\u0303n", 0, "alice", dict(stance="neutral")),
    ("combining", "\u0939\u093f\u0928\u094d\u0926\u0940", 0, "bob", dict(stance="supports")),
    ("combining", "\u1112\u1161\u11ab", 0, "alice", dict(claim_type="other")),
    # Starts on a combining mark: a span a person can make by moving an edge.
    ("combining", "\u0301 society", 0, "bob", dict(note="\ttabbed")),
    ("combining", "Z\u0324\u0354\u0367a\u0351l\u0360g\u0315o", 0, "alice", dict()),
    ("crlf", "memo.\r\nSecond", 0, "alice", dict(stance="supports", note="\rreturn")),
    ("crlf", "👩🏽‍💻", 0, "bob", dict(stance="neutral", tags=("emoji", "zwj"))),
    ("crlf", "مرحبا بالعالم", 0, "alice", dict(stance="refutes", note="=1+1")),
    ("crlf", "Signed: 深度求素 team 👇", 0, "bob", dict(stance="supports")),
    ("crlf", "\r\n\r\n", 0, "alice", dict(note="blank line, CRLF")),
    ("crlf", "line", 2, "alice", dict(stance="maybe", claim_type="quantity")),
]

#: Claims whose edges are token boundaries for spaCy's tokenizer (quotes that
#: are whole words or runs of whole words), by quote.
TOKEN_ALIGNED = ("深度求素", "梁文锋", "января", "Войти", "Cafe\u0301", "re\u0301sume\u0301",
                 "Nguye\u0302\u0303n", "memo.\r\nSecond", "Signed: 深度求素 team 👇")


def seed_text(name: str) -> str:
    return (seeds_dir() / name).read_bytes().decode("utf-8")


def span(text: str, quote: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return start, start + len(quote)


@dataclasses.dataclass
class Corpus:
    path: Path
    #: Every document, by short name (the seed's file name, "combining", "crlf").
    documents: dict[str, Document]
    claims: list[Claim]

    def texts(self) -> dict[str, str]:
        """Document text by document id."""
        return {document.id: document.text for document in self.documents.values()}


def build_corpus(path: Path) -> Corpus:
    """The export test project at ``path``: documents, a codebook with an extra
    stance ``maybe``, two annotators' claims, the CRLF document marked done."""
    service = ProjectService.open(path, create=True)
    try:
        import_sample_corpus(service)
        manifest = json.loads((seeds_dir() / "manifest.json").read_text(encoding="utf-8"))
        by_text = {seed_text(entry["file"]): entry["file"] for entry in manifest["documents"]}
        documents = {}
        for info in service.documents():
            document = service.document(info.id)
            documents[by_text[document.text]] = document
        for name, text, title in (("combining", COMBINING, "Combining marks"),
                                  ("crlf", CRLF, "Windows memo")):
            document = Document.from_text(text, title=title, source="made by the test",
                                          metadata={"pages": [0, len(text) // 2]})
            documents[name] = service.add_document(document).document
        codebooks = CodebookService(service.database)
        codebook = codebooks.codebook()
        maybe = Label(Dimension.STANCE, "maybe", "Maybe", "Might support it.", "#123456", "m")
        codebooks.apply(with_labels(codebook, Dimension.STANCE,
                                    [*codebook.of(Dimension.STANCE), maybe]), "Add maybe")
        source = service.add_source(Source.new("Reuters"))
        moment = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
        claims = []
        for number, (name, quote, occurrence, annotator, labels) in enumerate(CLAIMS):
            document = documents[name]
            start, end = span(document.text, quote, occurrence)
            created = moment + timedelta(minutes=number, microseconds=number * 7)
            claim = dataclasses.replace(
                Claim.new(document, start, end, annotator=annotator, **labels),
                created_at=created, updated_at=created + timedelta(seconds=number),
                codebook_version=2)
            if number % 3 == 0:
                claim = dataclasses.replace(claim, source_id=source.id, source_name=source.name)
            claims.append(service.add_claim(claim))
        service.set_document_status(documents["crlf"].id, "done")
    finally:
        service.close()
    return Corpus(path, documents, claims)


def export_corpus(folder: Path, format_name: str, target: str,
                  **options: object) -> tuple[Corpus, Path, exports.ExportResult]:
    """The corpus built in ``folder`` and exported there as ``format_name`` to
    ``target``: the corpus, the export's path and its result."""
    corpus = build_corpus(folder / "corpus.annotator.sqlite")
    service = ProjectService.open(corpus.path)
    try:
        result = exports.export(service, format_name, folder / target, **options)
    finally:
        service.close()
    return corpus, folder / target, result


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="\n") as handle:
        return [json.loads(line) for line in handle if line.strip()]
