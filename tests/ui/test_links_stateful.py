"""Claim links as a state machine: the labelling loop's machine
(tests/ui/test_labelling_loop_stateful.py: marks, labels, span moves,
deletions, undo/redo, document switches) with the Elsewhere panel's moves
interleaved: remember a claim as evidence and link it (supports, refutes, not
enough info), unlink, confirm a similar passage (an existing claim, or
unlabelled text that becomes a claim), dismiss one, apply the suggested
credibility, and undo/redo of each, on documents that share figures ("USD 589
billion" / "$600 billion", "2,000 Nvidia H800 chips": excerpts of seeds/).

A reference model of links (id → claim, target, relation) and dismissals rides
on the loop's model (their undo steps restore them with the claims). After
every step: the stored links and dismissals equal the model's (read through a
separate connection and through services/links.py), a link to a deleted claim
is dormant and some undo or redo step brings its claim back, every quote is
its text, the undo stack matches the model's, and the Elsewhere panel shows
the current claim's cluster, evidence links and suggested credibility, and
offers no dismissed, linked or stale passage.

A quick run (6 × 30 steps) is in the quick set; the long one (30 × 50, under a
minute) is marked slow. ANNOTATOR_LINKS_EXAMPLES / ANNOTATOR_LINKS_STEPS set the
long one's size; ANNOTATOR_LOOP_RANDOM=1 explores with random seeds (a failure
prints its steps and @reproduce_failure).
"""

from __future__ import annotations

import collections
import copy
import os
import sqlite3
import time
from pathlib import Path

import pytest
import shiboken6
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule, run_state_machine_as_test
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.domain.model import Claim
from annotator.services import links as link_service
from annotator.services.project import ProjectService
from annotator.ui import plain
from annotator.ui.item_models import ClaimTableModel
from tests.ui import loop_support as support
from tests.ui.loop_model import Model, Step
from tests.ui.test_labelling_loop_stateful import CTRL, SHIFT, K, LoopMachine, Walk

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
#: Excerpts of the sample corpus that share figures: (title, file, first line, last line).
EXCERPTS = (("MERICS excerpt", "merics-deepseek-us-china-ai-race.txt", 13, 22),
            ("Big tech bubble excerpt", "deepseek-pops-us-big-tech-bubble.txt", 45, 52),
            ("Messages to Washington excerpt", "deepseek-messages-to-washington.txt", 5, 5))
#: Claims on the shared figures, so that existing claims are candidates too.
FIGURE_CLAIMS = (("MERICS excerpt", "lost USD 589 billion"),
                 ("MERICS excerpt", "2,000 Nvidia H800 chips"),
                 ("Big tech bubble excerpt", "losing $600 billion in market cap"),
                 ("Messages to Washington excerpt", "amounting to $600 billion in market value"))

#: Examples × steps, derandomised: the quick run (seconds, not slow) and the slow
#: one (under a minute; the variables below set it, to explore further).
QUICK = (6, 30)
EXAMPLES = int(os.environ.get("ANNOTATOR_LINKS_EXAMPLES", "30"))
STEPS = int(os.environ.get("ANNOTATOR_LINKS_STEPS", "50"))
EVIDENCE = ("supports", "refutes", "not_enough_info")
ROLE = Qt.ItemDataRole.UserRole
LEFT = Qt.MouseButton.LeftButton
#: How many of each link move a run made (printed: the walk must reach them).
DONE: collections.Counter[str] = collections.Counter()


def excerpts() -> tuple[tuple[str, str], ...]:
    found = []
    for title, name, first, last in EXCERPTS:
        lines = (SEEDS / name).read_text(encoding="utf-8").splitlines(keepends=True)
        found.append((title, "".join(lines[first - 1:last])))
    return tuple(found)


def build_template(path: Path) -> Path:
    """The loop's first document (emoji, CJK, CRLF) and the excerpts, each with
    random overlapping claims, and claims on the figures they share."""
    support.build_template(path, claims_per_document=8, texts=support.TEXTS[:1] + excerpts())
    service = ProjectService.open(path)
    try:
        documents = {info.title: service.document(info.id) for info in service.documents()}
        for title, quote in FIGURE_CLAIMS:
            document = documents[title]
            start = document.text.index(quote)
            service.add_claim(Claim.new(document, start, start + len(quote),
                                        annotator=support.ANALYST))
    finally:
        service.close()
    return path


class LinkModel(Model):
    """The loop's model with links and dismissals (restored with the claims by
    undo and redo) and the claim remembered as evidence."""

    links: dict[str, tuple[str, str, str]]
    dismissals: set[tuple[str, str, int, int]]
    remembered: str | None = None
    publishers: dict[str, str]

    def state(self) -> tuple:
        return (*super().state(), copy.deepcopy(self.links), set(self.dismissals))

    def restore(self, state: tuple) -> None:
        claims, stances, links, dismissals = state
        super().restore((claims, stances))
        self.links, self.dismissals = copy.deepcopy(links), set(dismissals)

    def live_links(self) -> dict[str, tuple[str, str, str]]:
        return {i: link for i, link in self.links.items()
                if link[0] in self.claims and link[1] in self.claims}

    def linked(self, a: str, b: str) -> bool:
        """Whether a link joins ``a`` and ``b`` (dormant ones too), either way."""
        return any({x, y} == {a, b} for x, y, _ in self.links.values())

    def cluster(self, claim_id: str) -> set[str]:
        members, frontier = {claim_id}, [claim_id]
        same = [(a, b) for a, b, r in self.live_links().values() if r == "same"]
        while frontier:
            x = frontier.pop()
            for a, b in same:
                for y in ((b,) if a == x else (a,) if b == x else ()):
                    if y not in members:
                        members.add(y)
                        frontier.append(y)
        return members

    def evidence_links(self, claim_id: str) -> set[str]:
        return {i for i, (a, b, r) in self.live_links().items()
                if r != "same" and claim_id in (a, b)}

    def origin(self, claim_id: str) -> str:
        claim = self.claims[claim_id]
        if claim["source_id"]:
            return f"source:{claim['source_id']}"
        publisher = " ".join(self.publishers[claim["document_id"]].split()).casefold()
        return f"publisher:{publisher}" if publisher else f"document:{claim['document_id']}"

    def suggested(self, claim_id: str) -> int | None:
        others = len({self.origin(x) for x in self.cluster(claim_id)}) - 1
        return 1 if others >= 2 else 2 if others == 1 else None

    def link_step(self, kind: str, change) -> None:  # type: ignore[no-untyped-def]
        """One undo step on the current claim: ``change()`` alters links/dismissals."""
        DONE[kind] += 1
        before = self.state()
        change()
        self.push(kind, self.current, before)


class LinksMachine(LoopMachine):
    def __init__(self) -> None:
        super().__init__()
        loop = self.model
        self.model = LinkModel(loop.texts, loop.claims, loop.document_id)
        self.model.links, self.model.dismissals = {}, set()
        self.raw = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        self.model.publishers = dict(self.raw.execute("SELECT id, source FROM documents"))
        self.figure_claims = [row[0] for row in self.raw.execute(
            f"SELECT id FROM claims WHERE quote IN ({', '.join('?' * len(FIGURE_CLAIMS))})",
            [quote for _title, quote in FIGURE_CLAIMS])]
        self.elsewhere = self.window.elsewhere
        self.panel = self.elsewhere.panel
        self.elsewhere._timer.setInterval(5)       # the panel's settle delay, shortened
        self.elsewhere.dock.show()
        QApplication.processEvents()

    def teardown(self) -> None:
        self.raw.close()
        task = self.elsewhere.task
        if task is not None and shiboken6.isValid(task):
            task.wait(10)
        super().teardown()

    # The panel -----------------------------------------------------------------------

    def _settle(self) -> None:
        """The panel has read the current claim again and found its similar passages."""
        elsewhere, panel = self.elsewhere, self.panel
        QApplication.processEvents()
        Walk.qtbot.waitUntil(lambda: not elsewhere._timer.isActive()
                             and not panel.candidates_title.text().endswith("looking…"),
                             timeout=10000)

    def _in_tree(self, tree, which: int):  # type: ignore[no-untyped-def]
        """Make row ``which`` (modulo) of ``tree`` current, the keyboard in it; its data."""
        self._settle()
        count = tree.topLevelItemCount()
        if not count:
            return None
        item = tree.topLevelItem(which % count)
        tree.setFocus()
        tree.setCurrentItem(item)
        return item.data(0, ROLE)

    def _tree_key(self, tree, key: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
        self._run(lambda: Walk.qtbot.keyClick(tree, key, modifiers))

    def _new_link(self) -> str:
        ids = {row[0] for row in self.raw.execute("SELECT id FROM claim_links")}
        (link_id,) = ids - set(self.model.links)
        return link_id

    # The moves -----------------------------------------------------------------------

    @rule()
    def remember(self) -> None:
        """Ctrl+Shift+L: remember the current claim as evidence."""
        before = self._rows()
        self._key(K.Key_L, CTRL | SHIFT)
        self._only_changed(before, set())
        if self.model.current is not None:
            self.model.remembered = self.model.current

    @rule(relation=st.sampled_from(EVIDENCE))
    def link_remembered(self, relation: str) -> None:
        """Click Supports / Refutes / Not Enough: the remembered claim <relation> this."""
        self._settle()
        model, button = self.model, self.panel.relation_buttons[relation]
        current, source = model.current, model.remembered
        can = current is not None and source is not None and source != current
        assert button.isEnabled() == can, "relation buttons"
        if not can:
            return
        before, steps = self._rows(), self.window.undo_stack.count()
        self._run(lambda: Walk.qtbot.mouseClick(button, LEFT))
        self._only_changed(before, set())
        if source not in model.claims or model.linked(current, source):
            assert self.window.undo_stack.count() == steps, "a link that cannot be made"
            return
        link_id = self._new_link()
        model.link_step("link", lambda: model.links.__setitem__(
            link_id, (current, source, relation)))

    @rule(relation=st.sampled_from(EVIDENCE), which=st.integers(0, 5),
          back=st.booleans())
    def link_across(self, relation: str, which: int, back: bool) -> None:
        """Remember the current claim (one on a shared figure when none is current),
        go to a claim of another document, link there."""
        if self.model.current is None:
            self.to_figure_claim(which)
            if self.model.current is None:
                return
        self.remember()
        self.switch_document(which)
        self.tab(back)
        self.link_remembered(relation)

    @rule(which=st.integers(0, 3))
    def to_figure_claim(self, which: int) -> None:
        """Click a claim on a shared figure in the claims table (in its document)."""
        claim = self.model.claims.get(self.figure_claims[which % len(self.figure_claims)])
        if claim is None:
            return
        if claim["document_id"] != self.model.document_id:
            self._run(lambda: support.open_document(self.window, claim["document_id"]))
            self.model.switch_document(claim["document_id"])
        rows = self.window.claim_table.model()
        row = next(r for r in range(rows.rowCount())
                   if rows.index(r, 0).data(ClaimTableModel.ID_ROLE) == claim["id"])
        self.click_table_row(row)

    @rule(which=st.integers(0, 20))
    def unlink(self, which: int) -> None:
        """Delete on an evidence link of the panel."""
        linked = self._in_tree(self.panel.links, which)
        if linked is None:
            assert not (self.model.current and self.model.evidence_links(self.model.current))
            return
        before = self._rows()
        self._tree_key(self.panel.links, K.Key_Delete)
        self._only_changed(before, set())
        link_id = linked.link.id
        assert link_id in self.model.evidence_links(self.model.current), "unlinked a link " \
            "the current claim does not have"
        self.model.link_step("unlink", lambda: self.model.links.pop(link_id))

    def _candidate(self, which: int):  # type: ignore[no-untyped-def]
        """A similar passage of the current claim (of a claim on a shared figure when
        none is current), chosen in the panel."""
        if self.model.current is None:
            self.to_figure_claim(which)
            if self.model.current is None:
                return None
        row = self._in_tree(self.panel.candidates, which)
        return None if row is None else row.candidate

    @rule(which=st.integers(0, 20))
    def confirm(self, which: int) -> None:
        """Ctrl+Return on a similar passage: the same claim (a new claim on
        unlabelled text), linked in one step."""
        candidate = self._candidate(which)
        if candidate is None:
            return
        model, current = self.model, self.model.current
        assert current is not None
        before = self._rows()
        self._tree_key(self.panel.candidates, K.Key_Return, CTRL)
        after = self._rows()
        added = set(after) - set(before)
        self._only_changed(before, added)
        link_id = self._new_link()
        target = candidate.claim_id
        if target is None:
            (target,) = added
            claim = model.claims[current]
            new = {"id": target, "document_id": candidate.document_id,
                   "start": candidate.start, "end": candidate.end, "stance": claim["stance"],
                   "source_reliability": None, "info_credibility": None,
                   "claim_type": claim["claim_type"], "proposition": claim["proposition"],
                   "note": "", "annotator": support.ANALYST, "source_id": None,
                   "likelihood": None, "confidence": None}
        else:
            assert not added, "confirming a claim made another"
            new = None

        def change() -> None:
            if new is not None:
                model.claims[target] = new
            model.links[link_id] = (current, target, "same")

        model.link_step("confirm", change)

    @rule(which=st.integers(0, 20))
    def dismiss(self, which: int) -> None:
        """Delete on a similar passage: never suggested again for this claim."""
        candidate = self._candidate(which)
        if candidate is None:
            return
        model, current = self.model, self.model.current
        before = self._rows()
        self._tree_key(self.panel.candidates, K.Key_Delete)
        self._only_changed(before, set())
        place = (current, candidate.document_id, candidate.start, candidate.end)
        model.link_step("dismiss", lambda: model.dismissals.add(place))

    @rule()
    def apply_credibility(self) -> None:
        """Click Apply: the suggested credibility, as an edit of the current claim."""
        self._settle()
        model, current = self.model, self.model.current
        suggested = model.suggested(current) if current is not None else None
        can = suggested is not None and model.claims[current]["info_credibility"] != suggested
        assert self.panel.apply_button.isEnabled() == can, "Apply"
        if can:
            self._label_click(suggested)
            DONE["apply"] += 1

    def _label_click(self, grade: int) -> None:
        before = self._rows()
        self._run(lambda: Walk.qtbot.mouseClick(self.panel.apply_button, LEFT))
        self._only_changed(before, {self.model.current})
        assert self.model.label("info_credibility", grade)

    @rule()
    def delete_while_looking(self) -> None:
        """Delete the current claim as the panel starts looking for its passages."""
        if self.model.current is not None:
            self.elsewhere.refresh()
            self.delete()

    @rule(which=st.integers(0, 5))
    def switch_document(self, which: int) -> None:
        super().switch_document(which)

    # Undo and redo: what a step changed, whatever its kind -----------------------------

    @staticmethod
    def _changed_by(step: Step | None) -> set[str]:
        if step is None:
            return set()
        before, after = step.before[0], step.after[0]
        return {x for x in set(before) | set(after) if before.get(x) != after.get(x)}

    @rule()
    def undo(self) -> None:
        before = self._rows()
        step = self.model.undo()
        self._key(K.Key_Z, CTRL)
        self._only_changed(before, self._changed_by(step))

    @rule()
    def redo(self) -> None:
        before = self._rows()
        step = self.model.redo()
        self._key(K.Key_Z, CTRL | SHIFT)
        self._only_changed(before, self._changed_by(step))

    # What must hold after every step -----------------------------------------------------

    @invariant()
    def links_and_dismissals_match_the_model(self) -> None:
        model, service = self.model, self.window.service
        stored = {row[0]: tuple(row[1:]) for row in self.raw.execute(
            "SELECT id, claim_id, target_id, relation FROM claim_links")}
        assert stored == model.links, "stored links differ from the model"
        every = link_service.all_links(service, live_only=False)
        assert {x.id: (x.claim_id, x.target_id, x.relation) for x in every} == model.links
        live = link_service.all_links(service)
        assert {x.id for x in live} == set(model.live_links()), "live links"
        rows = self.raw.execute(
            'SELECT claim_id, document_id, start, "end" FROM candidate_dismissals').fetchall()
        assert len(rows) == len(set(rows)) and set(rows) == model.dismissals, "dismissals"
        for link_id, (a, b, _relation) in model.links.items():
            if a in model.claims and b in model.claims:
                continue
            assert any(a in state[0] and b in state[0] and link_id in state[2]
                       for step in model.history for state in (step.before, step.after)), \
                f"link {link_id} points to a deleted claim no undo or redo brings back"
        texts = model.texts
        for claim_id, document_id, start, end, quote in self.raw.execute(
                'SELECT id, document_id, start, "end", quote FROM claims'):
            assert texts[document_id][start:end] == quote, f"claim {claim_id}'s quote"

    @invariant()
    def elsewhere_shows_the_current_cluster(self) -> None:
        self._settle()
        model, panel, current = self.model, self.panel, self.model.current
        view = panel.view
        if current is None:
            assert view is None, "the panel shows a claim when none is current"
            return
        assert view is not None and view.claim.id == current, "the panel's claim"
        cluster = model.cluster(current)
        assert {a.claim.id for a in view.cluster} == cluster, "cluster"
        assert {panel.cluster.topLevelItem(i).data(0, ROLE).claim.id
                for i in range(panel.cluster.topLevelItemCount())} == cluster, "cluster rows"
        assert {panel.links.topLevelItem(i).data(0, ROLE).link.id
                for i in range(panel.links.topLevelItemCount())} == \
            model.evidence_links(current), "evidence links"
        assert view.suggested == model.suggested(current), "suggested credibility"
        assert view.claim.info_credibility == model.claims[current]["info_credibility"]
        linked = cluster | {x for i in model.evidence_links(current)
                            for x in model.links[i][:2]}
        for i in range(panel.candidates.topLevelItemCount()):
            candidate = panel.candidates.topLevelItem(i).data(0, ROLE).candidate
            document = candidate.document_id
            assert model.texts[document][candidate.start:candidate.end] == candidate.quote
            assert document != model.claims[current]["document_id"], "a passage of its own"
            assert (current, document, candidate.start, candidate.end) \
                not in model.dismissals, f"a dismissed passage is offered: {candidate}"
            if candidate.claim_id is not None:
                assert candidate.claim_id not in linked, "a linked claim is offered"
                claim = model.claims.get(candidate.claim_id)
                assert claim is not None, f"a deleted claim is offered: {candidate}"
                assert (claim["document_id"], claim["start"], claim["end"]) == (
                    document, candidate.start, candidate.end), "a claim offered elsewhere"


@pytest.mark.parametrize("size", [pytest.param(QUICK, id="quick"),
                                  pytest.param((EXAMPLES, STEPS), id="long",
                                               marks=pytest.mark.slow)])
def test_links_and_the_elsewhere_panel_match_the_model(  # type: ignore[no-untyped-def]
        qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        size: tuple[int, int]) -> None:
    examples, steps = size
    Walk.qtbot = qtbot
    Walk.folder = tmp_path
    Walk.template = build_template(tmp_path / "template.annotator.sqlite")
    Walk.steps = Walk.examples = 0
    Walk.boxes.clear()
    DONE.clear()

    def record(_parent, title, text, *_args, **_kwargs):  # type: ignore[no-untyped-def]
        Walk.boxes.append((str(title), str(text)))
        return QMessageBox.StandardButton.Ok

    for name in ("critical", "warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, record)
    monkeypatch.setattr(plain, "show_message",
                        lambda parent, _icon, title, text, *a, **k: record(parent, title, text))
    began = time.perf_counter()
    try:
        run_state_machine_as_test(LinksMachine, settings=settings(
            max_examples=examples, stateful_step_count=steps, deadline=None,
            derandomize=not os.environ.get("ANNOTATOR_LOOP_RANDOM"), database=None,
            print_blob=bool(os.environ.get("ANNOTATOR_LOOP_RANDOM")),
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                   HealthCheck.data_too_large]))
    finally:
        print(f"\nlinks: {Walk.steps} steps in {Walk.examples} examples, "
              f"{time.perf_counter() - began:.1f} s; moves made: {dict(DONE)}")
    assert Walk.steps >= examples * steps // 4
