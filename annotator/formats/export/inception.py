"""INCEpTION / UIMA CAS XMI: a zip of ``<name>/TypeSystem.xml`` and one
``<name>/<document id>.xmi`` per document, written with dkpro-cassis
(Apache-2.0), which INCEpTION imports as "UIMA CAS XMI (XML 1.0)".

- The type system declares the claim layer ``webanno.custom.Claim`` (a span,
  ``uima.tcas.Annotation``) with one string feature per codebook dimension
  (``stance``, ``source_reliability``, ``info_credibility``, ``claim_type``,
  ``likelihood``, ``confidence``) and ``annotator``, ``note``, ``proposition``,
  ``claim_source`` and ``claim_id``.
- The sofa is the document's text exactly (line ends kept, escaped in XML),
  but for characters XML 1.0 cannot hold (a form feed, a vertical tab), which
  become U+FFFD: offsets do not move; such documents are counted in the notes.
- Offsets: UIMA counts UTF-16 code units (Java strings); cassis converts the
  stored code-point offsets when it writes (an emoji counts 2), and back when it
  reads. ``tests/formats/test_export_inception.py`` checks the written numbers
  against :class:`annotator.domain.offsets.Utf16Offsets`.
- INCEpTION keeps one CAS per user: it gives the imported claims to the
  importing user; the analyst is in the ``annotator`` feature.
- Lost: tags, timestamps, review status.

Writing needs dkpro-cassis (``pip install 'annotator[inception]'``).
"""

from __future__ import annotations

import importlib.util
import zipfile
from collections.abc import Iterable
from typing import IO, Any

from annotator.domain.codebook import Dimension
from annotator.formats.export.brat import attribute_value
from annotator.formats.export.safety import xml_text

DocumentGroup = tuple[dict[str, Any], list[dict[str, Any]]]

CLAIM_TYPE = "webanno.custom.Claim"
TYPE_SYSTEM = "TypeSystem.xml"
FEATURES = (*(d.value for d in Dimension), "annotator", "note", "proposition",
            "claim_source", "claim_id")
INSTALL_HINT = ("the INCEpTION export needs dkpro-cassis: pip install 'annotator[inception]' "
                "(or pip install dkpro-cassis)")


def missing() -> str | None:
    return None if importlib.util.find_spec("cassis") is not None else INSTALL_HINT


def type_system() -> Any:
    from cassis import TypeSystem

    system = TypeSystem()
    claim = system.create_type(name=CLAIM_TYPE, supertypeName="uima.tcas.Annotation")
    for name in FEATURES:
        system.create_feature(domainType=claim, name=name, rangeType="uima.cas.String")
    return system


def cas_xmi(system: Any, document: dict[str, Any], claims: list[dict[str, Any]]) -> str:
    """The XMI of one document and its claims."""
    from cassis import Cas

    cas = Cas(typesystem=system)
    cas.sofa_string = xml_text(document["text"])
    claim_type = system.get_type(CLAIM_TYPE)
    for record in claims:
        values = {name: xml_text(str(record[name])) for name in FEATURES[:-1]
                  if record.get(name) not in (None, "")}
        cas.add(claim_type(begin=record["start"], end=record["end"], claim_id=record["id"],
                           **values))
    return cas.to_xmi()


def preview(document: dict[str, Any], claims: list[dict[str, Any]], shown: int = 400) -> str:
    """The XMI of one document and its first claims, the sofa (its text) cut."""
    from lxml import etree

    root = etree.fromstring(cas_xmi(type_system(), document, claims).encode("utf-8"))
    for sofa in root.iter("{*}Sofa"):
        text = sofa.get("sofaString") or ""
        if len(text) > shown:
            sofa.set("sofaString", f"{text[:shown]}… ({len(text)} characters)")
    return etree.tostring(root, encoding="unicode", pretty_print=True)


def write_inception(handle: IO[bytes], name: str, groups: Iterable[DocumentGroup],
                    notes: list[str]) -> int:
    """Write the zip to ``handle``; returns the number of claims written."""
    system = type_system()
    folder = attribute_value(name)
    claims = replaced = 0
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{folder}/{TYPE_SYSTEM}", system.to_xml().encode("utf-8"))
        for document, records in groups:
            archive.writestr(f"{folder}/{attribute_value(document['id'])}.xmi",
                             cas_xmi(system, document, records).encode("utf-8"))
            claims += len(records)
            replaced += xml_text(document["text"]) != document["text"]
    if replaced:
        notes.append(f"{replaced} document{'s' if replaced != 1 else ''} with control "
                     "characters XML cannot hold (a form feed, a vertical tab): written as "
                     "U+FFFD, offsets unchanged")
    return claims
