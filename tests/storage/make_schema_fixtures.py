"""Make the frozen fixture projects ``tests/storage/fixtures/schema_NNNN.sqlite``.

One fixture per schema revision ever released: a fresh SQLite file brought to
that revision by Alembic, then filled with raw SQL written for that revision's
tables (never through today's models or services, which only know the newest
schema). ``tests/storage/test_schema_fixtures.py`` opens a copy of each with the
app and checks that everything in it survived the upgrade to head.

The fixtures are what released versions of Annotator wrote: made once, then
committed and never remade. Run this when a new revision is added; it makes the
fixtures that are missing and leaves the others alone::

    PYTHONPATH=. python tests/storage/make_schema_fixtures.py

(``--force REV`` remakes one, e.g. while its revision is not yet released.)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import sys
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

FIXTURES = Path(__file__).with_name("fixtures")
CONTEXT = 32          # prefix/suffix length the app has always stored

# The documents every fixture holds: CJK, astral emoji (with ZWJ sequences and
# flags), combining marks, Cyrillic, right-to-left text, markup that must stay text.
TEXTS = {
    "doc-ja": "東京都知事は、2025年に都の人口が1400万人を超えたと述べた。🗼\n"
              "次の会議は来週の月曜日です。",
    "doc-ru": "Министр заявил, что цены выросли на 12 %. «Это временно», — добавил он.\n"
              "Ёлка и щётка: буквы вне ASCII.",
    "doc-mix": "Family 👩\u200d👩\u200d👧\u200d👦 trip: flags 🇺🇦🇯🇵, café (cafe\u0301), "
               "math 𝔸𝔹ℂ, <b>not html</b> & \"quotes\"\tand a tab. "
               "مرحبا بالعالم — שלום.",
}
TITLES = {"doc-ja": "都知事の発言 🗼", "doc-ru": "Цены — интервью", "doc-mix": "Mixed 👩‍👩‍👧‍👦 <b>"}

# Claims: (id, document, quote, occurrence) and the 0001 labels.
CLAIMS: list[dict[str, Any]] = [
    {"id": "claim-ja-1", "doc": "doc-ja", "quote": "都の人口が1400万人を超えた",
     "proposition": "東京の人口は増えている", "stance": "supports", "source_reliability": "B",
     "info_credibility": 2, "note": "要確認 — 統計局 📊", "tags": ["人口", "統計"],
     "annotator": "山田"},
    {"id": "claim-ja-2", "doc": "doc-ja", "quote": "🗼", "proposition": "",
     "stance": None, "source_reliability": None, "info_credibility": None, "note": "",
     "tags": [], "annotator": "alice"},
    {"id": "claim-ru-1", "doc": "doc-ru", "quote": "цены выросли на 12 %",
     "proposition": "Инфляция растёт", "stance": "refutes", "source_reliability": "F",
     "info_credibility": 6, "note": "Источник: «Росстат»\nвторая строка",
     "tags": ["экономика", "цены"], "annotator": "Наталья"},
    {"id": "claim-ru-2", "doc": "doc-ru", "quote": "Ёлка", "proposition": "P",
     "stance": "unclear", "source_reliability": "A", "info_credibility": 1,
     "note": "", "tags": [], "annotator": "Наталья"},
    {"id": "claim-mix-1", "doc": "doc-mix", "quote": "👩\u200d👩\u200d👧\u200d👦",
     "proposition": "Families travel", "stance": "neutral", "source_reliability": "C",
     "info_credibility": 3, "note": "<i>not markup</i> & 'quotes'", "tags": ["emoji 🎉"],
     "annotator": "bob"},
    {"id": "claim-mix-2", "doc": "doc-mix", "quote": "🇺🇦🇯🇵, café (cafe\u0301)",
     "proposition": "Flags", "stance": "supports", "source_reliability": "E",
     "info_credibility": 5, "note": "", "tags": [], "annotator": "bob"},
    {"id": "claim-mix-3", "doc": "doc-mix", "quote": "مرحبا بالعالم",
     "proposition": "", "stance": "refutes", "source_reliability": "D",
     "info_credibility": 4, "note": "RTL", "tags": ["rtl"], "annotator": "alice"},
]

# Labels added by 0002 onwards, per claim id.
LABELS_0002 = {
    "claim-ja-1": {"claim_type": "quantity", "source_id": "src-1", "likelihood": "likely",
                   "confidence": "moderate", "codebook_version": 2},
    "claim-ru-1": {"claim_type": "correlation_causation", "source_id": "src-2",
                   "likelihood": "very_unlikely", "confidence": "low", "codebook_version": 2,
                   "stance": "mixed"},
    "claim-mix-1": {"claim_type": "not_a_claim", "source_id": None, "likelihood": None,
                    "confidence": None, "codebook_version": 1},
    "claim-mix-2": {"claim_type": "other", "source_id": "src-1", "likelihood": "almost_certain",
                    "confidence": "high", "codebook_version": 2},
}


def _at(day: int, second: int = 0) -> str:
    """A stored timestamp: naive UTC with microseconds, as SQLAlchemy writes it."""
    moment = datetime(2026, 1, 1, 10) + timedelta(days=day, seconds=second,
                                                  microseconds=day * 1001)
    return moment.isoformat(" ", "microseconds")


def _span(text: str, quote: str) -> dict[str, Any]:
    start = text.index(quote)
    end = start + len(quote)
    return {"start": start, "end": end, "quote": quote,
            "prefix": text[max(0, start - CONTEXT):start], "suffix": text[end:end + CONTEXT]}


def _insert(db: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
    names = ", ".join(f'"{name}"' for name in row)
    marks = ", ".join("?" for _ in row)
    db.execute(f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
               [json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
                for v in row.values()])


def _documents(db: sqlite3.Connection, level: int) -> None:
    for n, (doc_id, text) in enumerate(TEXTS.items()):
        row: dict[str, Any] = {
            "id": doc_id, "sha256": hashlib.sha256(text.encode()).hexdigest(),
            "title": TITLES[doc_id], "source": f"https://example.org/{doc_id}?q=ü",
            "published": "2025-12-0" + str(n + 1),
            "metadata": {"author": "著者 Автор", "pages": n + 1, "emoji": "✅"},
            "text": text, "length": len(text), "created_at": _at(n),
        }
        if level >= 2:
            row["status"] = ("new", "in_progress", "done")[n]
        if level >= 3:
            row["origin"] = f"/home/analyst/документы/{doc_id}.txt"
        if level >= 4:
            row["review_status"] = ("in_review", "adjudicated", "unreviewed")[n]
        _insert(db, "documents", row)
    if level >= 3:
        # A second version of doc-ru (its text changed) replacing the first.
        text = TEXTS["doc-ru"].replace("12 %", "15 %")
        row = {"id": "doc-ru-v2", "sha256": hashlib.sha256(text.encode()).hexdigest(),
               "title": "Цены — интервью (v2)", "source": "", "published": "",
               "metadata": {}, "text": text, "length": len(text), "created_at": _at(5),
               "status": "new", "origin": "/home/analyst/документы/doc-ru.txt",
               "previous_id": "doc-ru"}
        if level >= 4:
            row["review_status"] = "unreviewed"
        _insert(db, "documents", row)


def _claims(db: sqlite3.Connection, level: int) -> None:
    claims = list(CLAIMS)
    if level >= 3:
        claims.append({"id": "claim-ru-v2", "doc": "doc-ru-v2", "quote": "цены выросли на 15 %",
                       "proposition": "Инфляция растёт", "stance": "refutes",
                       "source_reliability": "F", "info_credibility": 6,
                       "note": "carried over to v2", "tags": ["цены"], "annotator": "Наталья"})
    for n, claim in enumerate(claims):
        text = (TEXTS.get(claim["doc"]) or TEXTS["doc-ru"].replace("12 %", "15 %"))
        row: dict[str, Any] = {"id": claim["id"], "document_id": claim["doc"],
                               **_span(text, claim["quote"])}
        for name in ("proposition", "stance", "source_reliability", "info_credibility",
                     "note", "tags", "annotator"):
            row[name] = claim[name]
        row["created_at"] = _at(10 + n, n)
        row["updated_at"] = _at(20 + n, n)
        if level >= 2:
            row.update(LABELS_0002.get(claim["id"], {}))
        if level >= 6:
            row["version"] = 1 + n % 3       # saved once, twice, three times
        _insert(db, "claims", row)


def _codebook(db: sqlite3.Connection) -> None:
    """0002 on: a project whose codebook was changed once (version 2: a new stance
    label, ICD 203 likelihood and confidence, two propositions, tags, a rule)."""
    stance_labels = db.execute("SELECT COUNT(*) FROM codebook_labels WHERE dimension = 'stance'"
                               ).fetchone()[0]
    _insert(db, "codebook_labels", {
        "dimension": "stance", "key": "mixed", "name": "Смешанная 🔀",
        "description": "Поддерживает и опровергает.", "colour": "#E69F00", "shortcut": "5",
        "position": stance_labels, "retired": False, "judgeable": True})
    for position, (key, name) in enumerate([("very_unlikely", "Very unlikely"),
                                            ("likely", "Likely"),
                                            ("almost_certain", "Almost certain")]):
        _insert(db, "codebook_labels", {
            "dimension": "likelihood", "key": key, "name": name, "description": "",
            "colour": "#2C7FB8", "shortcut": "", "position": position, "retired": False,
            "judgeable": True})
    for position, key in enumerate(["low", "moderate", "high"]):
        _insert(db, "codebook_labels", {
            "dimension": "confidence", "key": key, "name": key.title(), "description": "",
            "colour": "#41B6C4", "shortcut": "", "position": position, "retired": False,
            "judgeable": True})
    db.execute("UPDATE codebook_labels SET retired = 1 WHERE dimension = 'claim_type' "
               "AND key = 'prediction'")
    _insert(db, "propositions", {"id": "prop-1", "text": "東京の人口は増えている",
                                 "description": "人口統計", "retired": False, "position": 0})
    _insert(db, "propositions", {"id": "prop-2", "text": "Инфляция растёт",
                                 "description": "", "retired": True, "position": 1})
    _insert(db, "project_settings", {"key": "codebook_tags",
                                     "value": {"tags": ["人口", "экономика", "emoji 🎉"]}})
    _insert(db, "project_settings", {"key": "codebook_requirements", "value": {
        "required": ["claim_type", "stance"], "exempt_claim_types": ["not_a_claim"]}})
    snapshot = {"format": "annotator-codebook", "format_version": 1, "version": 2,
                "note": "snapshot as written by the app at 0002 (abridged)",
                "propositions": [{"id": "prop-1", "text": "東京の人口は増えている"}],
                "tags": ["人口", "экономика", "emoji 🎉"]}
    _insert(db, "codebook_versions", {"version": 2, "created_at": _at(3),
                                      "change": "Add stance “mixed” 🔀", "snapshot": snapshot})
    _insert(db, "sources", {"id": "src-1", "name": "東京都庁", "kind": "government",
                            "reliability": "B", "note": "公式", "created_at": _at(2)})
    _insert(db, "sources", {"id": "src-2", "name": "Министерство финансов", "kind": "ministry",
                            "reliability": None, "note": "", "created_at": _at(2, 1)})


def _review(db: sqlite3.Connection) -> None:
    """0004 on: a gold layer, review comments and claim history."""
    text = TEXTS["doc-ja"]
    _insert(db, "adjudications", {
        "id": "adj-1", "document_id": "doc-ja", "decision": "edit",
        "considered": ["claim-ja-1", "claim-ja-2"], "span_from": "claim-ja-1",
        "labels_from": "claim-ja-2", "adjudicator": "審査員", "created_at": _at(30)})
    _insert(db, "adjudications", {
        "id": "adj-2", "document_id": "doc-ja", "decision": "reject",
        "considered": ["claim-ja-2"], "span_from": None, "labels_from": None,
        "adjudicator": "審査員", "created_at": _at(30, 5)})
    _insert(db, "gold_claims", {
        "adjudication_id": "adj-1", "id": "gold-1", "document_id": "doc-ja",
        **_span(text, "1400万人"), "proposition": "東京の人口は増えている",
        "stance": "supports", "source_reliability": "B", "info_credibility": 2,
        "note": "gold ✨", "tags": ["人口"], "annotator": "審査員", "created_at": _at(30),
        "updated_at": _at(30), "claim_type": "quantity", "source_id": "src-1",
        "likelihood": "likely", "confidence": "high", "codebook_version": 2})
    _insert(db, "review_comments", {"id": "comment-1", "claim_id": "claim-ru-1",
                                    "author": "Reviewer Ж", "body": "Проверьте цифру 📌\nдважды",
                                    "created_at": _at(31)})
    _insert(db, "review_comments", {"id": "comment-2", "claim_id": "claim-deleted",
                                    "author": "rev", "body": "on a deleted claim",
                                    "created_at": _at(31, 1)})
    _insert(db, "claim_history", {
        "claim_id": "claim-ja-1", "updated_at": _at(15),
        "record": {"id": "claim-ja-1", "note": "古いメモ", "stance": "neutral"},
        "recorded_at": _at(21)})


def _links(db: sqlite3.Connection) -> None:
    """0007 on: assignments (blind double coding), claim links, dismissed candidates."""
    _insert(db, "assignments", {"document_id": "doc-ja", "analyst": "山田", "status": "done",
                                "assigned_by": "admin Ж", "assigned_at": _at(40),
                                "done_at": _at(41)})
    _insert(db, "assignments", {"document_id": "doc-ja", "analyst": "alice",
                                "status": "assigned", "assigned_by": "admin Ж",
                                "assigned_at": _at(40), "done_at": None})
    _insert(db, "claim_links", {"id": "link-1", "claim_id": "claim-ja-1",
                                "target_id": "claim-ru-1", "relation": "same",
                                "analyst": "山田", "created_at": _at(42)})
    _insert(db, "claim_links", {"id": "link-2", "claim_id": "claim-ru-1",
                                "target_id": "claim-deleted", "relation": "refutes",
                                "analyst": "alice", "created_at": _at(42, 1)})
    _insert(db, "candidate_dismissals", {"id": "dismiss-1", "claim_id": "claim-ja-1",
                                         "document_id": "doc-ru", "start": 0, "end": 7,
                                         "analyst": "山田", "created_at": _at(43)})


def migrations_config(connection: Any) -> Config:
    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("annotator.storage") / "migrations"))
    config.attributes["connection"] = connection
    return config


def all_revisions() -> list[str]:
    """Every revision, oldest first."""
    script = ScriptDirectory.from_config(migrations_config(None))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def make(revision: str, path: Path) -> None:
    path.unlink(missing_ok=True)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(migrations_config(connection), revision)
    engine.dispose()
    level = all_revisions().index(revision) + 1
    db = sqlite3.connect(path)
    db.execute("PRAGMA foreign_keys = ON")
    with db:
        if level >= 2:
            _codebook(db)
        _documents(db, level)
        _claims(db, level)
        if level >= 4:
            _review(db)
        if level >= 7:
            _links(db)          # 0007's tables; 0008 adds none
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    db.execute("PRAGMA page_size = 1024")       # small files: a page per table or index
    db.execute("VACUUM")
    db.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="append", default=[], metavar="REV",
                        help="remake this revision's fixture (only while it is unreleased)")
    args = parser.parse_args(argv)
    FIXTURES.mkdir(exist_ok=True)
    for level, revision in enumerate(all_revisions(), 1):
        if level > 8:
            # 0005 (the search index) and 0008 (its gold layer) have no rows of
            # their own: their triggers index what the other tables hold; 0006
            # adds claims' version (set in _claims); _links fills 0007's tables
            # (and every later revision's fixture). Add the data for the new
            # revision's tables here (raw SQL for its schema), then raise this guard.
            print(f"revision {revision}: teach make_schema_fixtures.py its tables first")
            return 1
        path = FIXTURES / f"schema_{revision}.sqlite"
        if path.exists() and revision not in args.force:
            print(f"{path.name}: kept (released fixtures are never remade)")
            continue
        make(revision, path)
        print(f"{path.name}: made, {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
