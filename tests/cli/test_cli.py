"""The ``annotator`` command line, driven as a user would: ``python -m annotator``."""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import os
import random
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from annotator.domain.labels import Stance
from annotator.domain.model import Claim
from annotator.formats.claims import CLAIM_FIELDS, CSV_TAG_SEPARATOR, RECORD_FIELDS
from annotator.paths import seeds_dir
from annotator.services.project import ProjectService
from annotator.services.transfer import FileStatus, import_files

MERICS = "merics-deepseek-us-china-ai-race.txt"
BLOG = "deep-seek-hedge-fund-blog.txt"
FORMULA_NOTE = '=HYPERLINK("http://example.invalid","click")'
MULTILINE_NOTE = "Founder's name.\nSecond line, with a comma"


def seed_paths() -> list[Path]:
    manifest = json.loads((seeds_dir() / "manifest.json").read_text(encoding="utf-8"))
    return [seeds_dir() / entry["file"] for entry in manifest["documents"]]


def seed_text(name: str) -> str:
    return (seeds_dir() / name).read_bytes().decode("utf-8")


def annotator(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "annotator", *map(str, args)],
        cwd=cwd, capture_output=True, text=True, encoding="utf-8", timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def stderr_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def span_of(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


# (seed file, quote) of the claims the fixture makes, with their labels.
CLAIMS = [
    (MERICS, "深度求素", dict(proposition="DeepSeek is a Chinese company",
                              stance=Stance.SUPPORTS, source_reliability="B",
                              info_credibility=2, tags=("cjk", "name"), note=FORMULA_NOTE)),
    (MERICS, "梁文锋", dict(proposition="DeepSeek is a Chinese company",
                            stance=Stance.NEUTRAL, note=MULTILINE_NOTE)),
    (MERICS, "深度求素 in \n\nMandarin)", dict(note="quote spans a blank line")),
    (BLOG, "👇", dict(stance=Stance.UNCLEAR, tags=("emoji",))),
    (BLOG, "screenshoted below 👇) - ", dict(proposition="Western media mocked China",
                                            info_credibility=6, source_reliability="F")),
]


@pytest.fixture(scope="module")
def work(tmp_path_factory, module_location):
    """A project made by ``annotator import`` (seeds plus two bad files), with claims
    added through ProjectService, exported as jsonl, csv and documents."""
    root = tmp_path_factory.mktemp("cli")
    empty = root / "empty.txt"
    empty.write_bytes(b"")
    binary = root / "binary.txt"
    rng = random.Random(3)
    binary.write_bytes(bytes(rng.randrange(256) for _ in range(2048)) + b"\x00" * 16)
    project = module_location      # a SQLite file, or a PostgreSQL URL

    # --reflow off: these tests check offsets against the seed files byte for byte.
    first_import = annotator("import", "--project", project, "--reflow", "off", *seed_paths(),
                             empty, binary, cwd=root)
    # Exit code 1: the seeds imported, the two bad files refused; anything else (a
    # crash, a usage error, nothing refused) is no base for the tests that follow.
    assert first_import.returncode == 1, first_import.stderr
    assert "Traceback" not in first_import.stderr
    imported = [line for line in first_import.stdout.splitlines() if line.startswith("imported:")]
    assert len(imported) == len(seed_paths()), first_import.stdout

    service = ProjectService.open(project)
    claims = []
    try:
        for name, quote, labels in CLAIMS:
            text = seed_text(name)
            document = service.document_by_sha256(hashlib.sha256(text.encode()).hexdigest())
            assert document is not None, name
            start, end = span_of(text, quote)
            claim = Claim.new(document, start, end, annotator="cli-test", **labels)
            claims.append(service.add_claim(claim))
    finally:
        service.close()

    exports = {}
    for fmt, name in (("jsonl", "claims.jsonl"), ("csv", "claims.csv"),
                      ("documents", "documents.jsonl")):
        result = annotator("export", "--project", project, "--format", fmt, "-o", name,
                           cwd=root)
        assert result.returncode == 0, result.stderr
        exports[fmt] = root / name
    return {"root": root, "project": project, "empty": empty, "binary": binary,
            "first_import": first_import, "claims": claims, **exports}


def test_import_keeps_good_files_and_names_bad_ones(work):
    result = work["first_import"]
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    problems = stderr_lines(result)
    assert len(problems) == 2
    (empty_line,) = [line for line in problems if str(work["empty"]) in line]
    (binary_line,) = [line for line in problems if str(work["binary"]) in line]
    assert "empty" in empty_line.split(str(work["empty"]), 1)[1]
    assert "binary" in binary_line
    for seed in seed_paths():
        assert str(seed) in result.stdout
        assert str(seed) not in result.stderr

    documents = read_jsonl(work["documents"])
    assert sorted(d["text"] for d in documents) == sorted(
        path.read_bytes().decode("utf-8") for path in seed_paths())
    for record in documents:
        assert record["sha256"] == hashlib.sha256(record["text"].encode()).hexdigest()


def test_importing_the_same_files_again_adds_nothing(work):
    before = {d["id"] for d in read_jsonl(work["documents"])}
    result = annotator("import", "--project", work["project"], "--reflow", "off", *seed_paths(),
                       cwd=work["root"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("duplicate") == len(seed_paths())
    assert "imported:" not in result.stdout
    service = ProjectService.open(work["project"])
    try:
        assert {info.id for info in service.documents()} == before
    finally:
        service.close()


def test_exported_quotes_match_the_exported_texts(work):
    texts = {d["id"]: d["text"] for d in read_jsonl(work["documents"])}
    shas = {d["id"]: d["sha256"] for d in read_jsonl(work["documents"])}
    records = read_jsonl(work["jsonl"])
    assert len(records) == len(CLAIMS)
    for record in records:
        assert list(record) == list(RECORD_FIELDS)
        text = texts[record["document_id"]]
        assert text[record["start"]:record["end"]] == record["quote"]
        assert record["document_sha256"] == shas[record["document_id"]]


def test_cjk_and_emoji_offsets_are_code_points(work):
    by_quote = {r["quote"]: r for r in read_jsonl(work["jsonl"])}
    for name, quote, labels in CLAIMS:
        record = by_quote[quote]
        assert (record["start"], record["end"]) == span_of(seed_text(name), quote)
        assert record["proposition"] == labels.get("proposition")
        stance = labels.get("stance")
        assert record["stance"] == (stance.value if stance else None)
        assert record["tags"] == list(labels.get("tags", ()))
    assert by_quote["👇"]["end"] - by_quote["👇"]["start"] == 1
    # Written as UTF-8, not \\u escapes.
    raw = work["jsonl"].read_bytes()
    assert "深度求素".encode() in raw and "👇".encode() in raw


def test_jsonl_round_trips_through_a_fresh_project(work, tmp_path, project_location):
    fresh = project_location
    assert annotator("import", "--project", fresh, "--reflow", "off", *seed_paths(),
                     cwd=tmp_path).returncode == 0

    result = annotator("import-annotations", "--project", fresh, work["jsonl"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert annotator("export", "--project", fresh, "-o", "again.jsonl",
                     cwd=tmp_path).returncode == 0
    original = read_jsonl(work["jsonl"])
    assert read_jsonl(tmp_path / "again.jsonl") == original

    # Importing the same file again adds nothing and changes nothing.
    result = annotator("import-annotations", "--project", fresh, work["jsonl"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert annotator("export", "--project", fresh, "-o", "third.jsonl",
                     cwd=tmp_path).returncode == 0
    assert read_jsonl(tmp_path / "third.jsonl") == original


def test_bad_records_are_reported_by_line_and_the_rest_imported(work, tmp_path,
                                                                project_location):
    records = read_jsonl(work["jsonl"])
    wrong_quote = dict(records[1], quote=records[1]["quote"] + "!")
    orphan = dict(records[2], id=str(uuid.uuid4()), document_id=str(uuid.uuid4()),
                  document_sha256=hashlib.sha256(b"not in the project").hexdigest())
    lines = [json.dumps(records[0], ensure_ascii=False), '{"id": "broken", ',
             json.dumps(wrong_quote, ensure_ascii=False), json.dumps(orphan),
             json.dumps(records[3], ensure_ascii=False)]
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")

    fresh = project_location
    service = ProjectService.open(fresh, create=True)
    try:
        report = import_files(service, seed_paths())
    finally:
        service.close()
    assert report.count(FileStatus.IMPORTED) == len(seed_paths()), report.summary()

    result = annotator("import-annotations", "--project", fresh, bad, cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    problems = stderr_lines(result)
    assert len(problems) == 3
    by_line = {number: [p for p in problems if f"{bad}:{number}:" in p] for number in range(1, 6)}
    assert [n for n, found in by_line.items() if found] == [2, 3, 4]
    assert "quote does not match" in by_line[3][0]
    assert "not in this project" in by_line[4][0]

    service = ProjectService.open(fresh)
    try:
        assert service.claim_count() == 2
        for record in (records[0], records[3]):
            assert service.claim(record["id"]).quote == record["quote"]
    finally:
        service.close()


def test_unknown_project_is_a_one_line_error(work, tmp_path):
    missing = tmp_path / "no-such.annotator.sqlite"
    result = annotator("export", "--project", missing, "-o", "out.jsonl", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(stderr_lines(result)) == 1
    assert str(missing) in result.stderr
    assert not missing.exists() and not (tmp_path / "out.jsonl").exists()


def test_export_to_a_missing_folder_is_an_error(work):
    out = work["root"] / "no" / "such" / "folder" / "out.jsonl"
    result = annotator("export", "--project", work["project"], "-o", out, cwd=work["root"])
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(stderr_lines(result)) == 1
    assert "does not exist" in result.stderr
    assert not out.parent.exists()


def test_csv_export(work):
    raw = work["csv"].read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    with work["csv"].open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(CLAIM_FIELDS)
    table = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    records = {r["id"]: r for r in read_jsonl(work["jsonl"])}
    assert [row["id"] for row in table] == list(records)

    for row in table:
        record = records[row["id"]]
        assert row["quote"] == record["quote"]          # newlines survive
        assert (row["start"], row["end"]) == (str(record["start"]), str(record["end"]))
        assert row["tags"] == CSV_TAG_SEPARATOR.join(record["tags"])
        assert row["stance"] == (record["stance"] or "")
        assert row["info_credibility"] == ("" if record["info_credibility"] is None
                                           else str(record["info_credibility"]))
    by_quote = {row["quote"]: row for row in table}
    assert "\n\n" in by_quote["深度求素 in \n\nMandarin)"]["quote"]
    assert by_quote["深度求素"]["note"] == "'" + FORMULA_NOTE
    assert by_quote["梁文锋"]["note"] == MULTILINE_NOTE
