"""The CSV export opens correctly in spreadsheets (UTF-8 with a BOM unless
asked not to, RFC 4180 quoting: commas, quotes and line breaks intact) and is
safe against formula injection (OWASP: cells starting with ``=``, ``+``, ``-``,
``@``, tab or carriage return get a leading ``'``); pandas reads it back."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import pytest

from annotator.formats.claims import CLAIM_FIELDS, CSV_TAG_SEPARATOR
from annotator.services import exports
from annotator.services.exports import ExportOptions, write_csv
from annotator.services.project import ProjectService
from tests.formats.export_corpus import FORMULA_NOTE, FORMULA_STARTS, Corpus, build_corpus
from tests.formats.export_corpus import read_jsonl as read_records

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return build_corpus(tmp_path_factory.mktemp("csv") / "corpus.annotator.sqlite")


@pytest.fixture(scope="module")
def files(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("csv-out")
    service = ProjectService.open(corpus.path)
    try:
        exports.export(service, "csv", folder / "bom.csv")
        exports.export(service, "csv", folder / "plain.csv", options=ExportOptions(bom=False))
        exports.export(service, "jsonl", folder / "claims.jsonl")
    finally:
        service.close()
    return {"bom": folder / "bom.csv", "plain": folder / "plain.csv",
            "jsonl": folder / "claims.jsonl"}


def test_bom_by_default_and_not_when_asked(files: dict[str, Path]) -> None:
    bom, plain = files["bom"].read_bytes(), files["plain"].read_bytes()
    assert bom.startswith(codecs.BOM_UTF8)
    assert not plain.startswith(codecs.BOM_UTF8)
    assert bom[len(codecs.BOM_UTF8):] == plain
    plain.decode("utf-8")                 # valid UTF-8 throughout
    assert plain.startswith(b"id,document_id,")
    assert b"\r\n" in plain               # RFC 4180 line ends


def test_no_cell_can_start_a_formula(files: dict[str, Path]) -> None:
    with files["plain"].open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(CLAIM_FIELDS)
    neutralised = 0
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(DANGEROUS), cell
            neutralised += cell.startswith("'") and cell[1:].startswith(DANGEROUS)
    assert neutralised >= len(FORMULA_STARTS) + 1


def test_pandas_reads_every_value_back(files: dict[str, Path]) -> None:
    pd = pytest.importorskip("pandas")
    records = {r["id"]: r for r in read_records(files["jsonl"])}
    for name in ("bom", "plain"):
        table = pd.read_csv(files[name], encoding="utf-8-sig", dtype=str,
                            keep_default_na=False)
        assert list(table.columns) == list(CLAIM_FIELDS)
        assert list(table["id"]) == list(records)
        for row in table.to_dict("records"):
            record = records[row["id"]]
            for field in CLAIM_FIELDS:
                value = record[field]
                if value is None:
                    expected = ""
                elif isinstance(value, list):
                    expected = CSV_TAG_SEPARATOR.join(value)
                else:
                    expected = str(value)
                if expected.startswith(DANGEROUS):
                    expected = "'" + expected
                assert row[field] == expected, (field, row[field], expected)
    notes = set(pd.read_csv(files["bom"], encoding="utf-8-sig", dtype=str,
                            keep_default_na=False)["note"])
    assert "'" + FORMULA_NOTE in notes
    for start in FORMULA_STARTS:
        assert "'" + start in notes
    assert "Founder's name.\nSecond line" in notes       # line breaks intact


def test_quotes_commas_and_line_breaks_survive() -> None:
    records = [{"id": "1", "quote": 'He said, "no"\r\nthen left', "note": "a\nb",
                "tags": ["x", "y"], "start": 0, "end": 3, "info_credibility": None}]
    buffer = io.StringIO(newline="")
    assert write_csv(buffer, records, fields=("id", "quote", "note", "tags", "start", "end",
                                              "info_credibility")) == 1
    rows = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    assert rows[1] == ["1", 'He said, "no"\r\nthen left', "a\nb", "x; y", "0", "3", ""]


@pytest.mark.parametrize("value", ["=cmd|' /C calc'!A0", "+1", "-1", "@A1", "\t=1", "\r=1"])
def test_each_dangerous_start_is_neutralised(value: str) -> None:
    buffer = io.StringIO(newline="")
    write_csv(buffer, [{"note": value, "tags": [value]}], fields=("note", "tags"))
    rows = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    assert rows[1] == ["'" + value, "'" + value]
