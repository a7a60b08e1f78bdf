"""How closely a passage states the same thing as a claim: the scoring behind
"the same claim elsewhere". Pure Python (no Qt, no SQL), deterministic.

A passage is scored against a claim's text by

* **words** in common, in any script: words of letters (and identifiers such
  as ``H800``) cut to their first :data:`STEM` characters (a crude stemmer that
  serves English and Russian alike: ``capitalization`` ~ ``capitalisation``),
  and Chinese/Japanese text as character bigrams; common words are left out and
  each word weighs by how rare it is among the passages compared
  (:func:`rarity`);
* **figures** (see :mod:`annotator.domain.figures`): ``USD 589 billion`` in the
  claim matches ``$600 billion`` closely, ``$6 million`` matches ``5.6 million``
  (approximate, currency unwritten) less; a strong signal;
* **names across scripts** the texts themselves give: ``DeepSeek (深度求索)``
  makes 深度求索 and DeepSeek one name everywhere (:class:`AliasTable`);
* a **penalty** for generic passages: very short ones, and ones sharing only
  one word.

:func:`sentences` cuts a text into passages with code-point spans.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from annotator.domain.figures import (
    DATE,
    MONEY,
    NUMBER,
    PERCENT,
    QUANTITY,
    YEAR,
    Figure,
    agreement,
    extract,
)

#: A word is compared by its first STEM characters.
STEM = 5

_STOP = frozenset(str.split("""
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers him his how i if in into is it its itself
just me more most my no nor not now of off on once only or other our out over own same she
should so some such than that the their theirs them then there these they this those
through to too under until up very was we were what when where which while who whom why
will with would you your yours said says say according also per via new one two first last
billion billions million millions trillion thousand percent cent us year years usd eur cny
rmb gbp jpy rub и в во не что он на я с со как а то все она так его но да ты к у же вы за
бы по только ее мне было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если
уже или ни быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей может
они тут где есть надо ней для мы тебя их чем была сам чтобы без будто чего раз тоже себе
под будет ж тогда кто этот того потому этого какой совсем ним здесь этом один почти мой
тем чтобы нее сейчас были куда зачем всех никогда можно при наконец два об другой хоть
после над больше тот через эти нас про всего них какая много разве три эту моя впрочем
хорошо свою этой перед иногда лучше чуть том нельзя такой им более всегда конечно всю
между это млн млрд тыс
"""))
#: Chinese characters too common to tell passages apart (particles, "is", "of").
_CJK_STOP = frozenset("的了是在和有也就不都而及与着或一个这那")

_WORD = re.compile(r"[^\W_]+(?:['’][^\W\d_]+)?")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def words(text: str) -> list[str]:
    """The comparable words of ``text``: stems of words of letters (with or
    without digits: ``h800``), and bigrams of Chinese/Japanese runs; common
    words, bare numbers and single letters are left out."""
    found: list[str] = []
    for word in _WORD.findall(text.casefold()):
        if _CJK.search(word) is None:
            stem = _stem(word)
            if stem:
                found.append(stem)
            continue
        for run in _CJK.findall(word):
            found.extend(a + b for a, b in itertools.pairwise(run)
                         if a not in _CJK_STOP or b not in _CJK_STOP)
            if len(run) == 1 and run not in _CJK_STOP:
                found.append(run)
        for part in _CJK.sub(" ", word).split():
            stem = _stem(part)
            if stem:
                found.append(stem)
    return found


@functools.lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    """A casefolded word's stem, or "" for a word not compared."""
    word = word.replace("’", "'").split("'")[0]
    if word.isdigit() or len(word) < 2 or word in _STOP:
        return ""
    return word[:STEM] if word.isalpha() else word


def rarity(passages: Iterable[Iterable[str]]) -> dict[str, float]:
    """Weights of words by how few of ``passages`` (each its words) hold them:
    ``log(1 + n / (1 + passages holding it))``. Words not seen weigh as the rarest."""
    counts: Counter[str] = Counter()
    total = 0
    for passage in passages:
        total += 1
        counts.update(set(passage))
    return {word: math.log(1 + total / (1 + count)) for word, count in counts.items()}


# Names across scripts -----------------------------------------------------------

_LATIN_NAME = r"[A-Z][\w\-.&]*(?:[ \-][A-Z][\w\-.&]*){0,3}"
_OTHER_NAME = (r"[\u3400-\u9fff\u3040-\u30ff]{2,12}"
               r"|[А-ЯЁ][а-яёА-ЯЁ\-]+(?: [А-ЯЁ][а-яёА-ЯЁ\-]+){0,3}")
_QUOTES = "\"'“”‘’«»「」"
_ALIAS_PATTERNS = (
    # DeepSeek (深度求索 in Mandarin), “DeepSeek” (Дипсик)
    re.compile(rf"({_LATIN_NAME})[{_QUOTES}]?\s*[(（]\s*[{_QUOTES}]?({_OTHER_NAME})"),
    # 深度求索 (DeepSeek), Дипсик (DeepSeek)
    re.compile(rf"({_OTHER_NAME})[{_QUOTES}]?\s*[(（]\s*[{_QUOTES}]?({_LATIN_NAME})"
               rf"[{_QUOTES}]?\s*[)）]"),
)


def aliases_in(text: str) -> list[tuple[str, str]]:
    """Pairs of one name in two scripts that ``text`` gives: ``Name (名字)`` or
    ``名字 (Name)``, Latin with Chinese/Japanese or Cyrillic; (Latin, other)."""
    pairs: list[tuple[str, str]] = []
    for index, pattern in enumerate(_ALIAS_PATTERNS):
        for match in pattern.finditer(text):
            first, second = match.group(1).strip(), match.group(2).strip()
            latin, other = (first, second) if index == 0 else (second, first)
            latin = latin.split()[-1] if index == 0 and len(latin.split()) > 1 \
                and latin.split()[0] in ("The", "A", "An") else latin
            pairs.append((latin, other))
    return pairs


_NAME_WORD = re.compile(r"[A-Z][\w\-]{2,}|[А-ЯЁ][а-яёА-ЯЁ\-]{2,}"
                        r"|[\u3400-\u9fff\u3040-\u30ff]{2,12}")


def alias_probes(text: str, most: int = 6) -> list[str]:
    """Pieces of text that would stand where another document gives a name of
    ``text`` in a second script (``DeepSeek (``, ``(深度求索``): what to look for to
    find the definitions of its names anywhere in a corpus. At most ``most`` names
    (the longest), four pieces each."""
    names = sorted({m.group(0) for m in _NAME_WORD.finditer(text)
                    if m.group(0).casefold() not in _STOP}, key=lambda n: (-len(n), n))
    return [probe for name in names[:most]
            for probe in (f"{name} (", f"{name}” (", f"({name}", f"（{name}")]


@dataclass(slots=True)
class AliasTable:
    """Names that are one name in several scripts, as the corpus gives them.
    Each spelling maps to the name's canonical word ``name:<latin, casefolded>``."""

    spellings: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> AliasTable:
        table = cls()
        for text in texts:
            table.add_text(text)
        return table

    def add_text(self, text: str) -> None:
        for latin, other in aliases_in(text):
            self.add(latin, other)

    def add(self, latin: str, other: str) -> None:
        key = self.spellings.get(latin.casefold()) or self.spellings.get(other.casefold()) \
            or "name:" + latin.casefold()
        self.spellings[latin.casefold()] = key
        self.spellings[other.casefold()] = key

    def names_in(self, text: str) -> dict[str, str]:
        """The canonical names ``text`` mentions, each with the spelling found."""
        if not self.spellings:
            return {}
        folded = text.casefold()
        found: dict[str, str] = {}
        for spelling, key in self.spellings.items():
            at = folded.find(spelling)
            if at >= 0 and key not in found:
                found[key] = text[at:at + len(spelling)]
        return found

    def spellings_of(self, text: str) -> list[str]:
        """Every spelling of the names ``text`` mentions (what to look for elsewhere)."""
        keys = set(self.names_in(text))
        return sorted(s for s, key in self.spellings.items() if key in keys)


# Scoring ------------------------------------------------------------------------

#: How much each kind of figure counts among a claim's figures.
FIGURE_WEIGHT = {MONEY: 1.0, QUANTITY: 1.0, PERCENT: 0.8, DATE: 0.6, NUMBER: 0.5, YEAR: 0.25}
#: How much more a name weighs than another word of the claim.
NAME_WEIGHT = 2.0
#: Loose matches (a plain number for an amount or a count) count this much.
LOOSE = 0.7


@dataclass(frozen=True, slots=True)
class Score:
    value: float
    #: Why, as people read it: ``figure USD 589 billion ~ $600 billion``,
    #: ``words: market, nvidia``, ``name 深度求索 = DeepSeek``.
    reasons: tuple[str, ...] = ()


def figure_match(wanted: Figure, found: Figure) -> float:
    """How well ``found`` matches ``wanted`` (0..1): their agreement, squared when
    under 0.9 (figures merely of the same order weigh little), and times
    :data:`LOOSE` for a plain number standing for an amount or a count."""
    if wanted.kind == found.kind:
        value = agreement(wanted, found)
        factor = 1.0
    elif {wanted.kind, found.kind} in ({NUMBER, MONEY}, {NUMBER, QUANTITY}):
        value = agreement(_as_number(wanted), _as_number(found))
        factor = LOOSE
    else:
        return 0.0
    return factor * (value if value >= 0.9 else value * value)


def _as_number(figure: Figure) -> Figure:
    return Figure(figure.start, figure.end, figure.text, NUMBER, figure.value, "",
                  figure.approx, figure.precision)


class ClaimText:
    """A claim's text prepared once for scoring many passages against it."""

    def __init__(self, text: str, *, aliases: AliasTable | None = None,
                 weights: Mapping[str, float] | None = None) -> None:
        self.text = text
        self.aliases = aliases or AliasTable()
        self.weights = weights or {}
        self.words = set(words(text))
        #: Words written with a capital or with digits (names, models: Nvidia,
        #: H800) weigh NAME_WEIGHT times as much.
        self.proper = {stem for word in _WORD.findall(text)
                       if (word[:1].isupper() or not word.isalpha()) and not word.isdigit()
                       for stem in words(word)}
        self.names = self.aliases.names_in(text)
        self.figures = extract(text)
        self._figures_count = any(f.kind not in (YEAR, NUMBER) or f.value >= 1000
                                  for f in self.figures)
        self._default = max(self.weights.values(), default=1.0)

    def weight(self, word: str) -> float:
        weight = self.weights.get(word, self._default)
        return weight * NAME_WEIGHT if word in self.proper else weight

    def hits(self) -> re.Pattern[str] | None:
        """A pattern finding, quickly, the places where a passage may share a word
        with the claim (its stems and bigrams; short ones as whole words), or
        None when the claim has no words."""
        pieces = sorted(self.words, key=lambda w: (-len(w), w))
        if not pieces:
            return None
        return re.compile("|".join(re.escape(p) if len(p) >= 3 else
                                   rf"(?<![^\W_]){re.escape(p)}(?![^\W_])" for p in pieces),
                          re.IGNORECASE)

    def pieces(self) -> list[str]:
        """What marks a place that may state the claim, as casefolded text: its
        words, the digits of its figures and the spellings of its names."""
        digits = {re.sub(r"\D", "", f.text.split(".")[0].split(",")[0]) for f in self.figures}
        return sorted(self.words | {d for d in digits if len(d) >= 2}
                      | set(self.aliases.spellings_of(self.text)))

    def search_terms(self) -> list[str]:
        """Words and numbers worth looking for in other documents (for an index
        that narrows the passages to score), rarest first."""
        terms = []
        for word in _WORD.findall(self.text):
            for run in _CJK.findall(word):     # no spaces between words: pieces of three
                terms += [run] if len(run) <= 4 else [run[at:at + 3] for at in range(
                    0, min(len(run) - 2, 6))]
            word = _CJK.sub(" ", word).strip()
            if len(word) >= 3 and word.casefold() not in _STOP and not word.isdigit() \
                    and " " not in word:
                terms.append(word)
        for figure in self.figures:
            digits = re.sub(r"\D", "", figure.text.split(".")[0].split(",")[0])
            if len(digits) >= 3 and figure.kind != YEAR:
                terms.append(digits)
        terms += self.aliases.spellings_of(self.text)
        unique = list(dict.fromkeys(terms))
        unique.sort(key=lambda t: (-self.weight(words(t)[0][:STEM] if words(t) else t),
                                   -len(t)))
        return unique

    def score(self, passage: str | Passage) -> Score:
        """How closely ``passage`` (text, or prepared by :func:`passages`) states the claim."""
        if isinstance(passage, str):
            passage = Passage.of(passage, self.aliases)
        found_words = passage.words
        shared = self.words & found_words
        names = passage.names
        shared_names = sorted(set(self.names) & set(names))
        if not shared and not shared_names and not (self.figures and passage.figures):
            return Score(0.0)
        reasons: list[str] = []
        wanted = sum(self.weight(w) for w in self.words) + 1.5 * len(self.names)
        got = sum(self.weight(w) for w in shared) + 1.5 * len(shared_names)
        offered = sum(self.weight(w) for w in found_words) + 1.5 * len(names)
        recall = got / wanted if wanted else 0.0
        precision = got / offered if offered else 0.0
        lexical = 5 * precision * recall / (4 * precision + recall) if got else 0.0
        if shared:
            reasons.append("words: " + ", ".join(sorted(shared)[:8]))
        for key in shared_names:
            if self.names[key].casefold() != names[key].casefold():
                reasons.append(f"name {names[key]} = {self.names[key]}")
        figure_score, figure_reasons = self._figures(passage.figures)
        reasons += figure_reasons
        if self._figures_count:
            value = 0.5 * lexical + 0.5 * figure_score
        else:
            value = 0.8 * lexical + 0.2 * figure_score
        content = len(found_words) + len(names)
        if content < 4:
            value *= 0.5 + content / 8
        if not shared and not shared_names:
            value *= 0.6                 # a figure alone: the same amount of something
        elif len(shared) + len(shared_names) == 1 and figure_score < 0.5:
            value *= 0.6
        return Score(round(value, 4), tuple(reasons))

    def _figures(self, found: Sequence[Figure]) -> tuple[float, list[str]]:
        if not self.figures or not found:
            return 0.0, []
        total = 0.0
        weights = 0.0
        reasons: list[str] = []
        for wanted in self.figures:
            weight = FIGURE_WEIGHT[wanted.kind]
            weights += weight
            best, match = 0.0, None
            for figure in found:
                value = figure_match(wanted, figure)
                if value > best:
                    best, match = value, figure
            total += weight * best
            if match is not None and best >= 0.3:
                sign = "=" if best >= 1.0 else "~"
                reasons.append(f"figure {wanted.text} {sign} {match.text}")
        return (total / weights if weights else 0.0), reasons


@dataclass(frozen=True, slots=True)
class Passage:
    """A passage of a document prepared for scoring: its span, words, the names
    it mentions (canonical name -> spelling found) and its figures."""

    start: int
    end: int
    words: frozenset[str]
    names: Mapping[str, str]
    figures: tuple[Figure, ...]

    @classmethod
    def of(cls, text: str, aliases: AliasTable | None = None) -> Passage:
        return cls(0, len(text), frozenset(words(text)),
                   aliases.names_in(text) if aliases else {}, tuple(extract(text)))


_DIGIT = re.compile(r"[0-9０-９]")
#: A text longer than this is read only in its BLOCKS blocks of about BLOCK
#: characters that hold most of a claim's words.
BIG = 200_000
BLOCK = 50_000
BLOCKS = 4


class PreparedText:
    """A document read once for scoring: the names it mentions, and its figures
    as its passages need them, so that any span of it (a sentence, a claim)
    becomes a :class:`Passage` without reading the whole text again."""

    def __init__(self, text: str, aliases: AliasTable | None = None) -> None:
        self.text = text
        self.mentions: list[tuple[int, str, str]] = []
        if aliases is not None and aliases.spellings:
            folded = text.casefold()
            same_length = len(folded) == len(text)
            for spelling, key in aliases.spellings.items():
                at = folded.find(spelling)
                while at >= 0:
                    found = text[at:at + len(spelling)] if same_length else spelling
                    self.mentions.append((at, key, found))
                    at = folded.find(spelling, at + 1)
            self.mentions.sort()

    def passage(self, start: int, end: int, *, figures: bool = True) -> Passage:
        """The span ``text[start:end]`` as a passage (without its figures, which
        take the longest to read, when ``figures`` is false)."""
        piece = self.text[start:end]
        found = extract(piece) if figures and _DIGIT.search(piece) else ()
        shifted = tuple(Figure(f.start + start, f.end + start, f.text, f.kind, f.value,
                               f.unit, f.approx, f.precision) for f in found)
        names: dict[str, str] = {}
        for at, key, found in self.mentions[bisect_left(self.mentions, (start,)):]:
            if at >= end:
                break
            names.setdefault(key, found)
        return Passage(start, end, frozenset(words(piece)), names, shifted)

    def sentences(self, hits: re.Pattern[str] | None = None, *, figures: bool = True,
                  pieces: Iterable[str] = ()) -> list[Passage]:
        """The sentences as passages; when ``hits`` (see :meth:`ClaimText.hits`) is
        given, only those where it finds something, a name is mentioned, or (when
        ``figures``) a digit is written. A text longer than :data:`BIG` is read
        only in the :data:`BLOCKS` blocks (of about :data:`BLOCK` characters, cut at
        line breaks, the same for every claim) holding most of ``pieces`` (the
        claim's words)."""
        if len(self.text) <= BIG:
            regions = [(0, len(self.text))]
        else:
            regions = self._richest_blocks(list(pieces))
        chosen: list[Passage] = []
        for first, last in regions:
            piece = self.text[first:last]
            spans = [(start + first, end + first) for start, end in sentences(piece)]
            if hits is not None:
                found = [m.start() + first for m in hits.finditer(piece)]
                found += [at for at, _key, _spelling in self.mentions if first <= at < last]
                if figures:
                    found += [m.start() + first for m in _DIGIT.finditer(piece)]
                found.sort()
                spans = [(start, end) for start, end in spans
                         if (at := bisect_left(found, start)) < len(found) and found[at] < end]
            chosen += [self.passage(start, end, figures=figures) for start, end in spans]
        return chosen

    def _richest_blocks(self, pieces: list[str]) -> list[tuple[int, int]]:
        text = self.text
        edges = [0]
        while edges[-1] < len(text):
            cut = text.find("\n", edges[-1] + BLOCK)
            edges.append(len(text) if cut < 0 else cut + 1)
        blocks = list(itertools.pairwise(edges))
        names = [at for at, _key, _spelling in self.mentions]

        counts = []
        for first, last in blocks:
            folded = text[first:last].casefold()
            mentioned = bisect_left(names, last) - bisect_left(names, first)
            counts.append([folded.count(piece) for piece in pieces] + [mentioned])
        # A piece in few blocks tells more than one in every block.
        spread = [sum(1 for row in counts if row[n]) for n in range(len(pieces) + 1)]
        weights = [math.log(1 + len(blocks) / found) if found else 0.0 for found in spread]

        def richness(index: int) -> float:
            return sum(w for w, count in zip(weights, counts[index], strict=True) if count)

        ranked = sorted(range(len(blocks)), key=lambda index: (-richness(index), index))
        return sorted(blocks[index] for index in ranked[:BLOCKS])


def passages(text: str, aliases: AliasTable | None = None) -> list[Passage]:
    """The :func:`sentences` of a document, prepared (see :class:`PreparedText`)."""
    return PreparedText(text, aliases).sentences()


# Passages -----------------------------------------------------------------------

_END_MARK = re.compile(r"[.!?。！？…]+[\"'”’»)\]]*(?=\s|$)|[。！？]")
_ABBREVIATION = re.compile(r"(?:\b[A-Za-z]\.|\b(?:Mr|Mrs|Ms|Dr|Prof|St|Inc|Ltd|Co|Corp|No|"
                           r"vs|etc|e\.g|i\.e|approx|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|"
                           r"Oct|Nov|Dec|U\.S|U\.K|т\.е|т\.д|г)\.)$")
_BREAK = re.compile(r"[ \t]*\n\s*")
_CLOSING = ".!?。！？:\"”»"
#: A passage longer than this is cut at a clause mark.
LONGEST = 600


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence-like passages of ``text`` as (start, end) code-point spans,
    stripped of surrounding spaces. A line break (blank lines too) ends a
    passage unless it breaks a sentence: the line is long, stops with no closing
    mark, and ends with a comma or the next starts in lower case or with a digit
    (PDF-extracted text, a figure cut from its sentence)."""
    spans: list[tuple[int, int]] = []
    start = 0
    length = len(text)
    cuts: set[int] = set()
    for match in _END_MARK.finditer(text):
        end = match.end()
        if _ABBREVIATION.search(text, max(0, match.start() - 8), match.start() + 1):
            continue
        cuts.add(end)
    for match in _BREAK.finditer(text):
        line = text[text.rfind("\n", 0, match.start()) + 1:match.start()].strip()
        rest = text[match.end():match.end() + 1]
        broken = (len(line) > 40 and line[-1] not in _CLOSING
                  and (line[-1] in ",;" or rest.islower() or rest.isdigit()))
        if not broken:
            cuts.add(match.start())
    for cut in [*sorted(cuts), length]:
        if cut <= start:
            continue
        spans.extend(_trimmed(text, start, cut))
        start = cut
    return spans


def _trimmed(text: str, start: int, end: int) -> list[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end or not any(c.isalnum() for c in text[start:end]):
        return []
    if end - start <= LONGEST:
        return [(start, end)]
    cut = max(text.rfind(mark, start + LONGEST // 3, start + LONGEST) for mark in ";,:")
    if cut < 0:
        cut = start + LONGEST
    else:
        cut += 1
    return _trimmed(text, start, cut) + _trimmed(text, cut, end)
