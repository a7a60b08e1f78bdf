"""REFI-QDA project exchange (``.qdpx``, QDA-XML 1.0, ``urn:QDA-XML:project:1.0``),
which ATLAS.ti, MAXQDA, NVivo, QualCoder and others import.

A ``.qdpx`` is a zip: ``project.qde`` (the project XML) and ``sources/<guid>.txt``
(each document's text, UTF-8, referred to as ``internal://<guid>.txt``).

- Documents are ``TextSource``\\ s (``name`` the title).
- Each claim is a ``PlainTextSelection`` (``guid`` the claim's id, ``name`` its
  proposition when it has one, ``creatingUser`` its analyst, creation and
  modification times), coded with the code ``Claim`` and one code per label.
- Positions: zero-based character (code point) positions into the source's
  text. Programs disagree on whether ``\\r\\n`` is one character or two, so
  the text is written with every line end as ``\\n`` and positions count that
  text (:class:`annotator.domain.offsets.FoldedLineEnds`, the one place this
  is worked out); the quote is the claim's quote with its line ends folded.
- The codebook: ``Claim``, then per dimension (stance, source reliability,
  information credibility, claim type, likelihood, confidence) a code that is
  not codable, holding a codable code per label (``name`` as the app lists it,
  ``color``, ``Description`` ``key: <key>`` and the meaning); each dimension is
  also a ``Set`` of its codes (a code group in ATLAS.ti).
- Notes are ``Note``\\ s (memos) referred to by their selection's ``NoteRef``.
- Analysts are ``User``\\ s.
- Lost: tags, claim source, review status; ``\\r`` of line ends (see above).

Beside the project, ``<name>.qdc`` is the codebook alone (QDA-XML codebook,
``urn:QDA-XML:codebook:1.0``), with the same codes and GUIDs, for programs
that import a codebook into a project of their own.
"""

from __future__ import annotations

import uuid
import zipfile
from collections.abc import Iterable
from typing import IO, Any

from lxml import etree

from annotator.domain.codebook import Codebook, Dimension
from annotator.domain.offsets import FoldedLineEnds
from annotator.formats.export.safety import xml_text as _xml_safe

DocumentGroup = tuple[dict[str, Any], list[dict[str, Any]]]

NAMESPACE = "urn:QDA-XML:project:1.0"
CODEBOOK_NAMESPACE = "urn:QDA-XML:codebook:1.0"
CODEBOOK_SUFFIX = ".qdc"
_NS = f"{{{NAMESPACE}}}"
PROJECT_FILE = "project.qde"
CLAIM_CODE = "Claim"
#: Deterministic GUIDs for users, codes, sets and notes.
_GUIDS = uuid.UUID("6f1c4b7e-3f55-4f0e-9a43-2b1d9e0c7a21")


def guid(*parts: object) -> str:
    """A GUID: ``parts[0]`` itself when it is one (ids of claims and documents),
    else one derived from the parts."""
    if len(parts) == 1:
        try:
            return str(uuid.UUID(str(parts[0])))
        except ValueError:
            pass
    return str(uuid.uuid5(_GUIDS, "\x1f".join(map(str, parts))))


def code_guid(dimension: Dimension | None, key: object = None) -> str:
    if dimension is None:
        return guid("code", CLAIM_CODE)
    return guid("code", dimension.value) if key is None else guid("code", dimension.value, key)


def user_guid(name: str) -> str:
    return guid("user", name)


def _element(parent: Any, tag: str, **attributes: object) -> Any:
    return etree.SubElement(parent, _NS + tag, {k: _xml_safe(str(v))
                                                for k, v in attributes.items()
                                                if v is not None and v != ""})


def _text(parent: Any, tag: str, text: str) -> Any:
    child = _element(parent, tag)
    child.text = _xml_safe(text)
    return child


def _label_name(dimension: Dimension, key: str, name: str) -> str:
    return f"{key} — {name}" if dimension.graded else name


class _Project:
    """The project XML, built as the documents stream past."""

    def __init__(self, name: str, exported_at: str, codebook: Codebook) -> None:
        self.root = etree.Element(_NS + "Project", nsmap={None: NAMESPACE},
                                  name=name, origin="Annotator",
                                  creationDateTime=exported_at)
        self.users = _element(self.root, "Users")
        self.codes = _element(_element(self.root, "CodeBook"), "Codes")
        self.sources = _element(self.root, "Sources")
        self.notes = _element(self.root, "Notes")
        self.sets = _element(self.root, "Sets")
        self.known_users: set[str] = set()
        self.known_codes: set[str] = set()
        self.groups: dict[Dimension, Any] = {}
        self.members: dict[Dimension, Any] = {}
        _element(self.codes, "Code", guid=code_guid(None), name=CLAIM_CODE, isCodable="true",
                 color="#E69F00")
        self.known_codes.add(code_guid(None))
        for dimension in Dimension:
            for label in codebook.of(dimension):
                self.code(dimension, label.key, label.name, label.colour, label.description)

    def _group(self, dimension: Dimension) -> Any:
        if dimension not in self.groups:
            self.groups[dimension] = _element(self.codes, "Code", guid=code_guid(dimension),
                                              name=dimension.title, isCodable="false")
            self.members[dimension] = _element(self.sets, "Set", guid=guid("set", dimension),
                                               name=dimension.title)
        return self.groups[dimension]

    def code(self, dimension: Dimension, key: object, name: str | None = None,
             colour: str | None = None, description: str | None = None) -> str:
        ident = code_guid(dimension, key)
        if ident not in self.known_codes:
            self.known_codes.add(ident)
            code = _element(self._group(dimension), "Code", guid=ident,
                            name=_label_name(dimension, str(key), name or str(key)),
                            isCodable="true", color=colour)
            _text(code, "Description", f"key: {key}" + (f"\n{description}" if description
                                                        else ""))
            _element(self.members[dimension], "MemberCode", targetGUID=ident)
        return ident

    def user(self, name: str) -> str | None:
        if not name:
            return None
        ident = user_guid(name)
        if ident not in self.known_users:
            self.known_users.add(ident)
            _element(self.users, "User", guid=ident, name=name)
        return ident

    def source(self, document: dict[str, Any], claims: list[dict[str, Any]]) -> str:
        """Add a document and its claims; returns its text as written (line ends folded)."""
        folded = FoldedLineEnds(document["text"])
        ident = guid(document["id"])
        source = _element(self.sources, "TextSource", guid=ident, name=document["title"],
                          plainTextPath=f"internal://{ident}.txt",
                          creationDateTime=document.get("created_at"))
        for record in claims:
            user = self.user(record.get("annotator") or "")
            selection = _element(
                source, "PlainTextSelection", guid=guid(record["id"]),
                name=record.get("proposition"),
                startPosition=folded.to_folded(record["start"]),
                endPosition=folded.to_folded(record["end"]), creatingUser=user,
                creationDateTime=record["created_at"], modifyingUser=user,
                modifiedDateTime=record["updated_at"])
            codes = [code_guid(None)]
            for dimension in Dimension:
                value = record.get(dimension.value)
                if value is not None:
                    codes.append(self.code(dimension, value))
            for target in codes:
                coding = _element(selection, "Coding", guid=guid("coding", record["id"], target),
                                  creatingUser=user, creationDateTime=record["created_at"])
                _element(coding, "CodeRef", targetGUID=target)
            if record.get("note"):
                note_id = guid("note", record["id"])
                note = _element(self.notes, "Note", guid=note_id,
                                name=f"Note on claim {record['id']}", creatingUser=user,
                                creationDateTime=record["updated_at"])
                _text(note, "PlainTextContent", record["note"])
                _element(selection, "NoteRef", targetGUID=note_id)
        return folded.folded_text

    def xml(self) -> bytes:
        for element in (self.users, self.notes, self.sets):
            if len(element) == 0:
                self.root.remove(element)
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8",
                              pretty_print=True)


def write_qdpx(handle: IO[bytes], groups: Iterable[DocumentGroup], codebook: Codebook, *,
               name: str, exported_at: str, notes: list[str]) -> int:
    """Write the ``.qdpx`` zip to ``handle``; returns the number of claims written."""
    project = _Project(name, exported_at, codebook)
    claims = crlf = 0
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for document, records in groups:
            text = project.source(document, records)
            crlf += text != document["text"]
            archive.writestr(f"sources/{guid(document['id'])}.txt", text.encode("utf-8"))
            claims += len(records)
        if len(project.sources) == 0:
            project.root.remove(project.sources)
        archive.writestr(PROJECT_FILE, project.xml())
    if crlf:
        notes.append(f"{crlf} document{'s' if crlf != 1 else ''} with \\r\\n or \\r line ends "
                     "written with \\n (REFI-QDA programs count line ends differently); "
                     "positions count that text")
    return claims


def preview(handle: IO[str], document: dict[str, Any], records: list[dict[str, Any]],
            codebook: Codebook) -> None:
    """The ``TextSource`` of one document and its first claims, as XML."""
    project = _Project("preview", "", codebook)
    text = project.source(document, records)
    element = project.sources[0]
    for selection in element:       # the text each selection marks, as a comment
        start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
        quote = _xml_safe(" ".join(text[start:end].split())).replace("--", "- -")
        selection.insert(0, etree.Comment(f" {quote} "))
    handle.write(etree.tostring(element, encoding="unicode", pretty_print=True))


def codebook_qdc(codebook: Codebook) -> bytes:
    """The codebook as a QDA-XML codebook (``.qdc``): the project's codes (same
    GUIDs) and a set per dimension."""
    ns = f"{{{CODEBOOK_NAMESPACE}}}"
    root = etree.Element(ns + "CodeBook", nsmap={None: CODEBOOK_NAMESPACE}, origin="Annotator")
    codes = etree.SubElement(root, ns + "Codes")
    etree.SubElement(codes, ns + "Code", guid=code_guid(None), name=CLAIM_CODE,
                     isCodable="true", color="#E69F00")
    sets = etree.Element(ns + "Sets")
    for dimension in Dimension:
        labels = codebook.of(dimension)
        if not labels:
            continue
        group = etree.SubElement(codes, ns + "Code", guid=code_guid(dimension),
                                 name=dimension.title, isCodable="false")
        members = etree.SubElement(sets, ns + "Set", guid=guid("set", dimension),
                                   name=dimension.title)
        for label in labels:
            ident = code_guid(dimension, label.key)
            code = etree.SubElement(group, ns + "Code", guid=ident,
                                    name=_xml_safe(_label_name(dimension, label.key,
                                                               label.name)),
                                    isCodable="true", color=label.colour)
            etree.SubElement(code, ns + "Description").text = _xml_safe(
                f"key: {label.key}" + (f"\n{label.description}" if label.description else ""))
            etree.SubElement(members, ns + "MemberCode", guid=ident)
    if len(sets):
        root.append(sets)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
