"""Claim links, clusters and dismissed passages travel: in the claim records of a
JSONL export, in a dataset package (with links.jsonl and fever.jsonl), and back
into a fresh project, on both backends, offsets exact."""

from __future__ import annotations

import json
import uuid
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from annotator.domain.model import Claim, Document
from annotator.formats.export import package
from annotator.services import exports, links, packages, transfer
from annotator.services.export_scope import ExportScope
from annotator.services.project import ProjectService
from annotator.storage.models import CandidateDismissalRow
from tests.formats.export_corpus import read_jsonl

#: Two documents with characters outside the BMP, CJK and a CRLF, so that code
#: points, UTF-16 units and bytes all differ before the spans.
FIRST = "Report 👇: 深度 lost $600 billion in one day.\r\nAnalysts 🧐 doubt the figure."
SECOND = "Elsewhere 📉 the loss was put at $589 billion; others said $600 billion."
MOMENT = datetime(2026, 5, 4, 8, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture
def fresh_location(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str | Path:
    """A second, empty project on the same backend."""
    if backend == "sqlite":
        return tmp_path / "fresh.annotator.sqlite"
    server = request.getfixturevalue("postgres")
    name, url = server.create_schema()
    request.addfinalizer(lambda: server.drop_schema(name))
    return url


def _claim(service: ProjectService, document: Document, quote: str, analyst: str,
           occurrence: int = 0) -> Claim:
    start = -1
    for _ in range(occurrence + 1):
        start = document.text.index(quote, start + 1)
    return service.add_claim(Claim.new(document, start, start + len(quote), annotator=analyst,
                                       proposition="DeepSeek's launch cost Nvidia $600bn"))


def _dismiss(service: ProjectService, claim: Claim, document: Document, quote: str) -> None:
    """A dismissed candidate passage (no service writes these yet: the row itself)."""
    start = document.text.index(quote)
    with service.database.writing() as session:
        session.add(CandidateDismissalRow(id=str(uuid.uuid4()), claim_id=claim.id,
                                          document_id=document.id, start=start,
                                          end=start + len(quote), analyst="ann",
                                          created_at=MOMENT))


@pytest.fixture
def linked(project_location: str | Path) -> str | Path:
    """A project with two documents, four claims, three links (one cluster of
    three ``same`` claims, evidence that supports and refutes) and two dismissals."""
    service = ProjectService.open(project_location, create=True)
    try:
        first = service.add_document(Document.from_text(FIRST, title="Report")).document
        second = service.add_document(Document.from_text(SECOND, title="Elsewhere")).document
        loss = _claim(service, first, "深度 lost $600 billion", "ann")
        doubt = _claim(service, first, "Analysts 🧐 doubt the figure", "bob")
        lower = _claim(service, second, "$589 billion", "ann")
        same = _claim(service, second, "$600 billion", "bob")
        links.add_link(service, loss.id, same.id, "same", analyst="ann", created_at=MOMENT)
        links.add_link(service, same.id, lower.id, "same", analyst="bob", created_at=MOMENT)
        links.add_link(service, loss.id, doubt.id, "refutes", analyst="bob", created_at=MOMENT)
        links.add_link(service, doubt.id, lower.id, "supports", analyst="ann")
        _dismiss(service, loss, second, "Elsewhere 📉")
        _dismiss(service, lower, first, "Report 👇")
    finally:
        service.close()
    return project_location


def _state(service: ProjectService) -> tuple[set, set]:
    found = {(link.id, link.claim_id, link.target_id, link.relation, link.analyst,
              link.created_at) for link in links.all_links(service)}
    with service.database.reading() as session:
        dismissed = {(row.claim_id, row.document_id, row.start, row.end, row.analyst,
                      row.created_at) for row in session.scalars(select(CandidateDismissalRow))}
    return found, dismissed


def _records(service: ProjectService, out: Path) -> dict[str, dict]:
    exports.export(service, "jsonl", out)
    return {record["id"]: record for record in read_jsonl(out)}


def test_records_carry_links_cluster_and_dismissed_passages(linked: str | Path,
                                                            tmp_path: Path) -> None:
    service = ProjectService.open(linked)
    try:
        records = _records(service, tmp_path / "claims.jsonl")
        texts = {info.id: service.document(info.id).text for info in service.documents()}
    finally:
        service.close()
    by_quote = {record["quote"]: record for record in records.values()}
    loss, doubt = by_quote["深度 lost $600 billion"], by_quote["Analysts 🧐 doubt the figure"]
    lower, same = by_quote["$589 billion"], by_quote["$600 billion"]
    cluster = min(loss["id"], lower["id"], same["id"])
    assert [r["cluster"] for r in (loss, lower, same)] == [cluster] * 3
    assert doubt["cluster"] == doubt["id"]
    assert {(link["target_id"], link["relation"], link["analyst"]) for link in loss["links"]} \
        == {(same["id"], "same", "ann"), (doubt["id"], "refutes", "bob")}
    assert [link["created_at"] for link in loss["links"]] == ["2026-05-04T08:30:15.123456Z"] * 2
    assert [(link["target_id"], link["relation"]) for link in doubt["links"]] \
        == [(lower["id"], "supports")]
    [passage] = loss["dismissed"]
    assert texts[passage["document_id"]][passage["start"]:passage["end"]] == "Elsewhere 📉"
    assert (passage["start"], passage["end"]) == (0, 11)
    [passage] = lower["dismissed"]
    assert texts[passage["document_id"]][passage["start"]:passage["end"]] == "Report 👇"
    assert doubt["dismissed"] == [] and lower["links"] == []


def _fresh_with_documents(service: ProjectService, location: str | Path,
                          folder: Path) -> ProjectService:
    exports.export(service, "documents", folder / "documents.jsonl")
    fresh = ProjectService.open(location, create=True)
    packages.import_documents_jsonl(fresh, folder / "documents.jsonl")
    return fresh


def test_jsonl_round_trip_restores_links_and_dismissals(linked: str | Path,
                                                        fresh_location: str | Path,
                                                        tmp_path: Path) -> None:
    service = ProjectService.open(linked)
    try:
        before = _state(service)
        records = _records(service, tmp_path / "claims.jsonl")
        fresh = _fresh_with_documents(service, fresh_location, tmp_path)
    finally:
        service.close()
    try:
        report = transfer.import_annotations(fresh, tmp_path / "claims.jsonl")
        again = transfer.import_annotations(fresh, tmp_path / "claims.jsonl")
        after = _state(fresh)
        back = _records(fresh, tmp_path / "back.jsonl")
    finally:
        fresh.close()
    assert not report.problems and report.added == 4
    assert (report.links_added, report.dismissals_added) == (4, 2)
    assert "4 links added, 2 dismissed passages added" in report.summary()
    assert (again.links_added, again.dismissals_added, again.added) == (0, 0, 0)
    assert not again.problems
    assert after == before
    assert back == records      # links, clusters and dismissals field for field


def test_links_whose_other_claim_is_absent_are_reported_then_restored(
        linked: str | Path, fresh_location: str | Path, tmp_path: Path) -> None:
    service = ProjectService.open(linked)
    try:
        before = _state(service)
        report_doc = next(info.id for info in service.documents() if info.title == "Report")
        exports.export(service, "jsonl", tmp_path / "part.jsonl",
                       ExportScope(documents=(report_doc,)))
        exports.export(service, "jsonl", tmp_path / "all.jsonl")
        fresh = _fresh_with_documents(service, fresh_location, tmp_path)
    finally:
        service.close()
    try:
        part = transfer.import_annotations(fresh, tmp_path / "part.jsonl")
        rest = transfer.import_annotations(fresh, tmp_path / "all.jsonl")
        after = _state(fresh)
    finally:
        fresh.close()
    # Of the Report's claims' links, only the refutation has both ends in it.
    assert part.added == 2 and part.links_added == 1 and part.dismissals_added == 1
    reasons = [problem.reason for problem in part.problems]
    assert len(reasons) == 2 and all("is not in the project; link not imported" in reason
                                     for reason in reasons)
    assert all(problem.line is not None for problem in part.problems)
    assert rest.added == 2 and rest.links_added == 3 and rest.dismissals_added == 1
    assert not rest.problems
    assert after == before


def test_a_different_relation_already_there_is_kept_and_reported(
        linked: str | Path, tmp_path: Path) -> None:
    service = ProjectService.open(linked)
    try:
        records = list(_records(service, tmp_path / "claims.jsonl").values())
        record = next(r for r in records if any(li["relation"] == "refutes"
                                                for li in r["links"]))
        record["links"] = [{**li, "relation": "supports", "id": str(uuid.uuid4())}
                           for li in record["links"] if li["relation"] == "refutes"]
        (tmp_path / "changed.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
        before = _state(service)
        report = transfer.import_annotations(service, tmp_path / "changed.jsonl")
        after = _state(service)
    finally:
        service.close()
    [problem] = report.problems
    assert "supports here, refutes in the project; the project's kept" in problem.reason
    assert report.links_added == 0 and after == before


@pytest.mark.parametrize("name", ["corpus", "corpus.zip"])
def test_package_round_trip_with_links_and_fever_records(
        linked: str | Path, fresh_location: str | Path, tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    service = ProjectService.open(linked)
    try:
        before = _state(service)
        result = exports.export(service, "package", out)
        texts = {info.id: service.document(info.id).text for info in service.documents()}
        claims = {c.id: c for info in service.documents() for c in service.claims(info.id)}
    finally:
        service.close()
    assert result.claims == 4
    if out.suffix == ".zip":
        with zipfile.ZipFile(out) as archive:
            archive.extractall(tmp_path / "unzipped")
        folder = tmp_path / "unzipped" / "corpus"
    else:
        folder = out
    link_rows = read_jsonl(folder / package.LINKS)
    assert len(link_rows) == 4
    assert {tuple(row) for row in link_rows} == {package.LINK_FIELDS}
    assert {(r["claim_id"], r["target_id"], r["relation"], r["analyst"], r["id"])
            for r in link_rows} == {(c, t, rel, a, i) for i, c, t, rel, a, _ in before[0]}
    fever = read_jsonl(folder / package.FEVER)
    assert {(r["claim_id"], r["label"]) for r in fever} == {
        (c, {"supports": "SUPPORTS", "refutes": "REFUTES"}[rel])
        for _, c, t, rel, _, _ in before[0] if rel != "same"}
    for row in fever:
        assert list(row) == list(package.FEVER_FIELDS)
        assert row["id"] == f"{row['claim_id']}:{row['label'].lower()}"
        assert row["claim"] == claims[row["claim_id"]].proposition
        for document_id, start, end, quote in row["evidence"]:
            assert texts[document_id][start:end] == quote
    card = (folder / package.CARD).read_text(encoding="utf-8")
    assert "config_name: links\n  data_files: links.jsonl" in card
    assert "config_name: fever\n  data_files: fever.jsonl" in card
    assert f"| `{package.LINKS}` | 4 links" in card

    fresh = ProjectService.open(fresh_location, create=True)
    try:
        report = packages.import_package(fresh, out)
        again = packages.import_package(fresh, out)
        after = _state(fresh)
    finally:
        fresh.close()
    assert not report.problems and report.claims_added == 4
    assert (report.links_added, report.dismissals_added) == (4, 2)
    assert "4 links added, 2 dismissed passages added" in report.summary()
    assert (again.links_added, again.dismissals_added) == (0, 0)
    assert after == before


@pytest.mark.sqlite_only       # a colleague's project file is a SQLite file
def test_a_colleagues_project_file_brings_its_links(linked: str | Path, tmp_path: Path) -> None:
    fresh = ProjectService.open(tmp_path / "mine.annotator.sqlite", create=True)
    service = ProjectService.open(linked)
    try:
        before = _state(service)
    finally:
        service.close()
    try:
        report = packages.import_project(fresh, linked)
        after = _state(fresh)
    finally:
        fresh.close()
    assert report.links_added == 4 and report.dismissals_added == 2
    assert after == before
