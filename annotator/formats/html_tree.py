"""Measures over a parsed web page, each found in one pass over its tree, and
the clock that bounds how long reading a page may take.

:mod:`annotator.formats.webpage` asks of many elements how long their text is,
how much of it is link text, whether they hold a headline, whether they sit
inside an article. Asking each element separately walks its whole subtree (or
all its ancestors), so a page nested 100 levels deep was read 100 times over
(a 4.3 MB page took 21 s). Here each answer comes from one walk of the tree,
children before parents, in time linear in the page's size whatever its depth.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from lxml import etree

from annotator.formats.problems import ImportProblem
from annotator.formats.registry import ImportCancelled

#: A run of text with white space collapsed: its length, and whether it starts
#: and ends with a space. Two runs join into one without building the string.
Run = tuple[int, bool, bool]
_NONE: Run = (0, False, False)


def _run(text: str | None) -> Run:
    if not text:
        return _NONE
    words = text.split()      # at what ``\s`` matches, as ``webpage`` collapses it
    if not words:
        return 1, True, True
    lead, trail = text[0].isspace(), text[-1].isspace()
    return len(words) - 1 + sum(map(len, words)) + lead + trail, lead, trail


def _join(first: Run, second: Run) -> Run:
    if not first[0]:
        return second
    if not second[0]:
        return first
    return first[0] + second[0] - (first[2] and second[1]), first[1], second[2]


class Size(NamedTuple):
    """What an element holds, counting itself and everything inside it."""

    #: Length of its text with white space collapsed and stripped: the length
    #: of ``" ".join(element.text_content().split())``.
    text: int
    #: Text length of its links (``<a>``), each counted on its own.
    links: int
    anchors: int
    #: Paragraphs (``<p>``) of more than 150 characters.
    long_paragraphs: int


def elements(root: Any) -> list[Any]:
    """``root`` and the elements inside it, in document order."""
    return [element for element in root.iter() if isinstance(element.tag, str)]


def children_first(root: Any) -> Iterator[Any]:
    """``root``'s elements, each after every element inside it."""
    return reversed(elements(root))


def sizes(root: Any, clock: Clock) -> dict[Any, Size]:
    """The :class:`Size` of ``root`` and of every element inside it, from one walk."""
    found: dict[Any, Size] = {}
    # For each open element: its text so far, links, anchors, long paragraphs.
    stack: list[list[Any]] = []
    push, pop, none = stack.append, stack.pop, _NONE
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            text = element.text
            push([_run(text) if text else none, 0, 0, 0])
            continue
        clock.tick()
        run, links, anchors, long_paragraphs = pop()
        text = max(run[0] - run[1] - run[2], 0)
        tag = element.tag
        if tag == "a":
            links += text
            anchors += 1
        elif tag == "p" and text > 150:
            long_paragraphs += 1
        found[element] = Size(text, links, anchors, long_paragraphs)
        if stack:
            parent = stack[-1]
            if run[0]:
                parent[0] = _join(parent[0], run) if parent[0][0] else run
            tail = element.tail
            if tail:
                parent[0] = _join(parent[0], _run(tail))
            if links or anchors or long_paragraphs:
                parent[1] += links
                parent[2] += anchors
                parent[3] += long_paragraphs
    return found


def inside(root: Any, tags: Iterable[str]) -> set[Any]:
    """The elements under ``root`` that have an ancestor with one of ``tags``."""
    tags = frozenset(tags)
    found: set[Any] = set()
    stack = [(root, False)]
    while stack:
        element, within = stack.pop()
        if within:
            found.add(element)
        within = within or element.tag in tags
        stack.extend((child, within) for child in element if isinstance(child.tag, str))
    return found


def holding(root: Any, tag: str) -> set[Any]:
    """The elements under ``root`` (itself included) that are or hold a ``tag``."""
    found: set[Any] = set()
    for element in root.iter(tag):
        for holder in (element, *element.iterancestors()):
            if holder in found:
                break          # and so are all its ancestors
            found.add(holder)
    return found


#: How long reading one web page may take, in seconds. Reading is linear in
#: the page's size (a 64 MB page takes seconds); this bounds what is not.
TIME_LIMIT = 60.0


class Clock:
    """Stops a page that takes too long to read, or whose import was cancelled:
    :meth:`tick` in every loop over elements, :meth:`check` between steps."""

    def __init__(self, path: Path, seconds: float | None = None,
                 cancel: Callable[[], bool] | None = None) -> None:
        self.path = path
        self.seconds = TIME_LIMIT if seconds is None else seconds
        self.deadline = time.monotonic() + self.seconds
        self.cancel = cancel
        self._ticks = 0

    def tick(self) -> None:
        self._ticks += 1
        if not self._ticks & 1023:
            self.check()

    def check(self) -> None:
        if self.cancel is not None and self.cancel():
            raise ImportCancelled(str(self.path))
        if time.monotonic() > self.deadline:
            raise ImportProblem(self.path, f"took longer than {self.seconds:g} seconds to "
                                           f"read and was stopped; save the page as text "
                                           f"instead")
