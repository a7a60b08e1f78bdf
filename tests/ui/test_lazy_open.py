"""Opening a document in the window makes its claims lazily: the viewer, the
claims table and the legend show every claim, yet only the claims painted,
shown in a table row or walked over are made (opening 10,000 claims must cost
little more than showing the text)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from annotator.domain.lazy_claims import LazyClaims
from annotator.domain.model import Claim
from annotator.ui.main_window import MainWindow


def test_opening_makes_only_the_claims_it_shows(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    service = window.service
    assert service is not None
    documents = service.documents()
    texts = {d.id: service.document(d.id).text for d in documents}
    big = max(documents, key=lambda d: len(texts[d.id]))
    text = texts[big.id]
    step = max(1, len(text) // 600)
    claims = [Claim.new(service.document(big.id), start, start + 5, annotator="alice",
                        stance="supports" if start % 3 else None)
              for start in range(0, len(text) - 6, step)
              if not text[start].isspace() and not text[start + 4].isspace()]
    service.add_claims(claims)
    given: list[LazyClaims] = []
    read = service.claims_lazily

    def spy(document_id: str, document_text: str, **kwargs: object) -> LazyClaims:
        given.append(read(document_id, document_text, **kwargs))  # type: ignore[arg-type]
        return given[-1]

    service.claims_lazily = spy   # type: ignore[method-assign]
    small = next(d for d in documents if d.id != big.id)
    window.show_document(small.id)
    window.show_document(big.id)
    qtbot.waitUntil(lambda: window.view.isVisible())
    window.view.viewport().repaint()
    window.claim_table.viewport().repaint()
    stored = service.claims(big.id)
    lazy = given[-1]
    assert len(stored) == len(claims) > 300, len(claims)
    assert window.claims.rowCount() == len(stored)
    assert window.view.claim_ids() == [c.id for c in stored]
    counts = {window.legend.labels.item(i).text() for i in range(window.legend.labels.count())}
    supports = sum(1 for c in stored if c.stance == "supports")
    assert {f"Supports  ·  {supports}", f"Not labelled  ·  {len(stored) - supports}"} <= counts
    assert 0 < lazy.made() < len(stored) // 4      # painted and listed ones only
    # Walking with Tab makes the claims it reaches, and they are the stored ones.
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key.Key_Tab)
    current = window.current_claim()
    assert current is not None and current == next(c for c in stored if c.id == current.id)
    assert window.shown.claims() == stored             # every claim, made on request
    assert lazy.made() == len(stored)
