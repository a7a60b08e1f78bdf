"""The evidence board: a proposition's claims across the corpus by stance, with
corroboration and disagreeing figures; CSV and JSON. On both backends."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from annotator.domain.model import Source
from annotator.services import evidence, links
from annotator.services.project import ProjectService
from tests.services.test_links import (
    ARTICLE_LOSS,
    MERICS_LOSS,
    REPORT_LOSS,
    REPORT_SHARES,
    claim,
)

LOSS = "Nvidia lost about USD 600 billion of market value in one day"


@pytest.fixture
def project(seeded_location: str | Path) -> ProjectService:
    service = ProjectService.open(seeded_location)
    yield service
    service.close()


@pytest.fixture
def board_claims(project: ProjectService) -> dict[str, object]:
    merics = claim(project, MERICS_LOSS, proposition=LOSS, stance="supports",
                   source_reliability="B", info_credibility=3)
    article = claim(project, ARTICLE_LOSS, proposition=LOSS, stance="supports")
    report = claim(project, REPORT_LOSS, proposition=LOSS, stance="supports")
    shares = claim(project, REPORT_SHARES, proposition=LOSS, stance="neutral")
    other = claim(project, "DeepSeek", proposition="Something else", stance="refutes")
    links.add_link(project, merics.id, article.id, "same", analyst="ann")
    return {"merics": merics, "article": article, "report": report, "shares": shares,
            "other": other}


def test_the_board_groups_a_propositions_claims_by_stance(
        project: ProjectService, board_claims: dict) -> None:
    board = evidence.build_board(project, LOSS)
    assert board.count == 4
    names = [column.name for column in board.columns]
    assert names == ["Supports", "Refutes", "Neutral", "Unclear", "No stance"]
    by_stance = {c.key: {e.claim.id for e in c.entries} for c in board.columns}
    assert by_stance["supports"] == {board_claims[k].id for k in ("merics", "article",
                                                                  "report")}
    assert by_stance["neutral"] == {board_claims["shares"].id}
    assert by_stance["refutes"] == set() and by_stance[evidence.NO_STANCE] == set()

    entries = {e.claim.id: e for c in board.columns for e in c.entries}
    merics = entries[board_claims["merics"].id]
    assert (merics.cluster_size, merics.corroboration, merics.suggested_credibility) == (2, 2, 2)
    report = entries[board_claims["report"].id]
    assert (report.cluster_size, report.corroboration, report.suggested_credibility) == (
        1, 1, None)
    # 589 vs 600 billion, flagged on both sides, naming the other document.
    assert any("589 billion vs USD 600 billion" in text for text in merics.conflicts)
    assert any("600 billion vs USD 589 billion" in text for text in report.conflicts)
    assert any("589 billion" in text and "600 billion" in text for text in board.conflicts)
    # The entries of a column: most corroborated first.
    supports = next(c for c in board.columns if c.key == "supports")
    assert [e.corroboration for e in supports.entries] == [2, 2, 1]


def test_corroboration_on_the_board_follows_sources(project: ProjectService,
                                                    board_claims: dict) -> None:
    nvidia = project.add_source(Source.new("Nvidia"))
    for key in ("merics", "article"):
        project.update_claim(project.claim(board_claims[key].id).edited(source_id=nvidia.id))
    board = evidence.build_board(project, LOSS)
    entry = next(e for c in board.columns for e in c.entries
                 if e.claim.id == board_claims["merics"].id)
    assert entry.cluster_size == 2 and entry.corroboration == 1      # one source, twice
    assert entry.appearance.source_text == "Nvidia"


def test_csv_has_one_row_per_claim_and_neutralises_formulas(
        project: ProjectService, board_claims: dict) -> None:
    project.update_claim(project.claim(board_claims["shares"].id).edited(
        note="", proposition="=HYPERLINK(\"x\")"))
    boards = evidence.boards(project)
    handle = io.StringIO()
    count = evidence.write_board_csv(handle, boards)
    rows = list(csv.DictReader(io.StringIO(handle.getvalue())))
    assert count == len(rows) == 5
    assert {r["proposition"] for r in rows} == {LOSS, "Something else",
                                                "'=HYPERLINK(\"x\")"}
    merics = next(r for r in rows if r["claim_id"] == board_claims["merics"].id)
    assert merics["stance"] == "Supports" and merics["corroboration"] == "2"
    assert merics["suggested_credibility"] == "2 – Probably true"
    assert merics["source_reliability"] == "B" and merics["info_credibility"] == "3"
    assert merics["quote"] == MERICS_LOSS
    assert "600 billion" in merics["conflicts"]


def test_json_keeps_the_columns(project: ProjectService, board_claims: dict) -> None:
    data = evidence.board_json(evidence.boards(project, LOSS))
    [board] = data["boards"]
    assert board["proposition"] == LOSS
    counts = {c["stance"]: len(c["claims"]) for c in board["columns"]}
    assert counts == {"supports": 3, "refutes": 0, "neutral": 1, "unclear": 0, "": 0}


def test_only_the_analysts_shown(project: ProjectService, board_claims: dict) -> None:
    claim(project, REPORT_SHARES, analyst="bob", proposition=LOSS, stance="refutes")
    assert evidence.build_board(project, LOSS).count == 5
    assert evidence.build_board(project, LOSS, annotators={"bob"}).count == 1
