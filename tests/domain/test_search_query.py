"""Any typed text becomes safe search terms (domain/search_query.py)."""

from __future__ import annotations

import sqlite3

from hypothesis import given
from hypothesis import strategies as st

from annotator.domain.search_query import MAX_QUERY, MAX_TERMS, SearchQuery


def test_words_phrases_and_unbalanced_quotes() -> None:
    assert SearchQuery.parse('prices "rose  by\n12 %" AND (x').terms == \
        ("prices", "rose by 12 %", "AND", "(x")
    assert SearchQuery.parse('a "open phrase').terms == ("a", "open phrase")
    assert SearchQuery.parse('""  " "').empty
    assert SearchQuery.parse("x x X").terms == ("x", "X")          # repeats once


def test_bounds_and_characters_that_cannot_be_text() -> None:
    assert len(SearchQuery.parse(" ".join(f"w{n}" for n in range(100))).terms) == MAX_TERMS
    assert SearchQuery.parse("y" * (MAX_QUERY + 50)).terms == ("y" * MAX_QUERY,)
    assert SearchQuery.parse("a\x00b\ud800c\x7f").terms == ("abc",)


def test_the_fts5_expression_quotes_every_word() -> None:
    query = SearchQuery.parse('AND NEAR(x) col:on "-minus" 東京 東京都 ab')
    assert query.fts5() == '"AND" "NEAR(x)" "col:on" "-minus" "東京都"'
    assert SearchQuery.parse("ab 東京").fts5() is None              # too short for trigrams
    assert query.matches("and near(X) COL:ON -minus 東京 東京都 AB")
    assert not query.matches("and near(X)")


@given(st.text(max_size=80))
def test_fts5_accepts_whatever_is_typed(text: str) -> None:
    expression = SearchQuery.parse(text).fts5()
    raw = sqlite3.connect(":memory:")
    try:
        raw.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram')")
        raw.execute("INSERT INTO t VALUES ('some text 東京都')")
        if expression is not None:
            raw.execute("SELECT rowid FROM t WHERE t MATCH ?", [expression]).fetchall()
    finally:
        raw.close()
