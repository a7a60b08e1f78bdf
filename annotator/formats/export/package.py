"""The dataset package: a folder (or a zip of one) that stands on its own.

::

    <name>/
      documents.jsonl   one document a line: id, sha256, title, source, published,
                        metadata, text, created_at, status, origin, previous_id
      claims.jsonl      one canonical claim record a line (annotator.formats.claims)
      codebook.json     the labels' keys and meanings (annotator.domain.codebook)
      links.jsonl       one link between two claims a line ("target <relation> claim")
      fever.jsonl       FEVER-style claim–evidence records, from the links
      README.md         the data card: what is in it, counts, how to load it

A zip holds the same files under one folder named after the zip
(``corpus.zip`` → ``corpus/…``), so unpacking it gives the folder.
``README.md`` starts with the YAML block of a Hugging Face dataset card, so
``datasets.load_dataset("path/to/<name>")`` finds the claims (and the
documents as a second configuration).

:func:`write_package` streams both JSONL files and counts as it goes; the data
card, written last, reports the counts. :class:`PackageReader` opens a package
(folder or zip) for import.
"""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from annotator.domain.codebook import Codebook, Dimension
from annotator.domain.wording import plural
from annotator.formats import jsonl
from annotator.formats.claims import RECORD_FIELDS
from annotator.formats.export.streams import json_text
from annotator.formats.problems import ImportProblem
from annotator.review.tables import markdown_table, undefined_reasons

DOCUMENTS = "documents.jsonl"
CLAIMS = "claims.jsonl"
CODEBOOK = "codebook.json"
CARD = "README.md"
LINKS = "links.jsonl"
FEVER = "fever.jsonl"
PACKAGE_FILES = (DOCUMENTS, CLAIMS, CODEBOOK, CARD, LINKS, FEVER)
#: The fields of a links.jsonl record, and of a fever.jsonl record.
LINK_FIELDS = ("claim_id", "id", "target_id", "relation", "analyst", "created_at")
FEVER_FIELDS = ("id", "claim_id", "claim", "label", "evidence")
#: What writes links.jsonl and fever.jsonl (after the claims): their records.
Relations = Callable[[], tuple[Iterable[dict[str, Any]], Iterable[dict[str, Any]]]]
#: Documents listed by name in the data card; the rest are counted.
CARD_DOCUMENTS = 50

#: The fields of a documents.jsonl record (and of ``export --format documents``):
#: the document's id, hash, title, source, publication date, metadata and text,
#: then when it was imported, its status, where it came from and the version it
#: replaces.
PACKAGE_DOCUMENT_FIELDS = ("id", "sha256", "title", "source", "published", "metadata", "text",
                           "created_at", "status", "origin", "previous_id")

#: The Hub's size categories (``size_categories`` in a card): (upper bound, name).
SIZE_CATEGORIES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
                   (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M"),
                   (100_000_000, "10M<n<100M"), (1_000_000_000, "100M<n<1B"))
#: The Hub's task categories of labelled claims: spans (token classification) with
#: labels (text classification).
TASK_CATEGORIES = ("token-classification", "text-classification")
_LANGUAGE = re.compile(r"^([a-z]{2,3})(?:[-_][A-Za-z0-9]+)*$")


def size_category(count: int) -> str:
    for bound, name in SIZE_CATEGORIES:
        if count < bound:
            return name
    return "n>1T"


def document_language(record: dict[str, Any]) -> str | None:
    """The ISO 639 code of a document's language, as its importer recorded it
    (``metadata["language"]``: a web page's ``lang``, a Word file's language)."""
    metadata = record.get("metadata")
    value = metadata.get("language") if isinstance(metadata, dict) else None
    match = _LANGUAGE.match(value.strip().lower()) if isinstance(value, str) else None
    return match[1] if match else None


FIELD_MEANINGS = {
    "id": "UUID of the claim",
    "document_id": "the document's `id` in documents.jsonl",
    "document_sha256": "SHA-256 of the document's text (UTF-8)",
    "document_title": "the document's title",
    "start": "start of the span, in Unicode code points",
    "end": "end of the span (exclusive), in Unicode code points",
    "quote": "the span's text: `text[start:end]`",
    "prefix": "up to 32 code points before the span",
    "suffix": "up to 32 code points after the span",
    "proposition": "the proposition the stance is judged against",
    "stance": "stance key (codebook.json), or null",
    "source_reliability": "Admiralty source reliability A–F, or null",
    "info_credibility": "Admiralty information credibility 1–6, or null",
    "note": "the annotator's note",
    "tags": "list of tags",
    "annotator": "who made the claim",
    "created_at": "when the claim was made (ISO 8601, UTC)",
    "updated_at": "when it was last changed (ISO 8601, UTC)",
    "claim_type": "claim-type key, or null",
    "claim_source": "who makes the claim in the text, or null",
    "likelihood": "ICD 203 likelihood key, or null",
    "confidence": "ICD 203 confidence key, or null",
    "codebook_version": "the codebook version the claim was made under",
    "page_start": "1-based page the span starts on (paged documents), or null",
    "page_end": "1-based page the span ends on (paged documents), or null",
    "review_status": "`unreviewed`, `accepted` (made into a gold claim) or `rejected` "
                     "(decided on, not used); `gold` for an adjudicated claim, which also "
                     "has `provenance` (the claims it came from, who decided, when)",
    "review_comments": "reviewers' comments on the claim: `id`, `author`, `body`, "
                       "`created_at`",
    "links": "the claim's confirmed links: `id`, `target_id` (another claim's `id`), "
             "`relation` (`same`, `supports`, `refutes`, `not_enough_info`: the target "
             "*relation* this claim), `analyst`, `created_at`",
    "cluster": "the smallest claim `id` of the claims linked to this one as `same` "
               "(its own `id` when none)",
    "dismissed": "passages the analyst said do not state the claim: `document_id`, "
                 "`start`, `end` (code points), `analyst`, `created_at`",
}


def _yaml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)   # a JSON string is a YAML string


def _cell(text: object) -> str:
    """Markdown table cell text: no line breaks, pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


@dataclass
class PackageStats:
    """What a package holds, counted while it is written; the data card reports it."""

    name: str
    app_version: str
    exported_at: str
    scope: list[str] = field(default_factory=list)
    documents: int = 0
    claims: int = 0
    #: (id, title, status) of the first :data:`CARD_DOCUMENTS` documents.
    listed: list[tuple[str, str, str]] = field(default_factory=list)
    per_document: Counter[str] = field(default_factory=Counter)
    per_annotator: Counter[str] = field(default_factory=Counter)
    per_label: dict[str, Counter[str]] = field(default_factory=dict)
    codebook_version: int = 1
    #: Agreement between the annotators before adjudication
    #: (:func:`annotator.review.agreement_report`), when there are several.
    agreement: dict[str, Any] | None = None
    #: The annotators of the analysts' claims on these documents.
    analysts: list[str] = field(default_factory=list)
    #: The documents' languages (ISO 639 codes) where their importer recorded one.
    languages: Counter[str] = field(default_factory=Counter)
    #: The records of links.jsonl and fever.jsonl.
    links: int = 0
    fever: int = 0

    def count_document(self, record: dict[str, Any]) -> None:
        self.documents += 1
        if (language := document_language(record)) is not None:
            self.languages[language] += 1
        if len(self.listed) < CARD_DOCUMENTS:
            self.listed.append((record["id"], record["title"], record.get("status", "")))

    def count_link(self, _record: dict[str, Any]) -> None:
        self.links += 1

    def count_fever(self, _record: dict[str, Any]) -> None:
        self.fever += 1

    def count_claim(self, record: dict[str, Any]) -> None:
        self.claims += 1
        self.per_document[record["document_id"]] += 1
        self.per_annotator[record.get("annotator") or ""] += 1
        for dimension in Dimension:
            value = record.get(dimension.value)
            self.per_label.setdefault(dimension.value, Counter())[
                "" if value is None else str(value)] += 1


def data_card(stats: PackageStats, codebook: Codebook) -> str:
    """The package's README.md."""
    claimed = len(stats.per_document)       # the documents with claims in the package
    languages = sorted(stats.languages, key=lambda code: (-stats.languages[code], code))
    lines = [
        "---",
        f"pretty_name: {_yaml_string(stats.name)}",
        # The analyst decides the licence; the Hub shows "unknown" until they do.
        "license: unknown",
        *(["language:", *(f"- {code}" for code in languages)] if languages else []),
        "task_categories:",
        *(f"- {task}" for task in TASK_CATEGORIES),
        "size_categories:",
        f"- {size_category(stats.claims)}",
        "configs:",
        "- config_name: claims",
        f"  data_files: {CLAIMS}",
        "  default: true",
        "- config_name: documents",
        f"  data_files: {DOCUMENTS}",
        *(line for name, count in ((LINKS, stats.links), (FEVER, stats.fever)) if count
          for line in (f"- config_name: {name.removesuffix('.jsonl')}",
                       f"  data_files: {name}")),
        "---",
        "",
        f"# {stats.name}: labelled claims",
        "",
        f"Exported on {stats.exported_at} by Annotator {stats.app_version}: "
        f"{stats.claims} claim{'s' if stats.claims != 1 else ''} in "
        f"{claimed} document{'s' if claimed != 1 else ''}, labelled with "
        f"codebook version {stats.codebook_version}"
        + (f" ({DOCUMENTS} lists {stats.documents}: those without claims too)."
           if stats.documents != claimed else "."),
        "",
        "Licence: not set (`license: unknown` above); choose one before publishing. "
        + (f"Languages: {', '.join(languages)} (as the documents' importers recorded them)."
           if languages else "Languages: not recorded on the documents; add `language:` "
           "codes above before publishing."),
        "",
        "## Files",
        "",
        "| file | contents |",
        "| --- | --- |",
        f"| `{DOCUMENTS}` | {stats.documents} documents, one JSON object a line: "
        f"{', '.join(f'`{name}`' for name in PACKAGE_DOCUMENT_FIELDS)} |",
        f"| `{CLAIMS}` | {stats.claims} claims, one JSON object a line (fields below) |",
        f"| `{CODEBOOK}` | the codebook: every label's key, name and description |",
        f"| `{LINKS}` | {plural(stats.links, 'link')} between claims, one JSON object a line: "
        f"{', '.join(f'`{name}`' for name in LINK_FIELDS)}; the target *relation* the "
        "claim (`same`, `supports`, `refutes`, `not_enough_info`) |",
        f"| `{FEVER}` | {plural(stats.fever, 'FEVER-style record')}, one per claim and relation: "
        "`id` (`<claim id>:<relation>`), `claim_id`, `claim` (the proposition, or the "
        "quote), `label` (`SUPPORTS`, `REFUTES`, `NOT ENOUGH INFO`), `evidence` (a list "
        "of `[document id, start, end, quote]`: the linked claims' spans) |",
        f"| `{CARD}` | this data card |",
        "",
        "## Scope",
        "",
        *(f"- {line}" for line in (stats.scope or ["all documents and claims"])),
        "",
        "## Claim fields",
        "",
        "| field | meaning |",
        "| --- | --- |",
        *(f"| `{name}` | {FIELD_MEANINGS.get(name, '')} |" for name in RECORD_FIELDS),
        "",
        "Offsets are Unicode code points into the document's `text`, as Python "
        "indexes strings: `text[start:end] == quote` for every claim. Tools that "
        "count UTF-16 code units (JavaScript) must convert: a character outside the "
        "Basic Multilingual Plane, such as an emoji, is one code point but two units.",
        "",
        "## Counts",
        "",
        "### Per annotator",
        "",
        "| annotator | claims |",
        "| --- | ---: |",
        *(f"| {_cell(name) or '(unnamed)'} | {count} |"
          for name, count in sorted(stats.per_annotator.items(), key=lambda i: (-i[1], i[0]))),
        "",
        "### Per label",
        "",
    ]
    for dimension in Dimension:
        counts = stats.per_label.get(dimension.value, Counter())
        labels = codebook.of(dimension)
        if not labels and not any(key for key in counts):
            continue
        lines += [f"#### {dimension.title} (`{dimension.value}`)", "",
                  "| key | label | claims |", "| --- | --- | ---: |"]
        known = set()
        for label in labels:
            known.add(label.key)
            retired = " (retired)" if label.retired else ""
            lines.append(f"| `{label.key}` | {_cell(label.name)}{retired} | "
                         f"{counts.get(label.key, 0)} |")
        for key, count in sorted(counts.items()):
            if key and key not in known:
                lines.append(f"| `{key}` | (not in the codebook) | {count} |")
        lines += [f"| (none) | unlabelled | {counts.get('', 0)} |", ""]
    lines += ["### Documents", "", "| document | id | status | claims |",
              "| --- | --- | --- | ---: |"]
    lines += [f"| {_cell(title)} | `{doc_id}` | {status} | {stats.per_document.get(doc_id, 0)} |"
              for doc_id, title, status in stats.listed]
    if stats.documents > len(stats.listed):
        lines.append(f"| … and {stats.documents - len(stats.listed)} more | | | |")
    lines += ["", "## Agreement", ""]
    if stats.agreement is not None:
        lines += _agreement_section(stats.agreement)
    else:
        lines.append(f"Fewer than two annotators labelled these documents "
                     f"({', '.join(_cell(a) for a in stats.analysts) or 'none'}): there is no "
                     "inter-annotator agreement to report.")
    lines += [
        "",
        "## Loading",
        "",
        "With pandas:",
        "",
        "```python",
        "import pandas as pd",
        "",
        f'claims = pd.read_json("{CLAIMS}", lines=True, dtype={{"info_credibility": "Int64"}})',
        f'documents = pd.read_json("{DOCUMENTS}", lines=True)',
        'texts = documents.set_index("id")["text"]',
        'row = claims.iloc[0]',
        'assert texts[row.document_id][row.start:row.end] == row.quote',
        "```",
        "",
        "With Hugging Face `datasets`:",
        "",
        "```python",
        "from datasets import load_dataset",
        "",
        f'claims = load_dataset("json", data_files="{CLAIMS}", split="train")',
        f'documents = load_dataset("json", data_files="{DOCUMENTS}", split="train")',
        *(f'{name.removesuffix(".jsonl")} = load_dataset("json", data_files="{name}", '
          'split="train")'
          for name, count in ((LINKS, stats.links), (FEVER, stats.fever)) if count),
        "# or, from the folder that holds this card:",
        '# load_dataset("path/to/this/folder")                  # the claims',
        '# load_dataset("path/to/this/folder", "documents")     # the documents',
        "```",
        "",
        "To continue labelling, import the package into Annotator: "
        "`annotator import --project PROJECT PACKAGE` (the folder or the zip) "
        "restores the documents, the labels of the codebook the claims use, and the claims "
        "with their links and dismissed passages.",
        "",
    ]
    return "\n".join(lines)


def _agreement_section(report: dict[str, Any]) -> list[str]:
    analysts = report["analysts"]
    matching = report["matching"]
    counts = report.get("counts", {})
    rule = ("the same span" if matching.get("measure") == "exact" else
            f"spans whose {matching.get('measure')} is at least {matching.get('threshold')}")
    lines = [
        f"Between the {len(analysts)} annotators ({', '.join(_cell(a) for a in analysts)}), "
        "before adjudication, over the documents in this package. Claims are matched "
        f"when they mark {rule}; label agreement is over matched claims "
        f"({counts.get('units', 0)} units, {counts.get('by_all', 0)} marked by everyone). "
        "Cohen's κ is given for two annotators; Krippendorff's α (nominal for stance "
        "and claim type, ordinal for the graded scales, with F and 6, \"cannot be "
        "judged\", as missing values) for any number. Span precision, recall and F1 take "
        f"{_cell(analysts[0])} as the reference"
        + (" (mean over pairs of annotators)." if len(analysts) > 2 else "."),
        "",
        *markdown_table(report),
    ]
    notes = undefined_reasons(report)
    if notes:
        lines += ["", "Undefined figures (—):", "", *(f"- {_cell(note)}" for note in notes)]
    return lines


def _json_lines(handle: IO[str], records: Iterable[dict[str, Any]],
                counter: Callable[[dict[str, Any]], None]) -> None:
    encode = json_text
    for record in records:
        handle.write(encode(record))
        handle.write("\n")
        counter(record)


Opener = Callable[[str], AbstractContextManager[IO[str]]]


def _folder_opener(folder: Path) -> Opener:
    def opener(name: str) -> AbstractContextManager[IO[str]]:
        return open(folder / name, "w", encoding="utf-8", newline="\n")
    return opener


def _zip_opener(archive: zipfile.ZipFile, prefix: str) -> Opener:
    @contextmanager
    def opener(name: str) -> Iterator[IO[str]]:
        info = zipfile.ZipInfo(f"{prefix}/{name}", time.localtime()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        with archive.open(info, "w", force_zip64=True) as raw, \
                io.TextIOWrapper(raw, encoding="utf-8", newline="\n") as text:
            yield text
    return opener


def write_package_files(opener: Opener, documents: Iterable[dict[str, Any]],
                        claims: Iterable[dict[str, Any]], codebook: Codebook,
                        codebook_dict: dict[str, Any], stats: PackageStats,
                        relations: Relations | None = None) -> PackageStats:
    """Write the files through ``opener(name)``: documents, claims, links and
    FEVER records (all streamed), codebook, then the data card with the counts."""
    with opener(DOCUMENTS) as handle:
        _json_lines(handle, documents, stats.count_document)
    with opener(CLAIMS) as handle:
        _json_lines(handle, claims, stats.count_claim)
    links, fever = relations() if relations is not None else ((), ())
    with opener(LINKS) as handle:
        _json_lines(handle, links, stats.count_link)
    with opener(FEVER) as handle:
        _json_lines(handle, fever, stats.count_fever)
    with opener(CODEBOOK) as handle:
        json.dump(codebook_dict, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
    stats.codebook_version = codebook.version
    with opener(CARD) as handle:
        handle.write(data_card(stats, codebook))
    return stats


def write_folder(folder: Path, *args: Any) -> PackageStats:
    return write_package_files(_folder_opener(folder), *args)


def write_zip(handle: IO[bytes], name: str, *args: Any) -> PackageStats:
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        return write_package_files(_zip_opener(archive, name), *args)


# Reading -------------------------------------------------------------------------------

#: Most bytes a package's JSONL member may inflate to.
MAX_MEMBER_BYTES = 4 * 1024 * jsonl.MiB
#: Most bytes ``codebook.json`` may inflate to.
MAX_CODEBOOK_BYTES = 16 * jsonl.MiB
#: Largest inflated-to-compressed ratio of a member bigger than RATIO_FLOOR
#: (JSON text compresses 3 to 20 times; a zip bomb thousands of times).
MAX_RATIO = 200
RATIO_FLOOR = jsonl.MiB
#: What reading a damaged zip member raises.
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
              ValueError)


def _zip_prefix(names: Iterable[str]) -> str | None:
    """The folder inside a zip that holds a package ("" for the root), or None."""
    names = set(names)
    if CLAIMS in names and DOCUMENTS in names:
        return ""
    tops = {name.split("/", 1)[0] for name in names if "/" in name}
    candidates = [top for top in tops
                  if f"{top}/{CLAIMS}" in names and f"{top}/{DOCUMENTS}" in names]
    return candidates[0] if len(candidates) == 1 else None


def is_package(path: str | Path) -> bool:
    """Whether ``path`` is a dataset package: a folder, or a ``.zip``, holding
    ``documents.jsonl`` and ``claims.jsonl``."""
    path = Path(path)
    if path.is_dir():
        return (path / CLAIMS).is_file() and (path / DOCUMENTS).is_file()
    if path.suffix.lower() == ".zip" and path.is_file():
        try:
            with zipfile.ZipFile(path) as archive:
                return _zip_prefix(archive.namelist()) is not None
        except ZIP_ERRORS:
            return False
    return False


class PackageReader:
    """A package opened for reading, folder or zip."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._zip: zipfile.ZipFile | None = None
        self._prefix = ""
        if self.path.is_dir():
            missing = [name for name in (DOCUMENTS, CLAIMS) if not (self.path / name).is_file()]
        else:
            try:
                self._zip = zipfile.ZipFile(self.path)
            except ZIP_ERRORS as error:
                raise ImportProblem(self.path, f"is not a readable zip file ({error})") from None
            prefix = _zip_prefix(self._zip.namelist())
            missing = [] if prefix is not None else [DOCUMENTS, CLAIMS]
            self._prefix = f"{prefix}/" if prefix else ""
        if missing:
            self.close()
            raise ImportProblem(self.path, "is not a dataset package (no "
                                f"{' or '.join(missing)})")

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    def __enter__(self) -> PackageReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def where(self, name: str) -> str:
        """How problems name a file of the package."""
        return f"{self.path}/{self._prefix}{name}" if self._zip else str(self.path / name)

    def has(self, name: str) -> bool:
        if self._zip is not None:
            return f"{self._prefix}{name}" in self._zip.NameToInfo
        return (self.path / name).is_file()

    def _limit(self, name: str) -> int:
        return MAX_CODEBOOK_BYTES if name == CODEBOOK else MAX_MEMBER_BYTES

    def _check_size(self, name: str) -> None:
        """Refuse a member whose stated size is over its limit, or that inflates
        like a zip bomb, before inflating a byte of it."""
        limit = self._limit(name)
        if self._zip is None:
            return      # a folder's file: jsonl.open_bounded checks its size
        info = self._zip.getinfo(f"{self._prefix}{name}")
        if info.file_size > limit:
            raise ImportProblem(self.where(name), f"inflates to {jsonl.size_text(info.file_size)}"
                                f", more than the {jsonl.size_text(limit)} allowed; refused "
                                "(it may be a zip bomb)")
        if info.file_size > RATIO_FLOOR and \
                info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ImportProblem(self.where(name), "inflates "
                                f"{info.file_size // max(info.compress_size, 1):,} times "
                                "its compressed size; refused (a zip bomb)")

    @contextmanager
    def open(self, name: str) -> Iterator[IO[bytes]]:
        """A member opened for reading bytes, refused (:class:`ImportProblem`)
        when it is over its size limit; errors reading it become
        :class:`ImportProblem` too."""
        self._check_size(name)
        where = self.where(name)
        try:
            if self._zip is not None:
                handle: IO[bytes] = self._zip.open(f"{self._prefix}{name}")
            elif (self.path / name).is_symlink():     # never read outside the package
                raise ImportProblem(where, "is a link; a package's files must be in it")
            else:
                handle = jsonl.open_bounded(self.path / name, self._limit(name))
            with handle:
                yield handle
        except ImportProblem:
            raise
        except ZIP_ERRORS as error:
            raise ImportProblem(where, f"cannot be read ({error})") from None

    def verify(self, name: str) -> None:
        """Read a zip member through (its size is counted, its checksum checked)
        without keeping it, so that a damaged one is refused before anything of
        it is stored. (A folder's file is checked by its size.)"""
        limit = self._limit(name)
        with self.open(name) as handle:
            if self._zip is None:
                return
            total = 0
            while chunk := handle.read(jsonl.CHUNK):
                total += len(chunk)
                if total > limit:
                    raise ImportProblem(self.where(name), f"holds more than "
                                        f"{jsonl.size_text(limit)}; refused")

    def records(self, name: str) -> Iterator[tuple[int, Any]]:
        """(line number, record or :class:`~annotator.formats.jsonl.BadRecord`)
        of a JSONL member (see :func:`annotator.formats.jsonl.read_records`)."""
        with self.open(name) as handle:
            yield from jsonl.read_records(
                handle, self.where(name), max_bytes=self._limit(name),
                max_line=jsonl.MAX_DOCUMENT_LINE_BYTES if name == DOCUMENTS else None)

    def read_json(self, name: str) -> Any:
        """A JSON member (the codebook), bounded and checked as a record is."""
        with self.open(name) as handle:
            data = jsonl.read_bounded(handle, self.where(name), self._limit(name))
        return jsonl.parse_document(data.removeprefix(b"\xef\xbb\xbf"), self.where(name))
