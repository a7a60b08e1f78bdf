"""For every export format that carries offsets, ``text[start:end] == quote``
for every record, read back from the written file, on the seeds (CJK,
Cyrillic, emoji) and on documents with combining characters, CRLF line ends,
emoji sequences and right-to-left text. Formats that count in another unit
(doccano: UTF-16 code units) are checked in that unit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.formats.claims import CLAIM_FIELDS, RECORD_FIELDS
from annotator.services import exports
from annotator.services.exports import ExportOptions
from annotator.services.project import ProjectService
from tests.formats.export_corpus import CLAIMS, Corpus, build_corpus, read_jsonl

FORMULA = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return build_corpus(tmp_path_factory.mktemp("offsets") / "corpus.annotator.sqlite")


@pytest.fixture(scope="module")
def written(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("exports")
    service = ProjectService.open(corpus.path)
    files = {}
    try:
        for fmt, name, options in (
                ("jsonl", "claims.jsonl", None), ("csv", "claims.csv", None),
                ("w3c", "claims.jsonld", None), ("label-studio", "tasks.json", None),
                ("doccano", "doccano.jsonl", None),
                ("doccano", "doccano-cp.jsonl", ExportOptions(offset_unit="codepoint")),
                ("package", "package", None), ("package", "package.zip", None)):
            exports.export(service, fmt, folder / name, options=options)
            files[name] = folder / name
    finally:
        service.close()
    return files


def test_the_corpus_has_every_kind_of_text(corpus: Corpus) -> None:
    texts = "".join(corpus.texts().values())
    for sample in ("深度求素", "января", "👇", "\u0301", "\r\n", "👩🏽‍💻", "مرحبا"):
        assert sample in texts
    assert len(corpus.claims) == len(CLAIMS)


def test_jsonl(corpus: Corpus, written: dict[str, Path]) -> None:
    texts = corpus.texts()
    records = read_jsonl(written["claims.jsonl"])
    assert len(records) == len(corpus.claims)
    for record in records:
        assert list(record) == list(RECORD_FIELDS)
        text = texts[record["document_id"]]
        assert text[record["start"]:record["end"]] == record["quote"]
        assert text[:record["start"]].endswith(record["prefix"])
        assert text[record["end"]:].startswith(record["suffix"])


def test_package_claims_against_package_documents(written: dict[str, Path]) -> None:
    folder = written["package"]
    texts = {d["id"]: d["text"] for d in read_jsonl(folder / "documents.jsonl")}
    records = read_jsonl(folder / "claims.jsonl")
    assert records
    for record in records:
        assert texts[record["document_id"]][record["start"]:record["end"]] == record["quote"]


def test_pandas_reads_jsonl_and_csv_with_exact_offsets(corpus: Corpus,
                                                       written: dict[str, Path]) -> None:
    pd = pytest.importorskip("pandas")
    texts = corpus.texts()
    from_jsonl = pd.read_json(written["claims.jsonl"], lines=True, dtype=False)
    from_csv = pd.read_csv(written["claims.csv"], encoding="utf-8-sig", dtype=str,
                           keep_default_na=False)
    assert list(from_csv.columns) == list(CLAIM_FIELDS)
    assert len(from_jsonl) == len(from_csv) == len(corpus.claims)
    for row, cells in zip(from_jsonl.itertuples(), from_csv.itertuples(), strict=True):
        quote = texts[row.document_id][row.start:row.end]
        assert quote == row.quote
        # The CSV holds the same text, neutralised only where a formula could start.
        expected = "'" + quote if quote.startswith(FORMULA) else quote
        assert cells.quote == expected
        assert (int(cells.start), int(cells.end)) == (row.start, row.end)


def test_w3c_selectors(corpus: Corpus, written: dict[str, Path]) -> None:
    texts = {f"urn:uuid:{doc_id}": text for doc_id, text in corpus.texts().items()}
    annotations = json.loads(written["claims.jsonld"].read_text(encoding="utf-8"))
    assert len(annotations) == len(corpus.claims)
    for annotation in annotations:
        target = annotation["target"]
        text = texts[target["source"]]
        quote, position = target["selector"]
        assert text[position["start"]:position["end"]] == quote["exact"]
        assert text[:position["start"]].endswith(quote["prefix"])
        assert text[position["end"]:].startswith(quote["suffix"])


def test_label_studio_regions(corpus: Corpus, written: dict[str, Path]) -> None:
    tasks = json.loads(written["tasks.json"].read_text(encoding="utf-8"))
    assert {task["data"]["document_id"] for task in tasks} == set(corpus.texts())
    regions = 0
    for task in tasks:
        text = task["data"]["text"]
        assert text == corpus.texts()[task["data"]["document_id"]]
        for annotation in task["annotations"]:
            for result in annotation["result"]:
                value = result["value"]
                if result["type"] == "labels":
                    assert text[value["start"]:value["end"]] == value["text"]
                    regions += 1
    assert regions == len(corpus.claims)


def _utf16_slice(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le")[2 * start:2 * end].decode("utf-16-le")


def test_doccano_counts_utf16_units_by_default(corpus: Corpus,
                                               written: dict[str, Path]) -> None:
    by_document = {}
    for claim in corpus.claims:
        by_document.setdefault(claim.document_id, []).append(claim.quote)
    moved = 0
    for line in read_jsonl(written["doccano.jsonl"]):
        assert line["offset_unit"] == "utf-16"
        text = line["text"]
        quotes = [_utf16_slice(text, start, end) for start, end, _ in line["label"]]
        assert sorted(quotes) == sorted(by_document.get(line["document_id"], []))
        for (start, end, _), quote in zip(line["label"], quotes, strict=True):
            code_start = text.index(quote) if text.count(quote) == 1 else None
            if code_start is not None and code_start != start:
                moved += 1
                assert len(text[:code_start].encode("utf-16-le")) // 2 == start
            assert end - start == len(quote.encode("utf-16-le")) // 2
    assert moved, "some spans follow an emoji, so UTF-16 offsets must differ"


def test_doccano_code_points_on_request(corpus: Corpus, written: dict[str, Path]) -> None:
    count = 0
    for line in read_jsonl(written["doccano-cp.jsonl"]):
        assert line["offset_unit"] == "codepoint"
        assert line["text"] == corpus.texts()[line["document_id"]]
        for start, end, _label in line["label"]:
            quote = line["text"][start:end]
            assert quote in {c.quote for c in corpus.claims}
            count += 1
    assert count == len(corpus.claims)


def test_zip_package_matches_the_folder(written: dict[str, Path]) -> None:
    import zipfile

    with zipfile.ZipFile(written["package.zip"]) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(f"package/{n}" for n in
                               ("README.md", "claims.jsonl", "codebook.json", "documents.jsonl",
                                "links.jsonl", "fever.jsonl"))
        for name in ("claims.jsonl", "documents.jsonl", "links.jsonl", "fever.jsonl"):
            assert archive.read(f"package/{name}") == (written["package"] / name).read_bytes()
