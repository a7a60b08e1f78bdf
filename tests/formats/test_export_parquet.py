"""Parquet: the CSV's columns, typed, read by pandas; a clear message when
pyarrow is missing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from annotator.formats.claims import CLAIM_FIELDS
from annotator.services import exports
from annotator.services.project import ProjectService
from tests.formats.export_corpus import Corpus, build_corpus, read_jsonl


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return build_corpus(tmp_path_factory.mktemp("parquet") / "corpus.annotator.sqlite")


def test_pandas_reads_the_csv_columns_with_types(corpus: Corpus, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    service = ProjectService.open(corpus.path)
    try:
        result = exports.export(service, "parquet", tmp_path / "claims.parquet")
        exports.export(service, "jsonl", tmp_path / "claims.jsonl")
    finally:
        service.close()
    assert result.claims == len(corpus.claims)
    table = pd.read_parquet(tmp_path / "claims.parquet")
    assert list(table.columns) == list(CLAIM_FIELDS)
    assert str(table["created_at"].dtype).startswith("datetime64[us, UTC]")
    texts = corpus.texts()
    records = read_jsonl(tmp_path / "claims.jsonl")
    for row, record in zip(table.to_dict("records"), records, strict=True):
        assert texts[row["document_id"]][row["start"]:row["end"]] == row["quote"]
        for field in CLAIM_FIELDS:
            value = row[field]
            if field in ("created_at", "updated_at"):
                assert value.strftime("%Y-%m-%dT%H:%M:%S.%fZ") == record[field]
            elif field == "tags":
                assert list(value) == record[field]
            elif record[field] is None:
                assert pd.isna(value)
            else:
                assert value == record[field], field
    # Pages are known for the documents that recorded page starts.
    assert table["page_start"].notna().any() and table["page_start"].isna().any()


def test_without_pyarrow_the_message_says_what_to_install(corpus: Corpus,
                                                          tmp_path: Path) -> None:
    script = ("import sys; sys.modules['pyarrow'] = None; sys.modules['pyarrow.parquet'] = None\n"
              "from annotator.cli.main import main\n"
              f"sys.exit(main(['export', '--project', {str(corpus.path)!r}, '--format', "
              f"'parquet', '-o', {str(tmp_path / 'x.parquet')!r}]))\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "pip install 'annotator[parquet]'" in result.stderr
    assert not (tmp_path / "x.parquet").exists()
    assert list(tmp_path.iterdir()) == []
