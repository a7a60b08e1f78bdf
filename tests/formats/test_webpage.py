"""Saved web pages: the article without the furniture, reader comments as their
own section, metadata; nothing fetched, nothing run."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.formats.problems import ImportProblem
from annotator.formats.registry import ImportOptions, extract_file
from annotator.formats.webpage import COMMENTS_HEADING

ARTICLE_1 = ("The Chinese AI company DeepSeek released a model that rivals OpenAI at a "
             "fraction of the cost, and US tech stocks fell sharply as a result of the news.")
ARTICLE_2 = ("Nvidia lost nearly 600 billion dollars of market value in a single day, the "
             "largest one-day loss in history for any company.")

PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>China’s shocking DeepSeek AI pops US Big Tech bubble – Geopolitical Economy Report</title>
<meta property="og:title" content="China’s shocking DeepSeek AI pops US Big Tech bubble">
<meta property="og:site_name" content="Geopolitical Economy Report">
<meta name="author" content="Ben Norton">
<meta property="article:published_time" content="2025-01-28T10:00:00+00:00">
<link rel="canonical" href="https://example.invalid/2025/01/28/deepseek/">
<link rel="stylesheet" href="https://example.invalid/style.css">
<script src="https://example.invalid/tracker.js"></script>
<script>document.write("<p>Injected by a script</p>"); fetch("https://example.invalid/x");</script>
</head><body onload="alert('run')">
<header class="site-header"><nav><a href="/">Home</a> <a href="/about">About us</a></nav></header>
<div class="social-links">Connect with us <a href="#">Twitter</a> <a href="#">Telegram</a></div>
<main><article>
<header class="entry-header"><h1>China’s shocking DeepSeek AI pops US Big Tech bubble</h1></header>
<div class="entry-content">
<p>{ARTICLE_1}</p>
<img src="https://example.invalid/pixel.gif" alt="tracking pixel">
<img src="file:///etc/passwd"><img src="../../etc/passwd">
<iframe src="https://example.invalid/frame">Frame text</iframe>
<p>{ARTICLE_2}</p>
<ul><li>First point of the list</li><li>Second point</li></ul>
<table><tr><th>Company</th><th>Loss</th></tr><tr><td>Nvidia</td><td>$589bn</td></tr></table>
<div class="sharedaddy"><h3>Share this:</h3><a href="#">Facebook</a><a href="#">X</a></div>
<div class="jp-relatedposts"><h3>Related</h3><a href="/x">Other article one</a></div>
</div></article></main>
<aside class="widget-area"><h2>Popular posts</h2><p>Something else entirely.</p></aside>
<div id="comments" class="comments-area">
<h2 class="comments-title">2 thoughts on “DeepSeek”</h2>
<ol class="comment-list">
<li id="comment-1" class="comment"><article class="comment-body">
<footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Alice</b>
<span class="says">says:</span></div>
<div class="comment-metadata"><a href="#"><time datetime="2025-01-29T08:00:00+00:00">January 29,
2025</time></a></div></footer>
<div class="comment-content"><p>Great analysis, but export controls still matter.</p></div>
<div class="reply"><a class="comment-reply-link" href="#">Reply</a></div></article>
<ol class="children"><li id="comment-2" class="comment"><article class="comment-body">
<footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Bob</b>
<span class="says">says:</span></div></footer>
<div class="comment-content"><p>I disagree entirely.</p></div></article></li></ol>
</li></ol>
<div id="respond" class="comment-respond"><h3 class="comment-reply-title">Leave a Reply</h3>
<form action="/wp-comments-post.php" method="post"><p>Your email address will not be published.</p>
<textarea name="comment"></textarea><input type="submit" value="Post Comment"></form></div>
</div>
<footer class="site-footer">© 2025 Geopolitical Economy Report. All rights reserved.</footer>
</body></html>
"""


@pytest.fixture
def page(tmp_path) -> Path:
    path = tmp_path / "deepseek.html"
    path.write_text(PAGE, encoding="utf-8")
    return path


def test_article_text_without_furniture(page, no_network):
    read = extract_file(page)
    article_end = read.metadata["sections"][0]["end"]
    article = read.text[:article_end]
    assert article.startswith("China’s shocking DeepSeek AI pops US Big Tech bubble\n\n")
    assert f"{ARTICLE_1}\n\n{ARTICLE_2}" in article
    assert "• First point of the list\n\n• Second point" in article
    assert "Company | Loss\n\nNvidia | $589bn" in article
    for furniture in ("Home", "About us", "Connect with us", "Twitter", "Share this",
                      "Facebook", "Related", "Other article", "Popular posts",
                      "Leave a Reply", "Post Comment", "email address", "All rights reserved",
                      "Injected", "alert", "fetch", "Frame text", "tracking pixel", "passwd"):
        assert furniture not in read.text, furniture
    assert no_network == []


def test_reader_comments_are_a_marked_section(page, no_network):
    read = extract_file(page)
    article, comments = read.metadata["sections"]
    assert article["kind"] == "article" and comments["kind"] == "comments"
    assert read.text[comments["start"]:].startswith(COMMENTS_HEADING)
    assert comments["end"] == len(read.text)
    first, second = read.metadata["comments"]
    assert (first["author"], first["date"]) == ("Alice", "2025-01-29T08:00:00+00:00")
    assert read.text[first["start"]:first["end"]] == (
        "Alice · 2025-01-29T08:00:00+00:00:\nGreat analysis, but export controls still matter.")
    assert second["author"] == "Bob"
    assert read.text[second["start"]:second["end"]] == "Bob:\nI disagree entirely."


def test_metadata(page):
    read = extract_file(page)
    meta = read.metadata
    assert read.title == "China’s shocking DeepSeek AI pops US Big Tech bubble"
    assert meta["author"] == "Ben Norton"
    assert meta["published"] == "2025-01-28T10:00:00+00:00"
    assert meta["site"] == "Geopolitical Economy Report"
    assert meta["canonical_url"] == "https://example.invalid/2025/01/28/deepseek/"
    assert meta["language"] == "en"
    assert meta["encoding"] == "utf-8"
    assert meta["importer"] == "html"
    assert read.source == "https://example.invalid/2025/01/28/deepseek/"
    assert read.published == "2025-01-28"


def test_json_ld_metadata_and_a_page_without_article_markup(tmp_path, no_network):
    paragraphs = "".join(f"<p>Paragraph {n} of the story has enough words in it to count "
                         f"as the body text of the page.</p>" for n in range(5))
    path = tmp_path / "plain.htm"
    path.write_text(
        '<html><head><script type="application/ld+json">{"@context": "https://schema.org",'
        '"@graph": [{"@type": "NewsArticle", "headline": "Ld headline", '
        '"datePublished": "2025-02-01", "author": [{"@type": "Person", "name": "A. Writer"}],'
        '"publisher": {"@type": "Organization", "name": "Ld Site"}}]}</script></head>'
        '<body><div class="menu"><a href="/">Home</a><a href="/b">Blog</a></div>'
        f'<div id="wrap"><div class="story">{paragraphs}</div>'
        '<div class="links"><a href="/1">One</a> <a href="/2">Two</a> <a href="/3">Three</a>'
        '</div></div></body></html>', encoding="utf-8")
    read = extract_file(path)
    assert read.title == "Ld headline"
    assert read.metadata["author"] == "A. Writer"
    assert read.metadata["published"] == "2025-02-01"
    assert read.metadata["site"] == "Ld Site"
    assert read.text.startswith("Paragraph 0 of the story")
    assert read.text.count("\n\n") == 4
    assert "Home" not in read.text and "Three" not in read.text
    assert "comments" not in read.metadata


def test_legacy_charset_from_meta(tmp_path):
    path = tmp_path / "cp1251.html"
    body = "<p>Агентство сообщает, что перевозки грузов выросли на пять процентов.</p>"
    path.write_bytes(('<html><head><meta http-equiv="Content-Type" '
                      'content="text/html; charset=windows-1251"></head><body>'
                      + body + "</body></html>").encode("cp1251"))
    read = extract_file(path)
    assert read.text == "Агентство сообщает, что перевозки грузов выросли на пять процентов."
    assert read.metadata["encoding"] == "cp1251"


def test_explicit_encoding_wins(tmp_path):
    path = tmp_path / "mislabelled.html"
    path.write_bytes('<meta charset="utf-8"><p>Café crème brûlée</p>'.encode("cp1252"))
    assert extract_file(path, ImportOptions(encoding="cp1252")).text == "Café crème brûlée"


def test_page_of_scripts_only(tmp_path):
    path = tmp_path / "app.html"
    path.write_text("<html><body><div id=root></div><script>render()</script></body></html>",
                    encoding="utf-8")
    with pytest.raises(ImportProblem) as caught:
        extract_file(path)
    assert "scripts" in caught.value.reason


def test_empty_and_binary_html(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"  \n")
    with pytest.raises(ImportProblem, match="empty"):
        extract_file(empty)
    binary = tmp_path / "binary.htm"
    binary.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(ImportProblem):
        extract_file(binary)


def nested(depth: int, inner: str) -> str:
    return ("<html><body><p>Before the nesting.</p>" + "<div>" * depth + inner
            + "</div>" * depth + "<p>After the nesting.</p></body></html>")


def test_a_nested_page_within_the_parser_limit_imports_all_its_text(tmp_path):
    path = tmp_path / "nested.html"
    path.write_text(nested(200, "<p>Deep text that is still found.</p>"), encoding="utf-8")
    assert extract_file(path).text == (
        "Before the nesting.\n\nDeep text that is still found.\n\nAfter the nesting.")


@pytest.mark.parametrize("depth", [300, 5000])
def test_a_page_nested_too_deeply_is_refused_not_cut_off(tmp_path, depth):
    # The parser stops at 256 levels and returns the page up to there: storing
    # "Before the nesting." alone would lose the rest without a word.
    path = tmp_path / "deep.html"
    path.write_text(nested(depth, "<p>Deep text.</p>"), encoding="utf-8")
    with pytest.raises(ImportProblem) as caught:
        extract_file(path)
    assert caught.value.reason.startswith("is nested too deeply to be read")
    assert caught.value.path == str(path)


def test_a_page_over_the_parser_buffer_limit_is_refused_not_cut_off(tmp_path):
    path = tmp_path / "long.html"
    path.write_text("<html><body><p>" + "word " * 2_200_000 + "</p><p>end</p></body></html>",
                    encoding="utf-8")
    with pytest.raises(ImportProblem) as caught:
        extract_file(path)
    assert caught.value.reason.startswith("is too large for the web page reader")
    assert "XML_PARSE_HUGE" not in caught.value.reason
