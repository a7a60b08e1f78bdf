"""Figures in text: amounts of money, percentages, counts of things, plain
numbers, years and dates, each found with its code-point span and normalised so
that ``$589 billion``, ``USD 589 billion`` and ``589bn dollars`` compare equal.

Pure Python (no Qt, no SQL). :func:`extract` finds the figures; every figure's
``text[start:end]`` is exactly the text it was read from. :func:`conflicting_figures`
compares the figures of several passages (the claims of a cluster) and reports
the ones that disagree.

What is read:

* numbers in words up to a hundred (``three percent``, ``ten million``, ``five
  chips``) when a scale, a currency, percent or a counted unit goes with them;
* numbers with decimal points or commas and thousands separators (``1,000``,
  ``1 000``, ``1.000.000``; ``1.000`` alone is one, as English writes it, and
  ``5,6`` is five point six), full-width digits (``２０００``);
* scale words after the number: thousand, k, million, m, mn, billion, bn, b,
  trillion, tn; 千, 万, 亿, 万亿; тыс., млн, млрд, трлн and their spelled-out forms;
* currencies before or after: ``$`` (US dollars), US$, USD, dollars, €, EUR,
  euros, £, GBP, pounds, ¥, CNY, RMB, yuan, 元, 人民币, 美元, yen, JPY, ₽, RUB,
  рублей, долларов, евро, юаней (¥ is read as yuan: say JPY or yen for yen);
* percent: ``%``, ``％``, per cent, percent, процентов;
* a counted noun after the number, up to two words later (``2,000 Nvidia H800
  chips``): a known unit (chips, GPUs, parameters, tokens, users, ...; the same
  thing said differently counts as one unit: ``integrated circuits`` are chips),
  else the word right after it;
* approximations before the figure: about, around, roughly, approximately,
  nearly, almost, some, over, more than, less than, up to, no more than, ``~``,
  ``≈``, около, примерно, почти, более, 约, 大约, 近 (the figure's ``approx``);
* dates: ISO ``2025-01-27``, ``January 27, 2025``, ``27 Jan 2025``, ``January
  2025`` (a month), ``2025年1月27日``, ``27 января 2025``; a bare four-digit number
  from 1800 to 2100 with nothing around it is a year.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

#: Kinds of figure.
MONEY, PERCENT, QUANTITY, NUMBER, YEAR, DATE = ("money", "percent", "quantity", "number",
                                                "year", "date")


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure: ``kind`` (money, percent, quantity, number, year, date), its
    normalised ``value`` (a date's is its proleptic ordinal, ``date.toordinal``)
    and ``unit`` (a currency code for money, ``%``, the counted noun's canonical
    form for a quantity, ``day`` or ``month`` for a date, else ""). ``precision``
    is the step of the last digit written (``589 billion``: 1e9; ``600 billion``
    and ``6 million``: 1e8 and 1e6, a trailing zero being taken as rounding)."""

    start: int
    end: int
    text: str
    kind: str
    value: float
    unit: str = ""
    approx: bool = False
    precision: float = 1.0

    def describe(self) -> str:
        """The normalised figure as people read it: ``USD 589 billion``, ``3.15 %``."""
        if self.kind == DATE:
            day = date.fromordinal(int(self.value))
            return day.strftime("%Y-%m") if self.unit == "month" else day.isoformat()
        if self.kind == YEAR:
            return str(int(self.value))
        amount = _readable(self.value)
        prefix = "~" if self.approx else ""
        if self.kind == MONEY:
            return f"{prefix}{self.unit} {amount}".strip()
        if self.kind == PERCENT:
            return f"{prefix}{amount} %"
        return f"{prefix}{amount} {self.unit}".strip()


def _readable(value: float) -> str:
    for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= scale:
            return f"{value / scale:.4g} {word}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


# Reading ----------------------------------------------------------------------

#: Full-width digits and signs as ASCII, one character for one (offsets kept).
_WIDE = str.maketrans("０１２３４５６７８９．，％＄", "0123456789.,%$")

_SCALES = {
    "thousand": 1e3, "thousands": 1e3, "k": 1e3, "million": 1e6, "millions": 1e6,
    "m": 1e6, "mn": 1e6, "mln": 1e6, "mio": 1e6, "billion": 1e9, "billions": 1e9,
    "bn": 1e9, "b": 1e9, "bln": 1e9, "trillion": 1e12, "tn": 1e12, "trn": 1e12,
    "千": 1e3, "万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8, "万亿": 1e12,
    "тыс": 1e3, "тысяч": 1e3, "тысячи": 1e3, "тысяча": 1e3, "млн": 1e6,
    "миллион": 1e6, "миллиона": 1e6, "миллионов": 1e6, "млрд": 1e9, "миллиард": 1e9,
    "миллиарда": 1e9, "миллиардов": 1e9, "трлн": 1e12, "триллион": 1e12,
    "триллиона": 1e12, "триллионов": 1e12,
}
_CURRENCY_BEFORE = {
    "us$": "USD", "usd": "USD", "$": "USD", "€": "EUR", "eur": "EUR", "£": "GBP",
    "gbp": "GBP", "¥": "CNY", "cny": "CNY", "rmb": "CNY", "jpy": "JPY", "₽": "RUB",
    "rub": "RUB", "人民币": "CNY", "美元": "USD",
}
_CURRENCY_AFTER = {
    "dollars": "USD", "dollar": "USD", "usd": "USD", "us dollars": "USD",
    "euros": "EUR", "euro": "EUR", "eur": "EUR", "pounds": "GBP", "gbp": "GBP",
    "yuan": "CNY", "renminbi": "CNY", "cny": "CNY", "rmb": "CNY", "元": "CNY",
    "美元": "USD", "人民币": "CNY", "yen": "JPY", "jpy": "JPY", "рублей": "RUB",
    "рубля": "RUB", "рубль": "RUB", "руб": "RUB", "rub": "RUB", "долларов": "USD",
    "доллара": "USD", "доллар": "USD", "евро": "EUR", "юаней": "CNY", "юаня": "CNY",
    "€": "EUR", "$": "USD", "₽": "RUB",
}
_PERCENT = ("%", "per cent", "percent", "процентов", "процента", "процент", "pct")
#: Counted nouns, each spelling to its canonical unit.
_UNITS = {
    "chips": "chips", "chip": "chips", "gpus": "chips", "gpu": "chips",
    "integrated circuits": "chips", "processors": "chips", "accelerators": "chips",
    "semiconductors": "chips", "чипов": "chips", "芯片": "chips", "块芯片": "chips",
    "parameters": "parameters", "parameter": "parameters", "params": "parameters",
    "параметров": "parameters", "参数": "parameters", "tokens": "tokens",
    "users": "users", "people": "people", "persons": "people", "employees": "employees",
    "workers": "employees", "jobs": "jobs", "job opportunities": "jobs",
    "companies": "companies", "firms": "companies", "shares": "shares",
    "downloads": "downloads", "days": "days", "years": "years", "months": "months",
    "hours": "hours", "countries": "countries", "человек": "people", "人": "people",
}
_APPROX = ("approximately", "approx.", "about", "around", "roughly", "nearly", "almost",
           "some", "an estimated", "estimated", "over", "more than", "less than",
           "fewer than", "up to", "no more than", "at least", "at most", "circa", "c.",
           "~", "≈", "около", "примерно", "почти", "более", "свыше", "менее", "порядка",
           "约", "大约", "近", "逾", "超过")
#: Words after a number that are not counted nouns (a quantity needs a noun).
_NOT_UNITS = frozenset(str.split("""
a an the and or of in on at to for by with from as is was were be are has had have that
this which who it its per than more less over under into about after before since during
while when if but not no so
"""))

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7,
    "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
    "январь": 1, "февраль": 2, "март": 3, "апрель": 4, "май": 5, "июнь": 6, "июль": 7,
    "август": 8, "сентябрь": 9, "октябрь": 10, "ноябрь": 11, "декабрь": 12,
}
_MONTH = "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))

_DATE_PATTERNS = (
    # ISO 2025-01-27
    (re.compile(r"(?<![\w./-])(\d{4})-(\d{2})-(\d{2})(?![\w-])"), ("y", "m", "d")),
    # 2025年1月27日 and 2025年1月
    (re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?"), ("y", "m", "d")),
    # January 27, 2025 / Jan. 27 2025
    (re.compile(rf"(?<!\w)({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\w)",
                re.IGNORECASE), ("M", "d", "y")),
    # 27 January 2025 / 27 января, 2025
    (re.compile(rf"(?<![\w.,])(\d{{1,2}})\s+({_MONTH})\.?,?\s+(\d{{4}})(?!\w)",
                re.IGNORECASE), ("d", "M", "y")),
    # January 2025 (a month)
    (re.compile(rf"(?<!\w)({_MONTH})\.?,?\s+(\d{{4}})(?!\w)", re.IGNORECASE), ("M", "y")),
)

_YEAR_DIGITS = re.compile(r"(?<!\d)\d{4}(?!\d)")

# A number: grouped thousands (comma, space, no-break spaces, or dots when two
# groups or more) or plain digits, with decimals.
_NUMBER = re.compile(
    r"(?<![.,])(?<![^\W\u3040-\u30ff\u3400-\u9fff])(?:"
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"
    r"|\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:[.,]\d+)?"
    r"|\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?"
    r"|\d+(?:[.,]\d+)?"
    r")")
_WORD_AFTER = re.compile(r"[ \u00a0\u202f]?([^\W\d_]+)\.?")


def _alternation(words: Iterable[str]) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


#: After a word: no letter of an alphabet (a Chinese character may follow: 亿元).
_END = r"(?![^\W\d_\u3400-\u9fff])"
_SCALE_AFTER = re.compile(r"(?:\s?)(" + _alternation(_SCALES) + r")" + _END + r"\.?",
                          re.IGNORECASE)
_CURRENCY_AFTER_RE = re.compile(r"\s?(" + _alternation(_CURRENCY_AFTER) + r")" + _END,
                                re.IGNORECASE)
_PERCENT_AFTER = re.compile(r"\s?(" + _alternation(_PERCENT) + r")(?![^\W\d_])",
                            re.IGNORECASE)
_CURRENCY_BEFORE_RE = re.compile(r"(" + _alternation(_CURRENCY_BEFORE) + r")\s?$",
                                 re.IGNORECASE)
_APPROX_BEFORE = re.compile(r"(?<![^\W\d_\u3400-\u9fff])(" + _alternation(_APPROX) + r")\s*$",
                            re.IGNORECASE)
_UNIT_AFTER = re.compile(r"(?:[ \u00a0]*[\w\-]+){0,2}?[ \u00a0]*(" + _alternation(_UNITS)
                         + r")" + _END, re.IGNORECASE)


def _parse_number(raw: str) -> tuple[float, float]:
    """The value of a number as written, and the step of its last digit."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?", raw):      # 1.000.000,5
        raw = raw.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw):        # 1,000,000.5
        raw = raw.replace(",", "")
    else:
        raw = re.sub(r"[ \u00a0\u202f\u2009]", "", raw).replace(",", ".")
    whole, _, decimals = raw.partition(".")
    if decimals:
        step = 10.0 ** -len(decimals)
    else:
        zeros = len(whole) - len(whole.rstrip("0"))
        step = 10.0 ** min(zeros, max(len(whole) - 1, 0))
    return float(raw), step


def _date_figures(text: str) -> list[Figure]:
    found: list[Figure] = []
    taken: list[tuple[int, int]] = []
    # Every date holds a year: look only around four-digit numbers (fast on long text).
    windows = [(max(0, m.start() - 24), m.end() + 12) for m in _YEAR_DIGITS.finditer(text)]
    for pattern, fields in _DATE_PATTERNS:
        matches = {m.span(): m for lo, hi in windows for m in pattern.finditer(text, lo, hi)
                   if hi >= len(text) or m.end() < hi}
        for _span, match in sorted(matches.items()):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            parts = dict(zip(fields, match.groups(), strict=True))
            month = _MONTHS[parts["M"].lower()] if "M" in parts else int(parts["m"])
            try:
                day = date(int(parts["y"]), month, int(parts.get("d") or 1))
            except (ValueError, TypeError):
                continue
            if not 1000 <= day.year <= 2999:
                continue
            unit = "day" if parts.get("d") else "month"
            found.append(Figure(match.start(), match.end(), match.group(0), DATE,
                                float(day.toordinal()), unit))
            taken.append(match.span())
    return found


def extract(text: str) -> list[Figure]:
    """The figures in ``text`` in text order; ``text[f.start:f.end] == f.text``."""
    plain = text.translate(_WIDE)
    figures = _date_figures(plain)
    taken = [(f.start, f.end) for f in figures]
    for match in _NUMBER.finditer(plain):
        start, end = match.span()
        if any(s < end and start < e for s, e in taken):
            continue
        figure = _figure_at(plain, start, end)
        if figure is not None and not any(s < figure.end and figure.start < e
                                          for s, e in taken):
            taken.append((figure.start, figure.end))
            figures.append(Figure(figure.start, figure.end, text[figure.start:figure.end],
                                  figure.kind, figure.value, figure.unit, figure.approx,
                                  figure.precision))
    for match in _SPELLED.finditer(plain):
        start, end = match.span()
        if any(s < end and start < e for s, e in taken):
            continue
        tens, ones = match.group(1).lower(), (match.group(2) or "").lower()
        value = float(_SPELLED_VALUES[tens] + _SPELLED_VALUES.get(ones, 0))
        figure = _figure_at(plain, start, end, (value, 1.0))
        # Only with what makes it a figure: three percent, ten million, five chips (not
        # "one day", "two years": words, not figures).
        if figure is None or not (figure.kind in (MONEY, PERCENT) or figure.value != value
                                  or (figure.kind == QUANTITY and value >= 2
                                      and figure.unit in _COUNTED)):
            continue
        if not any(s < figure.end and figure.start < e for s, e in taken):
            taken.append((figure.start, figure.end))
            figures.append(Figure(figure.start, figure.end, text[figure.start:figure.end],
                                  figure.kind, figure.value, figure.unit, figure.approx,
                                  figure.precision))
    figures.sort(key=lambda f: (f.start, f.end))
    return figures


_SPELLED_VALUES = {word: n for n, word in enumerate(
    str.split("zero one two three four five six seven eight nine ten eleven twelve thirteen "
              "fourteen fifteen sixteen seventeen eighteen nineteen"))}
_SPELLED_VALUES.update({word: 10 * n for n, word in enumerate(
    str.split("twenty thirty forty fifty sixty seventy eighty ninety"), start=2)})
_SPELLED_VALUES["hundred"] = 100
_SPELLED = re.compile(
    r"(?<![^\W\d_])(" + _alternation(_SPELLED_VALUES) + r")(?:-(one|two|three|four|five|six|"
    r"seven|eight|nine))?(?![^\W\d_])", re.IGNORECASE)
_COUNTED = frozenset(_UNITS.values()) - {"days", "years", "months", "hours"}

_LETTER_SCALES = ("m", "b", "k")          # only right after the digits: $6bn, 5.6m
_ABBREVIATED = ("тыс", "млн", "млрд", "трлн")   # their full stop belongs to them


def _scale_at(text: str, end: int) -> tuple[float, int]:
    """The scale word right after a number ending at ``end``: (factor, its end)."""
    found = _SCALE_AFTER.match(text, end)
    if not found:
        return 1.0, end
    word = found.group(1).lower()
    if word in _LETTER_SCALES and found.start(1) != end:
        return 1.0, end
    last = found.end() if word in _ABBREVIATED else found.end(1)
    return _SCALES[word], last


def _figure_at(text: str, start: int, end: int,
               spelled: tuple[float, float] | None = None) -> Figure | None:
    """The figure whose number is ``text[start:end]`` (or a number in words whose
    value and step are ``spelled``), with what is written around it."""
    raw = text[start:end]
    if start and text[start - 1] in "-/#:" and not text[start - 2:start - 1].isspace():
        return None                          # part of an identifier, a range end, a time
    value, step = spelled or _parse_number(raw)
    scale, last = _scale_at(text, end)
    first = start
    if spelled is None and last == end and end < len(text) and text[end].isalpha() \
            and not "\u3400" <= text[end] <= "\u9fff":
        return None                          # 5G, 3D, 10x, 1st: not figures we read
    kind, unit = NUMBER, ""
    currency = _CURRENCY_BEFORE_RE.search(text, max(0, first - 4), first)
    after = _CURRENCY_AFTER_RE.match(text, last)
    percent = _PERCENT_AFTER.match(text, last)
    if currency:
        kind, unit, first = MONEY, _CURRENCY_BEFORE[currency.group(1).lower()], currency.start()
    elif after:
        kind, unit, last = MONEY, _CURRENCY_AFTER[after.group(1).lower()], after.end()
    elif percent:
        kind, unit, last = PERCENT, "%", percent.end()
    else:
        counted = _UNIT_AFTER.match(text, last, min(len(text), last + 60))
        if counted and "\n" not in counted.group(0):
            kind, unit, last = QUANTITY, _UNITS[counted.group(1).lower()], counted.end()
        elif scale == 1.0 and len(raw) == 4 and raw.isdigit() and 1800 <= value <= 2100:
            kind = YEAR
        elif scale == 1.0:
            noun = _WORD_AFTER.match(text, last)
            if noun and noun.group(0)[:1] == " " and noun.group(1).islower() \
                    and noun.group(1) not in _NOT_UNITS and len(noun.group(1)) > 2:
                kind, unit, last = QUANTITY, _plural(noun.group(1)), noun.end(1)
    approx = bool(_APPROX_BEFORE.search(text, max(0, first - 16), first))
    return Figure(first, last, text[first:last], kind, value * scale, unit, approx,
                  step * scale)


def _plural(word: str) -> str:
    word = word.lower()
    return word if word.endswith("s") else word + "s"


# Comparing --------------------------------------------------------------------

#: Agreement of two precise figures that differ (not a rounding of one another),
#: times their closeness: a different figure is weak evidence of the same fact.
DIFFERENT = 0.6
#: Relative gap under which a figure stated as approximate agrees (softly).
APPROX_TOLERANCE = 0.10
#: Figures further apart than this factor are taken to be about different things.
UNRELATED = 2.0


def relative_gap(a: float, b: float) -> float:
    """|a - b| relative to the larger magnitude (0 when both are 0)."""
    larger = max(abs(a), abs(b))
    return 0.0 if larger == 0 else abs(a - b) / larger


def comparable(a: Figure, b: Figure) -> bool:
    """Same kind and the same unit (money with no currency written compares with
    any currency; a plain number with a number scaled the same way)."""
    if a.kind != b.kind:
        return False
    if a.kind == MONEY:
        return a.unit == b.unit or not a.unit or not b.unit
    return a.unit == b.unit


def same_value(a: Figure, b: Figure) -> bool:
    """Equal to the last digit the finer of the two was written with
    (``$589 billion`` and ``USD 589,000,000,000``; not 815 and 819 billion)."""
    step = min(a.precision, b.precision)
    return abs(a.value - b.value) <= step / 2 * (1 + 1e-9) or a.value == b.value


def _rounds_to(coarse: Figure, fine: Figure) -> bool:
    """``coarse`` is ``fine`` rounded to coarse's last written digit."""
    step = coarse.precision
    return step > fine.precision and abs(round(fine.value / step) * step - coarse.value) \
        <= step * 1e-6


def agreement(a: Figure, b: Figure) -> float:
    """How well two comparable figures agree, 0..1: 1 for the same value
    (:func:`same_value`); at least 0.9 when one is approximate or a rounding of
    the other and they are within :data:`APPROX_TOLERANCE`; else their closeness
    (1 equal, down to 0 a factor of :data:`UNRELATED` apart), times
    :data:`DIFFERENT` for two precise figures. Dates: 1 the same day, down to 0 a
    month apart."""
    if not comparable(a, b):
        return 0.0
    if a.kind == DATE:
        if a.unit == "month" or b.unit == "month":
            first, second = date.fromordinal(int(a.value)), date.fromordinal(int(b.value))
            return 1.0 if (first.year, first.month) == (second.year, second.month) else 0.0
        return max(0.0, 1.0 - abs(a.value - b.value) / 31)
    gap = relative_gap(a.value, b.value)
    if same_value(a, b):
        return 1.0
    if a.value == 0 or b.value == 0 or (a.value < 0) != (b.value < 0):
        return 0.0
    ratio = max(abs(a.value), abs(b.value)) / min(abs(a.value), abs(b.value))
    closeness = max(0.0, 1.0 - math.log(ratio) / math.log(UNRELATED))
    if a.approx or b.approx or _rounds_to(a, b) or _rounds_to(b, a):
        return max(closeness, 0.9 if gap <= APPROX_TOLERANCE else closeness)
    return closeness * DIFFERENT


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two figures of two items that state the same kind of thing differently.
    ``soft``: the difference may be rounding or hedging (one is approximate, or
    the coarser is the finer rounded; ``about $6 million`` vs ``$5.6 million``
    is soft, 7 % apart); else hard (``$589 billion`` vs ``$610 billion``)."""

    first_id: Hashable
    first: Figure
    second_id: Hashable
    second: Figure
    gap: float
    soft: bool

    def describe(self) -> str:
        kind = "differs slightly from" if self.soft else "conflicts with"
        return (f"{self.first.describe()} ({self.first.text!r}) {kind} "
                f"{self.second.describe()} ({self.second.text!r}): {self.gap:.1%} apart")


def conflicting_figures(items: Iterable[tuple[Hashable, str | Sequence[Figure]]]
                        ) -> list[Conflict]:
    """Figures that disagree across ``items``: (id, text or its figures) pairs,
    such as the claims of a cluster or of a proposition.

    Each figure of an item is paired with the closest comparable figure of each
    later item (same kind and unit; see :func:`comparable`). A pair is reported
    when the two are not the same value (:func:`same_value`) and less than a
    factor of :data:`UNRELATED` (further apart, they are taken to count different
    things: 17 % and 3 % are two facts, not one in conflict). Years and plain
    numbers are not compared (too often about different things); an item whose
    figure equals one in the other item is not reported for it. ``soft`` as in
    :class:`Conflict`: ``589 vs 600 billion`` is soft (600 may round 589),
    ``3 % vs 3.15 %`` soft, ``$589 billion`` vs ``$610 billion`` hard. Order: by
    item order, then text order."""
    prepared = [(key, extract(value) if isinstance(value, str) else list(value))
                for key, value in items]
    conflicts: list[Conflict] = []
    for index, (first_id, first_figures) in enumerate(prepared):
        for second_id, second_figures in prepared[index + 1:]:
            for figure in first_figures:
                if figure.kind in (YEAR, NUMBER):
                    continue
                options = [other for other in second_figures if comparable(figure, other)]
                if not options:
                    continue
                best = max(options, key=lambda other: (agreement(figure, other),
                                                       -other.start))
                conflict = _conflict(first_id, figure, second_id, best)
                if conflict is not None:
                    conflicts.append(conflict)
    return conflicts


def _conflict(first_id: Hashable, first: Figure, second_id: Hashable,
              second: Figure) -> Conflict | None:
    if first.kind == DATE:
        if agreement(first, second) == 1.0 or abs(first.value - second.value) > 31:
            return None
        soft = first.unit == "month" or second.unit == "month"
        return Conflict(first_id, first, second_id, second,
                        abs(first.value - second.value), soft)
    gap = relative_gap(first.value, second.value)
    if same_value(first, second) or agreement(first, second) == 0.0:
        return None
    soft = (first.approx or second.approx or _rounds_to(first, second)
            or _rounds_to(second, first))
    return Conflict(first_id, first, second_id, second, round(gap, 4), soft)
