"""A project with a row in every table (documents with a new version, a changed
codebook, sources, claims with history, the gold layer, comments, assignments,
links, dismissed candidates), and a reader of every table, for the publish and
sync tests."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from annotator.domain.model import Document, Source, utc_now
from annotator.domain.review import Decision, ReviewComment, adjudicate
from annotator.services.codebook import CodebookService
from annotator.services.project import ProjectService
from annotator.services.review import ReviewService
from annotator.services.sample import import_sample_corpus
from annotator.services.sync import SETTING
from annotator.storage.models import (
    AssignmentRow,
    Base,
    CandidateDismissalRow,
    ClaimLinkRow,
)
from tests.review.scenario import TwoAnalysts, add_two_analysts

#: The tables compared row by row (the search index is derived from them).
TABLES = ("documents", "sources", "codebook_labels", "propositions", "codebook_versions",
          "project_settings", "claims", "claim_history", "adjudications", "gold_claims",
          "review_comments", "assignments", "claim_links", "candidate_dismissals")


def build_full_project(location: str | Path) -> TwoAnalysts:
    service = ProjectService.open(location, create=True)
    try:
        import_sample_corpus(service)
        work = add_two_analysts(service)
        document = work.document
        # A new version of another document (its claims carried over).
        other = next(info for info in service.documents() if info.id != document.id)
        text = service.document(other.id).text
        service.add_version(other.id, Document.from_text(text + "\n\nA correction.",
                                                         title=other.title))
        # A claim source, a codebook change, a claim's history.
        source = service.add_source(Source.new("Reuters"))
        nasdaq = work.alice["NASDAQ"]
        service.update_claim(dataclasses.replace(nasdaq, source_id=source.id, version=1))
        CodebookService(service.database).add_proposition("Markets fell")
        older = dataclasses.replace(work.bob["CNY"], note="an older note",
                                    updated_at=work.bob["CNY"].updated_at - timedelta(days=1))
        service.merge_claims([older])       # the older version goes to the history
        review = ReviewService(service)
        review.add_adjudication(adjudicate(Decision.ACCEPT,
                                           [work.alice["H800"], work.bob["H800"]],
                                           adjudicator="carol", span_from=work.bob["H800"]))
        review.add_comment(ReviewComment.new(work.alice["CNY"].id, "carol", "which currency?"))
        review.set_review_status(document.id, "in_review")
        service.set_document_status(document.id, "in_progress")
        now = utc_now()
        with service.database.writing() as session:
            session.add(AssignmentRow(document_id=document.id, analyst="alice",
                                      assigned_by="dave", assigned_at=now))
            session.add(ClaimLinkRow(id=str(uuid.uuid4()), claim_id=work.alice["LOSS"].id,
                                     target_id=work.bob["LOSS"].id, relation="same",
                                     analyst="alice", created_at=now))
            session.add(CandidateDismissalRow(id=str(uuid.uuid4()),
                                              claim_id=work.alice["NASDAQ"].id,
                                              document_id=document.id, start=0, end=5,
                                              analyst="alice", created_at=now))
        return work
    finally:
        service.close()


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def table_rows(location: str | Path, *, skip_settings: tuple[str, ...] = (SETTING,)
               ) -> dict[str, list[tuple]]:
    """Every row of every table, sorted, as plain values (read-only)."""
    service = ProjectService.open(location, read_only="://" not in str(location))
    try:
        found: dict[str, list[tuple]] = {}
        with service.database.reading() as session:
            for name in TABLES:
                table = Base.metadata.tables[name]
                rows = []
                for row in session.execute(select(table)).mappings():
                    if name == "project_settings" and row["key"] in skip_settings:
                        continue
                    values = {k: _plain(v) for k, v in row.items()}
                    if name in ("claim_history", "codebook_labels"):
                        values.pop("id")        # numbered by each database
                    rows.append(tuple(sorted((k, repr(v)) for k, v in values.items())))
                found[name] = sorted(rows)
        return found
    finally:
        service.close()
