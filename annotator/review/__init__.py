"""Reviewing colleagues' annotations: span matching and agreement figures.

Pure Python (no Qt, no SQL), so the CLI, the GUI and the data card share it::

    from annotator.review import Matching, agreement_report, compare

    comparison = compare(claims, ["alice", "bob"], Matching("jaccard", 0.5))
    report = agreement_report(comparison, codebook)      # JSON-ready dict
"""

from annotator.review.agreement import (
    CATEGORY,
    INTERVAL,
    LEVELS,
    MISSING,
    NOMINAL,
    ORDINAL,
    RATIO,
    REPORT_DIMENSIONS,
    Coefficient,
    Coincidences,
    Contingency,
    DimensionAgreement,
    LabelValues,
    SpanScores,
    agreement_report,
    analyst_pairs,
    average_span_scores,
    cohen_kappa,
    document_span_scores,
    krippendorff_alpha,
    label_agreement,
    overlap_matching,
    report_dimensions,
    span_scores,
)
from annotator.review.matching import (
    BY_ALL,
    BY_ONE,
    BY_SOME,
    EXACT,
    EXACT_MATCHING,
    JACCARD,
    MEASURES,
    OVERLAP_RATIO,
    Comparison,
    DocumentComparison,
    LabelDisagreement,
    Matching,
    Unit,
    analysts_of,
    compare,
    compare_document,
    count_matches,
    match_pairs,
    span_score,
)

__all__ = [
    "BY_ALL", "BY_ONE", "BY_SOME", "CATEGORY", "EXACT", "EXACT_MATCHING", "INTERVAL",
    "JACCARD", "LEVELS", "MEASURES", "MISSING", "NOMINAL", "ORDINAL", "OVERLAP_RATIO",
    "RATIO", "REPORT_DIMENSIONS", "Coefficient", "Coincidences", "Comparison",
    "Contingency", "DimensionAgreement", "DocumentComparison", "LabelDisagreement",
    "LabelValues", "Matching", "SpanScores", "Unit", "agreement_report", "analyst_pairs",
    "analysts_of", "average_span_scores", "cohen_kappa", "compare", "compare_document",
    "count_matches", "document_span_scores", "krippendorff_alpha", "label_agreement",
    "match_pairs", "overlap_matching", "report_dimensions", "span_score", "span_scores",
]
