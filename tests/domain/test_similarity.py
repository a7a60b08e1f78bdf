"""Scoring passages against a claim: words in any script, figures, names across
scripts, passages with exact spans."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.domain.similarity import (
    BIG,
    BLOCK,
    BLOCKS,
    AliasTable,
    ClaimText,
    PreparedText,
    aliases_in,
    rarity,
    sentences,
    words,
)


def test_words_in_any_script() -> None:
    assert words("The chipmaker LOST its market capitalization") == [
        "chipm", "lost", "marke", "capit"]
    assert words("Nvidia H800 chips") == ["nvidi", "h800", "chips"]
    assert words("东京都知事") == ["东京", "京都", "都知", "知事"]
    assert "компа" in words("Компания потеряла деньги")
    assert words("and the 2025 of") == []


def test_sentences_have_exact_spans_and_mend_broken_lines() -> None:
    text = ("Nvidia lost USD 589 billion. The U.S. market fell!\n\nHeadline\n\n"
            "This model achieved a training cost of no more than\n\n5.6 million. 下跌了。然后")
    spans = sentences(text)
    pieces = [text[a:b] for a, b in spans]
    assert pieces == ["Nvidia lost USD 589 billion.", "The U.S. market fell!", "Headline",
                      "This model achieved a training cost of no more than\n\n5.6 million.",
                      "下跌了。", "然后"]


@given(st.text(alphabet=st.sampled_from(list("ab .!?\n。👇Z1")), max_size=80))
def test_sentences_are_ordered_stripped_and_within_the_text(text: str) -> None:
    previous = 0
    for start, end in sentences(text):
        assert previous <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        previous = end


def test_names_across_scripts_from_the_text() -> None:
    assert aliases_in("a team at DeepSeek (深度求素 in Mandarin), led by Liang Wenfeng "
                      "(梁文锋)") == [("DeepSeek", "深度求素"), ("Liang Wenfeng", "梁文锋")]
    assert aliases_in("компания Дипсик (DeepSeek) и") == [("DeepSeek", "Дипсик")]
    table = AliasTable.from_texts(["DeepSeek (深度求素 in Mandarin)", "Дипсик (DeepSeek)"])
    assert set(table.names_in("深度求素发布了模型")) == {"name:deepseek"}
    assert table.names_in("Дипсик выпустил") == {"name:deepseek": "Дипсик"}
    claim = ClaimText("DeepSeek released a model", aliases=table)
    score = claim.score("深度求素 released its model")
    assert "name 深度求素 = DeepSeek" in score.reasons
    assert score.value > ClaimText("DeepSeek released a model").score(
        "深度求素 released its model").value


def test_figures_rank_the_same_fact_first() -> None:
    claim = ClaimText("the chipmaker lost USD 589 billion in market capitalization")
    same = claim.score("Nvidia shares fell 17%, losing $600 billion in market cap.")
    other = claim.score("Big Tech spent $197 billion on AI in market research.")
    unrelated = claim.score("The weather in Paris was mild.")
    assert same.value > other.value > unrelated.value
    assert "figure USD 589 billion ~ $600 billion" in same.reasons
    assert unrelated.value == 0


def test_figures_match_across_notation_and_units() -> None:
    claim = ClaimText("trained its model using only about 2,000 Nvidia H800 chips")
    found = claim.score("achieved comparable results using 2,000 integrated circuits")
    assert "figure 2,000 Nvidia H800 chips = 2,000 integrated circuits" in found.reasons
    loose = ClaimText("DeepSeek reportedly spent around $6 million").score(
        "achieving a training cost of no more than 5.6 million")
    assert "figure $6 million ~ 5.6 million" in loose.reasons


def test_rare_words_weigh_more_and_generic_passages_less() -> None:
    passages = [words(t) for t in ("DeepSeek model", "DeepSeek chips", "DeepSeek Nvidia",
                                   "DeepSeek again")]
    weights = rarity(passages)
    assert weights["nvidi"] > weights["deeps"]
    claim = ClaimText("DeepSeek bought Nvidia chips", weights=weights)
    assert claim.score("Nvidia chips were sold to many buyers").value > claim.score(
        "DeepSeek is a company that many people talk about").value
    assert claim.score("DeepSeek").value < claim.score("DeepSeek bought some chips").value


def test_scores_are_deterministic() -> None:
    claim = ClaimText("lost USD 589 billion in market value on January 27, 2025")
    passage = "On January 27, 2025, Nvidia lost $600 billion in market value."
    assert claim.score(passage) == ClaimText(claim.text).score(passage)


def test_a_big_text_is_read_where_the_claims_words_are() -> None:
    common = ["market", "government", "company", "analysts", "report", "minister", "prices",
              "growth", "bank"]
    paragraphs = [" ".join(common[(n + k) % len(common)] for k in range(40)) + "."
                  for n in range(8000)]
    paragraphs[6000] = "👇 Nvidia lost USD 589 billion in market value in one day."
    text = "\n".join(paragraphs)
    assert len(text) > BIG
    claim = ClaimText("Nvidia lost $589bn of market value")
    found = PreparedText(text).sentences(claim.hits(), pieces=claim.pieces())
    assert len(found) < 8000 * (BLOCKS + 1) * BLOCK / len(text)    # not every sentence
    (planted,) = [p for p in found if "nvidi" in p.words]
    assert text[planted.start:planted.end] == paragraphs[6000]
    assert claim.score(planted).value > 0.5
