"""Mapping another program's codes (a REFI-QDA ``.qdpx``) onto the codebook.

Before anything is written, each foreign code gets a proposed target:

- a label of the codebook, written ``dimension:key`` (``stance:supports``,
  ``claim_type:quantity``), when its name says so: under (or prefixed by) a code
  named like a dimension (``Stance``, ``Claim type``, or just ``Claim`` for the
  claim type), its name or key is one of that dimension's labels (``Claim
  type/Quantity``, ``Claim/Statistic``, ``Stance: refutes``); alone, its name is
  the name of exactly one label (``Supports``, ``Usually reliable``) or a key of
  three characters or more (``refutes``). Names compare case- and
  accent-insensitively (``RÉFUTES`` is ``refutes``), and a key the codebook has
  since renamed follows its history (:meth:`Codebook.current`, as a colleague's
  codebook is mapped in :mod:`annotator.domain.exchange`);
- ``claim`` for the code ``Claim`` alone (Annotator's own export marks each
  claim with it): the selection is the claim, the code adds nothing;
- ``tag`` otherwise: the code's name becomes a tag of the claims it codes;
- or ``skip``, by choice: its codings are left out (a selection coded only with
  skipped codes is not imported).

The analyst changes any of it (the window's preview, or the CLI's
``--map-codes FILE.json``: code name → target) before the import writes.
Pure Python, no Qt, no SQL.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from annotator.domain.codebook import Codebook, Dimension, Label

TAG = "tag"
SKIP = "skip"
CLAIM = "claim"
#: Separators inside one code name that give a path (``Claim/Statistic``).
_SEPARATORS = ("/", ":", ">", "\\")
#: Other words for a dimension in a code's path (folded).
_ALIASES = {"claim": Dimension.CLAIM_TYPE, "type": Dimension.CLAIM_TYPE,
            "credibility": Dimension.INFO_CREDIBILITY,
            "reliability": Dimension.SOURCE_RELIABILITY}


class How(StrEnum):
    NAME = "same name"
    KEY = "same key"
    RENAMED = "renamed key (codebook history)"
    CLAIM = "the claim itself"
    TAG = "no label matches: a tag"
    AMBIGUOUS = "several labels match: a tag"
    CHOSEN = "chosen"


def fold(text: str) -> str:
    """``text`` compared case- and accent-insensitively, ``_`` and ``-`` as spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().replace("_", " ").replace("-", " ").split())


@dataclass
class ForeignCode:
    guid: str
    name: str
    #: The names of the codes it sits under, outermost first.
    parents: tuple[str, ...] = ()
    #: The first line of its description (Annotator's export writes ``key: …``).
    description: str = ""
    #: How many selections it codes.
    codings: int = 0

    @property
    def path(self) -> str:
        return "/".join((*self.parents, self.name))


@dataclass
class CodeChoice:
    code: ForeignCode
    target: str
    how: How


def parse_target(text: str, codebook: Codebook) -> str:
    """A target as written by an analyst (``stance:supports``, ``tag``, ``skip``,
    ``claim``), checked against the codebook. Raises ValueError with a reason."""
    value = text.strip()
    if value.lower() in (TAG, SKIP, CLAIM):
        return value.lower()
    dimension_text, _, key = value.partition(":")
    try:
        dimension = Dimension(dimension_text.strip().lower())
    except ValueError:
        raise ValueError(f"{text!r} is not tag, skip, claim or dimension:key (dimensions: "
                         f"{', '.join(d.value for d in Dimension)})") from None
    label = codebook.label(dimension, key.strip())
    if label is None:
        keys = ", ".join(label.key for label in codebook.of(dimension)) or "(none)"
        raise ValueError(f"{text!r}: {dimension.value} has no label {key.strip()!r} "
                         f"(labels: {keys})")
    return f"{dimension.value}:{label.key}"


def _hint(parts: list[str]) -> Dimension | None:
    for part in reversed(parts):
        folded = fold(part)
        for dimension in Dimension:
            if folded in (fold(dimension.title), fold(dimension.value)):
                return dimension
        if folded in _ALIASES:
            return _ALIASES[folded]
    return None


def _matches(codebook: Codebook, dimensions: list[Dimension], name: str, description: str,
             hinted: bool) -> tuple[list[Label], How]:
    folded = fold(name)
    key = description.removeprefix("key:").strip() if description.startswith("key:") else ""
    for how, test in (
            (How.KEY, lambda label: bool(key) and label.key == key),
            (How.NAME, lambda label: folded in (fold(label.name),
                                                fold(f"{label.key} — {label.name}"))),
            (How.KEY, lambda label: (hinted or len(label.key) >= 3)
             and folded == fold(label.key))):
        found = [label for dimension in dimensions for label in codebook.of(dimension)
                 if test(label)]
        if found:
            active = [label for label in found if not label.retired]
            return active or found, how
    if hinted or len(name) >= 3:
        renamed = [(dimension, codebook.current(dimension.value, candidate))
                   for dimension in dimensions
                   for candidate in dict.fromkeys((name.strip(), folded))]
        found = [codebook.label(dimension, key) for dimension, key in renamed if key]
        labels = list({id(label): label for label in found if label is not None}.values())
        if labels:
            return labels, How.RENAMED
    return [], How.TAG


def propose_one(code: ForeignCode, codebook: Codebook) -> CodeChoice:
    """The proposed target of one foreign code (see the module's rules)."""
    parts = [*code.parents]
    name = code.name.strip()
    for separator in _SEPARATORS:
        if separator in name:
            *prefix, name = [piece for piece in name.split(separator) if piece.strip()] or [""]
            parts += prefix
    if not parts and name == "Claim":
        return CodeChoice(code, CLAIM, How.CLAIM)
    hint = _hint(parts)
    dimensions = [hint] if hint is not None else list(Dimension)
    labels, how = _matches(codebook, dimensions, name, code.description, hint is not None)
    if len(labels) == 1:
        return CodeChoice(code, f"{labels[0].dimension.value}:{labels[0].key}", how)
    return CodeChoice(code, TAG, How.AMBIGUOUS if labels else How.TAG)


@dataclass
class CodeMapping:
    """Where each foreign code goes, in the order the codes were read."""

    choices: list[CodeChoice] = field(default_factory=list)

    def target(self, guid: str) -> str | None:
        return next((c.target for c in self.choices if c.code.guid == guid), None)

    def choose(self, choice: CodeChoice, target: str) -> None:
        if target != choice.target:
            choice.target, choice.how = target, How.CHOSEN

    def apply(self, wanted: dict[str, Any], codebook: Codebook) -> None:
        """Take an analyst's choices (code path or name → target, as in a
        ``--map-codes`` file). Raises ValueError naming a code no code has, or a
        target the codebook does not have."""
        if not isinstance(wanted, dict):
            raise ValueError("the code mapping must be a JSON object: code name → target")
        for name, target in wanted.items():
            if not isinstance(target, str):
                raise ValueError(f"{name!r}: the target must be a string, not {target!r}")
            chosen = parse_target(target, codebook)
            found = [c for c in self.choices if c.code.path == name] or \
                [c for c in self.choices if c.code.name == name] or \
                [c for c in self.choices if fold(c.code.path) == fold(name)]
            if not found:
                raise ValueError(f"no code named {name!r} in the project (codes: "
                                 f"{', '.join(c.code.path for c in self.choices)[:300]})")
            for choice in found:
                self.choose(choice, chosen)

    def describe(self) -> list[str]:
        """One line per code: ``Supports (3 codings) → stance:supports (same name)``."""
        return [f"{c.code.path} ({c.code.codings} coding{'' if c.code.codings == 1 else 's'})"
                f" → {c.target} ({c.how.value})" for c in self.choices]


def propose(codes: list[ForeignCode], codebook: Codebook) -> CodeMapping:
    """The proposed mapping of every foreign code onto ``codebook``."""
    return CodeMapping([propose_one(code, codebook) for code in codes])
