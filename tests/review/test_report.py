"""The agreement report the CLI prints: its figures against NLTK's AnnotationTask
on the same reliability data (built here from the scenario, not from the
matcher's units), span precision / recall / F1 counted by hand, "cannot be
judged" grades, several analysts, and degenerate data."""

from __future__ import annotations

import itertools
import json
import random
from dataclasses import replace

import pytest

from annotator.domain.codebook import Codebook, Dimension, default_codebook, icd203_labels
from annotator.domain.model import Claim
from annotator.review import (
    CATEGORY,
    Matching,
    agreement_report,
    compare,
    label_agreement,
)
from tests.review.reference import nltk_alpha, nltk_kappa

CODEBOOK = default_codebook()
STANCES = ("supports", "refutes", "neutral", "unclear")
RELIABILITY = "ABCDEF"
CREDIBILITY = (1, 2, 3, 4, 5, 6)
TYPES = ("quantity", "prediction", "laws_rules", "other")
FIELDS = ("stance", "source_reliability", "info_credibility", "claim_type")
_ids = itertools.count()


def claim(analyst: str, document: str, start: int, end: int, **labels) -> Claim:
    return Claim(id=f"c{next(_ids):06d}", document_id=document, start=start, end=end,
                 quote="x" * (end - start), annotator=analyst, **labels)


def noisy(rng: random.Random, value, choices, keep: float):
    roll = rng.random()
    return value if roll < keep else rng.choice(choices) if roll < keep + 0.1 else None


class Scenario:
    """Analysts label items (spans 50 characters long, 100 apart); the first
    analyst marks every item, the others most, sometimes with moved boundaries,
    and some spans of their own that overlap nothing. ``labels[item][analyst]``
    is what each gave, to build the reference data independently."""

    def __init__(self, seed: int, analysts=("alice", "bob"), documents=3, items=40):
        rng = random.Random(seed)
        self.analysts = analysts
        self.claims: list[Claim] = []
        self.labels: dict[tuple[str, int], dict[str, dict]] = {}
        self.spans: dict[tuple[str, int], dict[str, tuple[int, int]]] = {}
        self.extra: dict[tuple[str, str], int] = {}
        for d in range(documents):
            document = f"doc-{d}"
            for i in range(items):
                start, end = i * 100, i * 100 + 50
                truth = {"stance": rng.choice(STANCES),
                         "source_reliability": rng.choice(RELIABILITY),
                         "info_credibility": rng.choice(CREDIBILITY),
                         "claim_type": rng.choice(TYPES)}
                key = (document, i)
                self.labels[key], self.spans[key] = {}, {}
                for n, analyst in enumerate(analysts):
                    if n and rng.random() < 0.2:
                        continue                        # this analyst missed the item
                    s, e = start, end
                    if n and rng.random() < 0.3:       # moved boundaries (jaccard >= 0.8)
                        s, e = s + rng.randint(-5, 5), e + rng.randint(-5, 5)
                    labels = {"stance": noisy(rng, truth["stance"], STANCES, 0.75),
                              "source_reliability": noisy(rng, truth["source_reliability"],
                                                          RELIABILITY, 0.7),
                              "info_credibility": noisy(rng, truth["info_credibility"],
                                                        CREDIBILITY, 0.7),
                              "claim_type": noisy(rng, truth["claim_type"], TYPES, 0.8)}
                    self.labels[key][analyst] = labels
                    self.spans[key][analyst] = (s, e)
                    self.claims.append(claim(analyst, document, s, e, **labels))
            for n, analyst in enumerate(analysts):
                extra = rng.randint(0, 4) if n else 0
                self.extra[(document, analyst)] = extra
                for x in range(extra):                  # spans nobody else marked
                    s = x * 100 + 60 + n * 8
                    self.claims.append(claim(analyst, document, s, s + 6, stance="neutral"))
        rng.shuffle(self.claims)

    def rows(self, field: str, convert, documents=None):
        """One row per item: each analyst's converted value, None when missing."""
        rows = []
        for (document, _), by_analyst in self.labels.items():
            if documents is not None and document not in documents:
                continue
            rows.append(tuple(convert(by_analyst[a][field]) if a in by_analyst else None
                              for a in self.analysts))
        return rows


def nominal(value):
    return None if value is None else str(value)


def rank(field):
    scale = {"source_reliability": "ABCDE", "info_credibility": "12345"}[field]
    return lambda value: None if value is None or str(value) not in scale \
        else scale.index(str(value))


CONVERT = {"stance": nominal, "claim_type": nominal,
           "source_reliability": rank("source_reliability"),
           "info_credibility": rank("info_credibility")}
LEVEL = {"stance": "nominal", "claim_type": "nominal", "source_reliability": "ordinal",
         "info_credibility": "ordinal"}


def complete_pairs(rows):
    return [row for row in rows if None not in row]


@pytest.mark.parametrize("seed", range(4))
def test_two_analysts_match_nltk(seed):
    scenario = Scenario(seed)
    report = agreement_report(compare(scenario.claims, ["alice", "bob"]), CODEBOOK)
    json.dumps(report, allow_nan=False)
    for field in FIELDS:
        rows = scenario.rows(field, CONVERT[field])
        figures = report[field]
        assert figures["level"] == LEVEL[field]
        assert figures["krippendorff_alpha"] == pytest.approx(
            nltk_alpha(rows, LEVEL[field]), abs=1e-9), field
        assert figures["cohen_kappa"] == pytest.approx(
            nltk_kappa(complete_pairs(rows)), abs=1e-9), field
        assert figures["units"] == len(complete_pairs(rows))
        assert figures["pairable_values"] == 2 * len(complete_pairs(rows))
        assert figures["reasons"] == {}


@pytest.mark.parametrize("seed", range(3))
def test_per_document_figures_match_nltk(seed):
    scenario = Scenario(10 + seed)
    report = agreement_report(compare(scenario.claims, ["alice", "bob"]), CODEBOOK)
    assert [d["document_id"] for d in report["documents"]] == ["doc-0", "doc-1", "doc-2"]
    for entry in report["documents"]:
        for field in FIELDS:
            rows = scenario.rows(field, CONVERT[field], documents={entry["document_id"]})
            assert entry[field]["krippendorff_alpha"] == pytest.approx(
                nltk_alpha(rows, LEVEL[field]), abs=1e-9)
            assert entry[field]["cohen_kappa"] == pytest.approx(
                nltk_kappa(complete_pairs(rows)), abs=1e-9)
    for key in ("claims", "units", "by_all", "by_some", "by_one", "matched_units",
                "label_disagreements", "span_differences"):
        assert report["counts"][key] == sum(d["counts"][key] for d in report["documents"])
    assert report["counts"]["documents"] == 3


@pytest.mark.parametrize("seed", range(3))
def test_span_precision_recall_f1_counted_by_hand(seed):
    scenario = Scenario(20 + seed)
    report = agreement_report(compare(scenario.claims, ["alice", "bob"],
                                      Matching("jaccard", 0.5)), CODEBOOK)
    alice = sum(1 for spans in scenario.spans.values() if "alice" in spans)
    bob = sum(1 for spans in scenario.spans.values() if "bob" in spans) + sum(
        n for (_, a), n in scenario.extra.items() if a == "bob")
    both = [spans for spans in scenario.spans.values() if {"alice", "bob"} <= spans.keys()]
    exact = sum(1 for spans in both if spans["alice"] == spans["bob"])
    overlap = len(both)            # moved boundaries keep jaccard >= 0.8
    spans = report["spans"]
    assert spans["reference"] == "alice"
    assert spans["exact"]["precision"] == pytest.approx(exact / bob)
    assert spans["exact"]["recall"] == pytest.approx(exact / alice)
    assert spans["exact"]["f1"] == pytest.approx(2 * exact / (alice + bob))
    assert spans["overlap"]["precision"] == pytest.approx(overlap / bob)
    assert spans["overlap"]["recall"] == pytest.approx(overlap / alice)
    assert spans["overlap"]["f1"] == pytest.approx(2 * overlap / (alice + bob))
    assert (spans["overlap"]["measure"], spans["overlap"]["threshold"]) == ("jaccard", 0.5)
    assert spans["exact"]["matched"] == exact and spans["overlap"]["matched"] == overlap
    assert len(spans["pairs"]) == 1
    assert report["counts"]["claims_by_analyst"] == {"alice": alice, "bob": bob}


def test_a_stricter_threshold_matches_fewer_spans():
    scenario = Scenario(5)
    loose = agreement_report(compare(scenario.claims, matching=Matching("jaccard", 0.5)),
                             CODEBOOK)
    strict = agreement_report(compare(scenario.claims, matching=Matching("jaccard", 0.95)),
                              CODEBOOK)
    assert strict["spans"]["overlap"]["matched"] < loose["spans"]["overlap"]["matched"]
    assert strict["spans"]["exact"] == loose["spans"]["exact"]
    assert strict["counts"]["by_one"] > loose["counts"]["by_one"]


def test_exact_comparison_still_reports_overlap_figures_with_the_default_matching():
    scenario = Scenario(6)
    report = agreement_report(compare(scenario.claims, matching=Matching("exact")), CODEBOOK)
    assert report["matching"] == {"measure": "exact"}
    assert report["spans"]["overlap"]["measure"] == "jaccard"
    assert report["spans"]["overlap"]["matched"] > report["spans"]["exact"]["matched"]


def test_three_analysts():
    scenario = Scenario(7, analysts=("alice", "bob", "carol"))
    comparison = compare(scenario.claims)
    report = agreement_report(comparison, CODEBOOK)
    json.dumps(report, allow_nan=False)
    for field in FIELDS:
        assert "cohen_kappa" not in report[field]
        assert report[field]["krippendorff_alpha"] == pytest.approx(
            nltk_alpha(scenario.rows(field, CONVERT[field]), LEVEL[field]), abs=1e-9)
    spans = report["spans"]
    assert spans["reference"] is None
    assert [(p["reference"], p["compared"]) for p in spans["pairs"]] == [
        ("alice", "bob"), ("alice", "carol"), ("bob", "carol")]
    for kind in ("exact", "overlap"):
        for figure in ("precision", "recall", "f1"):
            mean = sum(p[kind][figure] for p in spans["pairs"]) / 3
            assert spans[kind][figure] == pytest.approx(mean)
        assert spans[kind]["analyst_pairs"] == 3
    # each pair's figures are those of the two analysts compared alone
    for pair in spans["pairs"]:
        alone = agreement_report(compare(scenario.claims, [pair["reference"],
                                                           pair["compared"]]), CODEBOOK)
        assert alone["spans"]["pairs"][0] == pair
    assert report["counts"]["by_all"] + report["counts"]["by_some"] \
        + report["counts"]["by_one"] == report["counts"]["units"]


def test_unjudgeable_grades_are_missing_values_by_default():
    claims = [
        claim("alice", "d", 0, 10, source_reliability="A", info_credibility=1),
        claim("bob", "d", 0, 10, source_reliability="F", info_credibility=6),
        claim("alice", "d", 20, 30, source_reliability="B", info_credibility=2),
        claim("bob", "d", 20, 30, source_reliability="B", info_credibility=2),
        claim("alice", "d", 40, 50, source_reliability="E", info_credibility=5),
        claim("bob", "d", 40, 50, source_reliability="D", info_credibility=5),
    ]
    report = agreement_report(compare(claims), CODEBOOK)
    reliability = report["source_reliability"]
    assert reliability["level"] == "ordinal"
    assert reliability["units"] == 2                    # the F unit is not pairable
    assert reliability["unjudgeable_values"] == 1
    ranks = [(1, 1), (4, 3)]                            # B=1, E=4, D=3 on the A-E scale
    assert reliability["krippendorff_alpha"] == pytest.approx(nltk_alpha(ranks, "ordinal"))
    assert reliability["cohen_kappa"] == pytest.approx(nltk_kappa(ranks))

    as_category = agreement_report(compare(claims), CODEBOOK, unjudgeable=CATEGORY)
    reliability = as_category["source_reliability"]
    assert reliability["level"] == "nominal"            # F is no point on the scale
    assert reliability["units"] == 3
    assert reliability["unjudgeable_values"] == 1
    keys = [("A", "F"), ("B", "B"), ("E", "D")]
    assert reliability["krippendorff_alpha"] == pytest.approx(nltk_alpha(keys))
    assert reliability["cohen_kappa"] == pytest.approx(nltk_kappa(keys))
    credibility = as_category["info_credibility"]
    assert credibility["krippendorff_alpha"] == pytest.approx(
        nltk_alpha([("1", "6"), ("2", "2"), ("5", "5")]))


def test_graded_scales_can_be_taken_as_interval():
    scenario = Scenario(8)
    report = agreement_report(compare(scenario.claims), CODEBOOK, graded_level="interval")
    for field in ("source_reliability", "info_credibility"):
        assert report[field]["level"] == "interval"
        assert report[field]["krippendorff_alpha"] == pytest.approx(
            nltk_alpha(scenario.rows(field, CONVERT[field]), "interval"), abs=1e-9)
    assert report["stance"]["level"] == "nominal"


def test_unknown_grades_are_left_out_and_counted():
    claims = [claim("alice", "d", 0, 10, source_reliability="Z"),
              claim("bob", "d", 0, 10, source_reliability="A")]
    figures = agreement_report(compare(claims), CODEBOOK)["source_reliability"]
    assert figures["unknown_values"] == 1
    assert figures["units"] == 0
    assert figures["krippendorff_alpha"] is None


def test_likelihood_and_confidence_when_the_codebook_has_them():
    codebook = Codebook(labels=(*CODEBOOK.labels, *icd203_labels()))
    claims = [claim("alice", "d", 0, 10, likelihood="likely", confidence="high"),
              claim("bob", "d", 0, 10, likelihood="very_likely", confidence="high"),
              claim("alice", "d", 20, 30, likelihood="unlikely", confidence="low"),
              claim("bob", "d", 20, 30, likelihood="unlikely", confidence="moderate")]
    report = agreement_report(compare(claims), codebook)
    assert report["likelihood"]["level"] == "ordinal"
    ranks = [(4, 5), (2, 2)]        # ICD 203 order: almost_no_chance = 0 ... almost_certain
    assert report["likelihood"]["krippendorff_alpha"] == pytest.approx(
        nltk_alpha(ranks, "ordinal"))
    assert "likelihood" not in agreement_report(compare(claims), CODEBOOK)
    only = agreement_report(compare(claims), codebook, dimensions=[Dimension.STANCE])
    assert "stance" in only and "claim_type" not in only and "spans" in only


def test_label_agreement_for_the_panel():
    scenario = Scenario(9)
    comparison = compare(scenario.claims)
    units = comparison.documents["doc-1"].units
    result = label_agreement(units, comparison.analysts, Dimension.STANCE, CODEBOOK)
    rows = scenario.rows("stance", nominal, documents={"doc-1"})
    assert result.alpha.value == pytest.approx(nltk_alpha(rows))
    assert result.kappa.value == pytest.approx(nltk_kappa(complete_pairs(rows)))
    assert result.level == "nominal"
    assert result.as_dict()["krippendorff_alpha"] == result.alpha.value


# Degenerate data ------------------------------------------------------------------------

def assert_json_safe(report):
    text = json.dumps(report, allow_nan=False)
    assert "NaN" not in text and "Infinity" not in text


def test_one_category_only():
    claims = [claim(a, "d", s, s + 5, stance="supports", claim_type=t)
              for s in (0, 10, 20) for a, t in (("alice", "quantity"), ("bob", "other"))]
    report = agreement_report(compare(claims), CODEBOOK)
    assert_json_safe(report)
    stance = report["stance"]
    assert stance["krippendorff_alpha"] is None and stance["cohen_kappa"] is None
    assert "no variation" in stance["reasons"]["krippendorff_alpha"]
    assert "no variation" in stance["reasons"]["cohen_kappa"]
    assert stance["units"] == 3
    # each analyst used one type, but different ones: defined (and no agreement)
    assert report["claim_type"]["cohen_kappa"] == 0.0
    assert report["source_reliability"]["krippendorff_alpha"] is None
    assert "no unit" in report["source_reliability"]["reasons"]["krippendorff_alpha"]


def test_no_claims_at_all():
    report = agreement_report(compare([], ["alice", "bob"]), CODEBOOK)
    assert_json_safe(report)
    assert report["counts"]["documents"] == 0 and report["documents"] == []
    for field in FIELDS:
        assert report[field]["krippendorff_alpha"] is None
        assert report[field]["cohen_kappa"] is None
        assert report[field]["reasons"]["krippendorff_alpha"]
    for kind in ("exact", "overlap"):
        assert report["spans"][kind]["f1"] is None
        assert report["spans"][kind]["reasons"]["f1"]


def test_one_analyst_only():
    claims = [claim("alice", "d", 0, 5, stance="supports"),
              claim("alice", "d", 10, 15, stance="refutes")]
    report = agreement_report(compare(claims), CODEBOOK)
    assert_json_safe(report)
    assert report["stance"]["krippendorff_alpha"] is None
    assert "two analysts" in report["stance"]["reasons"]["krippendorff_alpha"]
    assert "cohen_kappa" not in report["stance"]
    assert report["spans"]["exact"]["precision"] is None
    assert report["spans"]["pairs"] == []
    assert report["counts"]["by_all"] == 2


def test_an_analyst_with_no_span_in_a_document():
    claims = [claim("alice", "d", 0, 5, stance="supports")]
    report = agreement_report(compare(claims, ["alice", "bob"]), CODEBOOK)
    assert_json_safe(report)
    exact = report["spans"]["exact"]
    assert exact["precision"] is None and exact["recall"] == 0.0 and exact["f1"] == 0.0
    assert "compared analyst" in exact["reasons"]["precision"]


def test_without_per_document_entries():
    scenario = Scenario(3)
    full = agreement_report(compare(scenario.claims), CODEBOOK)
    short = agreement_report(compare(scenario.claims), CODEBOOK, per_document=False)
    assert "documents" not in short
    assert {k: v for k, v in full.items() if k != "documents"} == short


def test_the_report_does_not_change_the_claims():
    scenario = Scenario(4)
    before = [replace(c) for c in scenario.claims]
    agreement_report(compare(scenario.claims), CODEBOOK)
    assert scenario.claims == before
