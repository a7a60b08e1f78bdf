"""Formats plug into one registry: the command line offers every registered
format, and the README's export table documents each of them."""

from __future__ import annotations

import re
from pathlib import Path

from annotator.cli.main import _parser as build_parser
from annotator.services.exports import FORMATS

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_table_has_a_row_per_format() -> None:
    text = README.read_text(encoding="utf-8")
    start = text.index("### Export formats")
    section = text[start:text.index("\n#", start + 1)]
    rows = re.findall(r"^\| `([a-z0-9-]+)` \|", section, re.M)
    assert rows == list(FORMATS)


def test_the_command_line_offers_every_format() -> None:
    parser = build_parser()
    args = parser.parse_args(["export", "--format", "refi-qda", "-o", "x.qdpx"])
    assert args.format == "refi-qda"
    for name in FORMATS:
        assert parser.parse_args(["export", "--format", name, "-o", "x"]).format == name
