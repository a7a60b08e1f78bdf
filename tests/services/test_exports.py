"""Export orchestration on real project files: scope, record stream, atomic
writes, progress and cancel, previews, and the round trip through a dataset
package or JSONL exports into an empty project."""

from __future__ import annotations

import json
import tempfile
import zipfile
from pathlib import Path

import pytest

from annotator.domain.codebook import Dimension, Label, with_labels
from annotator.domain.model import Claim, Document
from annotator.formats.claims import RECORD_FIELDS, format_timestamp, page_span
from annotator.formats.export import package
from annotator.services import exports, packages
from annotator.services.codebook import CodebookService
from annotator.services.exports import (
    ExportCancelled,
    ExportError,
    ExportOptions,
    ExportScope,
    ScopeError,
)
from annotator.services.project import ProjectService
from tests.formats.export_corpus import CLAIMS, Corpus, build_corpus, read_jsonl


@pytest.fixture(scope="module")
def corpus(module_location: str | Path) -> Corpus:
    return build_corpus(module_location)


@pytest.fixture
def service(corpus: Corpus):  # type: ignore[no-untyped-def]
    service = ProjectService.open(corpus.path)
    yield service
    service.close()


def ids(records) -> list[str]:  # type: ignore[no-untyped-def]
    return [record["id"] for record in records]


def exported(service: ProjectService, scope: ExportScope | None = None) -> list[dict]:
    """The claim records a JSONL export of ``scope`` writes."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "claims.jsonl"
        exports.export(service, "jsonl", out, scope)
        return read_jsonl(out)


def reference_record(claim: Claim, sha256: str, title: str,
                     pages: list[int] | None = None) -> dict:
    """The canonical record of ``claim`` (read through the ORM as a domain object),
    field by field; the corpus has no review decisions or comments."""
    page_start, page_end = page_span(pages, claim.start, claim.end)
    return {
        "id": claim.id, "document_id": claim.document_id, "document_sha256": sha256,
        "document_title": title, "start": claim.start, "end": claim.end,
        "quote": claim.quote, "prefix": claim.prefix, "suffix": claim.suffix,
        "proposition": claim.proposition or None,
        "stance": str(claim.stance) if claim.stance else None,
        "source_reliability": claim.source_reliability,
        "info_credibility": claim.info_credibility, "note": claim.note,
        "tags": list(claim.tags), "annotator": claim.annotator,
        "created_at": format_timestamp(claim.created_at),
        "updated_at": format_timestamp(claim.updated_at),
        "claim_type": claim.claim_type, "claim_source": claim.source_name or None,
        "likelihood": claim.likelihood, "confidence": claim.confidence,
        "codebook_version": claim.codebook_version,
        "page_start": page_start, "page_end": page_end,
        "review_status": "unreviewed", "review_comments": [],
        "links": [], "cluster": claim.id, "dismissed": [],
    }


# The record stream -------------------------------------------------------------------

def test_records_are_the_canonical_records_in_the_same_order(service: ProjectService) -> None:
    records = exported(service)
    # Documents in the order they were imported, each one's claims in text order;
    # each claim read on its own (through the ORM, not the export's query).
    expected = [reference_record(service.claim(claim.id), info.sha256, info.title,
                                 service.document(info.id).metadata.get("pages"))
                for info in service.documents() for claim in service.claims(info.id)]
    assert ids(records) == ids(expected) and len(records) == len(CLAIMS)
    for record, wanted in zip(records, expected, strict=True):
        assert list(record) == list(RECORD_FIELDS)
        assert record == wanted
    paged = {r["document_title"] for r in records if r["page_start"] is not None}
    assert paged == {"Combining marks", "Windows memo"}     # the two with pages


def test_page_numbers_where_the_document_recorded_pages(service: ProjectService,
                                                        corpus: Corpus) -> None:
    crlf = corpus.documents["crlf"]
    middle = crlf.metadata["pages"][1]
    records = exported(service, ExportScope(documents=(crlf.id,)))
    assert records
    for record in records:
        assert record["page_start"] == (1 if record["start"] < middle else 2)
        assert record["page_end"] == (1 if record["end"] - 1 < middle else 2)
        assert record == reference_record(service.claim(record["id"]), crlf.sha256, crlf.title,
                                          crlf.metadata["pages"])


# Scope -------------------------------------------------------------------------------

def test_scope_by_document_id_or_sha256(service: ProjectService, corpus: Corpus) -> None:
    crlf, combining = corpus.documents["crlf"], corpus.documents["combining"]
    scope = ExportScope.of(documents=[crlf.id, combining.sha256])
    records = exported(service, scope)
    assert {r["document_id"] for r in records} == {crlf.id, combining.id}
    assert len(records) == sum(1 for name, *_ in CLAIMS if name in ("crlf", "combining"))
    assert exports.count(service, scope) == (len(records), 2, 2)


def test_scope_by_annotator_done_and_labels(service: ProjectService, corpus: Corpus) -> None:
    everything = exported(service)
    bob = exported(service, ExportScope.of(annotators=["bob"]))
    assert bob and ids(bob) == [r["id"] for r in everything if r["annotator"] == "bob"]

    done = exported(service, ExportScope(done_only=True))
    assert {r["document_id"] for r in done} == {corpus.documents["crlf"].id}

    scope = ExportScope.of(labels={"stance": ["supports", "refutes"]})
    kept = exported(service, scope)
    assert ids(kept) == [r["id"] for r in everything if r["stance"] in ("supports", "refutes")]

    scope = ExportScope.of(annotators=["alice"], done_only=True,
                           labels={Dimension.STANCE: ["supports", "refutes"],
                                   "info_credibility": [2, 6]})
    assert ids(exported(service, scope)) == [
        r["id"] for r in everything if r["annotator"] == "alice"
        and r["document_id"] == corpus.documents["crlf"].id
        and r["stance"] in ("supports", "refutes") and r["info_credibility"] in (2, 6)]
    assert "only documents marked done" in scope.describe()


@pytest.mark.parametrize(("scope", "message"), [
    (ExportScope(documents=("no-such-document",)), "no document 'no-such-document'"),
    (ExportScope(annotators=("carol",)), "no claims by 'carol'"),
    (ExportScope.of(labels={"stance": ["support"]}), "'support' is not in the codebook"),
    (ExportScope(gold_only=True), "adjudicated (gold)"),
])
def test_a_wrong_scope_is_refused_before_writing(service: ProjectService, tmp_path: Path,
                                                 scope: ExportScope, message: str) -> None:
    with pytest.raises(ScopeError, match=message.replace("(", r"\(").replace(")", r"\)")):
        exports.export(service, "jsonl", tmp_path / "out.jsonl", scope)
    assert list(tmp_path.iterdir()) == []


def test_unknown_dimension_and_format_are_errors() -> None:
    with pytest.raises(ScopeError, match="unknown label dimension"):
        ExportScope.of(labels={"colour": ["red"]})
    with pytest.raises(ExportError, match="unknown export format"):
        exports.normalise_format("xlsx")
    assert exports.normalise_format("Label_Studio") == "label-studio"


def test_annotators_are_listed_with_counts(service: ProjectService) -> None:
    counts = dict(exports.annotators(service))
    assert counts == {"alice": sum(1 for c in CLAIMS if c[3] == "alice"),
                      "bob": sum(1 for c in CLAIMS if c[3] == "bob")}


# Writing -----------------------------------------------------------------------------

def test_jsonl_and_csv_keep_the_codebook_beside_them(service: ProjectService,
                                                     tmp_path: Path) -> None:
    for fmt in ("jsonl", "csv"):
        result = exports.export(service, fmt, tmp_path / f"claims.{fmt}")
        assert result.files == [tmp_path / f"claims.{fmt}", tmp_path / "claims.codebook.json"]
        codebook = json.loads((tmp_path / "claims.codebook.json").read_text(encoding="utf-8"))
        assert codebook["format"] == "annotator-codebook"
        assert "maybe" in [label["key"] for label in codebook["dimensions"]["stance"]["labels"]]


def test_progress_reports_up_to_the_total(service: ProjectService, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    result = exports.export(service, "jsonl", tmp_path / "claims.jsonl",
                            progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, len(CLAIMS)) and calls[-1] == (len(CLAIMS), len(CLAIMS))
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert result.claims == len(CLAIMS)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "w3c", "doccano", "package", "package.zip"])
def test_a_cancelled_export_leaves_the_earlier_file(service: ProjectService, tmp_path: Path,
                                                    fmt: str) -> None:
    name = {"package": "dataset", "package.zip": "dataset.zip"}.get(fmt, f"out.{fmt}")
    fmt = fmt.removesuffix(".zip")
    target = tmp_path / name
    exports.export(service, fmt, target, ExportScope.of(annotators=["bob"]))
    before = _snapshot(target)
    polls = iter([False, True])
    with pytest.raises(ExportCancelled):
        exports.export(service, fmt, target, cancel=lambda: next(polls, True),
                       progress=lambda done, total: None)
    assert _snapshot(target) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def _snapshot(path: Path) -> dict[str, bytes]:
    if path.is_dir():
        return {child.name: child.read_bytes() for child in path.iterdir()}
    return {path.name: path.read_bytes()}


def test_a_package_never_replaces_a_folder_of_other_files(service: ProjectService,
                                                          tmp_path: Path) -> None:
    folder = tmp_path / "thesis"
    folder.mkdir()
    (folder / "chapter1.docx").write_bytes(b"precious")
    with pytest.raises(ExportError, match="holds other files"):
        exports.export(service, "package", folder)
    assert [p.name for p in folder.iterdir()] == ["chapter1.docx"]
    # An earlier package is replaced.
    exports.export(service, "package", tmp_path / "dataset", ExportScope.of(annotators=["bob"]))
    exports.export(service, "package", tmp_path / "dataset")
    assert len(read_jsonl(tmp_path / "dataset" / "claims.jsonl")) == len(CLAIMS)


def test_previews_show_the_first_records(service: ProjectService) -> None:
    for fmt in exports.EXPORT_FORMATS:
        text = exports.preview(service, fmt, limit=2)
        assert text.strip(), fmt
    assert len(exports.preview(service, "jsonl", limit=2).splitlines()) == 2
    assert exports.preview(service, "csv", limit=1).startswith("id,document_id,")
    assert json.loads(exports.preview(service, "w3c", limit=2))[0]["type"] == "Annotation"
    assert "characters)" in exports.preview(service, "label-studio")


# The data card -----------------------------------------------------------------------

def test_the_data_card_counts_labels_and_annotators(service: ProjectService,
                                                    tmp_path: Path) -> None:
    result = exports.export(service, "package", tmp_path / "dataset")
    card = (tmp_path / "dataset" / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\npretty_name:")
    assert "config_name: claims" in card and "data_files: claims.jsonl" in card
    claimed = len({c[0] for c in CLAIMS})       # documents with claims; the others are listed
    assert result.documents > claimed
    assert (f"{result.claims} claims in {claimed} documents, labelled with codebook version 2 "
            f"(documents.jsonl lists {result.documents}: those without claims too).") in card
    alice = sum(1 for c in CLAIMS if c[3] == "alice")
    assert f"| alice | {alice} |" in card
    supports = sum(1 for c in CLAIMS if c[4].get("stance") == "supports")
    assert f"| `supports` | Supports | {supports} |" in card
    assert "| `maybe` | Maybe | 1 |" in card
    assert "2 annotators (alice, bob)" in card
    assert "pd.read_json" in card and "load_dataset" in card
    assert "Annotator " in card and "Windows memo" in card


# Round trips ---------------------------------------------------------------------------

def _export_all(service: ProjectService, folder: Path) -> tuple[list[dict], list[dict]]:
    exports.export(service, "jsonl", folder / "claims.jsonl")
    exports.export(service, "documents", folder / "documents.jsonl")
    return read_jsonl(folder / "claims.jsonl"), read_jsonl(folder / "documents.jsonl")


@pytest.mark.parametrize("form", ["folder", "zip"])
def test_a_package_imports_into_an_empty_project_exactly(service: ProjectService,
                                                         tmp_path: Path, form: str,
                                                         project_location: str | Path,
                                                         ) -> None:
    target = tmp_path / ("dataset.zip" if form == "zip" else "dataset")
    exports.export(service, "package", target)
    (tmp_path / "before").mkdir()
    original = _export_all(service, tmp_path / "before")
    fresh = ProjectService.open(project_location, create=True)
    try:
        report = packages.import_package(fresh, target)
        assert report.problems == []
        assert report.codebook_adopted
        assert (report.documents_added, report.claims_added) == (len(original[1]),
                                                                 len(original[0]))
        (tmp_path / "after").mkdir()
        assert _export_all(fresh, tmp_path / "after") == original
        assert CodebookService(fresh.database).codebook().labels == \
            CodebookService(service.database).codebook().labels
        assert {s.source.name for s in fresh.sources()} == {"Reuters"}
        again = packages.import_package(fresh, target)
        assert (again.documents_added, again.claims_added, again.claims_unchanged) == (
            0, 0, len(original[0]))
        assert again.problems == []
    finally:
        fresh.close()


def test_jsonl_exports_import_into_an_empty_project_exactly(service: ProjectService,
                                                            tmp_path: Path,
                                                            project_location: str | Path,
                                                            ) -> None:
    claims, documents = _export_all(service, tmp_path)
    fresh = ProjectService.open(project_location, create=True)
    try:
        assert packages.jsonl_kind(tmp_path / "documents.jsonl") == "documents"
        assert packages.jsonl_kind(tmp_path / "claims.jsonl") == "claims"
        first = packages.import_documents_jsonl(fresh, tmp_path / "documents.jsonl")
        second = packages.import_claims_jsonl(fresh, tmp_path / "claims.jsonl")
        assert first.problems == second.problems == []
        (tmp_path / "again").mkdir()
        assert _export_all(fresh, tmp_path / "again") == (claims, documents)
    finally:
        fresh.close()


def test_a_project_with_claims_gains_only_the_labels_it_needs(corpus: Corpus,
                                                               service: ProjectService,
                                                               tmp_path: Path,
                                                               project_location: str | Path,
                                                               ) -> None:
    exports.export(service, "package", tmp_path / "dataset")
    other = ProjectService.open(project_location, create=True)
    try:
        books = CodebookService(other.database)
        codebook = books.codebook()
        books.apply(with_labels(codebook, Dimension.STANCE, [
            *codebook.of(Dimension.STANCE),
            Label(Dimension.STANCE, "ours", "Ours", "", "#ABCDEF", "m")]), "Add ours")
        document = other.add_document(Document.from_text("Another text.", title="x")).document
        other.add_claim(Claim.new(document, 0, 7, annotator="zoe", stance="ours"))
        with pytest.raises(packages.UnmappedLabels, match="stance “maybe” \\(Maybe\\)"):
            packages.import_package(other, tmp_path / "dataset")
        assert other.claim_count() == 1          # refused before anything was written
        report = packages.import_package(other, tmp_path / "dataset", add_new_labels=True)
        assert report.problems == [] and not report.codebook_adopted
        assert report.labels_added == ["stance: maybe"]
        stance = CodebookService(other.database).codebook().of(Dimension.STANCE)
        assert [label.key for label in stance][-2:] == ["ours", "maybe"]
        assert stance[-1].shortcut == ""          # "m" was taken by "ours"
        assert report.claims_added == len(CLAIMS)
    finally:
        other.close()


def test_bad_records_are_reported_by_file_and_line(service: ProjectService,
                                                   tmp_path: Path) -> None:
    exports.export(service, "package", tmp_path / "dataset")
    claims_file = tmp_path / "dataset" / "claims.jsonl"
    lines = claims_file.read_text(encoding="utf-8").splitlines()
    claimed = {json.loads(line)["document_id"] for line in lines}
    broken = json.loads(lines[1])
    broken["quote"] += "!"
    lines[1] = json.dumps(broken, ensure_ascii=False)
    lines[2] = "{not json"
    claims_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    documents_file = tmp_path / "dataset" / "documents.jsonl"
    doc_lines = documents_file.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(doc_lines) if json.loads(line)["id"] not in claimed)
    changed = json.loads(doc_lines[number])
    changed["text"] += " (edited)"
    doc_lines[number] = json.dumps(changed, ensure_ascii=False)
    documents_file.write_text("\n".join(doc_lines) + "\n", encoding="utf-8")

    fresh = ProjectService.open(tmp_path / "fresh.annotator.sqlite", create=True)
    try:
        report = packages.import_package(fresh, tmp_path / "dataset")
    finally:
        fresh.close()
    where = {(Path(p.path).name, p.line): p.reason for p in report.problems}
    assert "sha256 does not match" in where[("documents.jsonl", number + 1)]
    assert "quote does not match" in where[("claims.jsonl", 2)]
    assert ("claims.jsonl", 3) in where
    assert len(report.problems) == 3
    assert report.claims_added == len(CLAIMS) - 2


def test_document_versions_keep_their_link(tmp_path: Path,
                                          project_location: str | Path) -> None:
    project = ProjectService.open(project_location, create=True)
    try:
        first = project.add_document(Document.from_text("Version one of the text.",
                                                         title="v", origin="/x/v.txt")).document
        project.add_claim(Claim.new(first, 0, 7, annotator="a"))
        second = project.add_version(first.id, Document.from_text(
            "Version two of the text.", title="v", origin="/x/v.txt")).document
        exports.export(project, "package", tmp_path / "dataset.zip")
        exports.export(project, "package", tmp_path / "paths.zip",
                       options=ExportOptions(include_paths=True))
    finally:
        project.close()
    with zipfile.ZipFile(tmp_path / "dataset.zip") as archive:
        assert "dataset/README.md" in archive.namelist()
    # By default the package names the file a document came from, not its folders.
    for name, origin in (("dataset.zip", "v.txt"), ("paths.zip", "/x/v.txt")):
        fresh = ProjectService.open(tmp_path / f"fresh-{name}.annotator.sqlite", create=True)
        try:
            report = packages.import_package(fresh, tmp_path / name)
            assert report.problems == []
            infos = {info.id: info for info in fresh.documents()}
            assert infos[second.id].previous_id == first.id and infos[first.id].superseded
            assert fresh.document(second.id).origin == origin
        finally:
            fresh.close()


def test_is_package_recognises_folders_and_zips(service: ProjectService,
                                                tmp_path: Path) -> None:
    exports.export(service, "package", tmp_path / "dataset")
    exports.export(service, "package", tmp_path / "dataset.zip")
    assert package.is_package(tmp_path / "dataset")
    assert package.is_package(tmp_path / "dataset.zip")
    assert not package.is_package(tmp_path)
    (tmp_path / "other.zip").write_bytes(b"PK not really")
    assert not package.is_package(tmp_path / "other.zip")


def test_records_keep_the_codebook_version_of_each_claim(service: ProjectService) -> None:
    records = exported(service)
    assert {r["codebook_version"] for r in records} == {2}
    assert CodebookService(service.database).codebook().version == 2


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["jsonl", "csv", "package", "label-studio"])
def test_memory_stays_flat_as_the_project_grows(tmp_path: Path, fmt: str) -> None:
    """Peak Python allocations exporting 20 documents' claims are about those of
    2 documents' (same claims per document): nothing holds all the claims."""
    import tracemalloc

    from tests.bench.exports import build_project

    build_project(tmp_path / "big.annotator.sqlite", claims=20_000, documents=20)
    big = ProjectService.open(tmp_path / "big.annotator.sqlite")
    try:
        ids = [info.id for info in big.documents()]
        peaks = []
        for scope in (ExportScope(documents=tuple(ids[:2])), ExportScope()):
            tracemalloc.start()
            result = exports.export(big, fmt, tmp_path / f"out-{len(peaks)}", scope)
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
        assert result.claims == 20_000
    finally:
        big.close()
    assert peaks[1] < peaks[0] * 1.5 + 1_000_000, peaks


def test_values_longer_than_a_project_holds_are_refused_on_every_backend(
        service: ProjectService, tmp_path: Path, project_location: str | Path) -> None:
    """A team server refuses a value longer than its column; SQLite would store it.
    The import refuses such a record on both, naming the field, and goes on."""
    claims, documents = _export_all(service, tmp_path)
    documents[-1]["published"] = "x" * 65
    elsewhere = [i for i, c in enumerate(claims) if c["document_id"] != documents[-1]["id"]]
    claims[elsewhere[0]]["annotator"] = "a" * 201
    claims[elsewhere[1]]["claim_source"] = "s" * 301
    for name, records in (("documents.jsonl", documents), ("claims.jsonl", claims)):
        (tmp_path / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                             for r in records), encoding="utf-8")
    fresh = ProjectService.open(project_location, create=True)
    try:
        first = packages.import_documents_jsonl(fresh, tmp_path / "documents.jsonl")
        second = packages.import_claims_jsonl(fresh, tmp_path / "claims.jsonl")
    finally:
        fresh.close()
    assert [(p.line, p.reason) for p in first.problems] == [
        (len(documents), "published is longer than 64 characters")]
    assert first.documents_added == len(documents) - 1
    reasons = {p.line: p.reason for p in second.problems}
    assert reasons.pop(elsewhere[0] + 1) == "annotator is longer than 200 characters"
    assert reasons.pop(elsewhere[1] + 1) == "claim_source is longer than 300 characters"
    # The rest refused are the claims on the refused document.
    assert set(reasons) == {i + 1 for i, c in enumerate(claims)
                            if c["document_id"] == documents[-1]["id"]}
    assert all("not in this project" in reason for reason in reasons.values())
    assert second.claims_added == len(claims) - 2 - len(reasons)
