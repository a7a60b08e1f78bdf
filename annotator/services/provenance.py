"""Which documents each analyst had: what agreement compares.

A colleague's project file or dataset package lists the documents they had,
whether or not they marked a claim in each. At import, the analysts whose
claims it holds are recorded as having those documents, and the documents the
import added are recorded as new here (setting ``analyst_documents``).

An analyst *has* a document when they have a claim in it, or an import of
their work listed it; an analyst no import names (the project's own analysts)
has every document except those imports added. Agreement compares only the
documents every compared analyst has, and says which it left out: a document a
colleague never saw is not a place where they found nothing. A claims JSONL
export lists no documents, so it records nothing; nor did imports made before
this was recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, select

from annotator.services.project import ProjectService
from annotator.storage.models import ClaimRow, DocumentRow, ProjectSettingRow

_KEY = "analyst_documents"


def record_work(service: ProjectService, analysts: Iterable[str],
                held: Iterable[tuple[str, bool]]) -> None:
    """Record that ``analysts`` had the documents ``held`` ((id here, added by
    this import) pairs), in one transaction."""
    held = list(held)
    analysts = sorted(set(analysts))
    if not held or not analysts:
        return
    with service.database.writing() as session:
        row = session.get(ProjectSettingRow, _KEY)
        value = dict(row.value) if row is not None and isinstance(row.value, dict) else {}
        by_analyst = {name: set(ids) for name, ids in (value.get("analysts") or {}).items()}
        for name in analysts:
            by_analyst.setdefault(name, set()).update(doc for doc, _added in held)
        imported = set(value.get("imported") or ()) | {doc for doc, added in held if added}
        value = {"analysts": {name: sorted(ids) for name, ids in sorted(by_analyst.items())},
                 "imported": sorted(imported)}
        if row is None:
            session.add(ProjectSettingRow(key=_KEY, value=value))
        else:
            row.value = value


def shared_documents(connection: Connection, analysts: Sequence[str],
                     candidates: Iterable[str]) -> tuple[list[str], list[str]]:
    """(the ``candidates`` every analyst has, those left out), each in id order."""
    candidates = sorted(set(candidates))
    row = connection.execute(select(ProjectSettingRow.value).where(
        ProjectSettingRow.key == _KEY)).scalar()
    if not isinstance(row, dict) or not candidates:
        return candidates, []
    recorded = {name: set(ids) for name, ids in (row.get("analysts") or {}).items()}
    imported = set(row.get("imported") or ())
    kept = set(candidates)
    for name in analysts:
        marked = set(connection.execute(select(ClaimRow.document_id).distinct().where(
            ClaimRow.annotator == name)).scalars())
        held = recorded[name] if name in recorded else set(candidates) - imported
        kept &= held | marked
    return [d for d in candidates if d in kept], [d for d in candidates if d not in kept]


def titles(connection: Connection, document_ids: Iterable[str]) -> dict[str, str]:
    ids = list(document_ids)
    if not ids:
        return {}
    return dict(connection.execute(select(DocumentRow.id, DocumentRow.title).where(
        DocumentRow.id.in_(ids))).all())
