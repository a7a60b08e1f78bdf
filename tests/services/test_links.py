"""Evidence links, clusters of the same claim and corroboration, on the sample
corpus, on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.domain.model import Claim, Document, Source
from annotator.services import links
from annotator.services.links import LinkError
from annotator.services.project import NotFoundError, ProjectService

#: The same figure in three sample articles (MERICS, the political-science
#: article, the Geopolitical Economy Report), and a fourth passage.
MERICS_LOSS = "lost USD 589 billion"
ARTICLE_LOSS = "amounting to $600 billion in market value"
REPORT_LOSS = "losing $600 billion in market cap"
REPORT_SHARES = "Nvidia shares fell 17%"


@pytest.fixture
def project(seeded_location: str | Path) -> ProjectService:
    service = ProjectService.open(seeded_location)
    yield service
    service.close()


def document_with(service: ProjectService, quote: str) -> Document:
    for info in service.documents():
        document = service.document(info.id)
        if quote in document.text:
            return document
    raise AssertionError(f"no sample document quotes {quote!r}")


def claim(service: ProjectService, quote: str, analyst: str = "ann", **labels) -> Claim:
    document = document_with(service, quote)
    start = document.text.index(quote)
    return service.add_claim(Claim.new(document, start, start + len(quote),
                                       annotator=analyst, **labels))


def test_a_link_is_seen_from_both_claims_and_undone_as_it_was(project: ProjectService) -> None:
    merics = claim(project, MERICS_LOSS)
    report = claim(project, REPORT_LOSS)
    link = links.add_link(project, merics.id, report.id, "supports", analyst="ann")

    [seen_from_merics] = links.links_of(project, merics.id)
    [seen_from_report] = links.links_of(project, report.id)
    assert seen_from_merics.other.claim.id == report.id and seen_from_merics.outgoing
    assert seen_from_merics.reading == "supports this"
    assert seen_from_report.other.claim.id == merics.id and not seen_from_report.outgoing
    assert seen_from_report.reading == "this supports it"
    assert seen_from_report.other.document_title.startswith("DeepSeek shocks")

    removed = links.remove_link(project, link.id)
    assert removed == link
    assert links.links_of(project, merics.id) == []
    links.restore_link(project, removed)
    assert links.all_links(project) == [link]          # same id, analyst and time


def test_one_link_between_two_claims_whichever_way(project: ProjectService) -> None:
    a, b = claim(project, MERICS_LOSS), claim(project, REPORT_LOSS)
    links.add_link(project, a.id, b.id, "same", analyst="ann")
    with pytest.raises(LinkError, match="already linked"):
        links.add_link(project, b.id, a.id, "refutes", analyst="bob")
    with pytest.raises(LinkError, match="itself"):
        links.add_link(project, a.id, a.id, "same", analyst="ann")
    with pytest.raises(LinkError, match="unknown relation"):
        links.add_link(project, a.id, b.id, "agrees", analyst="ann")
    with pytest.raises(NotFoundError):
        links.add_link(project, a.id, "no-such-claim", "supports", analyst="ann")
    assert len(links.all_links(project)) == 1


def test_links_whose_other_end_is_gone_are_ignored_and_come_back(
        project: ProjectService) -> None:
    a, b, c = (claim(project, q) for q in (MERICS_LOSS, REPORT_LOSS, ARTICLE_LOSS))
    links.add_link(project, a.id, b.id, "same", analyst="ann")
    links.add_link(project, b.id, c.id, "same", analyst="ann")
    assert {x.claim.id for x in links.cluster_of(project, a.id)} == {a.id, b.id, c.id}

    deleted = project.delete_claim(b.id)         # the middle of the chain
    assert [x.claim.id for x in links.cluster_of(project, a.id)] == [a.id]
    assert links.links_of(project, a.id) == [] and links.links_of(project, c.id) == []
    assert links.all_links(project) == []
    assert len(links.all_links(project, live_only=False)) == 2
    assert links.cluster_of(project, b.id) == []

    project.add_claim(deleted)                   # undoing the deletion
    assert {x.claim.id for x in links.cluster_of(project, c.id)} == {a.id, b.id, c.id}


def test_cluster_is_transitive_and_evidence_does_not_join_it(project: ProjectService) -> None:
    a, b, c, d = (claim(project, q) for q in (MERICS_LOSS, ARTICLE_LOSS, REPORT_LOSS,
                                                REPORT_SHARES))
    links.add_link(project, b.id, a.id, "same", analyst="ann")
    links.add_link(project, b.id, c.id, "same", analyst="bob")
    links.add_link(project, c.id, d.id, "supports", analyst="bob")
    cluster = links.cluster_of(project, a.id)
    assert {x.claim.id for x in cluster} == {a.id, b.id, c.id}
    assert [x.document_title for x in cluster] == sorted(
        (x.document_title for x in cluster), key=str.casefold)
    assert {x.claim.id for x in links.cluster_of(project, d.id)} == {d.id}


def test_corroboration_counts_independent_sources_once(project: ProjectService) -> None:
    # Three documents with three different publishers: three independent sources.
    a, b, c = (claim(project, q) for q in (MERICS_LOSS, ARTICLE_LOSS, REPORT_LOSS))
    links.add_link(project, a.id, b.id, "same", analyst="ann")
    links.add_link(project, a.id, c.id, "same", analyst="ann")
    cluster = links.cluster_of(project, a.id)
    assert links.corroboration(cluster) == 3
    assert links.suggested_credibility(3) == 1

    # The same named source quoted in all three articles counts once.
    nvidia = project.add_source(Source.new("Nvidia"))
    for member in cluster:
        project.update_claim(member.claim.edited(source_id=nvidia.id))
    cluster = links.cluster_of(project, a.id)
    assert {x.source_text for x in cluster} == {"Nvidia"}
    assert links.corroboration(cluster) == 1
    assert links.suggested_credibility(1) is None
    # Derived, never written: the claims' own grade is untouched.
    assert {project.claim(x.claim.id).info_credibility for x in cluster} == {None}


def test_two_claims_in_one_document_are_one_origin(project: ProjectService) -> None:
    a, b = claim(project, REPORT_LOSS), claim(project, REPORT_SHARES)
    links.add_link(project, a.id, b.id, "same", analyst="ann")
    cluster = links.cluster_of(project, a.id)
    assert len(cluster) == 2 and links.corroboration(cluster) == 1


def test_merge_links_adds_only_new_pairs(project: ProjectService) -> None:
    a, b, c = (claim(project, q) for q in (MERICS_LOSS, ARTICLE_LOSS, REPORT_LOSS))
    first = links.add_link(project, a.id, b.id, "same", analyst="ann")
    incoming = [links.Link(id=first.id, claim_id=b.id, target_id=a.id, relation="same"),
                links.Link(id=first.id, claim_id=a.id, target_id=c.id, relation="refutes",
                           analyst="bob"),
                links.Link(id="x", claim_id=c.id, target_id=a.id, relation="supports")]
    assert links.merge_links(project, incoming) == 1
    stored = links.all_links(project)
    assert len(stored) == 2 and len({x.id for x in stored}) == 2
    assert {(x.claim_id, x.target_id, x.relation) for x in stored} == {
        (a.id, b.id, "same"), (a.id, c.id, "refutes")}


def test_figures_disagree_within_a_cluster_and_a_proposition(project: ProjectService) -> None:
    a = claim(project, MERICS_LOSS, proposition="Loss")
    b = claim(project, ARTICLE_LOSS)
    c = claim(project, REPORT_LOSS, proposition="Loss")
    claim(project, REPORT_SHARES, proposition="Loss")         # 17 %: nothing to compare
    links.add_link(project, a.id, b.id, "same", analyst="ann")
    [conflict] = links.figure_conflicts(links.cluster_of(project, a.id))
    assert {conflict.first.claim.id, conflict.second.claim.id} == {a.id, b.id}
    assert "589 billion" in conflict.describe() and "600 billion" in conflict.describe()
    assert conflict.conflict.soft                              # 600 may round 589

    same_proposition = links.proposition_appearances(project, "Loss")
    assert len(same_proposition) == 3
    own = next(x for x in same_proposition if x.claim.id == a.id)
    [other] = links.figure_conflicts_with(own, same_proposition)
    assert other.second.claim.id == c.id
    assert links.proposition_appearances(project, "") == []
