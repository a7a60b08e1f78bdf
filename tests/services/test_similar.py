"""The same claim elsewhere, on the sample corpus, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from annotator.domain.model import Claim, Document
from annotator.services import similar
from annotator.services.project import NotFoundError, ProjectService
from annotator.services.sample import AS_USER_FILES, import_sample_corpus
from annotator.services.transfer import AS_READ
from annotator.storage.models import AssignmentRow, ClaimLinkRow

MERICS = "DeepSeek shocks the tech world"
WASHINGTON = "Chinese “DeepSeek” Messages to Washington"
NORTON = "China’s shocking DeepSeek AI pops"

# (where the claim is, its quote) -> the other appearances of the same figure
# (document, a piece of text the candidate must cover).
APPEARANCES = {
    "market-value loss": ((MERICS, "lost USD 589 billion in market"),
                          [(NORTON, "losing $600 billion in market cap"),
                           (WASHINGTON, "amounting to $600 billion in market value")]),
    "H800 chip count": ((MERICS, "about 2,000 Nvidia H800 chips"),
                        [(WASHINGTON, "using 2,000 integrated circuits")]),
    "training cost": ((NORTON, "DeepSeek reportedly spent around $6 million"),
                      [(WASHINGTON, "5.6 million")]),
    "training cost, the other way": ((WASHINGTON, ("a training cost", "5.6 million")),
                                     [(NORTON, "spent around $6 million")]),
    "chip count, the other way": ((WASHINGTON, "using 2,000 integrated circuits"),
                                  [(MERICS, "2,000 Nvidia H800 chips")]),
}


def _open(location: str | Path, options=AS_READ) -> ProjectService:
    service = ProjectService.open(location, create=True)
    import_sample_corpus(service, options=options)
    return service


def _document(service: ProjectService, title: str) -> Document:
    (info,) = [d for d in service.documents() if d.title.startswith(title)]
    return service.document(info.id)


def _claim(service: ProjectService, title: str, quote: str | tuple[str, str],
           annotator: str = "ann", **labels: object) -> Claim:
    """A claim on ``quote``, or from the first of two pieces to the end of the second."""
    document = _document(service, title)
    first, last = (quote, quote) if isinstance(quote, str) else quote
    start = document.text.index(first)
    end = document.text.index(last, start) + len(last)
    return service.add_claim(Claim.new(document, start, end, annotator=annotator, **labels))


def _covers(service: ProjectService, found: similar.Candidate, title: str, piece: str) -> bool:
    document = _document(service, title)
    at = document.text.index(piece)
    return found.document_id == document.id and found.start <= at < found.end


@pytest.mark.parametrize("options", [AS_READ, AS_USER_FILES], ids=["as-read", "reflowed"])
def test_other_appearances_of_the_figures_are_in_the_top_five(project_location, options):
    service = _open(project_location, options)
    try:
        for name, ((title, quote), others) in APPEARANCES.items():
            claim = _claim(service, title, quote)
            found = similar.candidates(service, claim.id, limit=5)
            for other_title, piece in others:
                assert any(_covers(service, c, other_title, piece) for c in found), (
                    name, piece, [(c.score, c.quote[:80]) for c in found])
            document = _document(service, title)
            assert all(c.document_id != document.id for c in found)    # elsewhere only
            assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)
            for c in found:
                assert service.document(c.document_id).text[c.start:c.end] == c.quote
                assert c.claim_id is None or service.claim(c.claim_id).quote == c.quote
    finally:
        service.close()


def test_a_sentence_under_a_claim_is_offered_as_that_claim(project_location):
    service = _open(project_location)
    try:
        loss = _claim(service, MERICS, "lost USD 589 billion in market")
        theirs = _claim(service, NORTON, "losing $600 billion", annotator="bob",
                        proposition="Nvidia lost about $600 billion in one day")
        found = similar.candidates(service, loss.id, limit=5)
        (offered,) = [c for c in found if c.document_id == theirs.document_id
                      and c.start < theirs.end and theirs.start < c.end]
        assert (offered.claim_id, offered.start, offered.end, offered.quote, offered.analyst) \
            == (theirs.id, theirs.start, theirs.end, "losing $600 billion", "bob")
        assert offered.score >= 0.3

        # Only chosen analysts' claims: then the sentence is offered as text.
        mine = similar.candidates(service, loss.id, limit=5, analyst="ann",
                                  annotators={"ann"})
        (text,) = [c for c in mine if c.document_id == theirs.document_id
                   and c.start <= theirs.start < c.end]
        assert text.claim_id is None and "losing $600 billion" in text.quote
    finally:
        service.close()


def test_blind_documents_hide_colleagues_claims(project_location):
    service = _open(project_location)
    try:
        loss = _claim(service, MERICS, "lost USD 589 billion in market")
        theirs = _claim(service, NORTON, "losing $600 billion in market cap", annotator="bob")
        now = datetime.now(UTC)
        with service.database.writing() as session:
            for analyst in ("bob", "carol"):
                session.add(AssignmentRow(document_id=theirs.document_id, analyst=analyst,
                                          status="assigned", assigned_by="lead",
                                          assigned_at=now))
        ids = {name: {c.claim_id for c in similar.candidates(service, loss.id, analyst=name)}
               for name in ("bob", "carol", "dave", None)}
        assert theirs.id in ids["bob"]
        assert theirs.id not in ids["carol"]
        assert theirs.id in ids["dave"]          # not coding it: not blind for dave
        assert theirs.id not in ids[None]
        carol = similar.candidates(service, loss.id, analyst="carol")
        assert any(c.claim_id is None and c.document_id == theirs.document_id
                   and c.start <= theirs.start < c.end for c in carol)
        with service.database.writing() as session:
            for row in session.query(AssignmentRow):
                row.status = "done"
        assert theirs.id in {c.claim_id for c in similar.candidates(service, loss.id,
                                                                     analyst="carol")}
    finally:
        service.close()


def test_a_dismissed_candidate_is_remembered(project_location):
    service = _open(project_location)
    try:
        loss = _claim(service, MERICS, "lost USD 589 billion in market")
        first = similar.candidates(service, loss.id)[0]
        key = (first.document_id, first.start, first.end)
        assert similar.dismiss(service, loss.id, *key, analyst="ann")
        assert not similar.dismiss(service, loss.id, *key, analyst="bob")   # already
    finally:
        service.close()
    service = ProjectService.open(project_location)       # a new session: remembered
    try:
        assert [(d.document_id, d.start, d.end, d.analyst)
                for d in similar.dismissals(service, loss.id)] == [(*key, "ann")]
        again = similar.candidates(service, loss.id)
        assert key not in {(c.document_id, c.start, c.end) for c in again}
        assert again[0].score <= first.score
        assert similar.undismiss(service, loss.id, *key)
        assert not similar.undismiss(service, loss.id, *key)
        assert similar.candidates(service, loss.id)[0] == first
    finally:
        service.close()


def test_nothing_matches_and_unknown_claims(project_location):
    service = _open(project_location)
    try:
        odd = Document.from_text("Zorblax quintessa vumbly.", title="odd")
        service.add_document(odd)
        claim = service.add_claim(Claim.new(odd, 0, 7, annotator="ann"))
        assert similar.candidates(service, claim.id) == []
        with pytest.raises(NotFoundError):
            similar.candidates(service, "no-such-claim")
    finally:
        service.close()


def test_versions_of_the_claims_document_are_not_elsewhere(project_location):
    service = ProjectService.open(project_location, create=True)
    try:
        first = Document.from_text("Nvidia lost USD 589 billion in market value.", title="v1",
                                   origin="/tmp/a.txt")
        service.add_document(first)
        second = Document.from_text("Nvidia lost USD 589 billion in market value. More.",
                                    title="v2", origin="/tmp/a.txt")
        service.add_version(first.id, second)
        other = Document.from_text("Nvidia shed $600 billion of market value.", title="b")
        service.add_document(other)
        claim = service.add_claim(Claim.new(second, 0, 44, annotator="ann"))
        found = similar.candidates(service, claim.id)
        assert [c.document_id for c in found] == [other.id]
    finally:
        service.close()


def test_conflicting_figures_of_claims(project_location):
    (conflict,) = similar.conflicts([("a", "lost USD 589 billion"), ("b", "lost $600 billion")])
    assert (conflict.first.value, conflict.second.value) == (589e9, 600e9)
    service = _open(project_location)
    try:
        merics = _claim(service, MERICS, "lost USD 589 billion in market")
        norton = _claim(service, NORTON, "fell 17%, losing $600 billion in market cap")
        washington = _claim(service, WASHINGTON, "lost approximately 3.15%, amounting to "
                                                 "$600 billion in market value")
        found = similar.claim_conflicts(service, [merics.id, norton.id, washington.id,
                                                  "gone"])
        assert [(c.first_id, c.first.text, c.second_id, c.second.text, c.soft)
                for c in found] == [
            (merics.id, "USD 589 billion", norton.id, "$600 billion", True),
            (merics.id, "USD 589 billion", washington.id, "$600 billion", True)]
    finally:
        service.close()


def test_names_given_in_two_scripts_anywhere_in_the_corpus(project_location):
    service = ProjectService.open(project_location, create=True)
    try:
        glossary = Document.from_text("The startup DeepSeek (深度求索) is based in Hangzhou.",
                                      title="glossary")
        english = Document.from_text("DeepSeek released R1 in January.", title="english")
        # Nothing in common with the claim but the name, written in Chinese only.
        chinese = Document.from_text("深度求索一月发布了R1模型。", title="chinese")
        for document in (glossary, english, chinese):
            service.add_document(document)
        claim = service.add_claim(Claim.new(english, 0, 32, annotator="ann"))
        found = {c.document_id: c for c in similar.candidates(service, claim.id)}
        assert "name 深度求索 = DeepSeek" in found[chinese.id].reasons
    finally:
        service.close()


def test_chinese_and_russian_passages(project_location):
    service = ProjectService.open(project_location, create=True)
    try:
        claim_text = Document.from_text("深度求索发布了新模型，训练成本约560万美元。", title="zh")
        same = Document.from_text("东京都知事选举结果公布。据报道，深度求索的训练成本为560万美元。",
                                  title="zh-same")
        russian = Document.from_text("Погода в Москве. DeepSeek (深度求索) потратила около "
                                     "5,6 млн долларов на обучение модели.", title="ru")
        for document in (claim_text, same, russian):
            service.add_document(document)
        claim = service.add_claim(Claim.new(claim_text, 0, len(claim_text.text) - 1,
                                            annotator="ann"))
        found = similar.candidates(service, claim.id)
        assert [c.quote for c in found][:2] == [
            "据报道，深度求索的训练成本为560万美元。",
            "DeepSeek (深度求索) потратила около 5,6 млн долларов на обучение модели."]
        assert "figure 560万美元 = 560万美元" in found[0].reasons
        assert "figure 560万美元 = 5,6 млн долларов" in found[1].reasons    # 5.6 million
        for c in found:
            assert service.document(c.document_id).text[c.start:c.end] == c.quote
    finally:
        service.close()


def test_claims_already_linked_are_not_offered_again(project_location):
    service = _open(project_location)
    try:
        loss = _claim(service, MERICS, "lost USD 589 billion in market")
        norton = _claim(service, NORTON, "losing $600 billion in market cap")
        assert norton.id in {c.claim_id for c in similar.candidates(service, loss.id)}
        with service.database.writing() as session:     # confirmed, from the other side
            session.add(ClaimLinkRow(id="link-1", claim_id=norton.id, target_id=loss.id,
                                     relation="same", analyst="ann",
                                     created_at=datetime.now(UTC)))
        found = similar.candidates(service, loss.id)
        assert norton.id not in {c.claim_id for c in found}
        assert not any(c.document_id == norton.document_id and c.start <= norton.start < c.end
                       for c in found)                  # nor its sentence as text
        assert any("$600 billion in market value" in c.quote for c in found)
    finally:
        service.close()
