"""Saved web pages (``.html``, ``.htm``): the article's text, its reader comments
and its metadata, without the page's furniture.

The page is parsed with lxml's HTML parser with network access off; nothing it
references (scripts, frames, images, style sheets, links) is loaded or run: the
only output is text. The source is first mended for the parser
(:mod:`annotator.formats.html_source`: void elements such as ``<embed>`` hold
nothing; a document type declaration and its internal subset leave no text,
its entities are never expanded). A page the parser cannot read whole
(elements nested more than 256 deep, a run of text over its buffer limit,
more than :data:`MAX_TAGS` tags) is refused, never stored cut off. Each step
below takes time linear in the page's size whatever its depth
(:mod:`annotator.formats.html_tree`), and a page taking longer than
:data:`~annotator.formats.html_tree.TIME_LIMIT` seconds is stopped. Steps:

1. Metadata from ``<meta>``, ``<link rel=canonical>``, ``<time>`` and JSON-LD
   (read as data, never run): title, author, published and modified dates,
   site name, canonical URL, description, language.
2. Reader comments (WordPress, Disqus-style and similar markup: an element
   whose id or class names comments) are taken out of the page, each with its
   author and date; comment forms ("Leave a Reply") are dropped.
3. Furniture is dropped: scripts, styles, forms, buttons, frames, media,
   ``nav``/``aside``/``footer``, hidden elements, ARIA navigation/banner/search
   regions, and small elements whose class or id says share, social, related,
   sidebar, menu, cookie, newsletter, advert, breadcrumb and the like.
4. The article is the smallest element holding most of the page's paragraph
   text (starting from ``<article>``/``<main>``/``itemprop=articleBody`` when
   the page has one); link-heavy lists inside it (related links) are dropped.
5. Text: one paragraph per block (headings, paragraphs, list items with a
   bullet, table rows with ``|`` between cells), separated by blank lines.

The stored text is the article, then (when there are comments) a line
``Reader comments`` and one paragraph per comment (``Author · date:`` and its
text). ``metadata["sections"]`` gives each part's code-point range, and
``metadata["comments"]`` each comment's author, date and range.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree, html

from annotator.formats.html_source import prepare_source, unwrap_voids
from annotator.formats.html_tree import Clock, Size, children_first, holding, inside, sizes
from annotator.formats.problems import ImportProblem
from annotator.formats.registry import Extracted, Importer, ImportOptions
from annotator.formats.text import decode, decode_as

COMMENTS_HEADING = "Reader comments"

_DROP_TAGS = {
    "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object",
    "embed", "applet", "svg", "canvas", "math", "form", "input", "button", "select",
    "textarea", "option", "label", "nav", "aside", "footer", "menu", "dialog", "audio",
    "video", "picture", "source", "track", "img", "map", "link", "meta", "head", "title",
    "base", "param",
}
_DROP_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "dialog",
               "alertdialog", "menu", "menubar", "toolbar", "tablist"}
#: Parts of class and id names (split at ``-`` and ``_``) that mark furniture.
_BOILERPLATE = {
    "share", "sharing", "sharedaddy", "addthis", "social", "socials", "related", "recommended",
    "sidebar", "widget", "widgets", "breadcrumb", "breadcrumbs", "cookie", "cookies",
    "consent", "gdpr", "newsletter", "subscribe", "subscription", "signup", "advert",
    "advertisement", "ads", "ad", "adsense", "sponsor", "sponsored", "promo", "banner",
    "menu", "navbar", "nav", "navigation", "footer", "masthead", "popup", "modal", "tags",
    "tagcloud", "pagination", "pager", "print", "skip", "login", "search", "toolbar",
    "follow", "connect", "bio", "authorbox", "jp", "outbrain", "taboola", "byline",
    "rating", "likes", "reactions", "screen", "offscreen", "hidden", "sr",
}
_KEEP_TAGS = {"html", "body", "main", "article"}
#: Class or id names of the element holding a page's reader comments.
_COMMENT_AREA = {"comments", "comment-list", "commentlist", "comments-area", "comments-section",
                 "comment-section", "disqus_thread", "reader-comments", "comments-container",
                 "comments-wrapper", "responses", "commentary"}
_COMMENT_FORM = re.compile(r"respond|reply|comment-?form|leave|add-comment|comment-count|"
                           r"comments-link|no-comments|comment-navigation|comments-title",
                           re.IGNORECASE)
_COMMENT_ITEM_CLASSES = {"comment", "comment-body", "single-comment", "media-comment",
                         "comment-item", "commentbody", "post-comment"}
_COMMENT_AUTHOR_CLASSES = {"fn", "comment-author", "author", "username", "user-name",
                           "commenter", "comment-author-name", "author-name", "name"}
_COMMENT_TEXT_CLASSES = {"comment-content", "comment-text", "comment-body-text",
                         "commenttext", "comment-message", "text", "content", "message"}
_COMMENT_DATE_CLASSES = {"comment-date", "comment-metadata", "comment-time", "date",
                         "published", "commentmetadata"}
_MAIN_CLASSES = {"entry-content", "post-content", "article-content", "article-body",
                 "story-body", "post-body", "articlebody", "article__body", "content-body",
                 "post-entry", "entry-body", "story-content", "td-post-content"}
_BLOCKS = {
    "p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6",
    "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "table", "thead", "tbody",
    "tfoot", "tr", "td", "th", "figure", "figcaption", "address", "hr", "br", "center",
    "details", "summary", "caption", "body", "html", "hgroup",
}
_SPACE = re.compile(r"\s+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""",
                           re.IGNORECASE)


# Decoding -----------------------------------------------------------------------------


def decode_html(data: bytes, path: Path, encoding: str | None = None) -> tuple[str, str]:
    """The page's text and its encoding: an explicit ``encoding`` wins, then a
    byte-order mark, then the page's ``<meta charset>``, then detection."""
    if encoding:
        return decode_as(data, encoding, path), codecs.lookup(encoding).name
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode(data, path)
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii", "replace")
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            codec = None
        if codec is not None:
            # Pages declared Latin-1 are Windows-1252 in every browser (WHATWG).
            codec = "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                pass      # a wrong declaration: detect instead
    return decode(data, path)


# Parsing ------------------------------------------------------------------------------


#: How deep libxml2 lets elements nest (without ``huge_tree``, which is kept off):
#: ``<html>``, ``<body>`` and 254 elements inside one another.
_MAX_DEPTH = 256
_RESOURCE_LIMIT = getattr(etree.ErrorTypes, "ERR_RESOURCE_LIMIT", None)
#: Most tags (``<``) a page may hold: each element costs memory and time to read,
#: and a big real page holds a few hundred thousand.
MAX_TAGS = 2_000_000


def _parse(text: str, path: Path) -> Any:
    tags = text.count("<")
    if tags > MAX_TAGS:
        raise ImportProblem(path, f"is too large for the web page reader ({tags:,} tags; the "
                                  f"limit is {MAX_TAGS:,}); save the page as text instead")
    parser = html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True,
                             default_doctype=False)
    text = prepare_source(text)
    try:
        root = html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise ImportProblem(path, f"is not a readable web page ({error})") from None
    if root is None:
        raise ImportProblem(path, "is not a readable web page")
    # libxml2 stops at its resource limits (elements nested 256 deep, say) and,
    # recovering, returns the page cut off there: refuse it rather than store part.
    for error in parser.error_log:
        if "excessive depth" in error.message.lower():
            raise ImportProblem(path, f"is nested too deeply to be read: elements inside "
                                      f"one another more than {_MAX_DEPTH} deep (on line "
                                      f"{error.line}); the limit is {_MAX_DEPTH}")
        if error.type == _RESOURCE_LIMIT:
            limit = error.message.strip().split(", try ")[0]
            raise ImportProblem(path, f"is too large for the web page reader ({limit}, on "
                                      f"line {error.line}); save the page as text instead")
    unwrap_voids(root)
    return root


def _classes(element: Any) -> str:
    return f"{element.get('id') or ''} {element.get('class') or ''}".strip()


def _parts(element: Any) -> set[str]:
    return {part for name in _classes(element).lower().split()
            for part in re.split(r"[-_]", name) if part}


def _tokens(element: Any) -> set[str]:
    return set(_classes(element).lower().split())


def _text(element: Any) -> str:
    return _SPACE.sub(" ", element.text_content()).strip()


def _remove(element: Any) -> None:
    """Take ``element`` out of the tree, keeping its tail text in place."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail and tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


# Metadata -----------------------------------------------------------------------------


def _meta(root: Any) -> dict[str, str]:
    values: dict[str, str] = {}
    for element in root.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop")
               or "").strip().lower()
        content = (element.get("content") or "").strip()
        if key and content and key not in values:
            values[key] = content[:2000]
    return values


def _json_ld(root: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def collect(value: Any) -> None:
        if isinstance(value, list):
            for item in value[:100]:
                collect(item)
        elif isinstance(value, dict):
            found.append(value)
            if "@graph" in value:
                collect(value["@graph"])

    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            collect(json.loads(script.text or ""))
        except (ValueError, RecursionError):
            continue
    return found


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [name for item in value[:20] for name in _names(item)]
    return []


def _first(*values: Any) -> str:
    for value in values:
        if isinstance(value, str) and value.strip():
            return _SPACE.sub(" ", value).strip()[:1000]
    return ""


def page_metadata(root: Any) -> dict[str, str]:
    """Title, author, dates, site, canonical URL, description and language of a page."""
    meta = _meta(root)
    ld = [item for item in _json_ld(root)
          if any(key in item for key in ("headline", "datePublished", "author"))]
    article = ld[0] if ld else {}
    publisher = article.get("publisher") if isinstance(article.get("publisher"), dict) else {}
    canonical = ""
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            canonical = (link.get("href") or "").strip()
            break
    headings = list(root.iter("h1"))
    title_tag = next((_text(t) for t in root.iter("title")), "")
    author_elements = [element for element in root.iter()
                       if isinstance(element.tag, str)
                       and (element.get("rel") == "author" or element.get("itemprop") == "author"
                            or element.get("class") in ("author", "byline", "author-name"))]
    time_element = next((t for t in root.iter("time") if t.get("datetime")), None)
    author = _first(meta.get("author"), meta.get("article:author")
                    if not (meta.get("article:author") or "").startswith("http") else "",
                    ", ".join(_names(article.get("author"))), meta.get("dc.creator"),
                    meta.get("citation_author"), meta.get("parsely-author"),
                    _text(author_elements[0]) if author_elements else "")
    result = {
        "title": _first(meta.get("og:title"), article.get("headline"), meta.get("twitter:title"),
                        _text(headings[0]) if len(headings) == 1 else "", title_tag),
        "author": author[:300],
        "published": _first(meta.get("article:published_time"), article.get("datePublished"),
                             meta.get("datepublished"), meta.get("date"),
                             meta.get("pubdate"), meta.get("publish-date"),
                             meta.get("dc.date"), meta.get("dcterms.created"),
                             meta.get("citation_publication_date"),
                             meta.get("parsely-pub-date"), meta.get("sailthru.date"),
                             time_element.get("datetime") if time_element is not None else ""),
        "modified": _first(meta.get("article:modified_time"), article.get("dateModified"),
                           meta.get("og:updated_time"), meta.get("datemodified")),
        "site": _first(meta.get("og:site_name"), _names(publisher)[0] if _names(publisher)
                       else "", meta.get("application-name")),
        "canonical_url": _first(canonical, meta.get("og:url")),
        "description": _first(meta.get("og:description"), meta.get("description")),
        "language": _first(root.get("lang"), root.get("xml:lang"),
                           meta.get("og:locale"), meta.get("content-language")),
    }
    return {key: value for key, value in result.items() if value}


# Comments -----------------------------------------------------------------------------


def _comment_areas(root: Any, clock: Clock) -> list[Any]:
    """The outermost elements holding reader comments, in document order."""
    headline_holders = holding(root, "h1")
    areas = []
    stack = [root]
    while stack:
        element = stack.pop()
        clock.tick()
        if element.tag not in ("html", "body") and _tokens(element) & _COMMENT_AREA \
                and not _COMMENT_FORM.search(_classes(element)) \
                and element not in headline_holders:    # else not (only) comments
            areas.append(element)
            continue
        stack.extend(child for child in reversed(element) if isinstance(child.tag, str))
    return areas


def _descendants(element: Any, skip: set[Any] | frozenset[Any]) -> Iterator[Any]:
    """``element``'s descendant elements in document order, not entering ``skip``."""
    stack = [child for child in reversed(element) if isinstance(child.tag, str)]
    while stack:
        node = stack.pop()
        if node in skip:
            continue
        yield node
        stack.extend(child for child in reversed(node) if isinstance(child.tag, str))


def _find(element: Any, classes: set[str], skip: set[Any]) -> Any | None:
    for child in _descendants(element, skip):
        if _tokens(child) & classes:
            return child
    return None


def _comments(area: Any) -> list[dict[str, str]]:
    for element in list(area.iter()):
        if isinstance(element.tag, str) and element is not area and element.getparent() is not None:
            names = _classes(element)
            if element.tag in ("form", "button", "textarea", "input") or (
                    names and _COMMENT_FORM.search(names)):
                _remove(element)
    items = [element for element in area.iterdescendants()
             if isinstance(element.tag, str)
             and (_tokens(element) & _COMMENT_ITEM_CLASSES
                  or re.match(r"^(?:comment|li-comment|div-comment)-\d+$",
                              element.get("id") or ""))]
    # Keep the outermost element of each comment (li.comment > article.comment-body),
    # and replies (nested in a list inside it) as comments of their own.
    item_set = set(items)
    outer = []
    for item in items:
        ancestor = next((a for a in item.iterancestors() if a in item_set), None)
        if ancestor is None or _nested_reply(ancestor, item):
            outer.append(item)
    outer_set = set(outer)
    # Each comment's replies, the nearest only: the replies to those are inside them.
    replies: dict[Any, set[Any]] = {item: set() for item in outer}
    for item in outer:
        for ancestor in item.iterancestors():
            if ancestor in outer_set:
                replies[ancestor].add(item)
                break
    comments = []
    for item in outer:
        nested = replies[item]
        author_element = _find(item, _COMMENT_AUTHOR_CLASSES, nested)
        date_element = _find(item, _COMMENT_DATE_CLASSES, nested)
        text_element = _find(item, _COMMENT_TEXT_CLASSES, nested)
        author = _text(author_element) if author_element is not None else ""
        author = re.sub(r"\s*(says|said|wrote)\s*:?\s*$", "", author, flags=re.IGNORECASE)
        date = ""
        if date_element is not None:
            stamp = next((t for t in date_element.iter("time") if t.get("datetime")), None)
            date = stamp.get("datetime") if stamp is not None else _text(date_element)
            if stamp is None and not (re.search(r"\d", date) and len(date) < 60):
                date = ""
        if text_element is not None:
            body = _render(text_element, skip=nested)
        else:
            skip = nested | {e for e in (author_element, date_element) if e is not None}
            body = _render(item, skip=skip)
        if body:
            comments.append({"author": author[:200], "date": date[:100], "text": body})
    if not comments and not items:
        body = _render(area)
        if body:
            comments.append({"author": "", "date": "", "text": body})
    return comments


def _nested_reply(ancestor: Any, item: Any) -> bool:
    """Whether ``item`` is a reply nested in comment ``ancestor`` (its own comment),
    rather than a part of it (``li.comment > article.comment-body``)."""
    for element in item.iterancestors():
        if element is ancestor:
            return False
        if element.tag in ("ol", "ul") or "children" in _tokens(element):
            return True
    return False


# Furniture and the article ------------------------------------------------------------


def _is_hidden(element: Any) -> bool:
    style = (element.get("style") or "").replace(" ", "").lower()
    return (element.get("hidden") is not None or element.get("aria-hidden") == "true"
            or "display:none" in style or "visibility:hidden" in style)


def _strip(root: Any, size: dict[Any, Size], in_article: set[Any], clock: Clock) -> None:
    """Take the page's furniture out (see the module's step 3)."""
    body_text = max(size[root].text, 1)
    stack = [root]
    while stack:
        element = stack.pop()
        clock.tick()
        if not isinstance(element.tag, str):
            _remove(element)
            continue
        tag = element.tag.lower()
        if tag not in _KEEP_TAGS and _is_furniture(element, tag, size[element], body_text,
                                                   in_article):
            _remove(element)
            continue
        stack.extend(reversed(element))


def _is_furniture(element: Any, tag: str, size: Size, body_text: int,
                  in_article: set[Any]) -> bool:
    if tag in _DROP_TAGS or _is_hidden(element) or \
            (element.get("role") or "").lower() in _DROP_ROLES:
        return True
    if tag == "header" and element not in in_article:
        return True
    return bool(_parts(element) & _BOILERPLATE and not _tokens(element) & _MAIN_CLASSES
                and size.text < 0.3 * body_text and size.long_paragraphs < 2)


#: Blocks whose text counts towards the article, unless it is mostly links.
_PARAGRAPHS = {"p", "pre", "blockquote", "li", "td", "dd", "h2", "h3", "h4", "figcaption"}
#: Blocks whose own text (outside their child elements) counts, when 40 characters or more.
_CONTAINERS = {"div", "section", "article", "main", "td"}


def _weights(root: Any, size: dict[Any, Size], clock: Clock) -> dict[Any, int]:
    """Each element's paragraph text (link-heavy blocks count for nothing), summed
    over its subtree."""
    totals: dict[Any, int] = {}
    for element in children_first(root):
        clock.tick()
        total = sum(totals.get(child, 0) for child in element)
        if element.tag in _PARAGRAPHS:
            text, links = size[element].text, size[element].links
            total += text if text and links / text < 0.5 else 0
        if element.tag in _CONTAINERS:
            own = len(_SPACE.sub(" ", (element.text or "") + "".join(
                (child.tail or "") for child in element)).strip())
            total += own if own >= 40 else 0
        if total:
            totals[element] = total
    return totals


def _main(body: Any, size: dict[Any, Size], clock: Clock) -> Any:
    totals = _weights(body, size, clock)
    total = totals.get(body, 0)
    if not total:
        return body
    semantic = [element for element in body.iter()
                if isinstance(element.tag, str)
                and (element.tag in ("article", "main") or element.get("role") == "main"
                     or element.get("itemprop") == "articleBody"
                     or _tokens(element) & _MAIN_CLASSES)]
    node = body
    if semantic:
        best = max(semantic, key=lambda element: totals.get(element, 0))
        if totals.get(best, 0) >= 0.5 * total:
            node = best
    while True:
        children = [child for child in node if isinstance(child.tag, str)]
        heavy = [child for child in children if totals.get(child, 0) >= 0.8 * totals.get(node, 0)]
        if not heavy or heavy[0].tag in ("p", "li", "blockquote", "pre"):
            return node
        node = heavy[0]


def _drop_link_lists(node: Any, size: dict[Any, Size], clock: Clock) -> None:
    """Take out lists and blocks of links (related articles) inside the article."""
    stack = [child for child in reversed(node) if isinstance(child.tag, str)]
    while stack:
        element = stack.pop()
        clock.tick()
        if element.tag in ("ul", "ol", "div", "section", "p"):
            text, links = size[element].text, size[element].links
            if size[element].anchors >= 3 and text and links / text > 0.8:
                _remove(element)
                continue
        stack.extend(child for child in reversed(element) if isinstance(child.tag, str))


# Rendering ----------------------------------------------------------------------------


def _render(element: Any, skip: set[Any] | frozenset[Any] = frozenset()) -> str:
    """The text of ``element``: blocks as paragraphs separated by blank lines."""
    paragraphs: list[str] = []
    line: list[str] = []

    def flush() -> None:
        text = _SPACE.sub(" ", "".join(line)).strip()
        line.clear()
        if text:
            paragraphs.append(text)

    def walk(node: Any) -> None:
        if node in skip or not isinstance(node.tag, str):
            if node.tail:
                line.append(node.tail)
            return
        tag = node.tag.lower()
        if tag in _DROP_TAGS:
            if node.tail:
                line.append(node.tail)
            return
        block = tag in _BLOCKS
        if tag == "br":
            line.append("\u2028")
        elif tag == "pre":
            flush()
            paragraphs.append(node.text_content().strip("\n"))
        elif tag == "tr":
            flush()
            cells = [_SPACE.sub(" ", _render(cell)).strip() for cell in node
                     if isinstance(cell.tag, str) and cell.tag in ("td", "th")]
            if any(cells):
                paragraphs.append(" | ".join(cells))
        else:
            if block:
                flush()
                if tag == "li" and node is not element:
                    line.append("• ")
            if node.text:
                line.append(node.text)
            for child in node:
                walk(child)
            if block:
                flush()
        if node.tail:
            line.append(node.tail)

    walk(element)
    flush()
    return "\n\n".join(p.replace("\u2028", "\n").replace(" \n", "\n").replace("\n ", "\n")
                       for p in paragraphs)


# The importer ---------------------------------------------------------------------------


#: A heading longer than this is not a headline (and ``<h1>``s nested in one
#: another are not read over and over).
_HEADLINE_MAX = 1000


def _headline(root: Any, title: str, size: dict[Any, Size], in_article: set[Any]) -> str:
    """The article's ``<h1>``: one inside ``<article>``/``<main>``, else one the
    page's title contains, else the first outside the page's header and navigation."""
    headings = [(h, _text(h)) for h in root.iter("h1")
                if 0 < size[h].text <= _HEADLINE_MAX and not _is_hidden(h)]
    for element, text in headings:
        if element in in_article:
            return text
    for _, text in headings:
        if title and (text in title or title in text):
            return text
    furniture = inside(root, ("header", "nav", "footer", "aside")) if headings else set()
    for element, text in headings:
        if element not in furniture:
            return text
    return ""


def _scripted(root: Any) -> bool:
    """Whether the page runs scripts (JSON-LD and other data blocks are not scripts)."""
    return any(not (script.get("type") or "").strip().lower().endswith("json")
               for script in root.iter("script"))


def extract_page(text: str, path: Path, clock: Clock | None = None
                 ) -> tuple[str, dict[str, Any]]:
    """The stored text of a page (article, then reader comments) and its metadata.
    Refused (:class:`ImportProblem`) when it holds no text, or when reading it
    takes longer than ``clock`` allows."""
    clock = clock or Clock(path)
    root = _parse(text, path)
    clock.check()
    scripted = _scripted(root)
    metadata: dict[str, Any] = page_metadata(root)
    comments: list[dict[str, str]] = []
    for area in _comment_areas(root, clock):
        comments += _comments(area)
        _remove(area)
        clock.tick()
    clock.check()
    title = metadata.get("title", "")
    size = sizes(root, clock)
    in_article = inside(root, ("article", "main"))
    headline = _headline(root, title, size, in_article)
    _strip(root, size, in_article, clock)
    body = root.find("body")
    body = body if body is not None else root
    size = sizes(body, clock)
    main = _main(body, size, clock)
    _drop_link_lists(main, size, clock)
    clock.check()
    article = _render(main)
    clock.check()
    if headline and headline not in article[:len(headline) + 200]:
        article = f"{headline}\n\n{article}" if article else headline
    sections = [{"kind": "article", "start": 0, "end": len(article)}]
    text = article
    if comments:
        if text:
            text += "\n\n"
        start = len(text)
        text += COMMENTS_HEADING
        listed = []
        for comment in comments:
            label = " · ".join(value for value in (comment["author"], comment["date"]) if value)
            entry = f"{label}:\n{comment['text']}" if label else comment["text"]
            text += "\n\n"
            listed.append({"author": comment["author"], "date": comment["date"],
                           "start": len(text), "end": len(text) + len(entry)})
            text += entry
        sections.append({"kind": "comments", "start": start, "end": len(text)})
        metadata["comments"] = listed
    metadata["sections"] = sections
    if not title and headline:
        metadata["title"] = headline
    if not text.strip():
        raise ImportProblem(path, _NO_TEXT_SCRIPTED if scripted else _NO_TEXT)
    return text, metadata


_NO_TEXT_SCRIPTED = ("holds no readable text (the page may be built by scripts, which are "
                     "never run; save it from the browser as “Web page, complete” or as text)")
_NO_TEXT = ("holds no readable text (only markup, media or page furniture such as menus "
            "and forms)")


class HtmlImporter(Importer):
    name = "html"
    version = "1"
    suffixes = (".html", ".htm", ".xhtml")
    label = "Web page"

    def extract(self, data: bytes, path: Path, options: ImportOptions) -> Extracted:
        if not data.strip():
            raise ImportProblem(path, "the file is empty")
        source, encoding = decode_html(data, path, options.encoding)
        try:
            text, metadata = extract_page(source, path, Clock(path, cancel=options.cancel))
        except RecursionError:
            raise ImportProblem(path, "is nested too deeply to be read") from None
        metadata["encoding"] = encoding
        return Extracted(title=metadata.get("title") or path.stem, text=text,
                         metadata=metadata, source=metadata.get("canonical_url", ""),
                         published=metadata.get("published", "")[:10])
