"""Exporting a project as a dataset: which claims (scope), in which format,
streamed from one consistent snapshot of the project, written atomically.

Formats (:data:`FORMATS`): ``jsonl`` (the canonical claim record, which
round-trips), ``csv`` (the same columns, safe for spreadsheets), ``w3c``
(Web Annotation JSON-LD), ``label-studio`` (tasks JSON), ``doccano`` (JSONL),
``parquet`` (needs pyarrow), the interchange formats of
:mod:`annotator.services.interchange` (``brat``, ``spacy``, ``claimreview``,
``inception``, ``refi-qda``), ``package`` (a folder or zip with documents,
claims, codebook and a data card) and ``documents`` (the documents as JSONL).
Claim files carry the codebook beside them as ``<name>.codebook.json``;
Label Studio tasks also get ``<name>.label-config.xml``.

Scope (:class:`ExportScope`, in :mod:`annotator.services.export_scope`): all
claims, or only those of some documents, of some annotators, of documents
marked done, and with labels in a given set (e.g. stance ``supports`` or
``refutes``). Formats that list documents (the
package, Label Studio, doccano) list every document in the document scope
(documents and done-only), with or without claims.

Memory stays flat as the project grows: claims are read with SQLAlchemy Core
in batches (no ORM objects) and turned straight into records; only formats
whose structure groups claims by document hold one document's claims at a
time. Everything is read inside one read transaction, so an export is a
consistent snapshot even while the app goes on writing. Nothing is written in
place: each file goes to a temporary name and is renamed over the target when
complete, so a failed or cancelled export leaves any earlier file untouched.

Checked at the door, in every format (:mod:`annotator.formats.export.safety`):
no target is the project, its ``-wal``/``-shm``/``-journal`` files or any
SQLite database (:func:`target_problem`, before anything is read or written);
every claim's quote is cut from its document's text at its offsets and a claim
whose stored quote differs is refused (:attr:`ExportResult.refused`), the rest
exported; documents carry file names, not local paths, unless
:attr:`ExportOptions.include_paths`.
"""

from __future__ import annotations

import io
import itertools
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import Connection, String, func, select, type_coerce

from annotator import __version__
from annotator.domain.codebook import Codebook, Dimension
from annotator.domain.codebook import to_dict as codebook_to_dict
from annotator.formats import claims as claim_format
from annotator.formats.atomic import (
    ProtectedFileError,
    atomic_binary,
    atomic_path,
    atomic_write,
    protected_reason,
    remove_stale_parts,
)
from annotator.formats.export import doccano, label_studio, package, parquet, w3c
from annotator.formats.export.files import FolderInTheWay, atomic_directory
from annotator.formats.export.safety import RefusedClaim, check_quote, without_paths
from annotator.formats.export.streams import json_dumps, json_text, write_csv, write_jsonl
from annotator.paths import no_room_reason
from annotator.services import interchange, link_records
from annotator.services.codebook import CodebookService
from annotator.services.export_scope import (
    ExportCancelled,
    ExportError,
    ExportScope,
    ScopeError,
)
from annotator.services.project import ProjectService
from annotator.services.review import agreement_on
from annotator.storage.models import (
    AdjudicationRow,
    ClaimRow,
    DocumentRow,
    GoldClaimRow,
    ReviewCommentRow,
    SourceRow,
)


@dataclass(frozen=True, slots=True)
class FormatInfo:
    name: str
    title: str
    #: The usual file suffix ("" for a folder).
    suffix: str
    #: Whether the format holds claims (and so gets the codebook beside it).
    claims: bool = True


FORMATS: dict[str, FormatInfo] = {info.name: info for info in (
    FormatInfo("jsonl", "Claims as JSONL (canonical; re-imports exactly)", ".jsonl"),
    FormatInfo("csv", "Claims as CSV (Excel, LibreOffice)", ".csv"),
    FormatInfo("w3c", "W3C Web Annotation (JSON-LD)", ".jsonld"),
    FormatInfo("label-studio", "Label Studio tasks (JSON)", ".json"),
    FormatInfo("doccano", "doccano sequence labelling (JSONL)", ".jsonl"),
    FormatInfo("parquet", "Claims as Apache Parquet", ".parquet"),
    *(FormatInfo(name, title, suffix) for name, (title, suffix) in interchange.FORMATS.items()),
    FormatInfo("package", "Dataset package (folder, or .zip)", "", claims=False),
    FormatInfo("documents", "Documents as JSONL", ".jsonl", claims=False),
)}
EXPORT_FORMATS = tuple(FORMATS)


@dataclass(frozen=True, slots=True)
class ExportOptions:
    #: CSV: start with a UTF-8 byte-order mark (what Excel needs to read UTF-8).
    bom: bool = True
    #: Label Studio, doccano and spaCy: the dimension whose key labels each span.
    span_label: str = "stance"
    #: doccano: ``utf-16`` (what doccano's editor counts) or ``codepoint`` (Python
    #: ``str`` indexes, for scripts; doccano's editor misplaces spans after an emoji).
    offset_unit: str = "utf-16"
    #: Write ``<name>.codebook.json`` beside claim files.
    codebook_sidecar: bool = True
    #: Documents and packages: keep the local paths documents were imported from
    #: (``origin``, ``metadata.original_path``); by default only file names.
    include_paths: bool = False


@dataclass
class ExportResult:
    format: str
    path: Path
    claims: int = 0
    documents: int = 0
    #: Every file or folder written, the main one first.
    files: list[Path] = field(default_factory=list)
    #: Claims left out because their stored quote is not their document's text.
    refused: list[RefusedClaim] = field(default_factory=list)
    #: Partial files that exports killed before they finished had left in the
    #: target's folder, removed before this one started.
    cleaned: list[Path] = field(default_factory=list)
    #: What the reader of this format should know: what it could not hold, what to
    #: set in the program that imports it.
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = []
        if self.format != "documents":
            parts.append(f"{self.claims} claim{'s' if self.claims != 1 else ''}")
        if self.format in ("documents", "package", "label-studio", "doccano",
                           *interchange.FORMATS):
            parts.append(f"{self.documents} document{'s' if self.documents != 1 else ''}")
        text = f"wrote {' and '.join(parts)} to {self.path}"
        if self.refused:
            many = len(self.refused) != 1
            text += (f"; refused {len(self.refused)} claim{'s' if many else ''} whose quote "
                     f"{'do' if many else 'does'} not match the document text")
        if self.cleaned:
            many = len(self.cleaned) != 1
            text += (f"; removed {len(self.cleaned)} partial file{'s' if many else ''} "
                     f"left by an interrupted export ({', '.join(p.name for p in self.cleaned[:3])}"
                     f"{', …' if len(self.cleaned) > 3 else ''})")
        return "".join([text, *(f"; {note}" for note in self.notes)])


class ScopeCount(NamedTuple):
    """How much a scope holds: its claims, its documents, and how many of those
    documents have claims in the scope."""

    claims: int
    documents: int
    claimed_documents: int


#: ``progress(done, total)``: claims (documents for ``documents``) written so far.
ProgressCallback = Callable[[int, int], None]

# Reading ------------------------------------------------------------------------------

_CLAIMS = ClaimRow.__table__
_GOLD = GoldClaimRow.__table__
_ADJUDICATIONS = AdjudicationRow.__table__
_COMMENTS = ReviewCommentRow.__table__
_DOCUMENTS = DocumentRow.__table__
_SOURCES = SourceRow.__table__

#: The claim columns read, in the order :func:`_claim_rows_to_records` unpacks them.
_CLAIM_COLUMNS = ("id", "document_id", "start", "end", "quote", "prefix", "suffix",
                  "proposition", "stance", "source_reliability", "info_credibility", "note",
                  "tags", "annotator", "created_at", "updated_at", "claim_type", "likelihood",
                  "confidence", "codebook_version")
#: Read as the stored text on SQLite and converted here, much faster than
#: SQLAlchemy's per-value result processing.
_RAW = frozenset({"tags", "created_at", "updated_at"})


def _iso(value: object) -> str:
    """A stored timestamp as the record's ISO 8601 UTC form (``…T…Z``)."""
    if isinstance(value, str):
        if len(value) == 26 and value[10] == " ":      # SQLite: "YYYY-MM-DD HH:MM:SS.ffffff"
            return f"{value[:10]}T{value[11:]}Z"
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return claim_format.format_timestamp(value)


def _tags(value: object) -> list[str]:
    if value == "[]" or value is None:
        return []
    return json.loads(value) if isinstance(value, str) else list(value)  # type: ignore[call-overload]


def _table(scope: ExportScope) -> Any:
    """The claims of the scope's layer: the analysts' or the gold layer."""
    return _GOLD if scope.gold_only else _CLAIMS


def _claim_filters(scope: ExportScope) -> list[Any]:
    filters: list[Any] = []
    claims = _table(scope)
    if scope.documents:
        filters.append(claims.c.document_id.in_(scope.documents))
    if scope.done_only:
        filters.append(_DOCUMENTS.c.status == "done")
    if scope.annotators:
        filters.append(claims.c.annotator.in_(scope.annotators))
    for dimension, keys in scope.labels:
        column = claims.c[dimension.value]
        if dimension is Dimension.INFO_CREDIBILITY:
            filters.append(column.in_([int(key) for key in keys]))
        else:
            filters.append(column.in_(keys))
    return filters


def _document_filters(scope: ExportScope) -> list[Any]:
    filters: list[Any] = []
    if scope.documents:
        filters.append(_DOCUMENTS.c.id.in_(scope.documents))
    if scope.done_only:
        filters.append(_DOCUMENTS.c.status == "done")
    return filters


def _claims_query(conn: Connection, scope: ExportScope):  # type: ignore[no-untyped-def]
    raw = conn.dialect.name == "sqlite"
    claims = _table(scope)
    columns = [type_coerce(claims.c[name], String) if raw and name in _RAW else claims.c[name]
               for name in _CLAIM_COLUMNS]
    return (select(*columns, _SOURCES.c.name, _DOCUMENTS.c.sha256, _DOCUMENTS.c.title)
            .select_from(claims.join(_DOCUMENTS, _DOCUMENTS.c.id == claims.c.document_id)
                         .outerjoin(_SOURCES, _SOURCES.c.id == claims.c.source_id))
            .where(*_claim_filters(scope))
            .order_by(_DOCUMENTS.c.created_at, _DOCUMENTS.c.id, claims.c.start,
                      claims.c.end, claims.c.id))


def _review(conn: Connection, document_id: str, gold: bool) -> dict[str, Any]:
    """A document's review outcome per claim: for analysts' claims, claim id →
    ``accepted`` or ``rejected`` (absent: unreviewed); for the gold layer, gold
    claim id → provenance."""
    query = select(_ADJUDICATIONS).where(_ADJUDICATIONS.c.document_id == document_id)
    if gold:
        query = query.add_columns(_GOLD.c.id.label("gold_id")).join(
            _GOLD, _GOLD.c.adjudication_id == _ADJUDICATIONS.c.id)
    outcome: dict[str, Any] = {}
    for row in conn.execute(query).mappings():
        considered = row["considered"]
        if isinstance(considered, str):
            considered = json.loads(considered)
        if gold:
            outcome[row["gold_id"]] = {
                "adjudication_id": row["id"], "decision": row["decision"],
                "considered": list(considered), "span_from": row["span_from"],
                "labels_from": row["labels_from"], "adjudicator": row["adjudicator"],
                "adjudicated_at": _iso(row["created_at"])}
            continue
        used = {row["span_from"], row["labels_from"]}
        for claim_id in considered:
            if outcome.get(claim_id) != "accepted":
                outcome[claim_id] = "accepted" if claim_id in used else "rejected"
    return outcome


def _comments(conn: Connection, document_id: str) -> dict[str, list[dict[str, Any]]]:
    """Review comments on a document's claims, by claim id, oldest first."""
    query = (select(_COMMENTS.c.claim_id, _COMMENTS.c.id, _COMMENTS.c.author, _COMMENTS.c.body,
                    _COMMENTS.c.created_at)
             .join(_CLAIMS, _CLAIMS.c.id == _COMMENTS.c.claim_id)
             .where(_CLAIMS.c.document_id == document_id)
             .order_by(_COMMENTS.c.created_at, _COMMENTS.c.id))
    found: dict[str, list[dict[str, Any]]] = {}
    for claim_id, comment_id, author, body, created in conn.execute(query):
        found.setdefault(claim_id, []).append({"id": comment_id, "author": author, "body": body,
                                               "created_at": _iso(created)})
    return found


def _claim_records(conn: Connection, scope: ExportScope, batch: int = 2000,
                   limit: int | None = None,
                   refused: list[RefusedClaim] | None = None) -> Iterator[dict]:
    """Canonical claim records in document order, straight from Core rows (the
    first ``limit`` only, when given: SQLite then keeps a top-N, not a full sort).

    Each quote is cut from the document's text at the claim's offsets; a claim
    whose stored quote differs is left out and added to ``refused``."""
    query = _claims_query(conn, scope)
    if limit is not None:
        query = query.limit(limit)
    # Closed however the stream ends (an export cancelled half-way included): on
    # PostgreSQL it is a server-side cursor, which must not be left open.
    with conn.execution_options(yield_per=batch).execute(query) as result:
        document_query = select(_DOCUMENTS.c.metadata, _DOCUMENTS.c.text)
        text = ""
        current: str | None = None
        pages: list[int] | None = None
        review: dict[str, Any] = {}
        comments: dict[str, list[dict[str, Any]]] = {}
        gold = scope.gold_only
        page_span = claim_format.page_span
        for (claim_id, document_id, start, end, quote, prefix, suffix, proposition, stance,
             reliability, credibility, note, tags, annotator, created, updated, claim_type,
             likelihood, confidence, version, source_name, sha256, title) in result:
            if document_id != current:
                current = document_id
                metadata, text = conn.execute(
                    document_query.where(_DOCUMENTS.c.id == document_id)).one()
                pages = claim_format.page_starts(metadata)
                review = _review(conn, document_id, gold)
                comments = {} if gold else _comments(conn, document_id)
            refusal = check_quote(claim_id, document_id, text, start, end, quote)
            if refusal is not None:
                if refused is not None:
                    refused.append(refusal)
                continue
            page_start, page_end = page_span(pages, start, end) if pages else (None, None)
            record = {
                "id": claim_id, "document_id": document_id, "document_sha256": sha256,
                "document_title": title, "start": start, "end": end, "quote": quote,
                "prefix": prefix, "suffix": suffix, "proposition": proposition or None,
                "stance": stance,
                "source_reliability": reliability, "info_credibility": credibility, "note": note,
                "tags": _tags(tags), "annotator": annotator, "created_at": _iso(created),
                "updated_at": _iso(updated), "claim_type": claim_type,
                "claim_source": source_name or None, "likelihood": likelihood,
                "confidence": confidence, "codebook_version": version,
                "page_start": page_start, "page_end": page_end,
                "review_status": "gold" if gold else review.get(claim_id, "unreviewed"),
                "review_comments": comments.get(claim_id, []),
            }
            if gold:
                record["provenance"] = review.get(claim_id)
            yield record


def _document_records(conn: Connection, scope: ExportScope,
                      include_paths: bool = False) -> Iterator[dict]:
    """Documents in scope, in document order, each with its text (read a few at a
    time); local paths cut to file names unless ``include_paths``."""
    raw = conn.dialect.name == "sqlite"
    created = (type_coerce(_DOCUMENTS.c.created_at, String) if raw
               else _DOCUMENTS.c.created_at)
    query = (select(_DOCUMENTS.c.id, _DOCUMENTS.c.sha256, _DOCUMENTS.c.title,
                    _DOCUMENTS.c.source, _DOCUMENTS.c.published, _DOCUMENTS.c.metadata,
                    _DOCUMENTS.c.text, created, _DOCUMENTS.c.status, _DOCUMENTS.c.origin,
                    _DOCUMENTS.c.previous_id)
             .where(*_document_filters(scope))
             .order_by(_DOCUMENTS.c.created_at, _DOCUMENTS.c.id))
    with conn.execution_options(yield_per=4).execute(query) as result:
        for (doc_id, sha256, title, source, published, metadata, text, created_at,
             status, origin, previous_id) in result:
            record = {"id": doc_id, "sha256": sha256, "title": title, "source": source,
                      "published": published, "metadata": metadata, "text": text,
                      "created_at": _iso(created_at), "status": status, "origin": origin,
                      "previous_id": previous_id}
            yield record if include_paths else without_paths(record)


def _groups(documents: Iterator[dict], claims: Iterator[dict]) -> Iterator[
        tuple[dict, list[dict]]]:
    """Merge the document and claim streams (both in document order): each
    document with its claims, one document at a time."""
    grouped = itertools.groupby(claims, key=lambda record: record["document_id"])
    pending = next(grouped, None)
    for document in documents:
        if pending is not None and pending[0] == document["id"]:
            yield document, list(pending[1])
            pending = next(grouped, None)
        else:
            yield document, []
    if pending is not None:    # the two queries disagree on document order: a bug
        raise RuntimeError(f"claims of document {pending[0]} were not matched to it")


@contextmanager
def _snapshot(service: ProjectService) -> Iterator[Connection]:
    """One read transaction: everything read through it is one consistent state."""
    with service.database.reading() as session:
        yield session.connection()


def count(service: ProjectService, scope: ExportScope | None = None) -> ScopeCount:
    """The claims and documents in scope: for a progress bar or a confirmation."""
    scope = resolve_scope(service, scope or ExportScope())
    with _snapshot(service) as conn:
        return _count(conn, scope)


def _count(conn: Connection, scope: ExportScope) -> ScopeCount:
    table = _table(scope)
    claims, claimed = conn.execute(
        select(func.count(), func.count(table.c.document_id.distinct())).select_from(
            table.join(_DOCUMENTS, _DOCUMENTS.c.id == table.c.document_id))
        .where(*_claim_filters(scope))).one()
    documents = conn.execute(select(func.count()).select_from(_DOCUMENTS)
                             .where(*_document_filters(scope))).scalar() or 0
    return ScopeCount(claims or 0, documents, claimed or 0)


def annotators(service: ProjectService) -> list[tuple[str, int]]:
    """Every annotator with their number of claims, most claims first."""
    query = (select(_CLAIMS.c.annotator, func.count()).group_by(_CLAIMS.c.annotator)
             .order_by(func.count().desc(), _CLAIMS.c.annotator))
    with _snapshot(service) as conn:
        return [(name, n) for name, n in conn.execute(query)]


def resolve_scope(service: ProjectService, scope: ExportScope) -> ExportScope:
    """Check a scope against the project: documents (by id or SHA-256) that
    exist, annotators who made claims, label keys in the codebook. Returns the
    scope with document ids; raises :class:`ScopeError` naming what is wrong."""
    with _snapshot(service) as conn:
        if scope.gold_only and not conn.execute(select(func.count()).select_from(
                _GOLD)).scalar():
            raise ScopeError("no adjudicated (gold) claims in this project yet: compare "
                             "analysts and adjudicate their claims first (Review menu)")
        ids = []
        for wanted in scope.documents:
            found = conn.execute(select(_DOCUMENTS.c.id).where(
                (_DOCUMENTS.c.id == wanted) | (_DOCUMENTS.c.sha256 == wanted.lower()))).scalar()
            if found is None:
                raise ScopeError(f"no document {wanted!r} in this project (give a document "
                                 "id or the SHA-256 of its text)")
            ids.append(found)
        if scope.annotators:
            known = set(conn.execute(select(_table(scope).c.annotator).distinct()).scalars())
            unknown = [name for name in scope.annotators if name not in known]
            if unknown:
                listed = ", ".join(sorted(repr(name) for name in known)) or "(none)"
                raise ScopeError(f"no claims by {', '.join(map(repr, unknown))} in this "
                                 f"project; annotators: {listed}")
    if scope.labels:
        codebook = CodebookService(service.database).codebook()
        for dimension, keys in scope.labels:
            available = [label.key for label in codebook.of(dimension)]
            unknown = [key for key in keys if key not in available]
            if unknown:
                raise ScopeError(f"{dimension.value}: {', '.join(map(repr, unknown))} "
                                 f"{'is' if len(unknown) == 1 else 'are'} not in the codebook; "
                                 f"keys: {', '.join(available) or '(none)'}")
    return replace(scope, documents=tuple(dict.fromkeys(ids)))


# Writing ------------------------------------------------------------------------------

def _watched(records: Iterator[dict], total: int, progress: ProgressCallback | None,
             cancel: Callable[[], bool] | None, every: int = 256) -> Iterator[dict]:
    """Pass records through, reporting progress and stopping when cancelled
    (polled every ``every`` records and once more after the last one, before
    anything is renamed into place)."""
    if progress is None and cancel is None:
        yield from records
        return

    def check() -> None:
        if cancel is not None and cancel():
            raise ExportCancelled("the export was cancelled; nothing was written")

    done = 0
    for record in records:
        if done % every == 0:
            check()
            if progress is not None:
                progress(done, total)
        yield record
        done += 1
    check()
    if progress is not None:
        progress(done, total)


def _codebook(service: ProjectService) -> Codebook:
    return CodebookService(service.database).codebook()


def _write_codebook(codebook: Codebook, path: Path) -> None:
    with atomic_write(path, newline="\n") as handle:
        json.dump(codebook_to_dict(codebook), handle, ensure_ascii=False, indent=2)
        handle.write("\n")


def sidecar_path(out: str | Path, kind: str = "codebook", suffix: str = ".json") -> Path:
    """``claims.jsonl`` → ``claims.codebook.json`` (the codebook beside an export)."""
    out = Path(out)
    return out.with_name(f"{out.stem}.{kind}{suffix}")


def normalise_format(fmt: str) -> str:
    name = fmt.strip().lower().replace("_", "-")
    name = {"labelstudio": "label-studio", "ls": "label-studio", "w3c-json-ld": "w3c",
            "jsonld": "w3c", "zip": "package"}.get(name, name)
    if name not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of "
                          f"{', '.join(EXPORT_FORMATS)}")
    return name


def _check_options(options: ExportOptions) -> None:
    try:
        Dimension(options.span_label)
    except ValueError:
        raise ExportError(f"the span label must be a dimension: "
                          f"{', '.join(d.value for d in Dimension)}") from None
    if options.offset_unit not in doccano.OFFSET_UNITS:
        raise ExportError(f"offsets must be one of {', '.join(doccano.OFFSET_UNITS)}")


def _targets(fmt: str, out: Path, options: ExportOptions) -> list[Path]:
    """Every file (or folder) an export of ``fmt`` to ``out`` writes."""
    targets = [out]
    if FORMATS[fmt].claims and options.codebook_sidecar:
        targets.append(sidecar_path(out))
    if fmt == "label-studio":
        targets.append(sidecar_path(out, "label-config", ".xml"))
    return targets + interchange.sidecars(fmt, out)


def target_problem(project: str | Path, fmt: str, out: str | Path,
                   options: ExportOptions | None = None) -> str | None:
    """Why exporting ``fmt`` to ``out`` would write over a project, or None.

    Refused: ``project`` itself or its ``-wal``/``-shm``/``-journal`` files, any
    SQLite database (see :func:`annotator.formats.atomic.protected_reason`), as
    the export's main file or a file beside it; and, for a package folder, a
    folder that holds the project. The window and the command line both ask
    here; :func:`export` asks again before reading anything."""
    fmt = normalise_format(fmt)
    out = Path(out)
    for target in _targets(fmt, out, options or ExportOptions()):
        reason = protected_reason(target, [project])
        if reason is not None:
            return reason
    if fmt == "package" and out.suffix.lower() != ".zip":
        try:
            inside = Path(project).resolve().is_relative_to(out.resolve())
        except (OSError, RuntimeError):
            inside = True
        if inside:
            return (f"{out} holds the project {Path(project).name}; a package folder "
                    "never replaces a folder with the project in it")
    return None


def generator_agent() -> dict[str, str]:
    return {"type": "Software", "name": f"Annotator {__version__}"}


def export(service: ProjectService, fmt: str, out: str | Path,
           scope: ExportScope | None = None, options: ExportOptions | None = None, *,
           progress: ProgressCallback | None = None,
           cancel: Callable[[], bool] | None = None) -> ExportResult:
    """Export the claims (or documents) in ``scope`` as ``fmt`` to ``out``.

    ``package`` writes a folder, or a zip when ``out`` ends in ``.zip``; an
    existing folder is replaced only if it is an earlier package. ``progress``
    and ``cancel`` (polled every few hundred records) are for a window's
    progress bar; a cancelled export raises :class:`ExportCancelled` and leaves
    the target as it was. Raises :class:`ExportError` for what the user can fix
    (a target that is a project, scope, options, pyarrow missing, and a file that
    cannot be written, naming the target and why: a full disk, a file-size
    limit). Partial files that killed exports left in the target's folder are
    removed first (:attr:`ExportResult.cleaned`). Claims whose stored quote is
    not their text are left out and listed in :attr:`ExportResult.refused`.
    """
    fmt = normalise_format(fmt)
    out = Path(out)
    options = options or ExportOptions()
    problem = target_problem(service.location, fmt, out, options)
    if problem is not None:
        raise ExportError(problem)
    scope = resolve_scope(service, scope or ExportScope())
    codebook = _codebook(service)
    _check_options(options)
    if fmt == "parquet" and not parquet.available():
        raise ExportError(parquet.INSTALL_HINT)
    if (hint := interchange.missing(fmt)) is not None:
        raise ExportError(hint)
    result = ExportResult(fmt, out, files=[out], cleaned=remove_stale_parts(out.parent))
    try:
        _write(service, fmt, out, scope, options, codebook, result, progress, cancel)
    except (ExportError, FolderInTheWay, ProtectedFileError):
        raise
    except OSError as error:
        raise ExportError(write_problem(out, error)) from error
    return result


def write_problem(out: str | Path, error: OSError) -> str:
    """Why writing the export ``out`` failed, naming it (not the project, which is
    only read): a full disk, a file-size limit, or the system's reason."""
    reason = no_room_reason(Path(out).parent, error.errno) or error.strerror or str(error)
    return f"{out}: could not be written: {reason}"


def _write(service: ProjectService, fmt: str, out: Path, scope: ExportScope,
           options: ExportOptions, codebook: Codebook, result: ExportResult,
           progress: ProgressCallback | None, cancel: Callable[[], bool] | None) -> None:
    with _snapshot(service) as conn:
        claims_total, documents_total, _ = (_count(conn, scope) if progress is not None
                                            else (0, 0, 0))
        documents = _document_records(conn, scope, options.include_paths)
        if fmt == "documents":
            with atomic_write(out, newline="\n") as handle:
                result.documents = write_jsonl(
                    handle, _watched(documents, documents_total, progress, cancel))
            return
        claims = _watched(link_records.with_relations(conn, _claim_records(
            conn, scope, refused=result.refused), scope.gold_only, fmt), claims_total, progress,
            cancel)
        if fmt == "package":
            stats = _write_package(service, conn, scope, documents, claims, codebook, out)
            result.claims, result.documents = stats.claims, stats.documents
            return
        if fmt in interchange.FORMATS:
            result.claims = interchange.write(
                fmt, out, _counting(_groups(documents, claims), result), codebook,
                name=_project_name(service), exported_at=_now(),
                span_label=options.span_label, notes=result.notes, files=result.files)
        elif fmt in ("label-studio", "doccano"):
            groups = _counting(_groups(documents, claims), result)
            with atomic_write(out, newline="\n") as handle:
                if fmt == "label-studio":
                    result.claims = label_studio.write_tasks(handle, groups,
                                                             span_label=options.span_label)
                else:
                    result.claims = doccano.write_doccano(
                        handle, groups, span_label=options.span_label,
                        offset_unit=options.offset_unit, notes=result.notes)
        elif fmt == "jsonl":
            with atomic_write(out, newline="\n") as handle:
                result.claims = write_jsonl(handle, claims)
        elif fmt == "csv":
            with atomic_write(out, newline="",
                              encoding="utf-8-sig" if options.bom else "utf-8") as handle:
                result.claims = write_csv(handle, claims)
        elif fmt == "w3c":
            with atomic_write(out, newline="\n") as handle:
                result.claims = w3c.write_w3c(handle, claims, generator=generator_agent(),
                                              generated=_now())
        elif fmt == "parquet":
            with atomic_path(out) as temp:
                result.claims = parquet.write_parquet(temp, claims, metadata={
                    "generator": f"Annotator {__version__}", "exported_at": _now()})
    if options.codebook_sidecar:
        codebook_file = sidecar_path(out)
        _write_codebook(codebook, codebook_file)
        result.files.append(codebook_file)
    if fmt == "label-studio":
        config_file = sidecar_path(out, "label-config", ".xml")
        with atomic_write(config_file, newline="\n") as handle:
            handle.write(label_studio.label_config(codebook, options.span_label))
        result.files.append(config_file)


def _counting(groups: Iterator[tuple[dict, list[dict]]],
              result: ExportResult) -> Iterator[tuple[dict, list[dict]]]:
    for group in groups:
        result.documents += 1
        yield group


def _now() -> str:
    return claim_format.format_timestamp(datetime.now(UTC))


def _project_name(service: ProjectService) -> str:
    name = Path(service.location).name
    for suffix in (".sqlite", ".annotator", ".db"):
        name = name.removesuffix(suffix)
    return name or "Annotator project"


def _agreement(conn: Connection, scope: ExportScope,
               codebook: Codebook) -> tuple[list[str], dict[str, Any] | None]:
    """The analysts on the scope's documents and, when there are two or more,
    their agreement before adjudication (the analysts' layer, whatever the scope's
    layer; label filters do not apply: agreement is about all their labels)."""
    documents = [row[0] for row in conn.execute(
        select(_DOCUMENTS.c.id).where(*_document_filters(scope)))]
    query = select(_CLAIMS.c.annotator).distinct().where(_CLAIMS.c.document_id.in_(documents))
    analysts = sorted(conn.execute(query).scalars())
    if not scope.gold_only and scope.annotators:
        analysts = [name for name in analysts if name in scope.annotators]
    if len(analysts) < 2:
        return analysts, None
    # In the export's own snapshot, like everything else the package holds.
    return analysts, agreement_on(conn, analysts, codebook, document_ids=documents,
                                  per_document=False)


def _write_package(service: ProjectService, conn: Connection, scope: ExportScope,
                   documents: Iterator[dict], claims: Iterator[dict], codebook: Codebook,
                   out: Path) -> package.PackageStats:
    stats = package.PackageStats(name=_project_name(service), app_version=__version__,
                                 exported_at=_now(), scope=scope.describe())
    stats.analysts, stats.agreement = _agreement(conn, scope, codebook)
    args = (documents, claims, codebook, codebook_to_dict(codebook), stats,
            link_records.package_relations(conn, _table(scope), _claim_filters(scope)))
    if out.suffix.lower() == ".zip":
        with atomic_binary(out) as handle:
            return package.write_zip(handle, out.stem, *args)
    try:
        with atomic_directory(out, replaceable=package.PACKAGE_FILES) as folder:
            return package.write_folder(folder, *args)
    except (FolderInTheWay, ProtectedFileError) as error:
        raise ExportError(str(error)) from None


# Preview -------------------------------------------------------------------------------

#: Document text longer than this is cut in a preview (never in an export).
PREVIEW_TEXT = 400


def _cut(document: dict) -> dict:
    text = document["text"]
    if len(text) <= PREVIEW_TEXT:
        return document
    return {**document, "text": text[:PREVIEW_TEXT] + f"… ({len(text)} characters)"}


def _first_claim_records(conn: Connection, scope: ExportScope, limit: int) -> list[dict]:
    """The first ``limit`` records of the scope, read document by document (each
    through the claims' document index) instead of ordering the whole scope."""
    found: list[dict] = []
    documents = select(_DOCUMENTS.c.id).where(*_document_filters(scope)).order_by(
        _DOCUMENTS.c.created_at, _DOCUMENTS.c.id)
    for document_id in conn.execute(documents).scalars().all():
        if len(found) >= limit:
            break
        found += link_records.with_relations(conn, _claim_records(conn, replace(
            scope, documents=(document_id,)), limit=limit - len(found)), scope.gold_only)
    return found


def preview(service: ProjectService, fmt: str, scope: ExportScope | None = None,
            options: ExportOptions | None = None, limit: int = 3) -> str:
    """The first ``limit`` records of an export as text, for a dialog to show
    before exporting (document texts cut to :data:`PREVIEW_TEXT` characters).
    Parquet is previewed as its rows in JSON; a package as its claims."""
    fmt = normalise_format(fmt)
    options = options or ExportOptions()
    scope = resolve_scope(service, scope or ExportScope())
    buffer = io.StringIO()
    with _snapshot(service) as conn:
        claims = _first_claim_records(conn, scope, limit)
        documents = _document_records(conn, scope, options.include_paths)
        if fmt == "documents":
            write_jsonl(buffer, (_cut(d) for d in itertools.islice(documents, limit)))
        elif fmt == "csv":
            write_csv(buffer, claims)
        elif fmt == "w3c":
            annotations = [w3c.annotation(r, generator=generator_agent(), generated=_now())
                           for r in claims]
            buffer.write(json_dumps(annotations, indent=2))
        elif fmt in ("label-studio", "doccano", *interchange.FORMATS):
            # The first document with its first claims (not all of its claims).
            for document in itertools.islice(documents, 1):
                records = _first_claim_records(
                    conn, replace(scope, documents=(document["id"],)), limit)
                if fmt in interchange.FORMATS:
                    buffer.write(interchange.preview(fmt, document, records,
                                                     _codebook(service), options.span_label))
                elif fmt == "label-studio":
                    item = label_studio.task(document, records, options.span_label)
                    item["data"] = _cut(item["data"])
                    buffer.write(json_dumps([item], indent=2))
                else:
                    item = doccano.line(document, records, span_label=options.span_label,
                                        offset_unit=options.offset_unit)
                    buffer.write(json_text(_cut(item)))
        else:
            write_jsonl(buffer, claims)
    return buffer.getvalue()
