"""ClaimReview JSON-LD: every node is checked against schema.org's vocabulary
(each ``@type`` a schema.org class, each property one whose domain includes
the node's class or a superclass and whose range includes the value's class),
and every reviewed claim comes back with its quote, source, document and grade.

:data:`VOCABULARY` is the part of schema.org (https://schema.org/version/latest,
``domainIncludes`` / ``rangeIncludes`` / ``subClassOf``) that this export uses,
transcribed from the definitions of the classes and properties named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotator.domain.model import Document
from annotator.formats.export.claimreview import BEST, RATING, WORST
from annotator.services import exports
from annotator.services.project import ProjectService
from tests.formats.export_corpus import Corpus, export_corpus

#: class → its superclass (schema.org ``subClassOf``).
CLASSES = {"Thing": None, "CreativeWork": "Thing", "Review": "CreativeWork",
           "ClaimReview": "Review", "Claim": "CreativeWork", "Intangible": "Thing",
           "Rating": "Intangible", "Organization": "Thing", "Person": "Thing"}
#: property → (domainIncludes, rangeIncludes); "Text", "URL", "Number", "Date" are data types.
VOCABULARY = {
    "claimReviewed": ({"ClaimReview"}, {"Text"}),
    "itemReviewed": ({"AggregateRating", "Review"}, {"Thing"}),
    "reviewRating": ({"Review"}, {"Rating"}),
    "reviewBody": ({"Review"}, {"Text"}),
    "datePublished": ({"CreativeWork"}, {"Date", "DateTime"}),
    "author": ({"CreativeWork", "Rating"}, {"Organization", "Person"}),
    "appearance": ({"Claim"}, {"CreativeWork"}),
    "text": ({"CreativeWork"}, {"Text"}),
    "headline": ({"CreativeWork"}, {"Text"}),
    "identifier": ({"Thing"}, {"Text", "URL", "PropertyValue"}),
    "url": ({"Thing"}, {"URL"}),
    "name": ({"Thing"}, {"Text"}),
    "alternateName": ({"Thing"}, {"Text"}),
    "ratingValue": ({"Rating"}, {"Number", "Text"}),
    "bestRating": ({"Rating"}, {"Number", "Text"}),
    "worstRating": ({"Rating"}, {"Number", "Text"}),
    "ratingExplanation": ({"Rating"}, {"Text"}),
}
DATA_TYPES = {"Text": str, "URL": str, "Date": str, "DateTime": str, "Number": (int, float)}


def ancestors(name: str) -> set[str]:
    found = set()
    current: str | None = name
    while current is not None:
        found.add(current)
        current = CLASSES[current]
    return found


def check_node(node: dict[str, Any]) -> None:
    kind = node["@type"]
    assert kind in CLASSES, f"{kind} is not a schema.org class used here"
    for name, value in node.items():
        if name.startswith("@"):
            continue
        assert name in VOCABULARY, f"{name} is not a schema.org property"
        domain, range_ = VOCABULARY[name]
        assert domain & ancestors(kind), f"{name} is not a property of {kind}"
        if isinstance(value, dict):
            assert range_ & ancestors(value["@type"]), f"{name} cannot be a {value['@type']}"
            check_node(value)
        else:
            assert any(isinstance(value, DATA_TYPES[t]) for t in range_ if t in DATA_TYPES), \
                f"{name}: {value!r}"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Corpus, dict, Any]:
    folder = tmp_path_factory.mktemp("claimreview")
    corpus, _, result = export_corpus(folder, "claimreview", "reviews.jsonld")
    return corpus, json.loads((folder / "reviews.jsonld").read_text(encoding="utf-8")), result


def test_every_node_is_schema_org(exported: tuple[Corpus, dict, Any]) -> None:
    _, graph, _ = exported
    assert graph["@context"] == "https://schema.org"
    assert graph["@graph"]
    for node in graph["@graph"]:
        assert node["@type"] == "ClaimReview"
        check_node(node)


def test_each_reviewed_claim_with_its_source_document_and_grade(
        exported: tuple[Corpus, dict, Any]) -> None:
    corpus, graph, result = exported
    reviewed = [c for c in corpus.claims if c.info_credibility is not None]
    assert {c.info_credibility for c in reviewed} == {2, 6}
    by_id = {node["itemReviewed"]["identifier"]: node for node in graph["@graph"]}
    assert set(by_id) == {c.id for c in reviewed} and result.claims == len(reviewed)
    assert any(f"{len(corpus.claims) - len(reviewed)} claims without" in n for n in result.notes)
    documents = {d.id: d for d in corpus.documents.values()}
    for claim in reviewed:
        node = by_id[claim.id]
        item = node["itemReviewed"]
        assert node["claimReviewed"] == (claim.proposition or claim.quote)
        assert item["text"] == claim.quote
        assert item["appearance"]["headline"] == documents[claim.document_id].title
        assert item.get("author", {}).get("name") == (claim.source_name or None)
        assert node["author"] == {"@type": "Person", "name": claim.annotator}
        rating = node["reviewRating"]
        if claim.info_credibility == 6:        # cannot be judged: no point on the scale
            assert "ratingValue" not in rating and "bestRating" not in rating
            assert rating["alternateName"]
        else:
            assert rating["ratingValue"] == RATING[claim.info_credibility]
            assert (rating["bestRating"], rating["worstRating"]) == (BEST, WORST)


def test_appearance_carries_the_web_address_and_date(tmp_path: Path) -> None:
    service = ProjectService.open(tmp_path / "p.annotator.sqlite", create=True)
    try:
        from annotator.domain.model import Claim

        document = service.add_document(Document.from_text(
            "He said 👇 prices rose 5%.", title="Prices", source="https://example.org/a",
            published="2026-01-31")).document
        start = document.text.index("prices")
        service.add_claim(Claim.new(document, start, start + 15, annotator="ana",
                                    info_credibility=1))
        exports.export(service, "claimreview", tmp_path / "r.jsonld")
    finally:
        service.close()
    node = json.loads((tmp_path / "r.jsonld").read_text(encoding="utf-8"))["@graph"][0]
    check_node(node)
    assert node["itemReviewed"]["appearance"] == {
        "@type": "CreativeWork", "headline": "Prices", "url": "https://example.org/a",
        "datePublished": "2026-01-31"}
    assert node["reviewRating"]["ratingValue"] == BEST


def test_only_iso_dates_are_publication_dates() -> None:
    from annotator.formats.export.claimreview import appearance

    base = {"title": "T", "source": "", "metadata": {}}
    for published, kept in (("2026-01-31", True), ("2025-01", True), ("2025", True),
                            ("2026-01-31T09:30:00Z", True), ("January 2025", False),
                            ("", False), ("31/01/2026", False)):
        work = appearance({**base, "published": published})
        assert ("datePublished" in work) == kept, published
