"""Two analysts' work on the seed corpus, with deliberate disagreements, for the
review tests (service, exchange, CLI and GUI).

On the MERICS briefing, alice and bob both mark:

- ``NASDAQ``: same span, same labels (agreed);
- ``H800``: same span, alice says *supports*, bob *refutes* (a stance disagreement);
- ``LOSS``: bob's span starts two words later (a boundary disagreement, same labels);
- ``CNY``: same span, source reliability B against C.

Only alice marks ``ALICE_ONLY``; only bob marks ``BOB_ONLY``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.domain.model import Claim, Document
from annotator.review import DocumentComparison, Unit
from annotator.services.project import ProjectService

MERICS_TITLE_WORD = "MERICS"
NASDAQ = "The Nasdaq plummeted three percent Monday"
H800 = "DeepSeek says it trained its R1 model using only about 2,000 Nvidia H800 chips"
LOSS = "the world’s leading AI chipmaker lost USD 589 billion in market"
LOSS_BOB = "leading AI chipmaker lost USD 589 billion in market"
CNY = "China’s new state-backed fund committing an initial"
ALICE_ONLY = "Developed by a team of fresh graduates at DeepSeek (深度求素 in"
BOB_ONLY = "the model outdoes the industry’s best models"


def merics(service: ProjectService) -> Document:
    for info in service.documents():
        document = service.document(info.id)
        if NASDAQ in document.text:
            return document
    raise AssertionError("the MERICS seed is not in the project")


def _claim(document: Document, quote: str, analyst: str, **labels: object) -> Claim:
    start = document.text.index(quote)
    return Claim.new(document, start, start + len(quote), annotator=analyst, **labels)


@dataclass
class TwoAnalysts:
    document: Document
    alice: dict[str, Claim] = field(default_factory=dict)
    bob: dict[str, Claim] = field(default_factory=dict)


FULL = {"claim_type": "quantity", "source_reliability": "B", "info_credibility": 2}


def add_two_analysts(service: ProjectService,
                     only: str | None = None) -> TwoAnalysts:
    """Store alice's and bob's claims (see the module docstring), or ``only`` one
    analyst's; return them (all, whichever were stored)."""
    document = merics(service)
    work = TwoAnalysts(document)
    work.alice = {
        "NASDAQ": _claim(document, NASDAQ, "alice", stance="supports", **FULL),
        "H800": _claim(document, H800, "alice", stance="supports", **FULL),
        "LOSS": _claim(document, LOSS, "alice", stance="supports", **FULL),
        "CNY": _claim(document, CNY, "alice", stance="neutral", **FULL),
        "ALICE_ONLY": _claim(document, ALICE_ONLY, "alice", stance="supports", **FULL),
    }
    work.bob = {
        "NASDAQ": _claim(document, NASDAQ, "bob", stance="supports", **FULL),
        "H800": _claim(document, H800, "bob", stance="refutes", **FULL),
        "LOSS": _claim(document, LOSS_BOB, "bob", stance="supports", **FULL),
        "CNY": _claim(document, CNY, "bob", stance="neutral",
                      **{**FULL, "source_reliability": "C"}),
        "BOB_ONLY": _claim(document, BOB_ONLY, "bob", stance="refutes", **FULL),
    }
    stored = {"alice": work.alice, "bob": work.bob}
    service.add_claims([claim for name, claims in stored.items()
                        if only in (None, name) for claim in claims.values()])
    return work


# Reading a comparison --------------------------------------------------------------

def units_by(document: DocumentComparison, coverage: str) -> list[Unit]:
    """The document's units marked by all, some or one of the analysts."""
    return [u for u in document.units if u.coverage == coverage]


def disagreeing(document: DocumentComparison) -> list[Unit]:
    """Matched units whose claims differ in a label."""
    return [u for u in document.units if u.disagreements]


def unit_of(document: DocumentComparison, claim_id: str) -> Unit | None:
    return next((u for u in document.units
                 if any(c.id == claim_id for c in u.claims.values())), None)
