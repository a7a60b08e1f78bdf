"""Reflowing PDF-extracted text: the seed MERICS newsletter and the rules."""

from __future__ import annotations

import itertools
import re

import pytest

from annotator.formats.reflow import (
    Block,
    Line,
    join_hyphenated,
    join_pages,
    looks_pdf_extracted,
    reflow,
    vocabulary,
)
from annotator.paths import seeds_dir

MERICS = "merics-deepseek-us-china-ai-race.txt"
WEB_SEEDS = ("deepseek-messages-to-washington.txt", "deepseek-pops-us-big-tech-bubble.txt",
             "deep-seek-hedge-fund-blog.txt")

#: Sentences of the MERICS seed, each printed over two to four lines there.
WHOLE_SENTENCES = (
    "The Nasdaq plummeted three percent Monday as a privately backed Chinese startup "
    "shocked the tech world with an open-sourced AI model that outperforms Western "
    "competitors at a fraction of the cost – revving up the fierce race for AI superiority "
    "between the US and China.",
    "Developed by a team of fresh graduates at DeepSeek (深度求素 in Mandarin), the model "
    "outdoes the industry’s best models, like OpenAI’s proprietary o1, on several "
    "reasoning, coding and math benchmarks.",
    "Stronger party-state intervention could hamper the kind of private sector-driven "
    "entrepreneurship that Liang and his team embody.",
    "In a call between Marco Rubio and China’s Foreign Minister Wang Yi, the new US "
    "Secretary of State emphasized the administration’s commitment to Indo-Pacific allies, "
    "but also that it would “advance US interests and put the American people first” in "
    "relations with Beijing.",
)


@pytest.fixture(scope="module")
def merics() -> str:
    return (seeds_dir() / MERICS).read_bytes().decode("utf-8")


def test_the_merics_seed_is_detected_as_pdf_extracted(merics):
    assert looks_pdf_extracted(merics)


@pytest.mark.parametrize("name", WEB_SEEDS)
def test_web_text_seeds_are_not_detected(name):
    assert not looks_pdf_extracted((seeds_dir() / name).read_bytes().decode("utf-8"))


def test_ordinary_prose_is_not_detected():
    prose = "\n\n".join(f"Paragraph {n} is a single long line that ends properly, as web "
                        f"and word-processor text does, with a full stop." for n in range(20))
    assert not looks_pdf_extracted(prose)
    assert not looks_pdf_extracted("one line\n")


def test_sentences_of_the_seed_come_out_whole(merics):
    text = reflow(merics)
    for sentence in WHOLE_SENTENCES:
        assert sentence in text
    assert ("The Nasdaq plummeted three percent Monday as a privately backed Chinese startup "
            "shocked the tech world") in text


def test_no_paragraph_is_split_mid_sentence(merics):
    text = reflow(merics)
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    # Before: most of the 221 printed lines stood alone; after: paragraphs.
    assert len(paragraphs) < 90
    for paragraph in paragraphs:
        lines = paragraph.split("\n")
        # Single line breaks survive only between the bare URLs of a link list.
        if len(lines) > 1:
            assert all(re.match(r"https?://", line) for line in lines[1:]), paragraph
    # No paragraph ends mid-sentence and goes on in the next one (a sentence
    # torn apart), except where the seed itself prints a page's list of links
    # in the middle of a sentence.
    def is_links(paragraph: str) -> bool:
        return paragraph.startswith("http")

    torn = [(a[-30:], b[:30]) for a, b in itertools.pairwise(paragraphs)
            if not a.rstrip().endswith((".", "?", "!", ":", "”", ")", "\"")) and b[:1].islower()
            and not is_links(a) and not is_links(b)]
    assert torn == []


def test_real_paragraph_breaks_survive(merics):
    text = reflow(merics)
    assert ("on several reasoning, coding and math benchmarks.\n\nFaced with restricted "
            "access to cutting-edge hardware") in text
    assert "will only bite later.\n\nMoreover, the involvement" in text
    assert "Media coverage and sources:\n\n" in text
    assert "\n\nWhat to watch: None of Trump’s moves" in text


def test_real_hyphens_are_kept_and_everything_else_too(merics):
    text = reflow(merics)
    for word in ("cutting-edge", "US-China", "sector-driven", "Indo-Pacific",
                 "state-backed", "40-year-old"):
        assert word in text
    # Reflow only removes white space (and no hyphen here): every other
    # character of the seed is still there, in order.
    assert re.sub(r"\s", "", text) == re.sub(r"\s", "", merics)


def test_reflow_of_single_newline_pdf_text():
    lines = ["The committee met on Tuesday and agreed that the new rules would",
             "apply from the first of March, after a consultation that lasted",
             "three months and drew more than four hundred responses from firms.",
             "",
             "A second paragraph follows here; it too was printed over several",
             "lines of roughly equal length, as a PDF page lays text out, and it",
             "ends with a full stop on its short last line.",
             ] * 3
    text = "\n".join(lines) + "\n"
    assert looks_pdf_extracted(text)
    result = reflow(text)
    assert ("agreed that the new rules would apply from the first of March, after a "
            "consultation that lasted three months") in result
    assert result.count("\n\n") == 5


@pytest.mark.parametrize(("left", "right", "expected"), [
    ("it was accom-", "plished by", "it was accomplished by"),
    ("the US-", "China race", "the US-China race"),
    ("the Indo-", "Pacific allies", "the Indo-Pacific allies"),
    ("private sector-", "driven growth", "private sector-driven growth"),
    ("a state-of-the-", "art model", "a state-of-the-art model"),
    ("soft\u00ad", "ware", "software"),
    ("an em dash --", "here", None),
    ("no hyphen", "here", None),
    ("number 2024-", "25 budget", None),
])
def test_line_end_hyphens(left, right, expected):
    assert join_hyphenated(left, right) == expected


def test_hyphen_kept_when_the_document_spells_the_compound():
    known = vocabulary("Access to cutting-edge chips matters.")
    assert join_hyphenated("the cutting-", "edge hardware", known) == "the cutting-edge hardware"
    known = vocabulary("The edge of cutting tools.")
    assert join_hyphenated("the cutting-", "edge hardware", known) == "the cutting-edge hardware"


def test_hyphen_removed_when_the_document_spells_the_joined_word():
    known = vocabulary("Extraordinary results were reported.")
    assert join_hyphenated("extra-", "ordinary", known) == "extraordinary"


def test_pdf_pages_join_with_page_offsets():
    page1 = [Block((Line("Heading of the report", 0, 60),), 0, 200),
             Block((Line("The first paragraph runs over two lines and", 0, 200),
                    Line("ends here.", 0, 50)), 0, 200),
             Block((Line("This one is cut by the page", 0, 200),), 0, 200),
             Block((Line("1", 95, 100),), 0, 200)]
    page2 = [Block((Line("2", 95, 100),), 0, 200),
             Block((Line("break and goes on.", 0, 80),), 0, 200)]
    blank: list[Block] = []
    page4 = [Block((Line("Last page.", 0, 50),), 0, 200)]
    text, starts = join_pages([page1, page2, blank, page4])
    assert text == ("Heading of the report\n\nThe first paragraph runs over two lines and "
                    "ends here.\n\nThis one is cut by the page break and goes on.\n\n"
                    "Last page.")
    assert starts[0] == 0
    assert text[starts[1]:].startswith("break and goes on.")
    assert starts[2] == starts[3]
    assert text[starts[3]:] == "Last page."


def _box(*lines: str) -> Block:
    return Block(tuple(Line(line, 0, 200) for line in lines), 0, 200)


def test_running_headers_and_footers_are_dropped():
    bodies = ["Exports grew.", "Imports fell.", "Prices rose.", "Costs held."]
    pages = [[_box("Annual Review 2025 \u2014 Draft"), _box(body),
              _box(f"Annual Review 2025 \u2014 page {n} of 4")]
             for n, body in enumerate(bodies, start=1)]
    # A heading on the first page only, at its top, stays.
    pages[0].insert(0, _box("Introduction"))
    text, starts = join_pages(pages)
    assert text == "Introduction\n\n" + "\n\n".join(bodies)
    assert [text[start:] for start in starts[1:]] == ["\n\n".join(bodies[1:]),
                                                      "\n\n".join(bodies[2:]), bodies[3]]


def test_a_line_on_two_pages_of_three_is_no_running_header():
    pages = [[_box("Summary"), _box("First page text.")],
             [_box("Summary"), _box("Second page text.")],
             [_box("Third page text.")]]
    assert join_pages(pages)[0].count("Summary") == 2     # three pages needed


def test_chinese_lines_join_without_a_space():
    pages = [[_box("半导体出口管制改变了分析师", "阅读报告的方式。"),
              _box("Mixed 中文", "text joins with a space.")]]
    assert join_pages(pages)[0] == ("半导体出口管制改变了分析师阅读报告的方式。\n\n"
                                    "Mixed 中文 text joins with a space.")


def test_a_paragraph_ends_where_the_next_word_would_have_fitted():
    # Ragged right: "It ends." is far from the box's right edge, but it is a
    # full line (the next word, "Longwordhere", did not fit): the paragraph goes
    # on. "Done." has room for "Next": a new paragraph.
    block = Block((Line("The first line of a paragraph runs to the", 0, 190),
                   Line("margin and it ends.", 0, 150),
                   Line("Longwordhereandmore goes on here. Done.", 0, 150),
                   Line("Next paragraph.", 0, 70)), 0, 200)
    assert join_pages([[block]])[0] == (
        "The first line of a paragraph runs to the margin and it ends. Longwordhereandmore "
        "goes on here. Done.\n\nNext paragraph.")


def test_an_indented_line_after_a_sentence_starts_a_paragraph():
    block = Block((Line("A full line of text that ends a sentence.", 0, 200),
                   Line("An indented line opens the next one and", 15, 200),
                   Line("it goes on.", 0, 55)), 0, 200)
    assert join_pages([[block]])[0] == ("A full line of text that ends a sentence.\n\n"
                                        "An indented line opens the next one and it goes on.")
    item = Block((Line("\u2022 An item whose first line ends a sentence.", 0, 200),
                  Line("Its second sentence, indented under it.", 10, 190)), 0, 200)
    assert join_pages([[item]])[0] == ("\u2022 An item whose first line ends a sentence. "
                                       "Its second sentence, indented under it.")
