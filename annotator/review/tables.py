"""An agreement report (:func:`annotator.review.agreement_report`) as rows of
text, for the CLI's table, the dataset package's data card and the GUI panel."""

from __future__ import annotations

from typing import Any

from annotator.domain.codebook import Dimension

#: Row order and titles: the label dimensions, then span matching.
ROW_TITLES = {
    **{dimension.value: dimension.title for dimension in Dimension},
    "spans.exact": "Spans, exact match",
    "spans.overlap": "Spans, overlap",
}
COLUMNS = ("Dimension", "Cohen's κ", "Krippendorff's α", "Precision", "Recall", "F1", "Items")
DASH = "—"


def figure(value: object) -> str:
    """A coefficient as text: three decimals, or a dash when undefined."""
    if value is None:
        return DASH
    assert isinstance(value, int | float)
    return f"{value:.3f}"


def agreement_rows(report: dict[str, Any]) -> list[tuple[str, ...]]:
    """One row per dimension present in the report, in :data:`COLUMNS` order.
    Cohen's κ is a dash unless exactly two analysts are compared."""
    rows = []
    for key, title in ROW_TITLES.items():
        if key.startswith("spans."):
            section = report.get("spans", {}).get(key.split(".")[1])
            if section is None:
                continue
            if key == "spans.overlap":
                title = (f"{title} ({section.get('measure', '')} ≥ "
                         f"{section.get('threshold', '')})")
            items = section.get("reference_spans", section.get("analyst_pairs", ""))
            rows.append((title, DASH, DASH, figure(section.get("precision")),
                         figure(section.get("recall")), figure(section.get("f1")),
                         str(items)))
            continue
        section = report.get(key)
        if section is None:
            continue
        rows.append((title, figure(section.get("cohen_kappa")),
                     figure(section.get("krippendorff_alpha")), DASH, DASH, DASH,
                     str(section.get("units", ""))))
    return rows


def text_table(report: dict[str, Any]) -> str:
    """The rows as an aligned plain-text table (the CLI's ``--format table``)."""
    rows = [COLUMNS, *agreement_rows(report)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = []
    for number, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [cell.rjust(w) for cell, w in
                                             zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells).rstrip())
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    notes = undefined_reasons(report)
    if notes:
        lines += ["", "Undefined (—):", *(f"  {note}" for note in notes)]
    return "\n".join(lines)


def undefined_reasons(report: dict[str, Any]) -> list[str]:
    """Why each undefined figure is undefined, one line each."""
    names = {"cohen_kappa": "Cohen's κ", "krippendorff_alpha": "Krippendorff's α",
             "precision": "precision", "recall": "recall", "f1": "F1"}
    notes = []
    for key, title in ROW_TITLES.items():
        if key.startswith("spans."):
            section = report.get("spans", {}).get(key.split(".")[1])
        else:
            section = report.get(key)
        if not section:
            continue
        for figure_name, reason in section.get("reasons", {}).items():
            notes.append(f"{title}, {names.get(figure_name, figure_name)}: {reason}")
    return notes


def markdown_table(report: dict[str, Any]) -> list[str]:
    """The rows as a Markdown table (the data card)."""
    lines = ["| " + " | ".join(COLUMNS) + " |",
             "| --- |" + " ---: |" * (len(COLUMNS) - 1)]
    lines += ["| " + " | ".join(row) + " |" for row in agreement_rows(report)]
    return lines
