"""Helpers for the tests of what every export checks at the door: targets that
are projects, claims whose stored quote is not their text, local paths.

Used by ``tests/services/test_export_safety.py``, ``tests/cli/test_cli_export_safety.py``
and ``tests/ui/test_export_safety_ui.py``.
"""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

from annotator.services.exports import FORMATS
from annotator.services.project import ProjectService

#: Every export format, and the file name each is written to in these tests.
OUT_NAMES = {"jsonl": "out.jsonl", "csv": "out.csv", "w3c": "out.jsonld",
             "label-studio": "out.json", "doccano": "out.jsonl", "parquet": "out.parquet",
             "package": "out", "documents": "out.jsonl", "brat": "out.zip",
             "spacy": "out.spacy", "claimreview": "out.jsonld", "inception": "out.zip",
             "refi-qda": "out.qdpx"}
assert set(OUT_NAMES) == set(FORMATS)
CLAIM_FORMATS = tuple(name for name, info in FORMATS.items() if info.claims)


def copy_project(source: Path, folder: Path, name: str = "project.annotator.sqlite") -> Path:
    """A copy of a closed project (one file: closing checkpoints the log)."""
    folder.mkdir(parents=True, exist_ok=True)
    assert not Path(f"{source}-wal").exists()
    return Path(shutil.copyfile(source, folder / name))


def tamper(project: Path, claim_id: str, quote: str, table: str = "claims") -> None:
    """Change a claim's stored quote behind the app's back (a plain sqlite3 UPDATE)."""
    connection = sqlite3.connect(project)
    try:
        with connection:
            changed = connection.execute(f"UPDATE {table} SET quote = ? WHERE id = ?",
                                         (quote, claim_id)).rowcount
        assert changed == 1
    finally:
        connection.close()


def protected_targets(project: Path, folder: Path) -> dict[str, Path]:
    """Export targets that must all be refused: the project, its SQLite side
    files (existing or not), a symlink to it and another project."""
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / "link-to-project.jsonl"
    link.symlink_to(project)
    other = folder / "colleague.db"
    shutil.copyfile(project, other)
    return {"project": project, "-wal": Path(f"{project}-wal"),
            "-shm": Path(f"{project}-shm"), "-journal": Path(f"{project}-journal"),
            "symlink": link, "other database": other}


def claim_count(project: Path) -> int:
    """The project opens and holds this many claims."""
    service = ProjectService.open(project)
    try:
        return sum(info.claim_count for info in service.documents())
    finally:
        service.close()


def _members(path: Path) -> list[tuple[str, bytes]]:
    if path.is_dir():
        return [(child.name, child.read_bytes()) for child in sorted(path.iterdir())]
    if path.suffix in (".zip", ".qdpx"):
        with zipfile.ZipFile(path) as archive:
            return [(Path(name).name, archive.read(name)) for name in archive.namelist()]
    return [(path.name, path.read_bytes())]


def exported_text(path: Path) -> str:
    """Everything an export holds, decompressed: every file of a folder or zip,
    every value and the metadata of a Parquet file."""
    if path.suffix == ".spacy":
        from spacy.tokens import DocBin
        from spacy.vocab import Vocab

        docs = DocBin().from_disk(path).get_docs(Vocab())
        return json.dumps([[doc.text, doc.user_data] for doc in docs], ensure_ascii=False,
                          default=str)
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        return json.dumps([table.to_pylist(), str(table.schema.metadata)], ensure_ascii=False,
                          default=str)
    return "\n".join(data.decode("utf-8-sig") for _name, data in _members(path))


def exported_claims(fmt: str, path: Path) -> list[str]:
    """The claims an export holds: their ids (doccano, which has no ids:
    ``document_id:start:end`` of every span, in code points)."""
    if fmt in ("jsonl", "package"):
        members = dict(_members(path))
        data = members["claims.jsonl"] if fmt == "package" else members[path.name]
        return [json.loads(line)["id"] for line in data.decode("utf-8").splitlines() if line]
    if fmt == "csv":
        text = path.read_text(encoding="utf-8-sig")
        return [row["id"] for row in csv.DictReader(text.splitlines())]
    if fmt == "w3c":
        return [item["id"].removeprefix("urn:uuid:")
                for item in json.loads(path.read_text(encoding="utf-8"))]
    if fmt == "label-studio":
        return [result["id"] for task in json.loads(path.read_text(encoding="utf-8"))
                for annotation in task["annotations"] for result in annotation["result"]
                if result["type"] == "labels"]
    if fmt == "doccano":
        lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        assert all(line["offset_unit"] == "codepoint" for line in lines)
        return [f"{line['document_id']}:{start}:{end}" for line in lines
                for start, end, _label in line["label"]]
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return [str(value) for value in pq.read_table(path).column("id").to_pylist()]
    if fmt == "brat":       # no ids: document_id:start:end, first to last fragment
        found = []
        for name, data in _members(path):
            for line in data.decode("utf-8").splitlines():
                if name.endswith(".ann") and line.startswith("T"):
                    spans = line.split("\t")[1].split(" ", 1)[1].split(";")
                    found.append(f"{name[:-4]}:{spans[0].split()[0]}:{spans[-1].split()[1]}")
        return found
    if fmt == "spacy":
        from spacy.tokens import DocBin
        from spacy.vocab import Vocab

        return [span.id_ for doc in DocBin().from_disk(path).get_docs(Vocab())
                for span in doc.spans["claims"]]
    if fmt == "claimreview":
        return [node["itemReviewed"]["identifier"]
                for node in json.loads(path.read_text(encoding="utf-8"))["@graph"]]
    if fmt in ("inception", "refi-qda"):
        from lxml import etree

        tag, key = ("{*}Claim", "claim_id") if fmt == "inception" else (
            "{*}PlainTextSelection", "guid")
        return [element.get(key) for name, data in _members(path)
                if name.endswith((".xmi", ".qde"))
                for element in etree.fromstring(data).iter(tag)]
    raise AssertionError(f"{fmt} holds no claims")
