"""A REFI-QDA project as another program writes it, with codes named the ways
people name them: ``Supports``, ``refutes``, ``Réfutes``, ``Claim/Statistic``, a
code under ``Credibility``, and codes that are none of the codebook's labels."""

from __future__ import annotations

import zipfile
from pathlib import Path

from annotator.domain.codebook import Dimension, Label, with_labels
from annotator.services.codebook import CodebookService
from annotator.services.project import ProjectService

TEXT = ("Q: Is the figure right? 👇\nA: 深度 says it lost $600 billion. I doubt it. "
        "Exports grew 12% in 2024. Ask the interviewer.")
#: (code path, its GUID); a path's parts are nested codes.
CODES = {
    "Supports": "0b6c1f4e-9a3d-4c2b-8e1f-7a6b5c4d3e01",
    "refutes": "0b6c1f4e-9a3d-4c2b-8e1f-7a6b5c4d3e02",
    "Claim/Statistic": "0b6c1f4e-9a3d-4c2b-8e1f-7a6b5c4d3e03",
    "Credibility": "0b6c1f4e-9a3d-4c2b-8e1f-7a6b5c4d3e04",
    "Credibility/Doubtful": "0b6c1f4e-9a3d-4c2b-8e1f-7a6b5c4d3e05",
    "Interviewer": "0b6c1f4e-9a3d-4c2b-8e1f-7a6b5c4d3e06",
    "Noise": "0b6c1f4e-9a3d-4c2b-8e1f-7a6b5c4d3e07",
    "RÉFUTES": "0b6c1f4e-9a3d-4c2b-8e1f-7a6b5c4d3e08",
}
#: (quote, the code paths on it, selection GUID).
SELECTIONS = (
    ("深度 says it lost $600 billion", ("Supports", "Claim/Statistic"),
     "3e9f4071-2c6d-4f5e-b14a-ad9e8f706b01"),
    ("I doubt it", ("refutes", "Credibility/Doubtful"), "3e9f4071-2c6d-4f5e-b14a-ad9e8f706b02"),
    ("Exports grew 12% in 2024", ("RÉFUTES", "Interviewer"),
     "3e9f4071-2c6d-4f5e-b14a-ad9e8f706b03"),
    ("Ask the interviewer", ("Noise",), "3e9f4071-2c6d-4f5e-b14a-ad9e8f706b04"),
)
DOCUMENT = "2d8e3f60-1b5c-4e4d-a03f-9c8d7e6f5a01"


def _code(path: str, children: str = "") -> str:
    name = path.split("/")[-1] if path.startswith("Credibility/") else path
    return (f'<Code guid="{CODES[path]}" name="{name}" isCodable="true">{children}</Code>'
            if children else f'<Code guid="{CODES[path]}" name="{name}" isCodable="true"/>')


def project_qde() -> str:
    codes = "".join(_code(path) for path in CODES
                    if not path.startswith("Credibility"))
    codes += _code("Credibility", _code("Credibility/Doubtful"))
    selections = []
    for quote, paths, guid in SELECTIONS:
        start = TEXT.index(quote)
        refs = "".join(f'<Coding guid="{guid[:-2]}c{i}"><CodeRef targetGUID="{CODES[p]}"/>'
                       "</Coding>" for i, p in enumerate(paths))
        selections.append(f'<PlainTextSelection guid="{guid}" startPosition="{start}" '
                          f'endPosition="{start + len(quote)}" creationDateTime='
                          f'"2024-05-02T10:15:00Z">{refs}</PlainTextSelection>')
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<Project xmlns="urn:QDA-XML:project:1.0" name="Interviews" origin="OtherQDA 3">'
            f"<CodeBook><Codes>{codes}</Codes></CodeBook><Sources>"
            f'<TextSource guid="{DOCUMENT}" name="Interview 1">'
            f"<PlainTextContent>{TEXT}</PlainTextContent>{''.join(selections)}"
            "</TextSource></Sources></Project>")


def write_qdpx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", project_qde().encode("utf-8"))
    return path


def add_statistic(service: ProjectService) -> None:
    """A claim type ``statistic`` in the project's codebook."""
    codebooks = CodebookService(service.database)
    codebook = codebooks.codebook()
    statistic = Label(Dimension.CLAIM_TYPE, "statistic", "Statistic", "A figure.", "#336699",
                      "")
    codebooks.apply(with_labels(codebook, Dimension.CLAIM_TYPE,
                                [*codebook.of(Dimension.CLAIM_TYPE), statistic]),
                    "Add statistic")
