"""INCEpTION / UIMA CAS XMI: the zip is read back with dkpro-cassis (its type
system, then each XMI) and compared claim by claim on the corpus with emoji,
CJK, combining marks and CRLF; the offsets written in the XMI are UTF-16 code
units, as Java counts them (checked against ``Utf16Offsets``).
dkpro-cassis is in the ``[test]`` extra: this runs in CI."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from cassis import load_cas_from_xmi, load_typesystem
from lxml import etree

from annotator.domain.codebook import Dimension
from annotator.domain.offsets import Utf16Offsets, utf16_to_codepoint
from annotator.formats.export.inception import CLAIM_TYPE, TYPE_SYSTEM
from annotator.services import exports
from annotator.services.project import ProjectService
from tests.formats.export_corpus import Corpus, export_corpus


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Corpus, Path]:
    folder = tmp_path_factory.mktemp("inception")
    corpus, _, result = export_corpus(folder, "inception", "inception.zip")
    assert result.claims == len(corpus.claims)
    return corpus, folder / "inception.zip"


def test_cassis_reads_every_claim_back(exported: tuple[Corpus, Path]) -> None:
    corpus, path = exported
    documents = {d.id: d for d in corpus.documents.values()}
    by_id = {claim.id: claim for claim in corpus.claims}
    seen = set()
    with zipfile.ZipFile(path) as archive:
        system = load_typesystem(archive.read(f"inception/{TYPE_SYSTEM}").decode("utf-8"))
        names = [n for n in archive.namelist() if n.endswith(".xmi")]
        assert len(names) == len(documents)
        for name in names:
            document = documents[name.split("/")[-1].removesuffix(".xmi")]
            xmi = archive.read(name)
            cas = load_cas_from_xmi(xmi.decode("utf-8"), typesystem=system)
            assert cas.sofa_string == document.text           # CRLF kept
            raw = {element.get("claim_id"): (int(element.get("begin")),
                                             int(element.get("end")))
                   for element in etree.fromstring(xmi).iter("{*}Claim")}
            units = Utf16Offsets(document.text)
            for annotation in cas.select(CLAIM_TYPE):
                claim = by_id[annotation.claim_id]
                assert claim.document_id == document.id
                assert annotation.get_covered_text() == claim.quote
                assert (annotation.begin, annotation.end) == (claim.start, claim.end)
                # As Java counts: UTF-16 code units in the file itself.
                begin, end = raw[claim.id]
                assert (begin, end) == (units(claim.start), units(claim.end))
                assert utf16_to_codepoint(document.text, begin) == claim.start
                for dimension in Dimension:
                    value = getattr(claim, dimension.value)
                    assert getattr(annotation, dimension.value) == (
                        None if value is None else str(value))
                assert annotation.annotator == claim.annotator
                assert annotation.note == (claim.note or None)
                seen.add(claim.id)
    assert seen == set(by_id)
    assert any(units != cp for units, cp in (
        (Utf16Offsets(d.text)(len(d.text)), len(d.text)) for d in documents.values()))


def test_characters_xml_cannot_hold_become_replacement_characters(tmp_path: Path) -> None:
    """A form feed (PDF page breaks) cannot be in XML 1.0: it becomes U+FFFD, one
    character for one, so every claim keeps its offsets; the notes say so."""
    from annotator.domain.model import Claim, Document

    text = "Page one 👇 ends.\x0cPage two\x0b starts."
    service = ProjectService.open(tmp_path / "p.annotator.sqlite", create=True)
    try:
        document = service.add_document(Document.from_text(text, title="PDF")).document
        start = text.index("ends.")
        service.add_claim(Claim.new(document, start, text.index(" starts"), annotator="ana"))
        result = exports.export(service, "inception", tmp_path / "out.zip")
    finally:
        service.close()
    assert any("U+FFFD" in note for note in result.notes)
    with zipfile.ZipFile(tmp_path / "out.zip") as archive:
        system = load_typesystem(archive.read(f"out/{TYPE_SYSTEM}").decode("utf-8"))
        (name,) = [n for n in archive.namelist() if n.endswith(".xmi")]
        cas = load_cas_from_xmi(archive.read(name).decode("utf-8"), typesystem=system)
    assert cas.sofa_string == text.replace("\x0c", "\ufffd").replace("\x0b", "\ufffd")
    (claim,) = cas.select(CLAIM_TYPE)
    assert (claim.begin, claim.end) == (start, text.index(" starts"))
    assert claim.get_covered_text() == "ends.\ufffdPage two\ufffd"
