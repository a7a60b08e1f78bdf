"""ClaimReview JSON-LD (schema.org), the markup fact-checkers publish and
search engines and the Google Fact Check Tools read.

One JSON-LD document, ``{"@context": "https://schema.org", "@graph": [...]}``,
one ``ClaimReview`` per *reviewed* claim: a claim with an information
credibility grade (1–6). Claims without one are not reviews and are left out
(counted in the export's notes).

- ``claimReviewed``: the claim's proposition when it has one, else its quote.
- ``itemReviewed``: a ``Claim`` whose ``author`` is the claim's source (an
  ``Organization`` named as annotator records it; absent without a source),
  whose ``appearance`` is the document (a ``CreativeWork``: ``url`` when the
  document's source or canonical URL is a web address, ``headline`` its title,
  ``datePublished`` its publication date when it is an ISO 8601 date) and whose ``text`` is the
  quote, with the claim's id as ``identifier``.
- ``author``: the analyst (a ``Person``); ``datePublished``: when the claim was
  last changed; ``reviewBody``: the note.
- ``reviewRating``: the credibility grade on a 5-point scale, stated in the
  rating: grade 1 (confirmed) is ``ratingValue`` 5 = ``bestRating``, grade 5
  (improbable) is 1 = ``worstRating``; ``alternateName`` the grade's name from
  the codebook and ``ratingExplanation`` the grade. Grade 6 (cannot be judged)
  is not a point on the scale: the rating has its name and explanation and no
  ``ratingValue``.
- Lost: stance, reliability, claim type and the other labels, offsets, tags.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import IO, Any

from annotator.domain.codebook import Codebook, Dimension
from annotator.formats.export.streams import json_dumps

DocumentGroup = tuple[dict[str, Any], list[dict[str, Any]]]

CONTEXT = "https://schema.org"
BEST, WORST = 5, 1
#: Credibility grade → rating value (grade 6, cannot be judged: none).
RATING = {1: 5, 2: 4, 3: 3, 4: 2, 5: 1}
#: An ISO 8601 date (or year, or year and month), with a time or not: what
#: schema.org's Date and DateTime hold. Other publication dates are left out.
_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?)?)?$")


def _web_address(value: object) -> str | None:
    if isinstance(value, str) and value.lower().startswith(("http://", "https://")):
        return value
    return None


def appearance(document: dict[str, Any]) -> dict[str, Any]:
    """The document as the ``CreativeWork`` the claim appeared in."""
    metadata = document.get("metadata") if isinstance(document.get("metadata"), dict) else {}
    work: dict[str, Any] = {"@type": "CreativeWork", "headline": document["title"]}
    url = _web_address(document.get("source")) or _web_address(
        (metadata or {}).get("canonical_url"))
    if url:
        work["url"] = url
    if isinstance(document.get("published"), str) and _ISO_DATE.match(document["published"]):
        work["datePublished"] = document["published"]
    return work


def rating(grade: int, codebook: Codebook) -> dict[str, Any]:
    label = codebook.label(Dimension.INFO_CREDIBILITY, grade)
    name = label.name if label is not None else str(grade)
    value: dict[str, Any] = {"@type": "Rating", "alternateName": name,
                             "ratingExplanation": f"Information credibility grade {grade} "
                                                  f"(Admiralty scale, 1 best, 6 cannot be "
                                                  f"judged): {name}"}
    if grade in RATING:
        value.update(ratingValue=RATING[grade], bestRating=BEST, worstRating=WORST)
    return value


def review(document: dict[str, Any], record: dict[str, Any],
           codebook: Codebook) -> dict[str, Any] | None:
    """The ``ClaimReview`` of one claim (None when it has no credibility grade)."""
    grade = record.get("info_credibility")
    if grade is None:
        return None
    claim: dict[str, Any] = {"@type": "Claim", "identifier": record["id"],
                             "text": record["quote"], "appearance": appearance(document)}
    if record.get("claim_source"):
        claim["author"] = {"@type": "Organization", "name": record["claim_source"]}
    found: dict[str, Any] = {
        "@type": "ClaimReview",
        "claimReviewed": record.get("proposition") or record["quote"],
        "itemReviewed": claim,
        "reviewRating": rating(int(grade), codebook),
        "datePublished": record["updated_at"][:10],
    }
    if record.get("annotator"):
        found["author"] = {"@type": "Person", "name": record["annotator"]}
    if record.get("note"):
        found["reviewBody"] = record["note"]
    return found


def write_claimreview(handle: IO[str], groups: Iterable[DocumentGroup], codebook: Codebook,
                      *, notes: list[str]) -> int:
    """Write the JSON-LD graph, one review a line; returns the claims written."""
    written = unreviewed = 0
    handle.write(f'{{"@context": "{CONTEXT}", "@graph": [')
    for document, records in groups:
        for record in records:
            item = review(document, record, codebook)
            if item is None:
                unreviewed += 1
                continue
            handle.write(",\n" if written else "\n")
            handle.write(json_dumps(item))
            written += 1
    handle.write("\n]}\n" if written else "]}\n")
    if unreviewed:
        notes.append(f"{unreviewed} claim{'s' if unreviewed != 1 else ''} without an "
                     "information credibility grade left out: ClaimReview holds reviewed "
                     "claims only")
    return written
