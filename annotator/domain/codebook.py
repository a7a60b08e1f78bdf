"""The codebook: the label sets a team agreed on, as plain values.

A codebook has *dimensions* (stance, source reliability, information
credibility, claim type, and optionally ICD 203 likelihood and confidence),
each an ordered list of labels, plus the propositions stance is judged against
and a list of suggested tags.

Every label has a stable ``key`` (what exports carry), a display ``name``, a
``description`` (tooltip and legend), a ``colour`` and a ``shortcut`` key.
Graded scales (reliability, credibility, likelihood, confidence) are ordered by
position, except labels with ``judgeable=False`` ("F — reliability cannot be
judged", "6 — truth cannot be judged"): those are a category of their own and
never a point on the scale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from annotator.domain.labels import INFO_CREDIBILITY, SOURCE_RELIABILITY, STANCE_DESCRIPTIONS

CODEBOOK_FORMAT = "annotator-codebook"
CODEBOOK_FORMAT_VERSION = 1


class Dimension(StrEnum):
    STANCE = "stance"
    SOURCE_RELIABILITY = "source_reliability"
    INFO_CREDIBILITY = "info_credibility"
    CLAIM_TYPE = "claim_type"
    LIKELIHOOD = "likelihood"
    CONFIDENCE = "confidence"

    @property
    def title(self) -> str:
        return {
            "stance": "Stance", "source_reliability": "Source reliability",
            "info_credibility": "Information credibility", "claim_type": "Claim type",
            "likelihood": "Likelihood (ICD 203)", "confidence": "Confidence",
        }[self.value]

    @property
    def graded(self) -> bool:
        """Whether the labels are an ordered scale (ordinal), not just categories."""
        return self in (Dimension.SOURCE_RELIABILITY, Dimension.INFO_CREDIBILITY,
                        Dimension.LIKELIHOOD, Dimension.CONFIDENCE)

    @property
    def fixed_keys(self) -> bool:
        """The Admiralty scales keep their keys (A–F, 1–6): exports promise them."""
        return self in (Dimension.SOURCE_RELIABILITY, Dimension.INFO_CREDIBILITY)


#: Okabe–Ito: distinct under the common colour-vision deficiencies.
OKABE_ITO = ("#009E73", "#D55E00", "#0072B2", "#CC79A7", "#E69F00", "#56B4E9",
             "#F0E442", "#000000")
UNJUDGEABLE_COLOUR = "#9E9E9E"
#: A sequential ramp for ordered scales, best to worst (ColorBrewer YlGnBu, reversed).
GRADE_RAMP = ("#253494", "#2C7FB8", "#41B6C4", "#A1DAB4", "#FFFFCC", "#FFF3B0", "#FFE08A")

_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")


class CodebookError(ValueError):
    """A codebook change that would break the rules; the message says which."""


@dataclass(frozen=True, slots=True)
class Label:
    dimension: Dimension
    key: str
    name: str
    description: str = ""
    colour: str = "#999999"
    shortcut: str = ""
    retired: bool = False
    judgeable: bool = True


@dataclass(frozen=True, slots=True)
class Proposition:
    id: str
    text: str
    description: str = ""
    retired: bool = False


#: The claim fields a completeness rule may require, in the order the claim panel
#: lists what is still to label.
REQUIRABLE = ("claim_type", "proposition", "source", "stance", "source_reliability",
              "info_credibility", "likelihood", "confidence")
FIELD_TITLES = {"claim_type": "claim type", "proposition": "proposition", "source": "source",
                "stance": "stance", "source_reliability": "source reliability",
                "info_credibility": "credibility", "likelihood": "likelihood",
                "confidence": "confidence"}


@dataclass(frozen=True, slots=True)
class Requirements:
    """When a claim counts as complete: the fields it needs, except that a claim
    whose claim type is one of ``exempt_types`` ("not a claim") needs nothing more."""

    required: tuple[str, ...] = ("claim_type", "proposition", "source", "stance",
                                 "source_reliability", "info_credibility")
    exempt_types: tuple[str, ...] = ("not_a_claim",)

    def __post_init__(self) -> None:
        unknown = [f for f in self.required if f not in REQUIRABLE]
        if unknown:
            raise CodebookError(f"completeness: unknown field {unknown[0]!r}")

    def missing(self, claim: Any) -> list[str]:
        """The required fields ``claim`` has not got, in :data:`REQUIRABLE` order."""
        if claim.claim_type is not None and claim.claim_type in self.exempt_types:
            return []
        return [name for name in REQUIRABLE if name in self.required
                and _unset(claim, name)]


def _unset(claim: Any, name: str) -> bool:
    if name == "source":
        return not claim.source_id
    if name == "proposition":
        return not claim.proposition
    return getattr(claim, name) is None


#: The pseudo-dimension of a :class:`Rename` that rewords a proposition.
PROPOSITION = "proposition"


@dataclass(frozen=True, slots=True)
class Rename:
    """One entry of a codebook's history: label key ``old`` of ``dimension``
    (a :class:`Dimension` value) became ``new``, or, with ``dimension ==
    "proposition"``, proposition text ``old`` was reworded as ``new``. Exchanged
    work made before the change still says ``old``: it means the same label."""

    dimension: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class Codebook:
    version: int = 1
    labels: tuple[Label, ...] = ()
    propositions: tuple[Proposition, ...] = ()
    tags: tuple[str, ...] = ()
    requirements: Requirements = Requirements()
    #: Renamed keys and reworded propositions, oldest first (see :class:`Rename`).
    renames: tuple[Rename, ...] = ()

    def current(self, dimension: str, old: str) -> str | None:
        """What ``old`` (a key of ``dimension``, or a proposition's text with
        ``"proposition"``) is called now, following the renames from the latest
        back; None when it was never renamed into something this codebook has."""
        present = ({p.text for p in self.propositions} if dimension == PROPOSITION
                   else {label.key for label in self.labels if label.dimension == dimension})
        seen = {old}
        name = old
        while True:
            step = next((r.new for r in reversed(self.renames)
                         if r.dimension == dimension and r.old == name), None)
            if step is None or step in seen:
                return None
            if step in present:
                return step
            seen.add(step)
            name = step

    def former(self, dimension: str, name: str) -> list[str]:
        """Every earlier name of ``name`` (keys or proposition texts), nearest first."""
        found: list[str] = []
        queue = [name]
        while queue:
            current = queue.pop(0)
            for rename in reversed(self.renames):
                if rename.dimension == dimension and rename.new == current \
                        and rename.old not in found and rename.old != name:
                    found.append(rename.old)
                    queue.append(rename.old)
        return found

    def missing(self, claim: Any) -> list[str]:
        """What ``claim`` still needs before it is complete (see :class:`Requirements`);
        only dimensions this codebook has count."""
        present = {d.value for d in self.dimensions()}
        return [name for name in self.requirements.missing(claim)
                if name in ("proposition", "source") or name in present]

    def is_complete(self, claim: Any) -> bool:
        return not self.missing(claim)

    def of(self, dimension: Dimension, *, include_retired: bool = True) -> list[Label]:
        return [label for label in self.labels if label.dimension == dimension
                and (include_retired or not label.retired)]

    def label(self, dimension: Dimension, key: str | int | None) -> Label | None:
        if key is None:
            return None
        key = str(key)
        for label in self.labels:
            if label.dimension == dimension and label.key == key:
                return label
        return None

    def dimensions(self) -> list[Dimension]:
        return [d for d in Dimension if any(label.dimension == d for label in self.labels)]

    def grade_rank(self, dimension: Dimension, key: str | int | None) -> int | None:
        """The position of a grade on its ordered scale (0 = best), or None when the
        key is missing or cannot be judged: those are never points on the scale."""
        position = 0
        for label in self.of(dimension):
            if not label.judgeable:
                continue
            if key is not None and label.key == str(key):
                return position
            position += 1
        return None

    def sort_key(self, dimension: Dimension, key: str | int | None) -> tuple[int, int]:
        """Sorts grades best first, then "cannot be judged", then unlabelled."""
        if key is None:
            return (2, 0)
        rank = self.grade_rank(dimension, key)
        if rank is not None:
            return (0, rank)
        labels = self.of(dimension)
        index = next((i for i, label in enumerate(labels) if label.key == str(key)), 0)
        return (1, index)

    def colour(self, dimension: Dimension, key: str | int | None) -> str | None:
        label = self.label(dimension, key)
        return label.colour if label else None


def label_value(dimension: Dimension, key: object) -> str | int | None:
    """A label key as the claim stores it (credibility grades are integers)."""
    if key is None or key == "":
        return None
    return int(str(key)) if dimension is Dimension.INFO_CREDIBILITY else str(key)


def validate(codebook: Codebook) -> None:
    """Raise :class:`CodebookError` if keys, colours or shortcuts break the rules."""
    for dimension in Dimension:
        labels = codebook.of(dimension)
        keys = [label.key for label in labels]
        duplicates = {k for k in keys if keys.count(k) > 1}
        if duplicates:
            raise CodebookError(f"{dimension.title}: key {sorted(duplicates)[0]!r} is used twice")
        shortcuts = [label.shortcut.upper() for label in labels if label.shortcut
                     and not label.retired]
        clashes = {s for s in shortcuts if shortcuts.count(s) > 1}
        if clashes:
            raise CodebookError(f"{dimension.title}: shortcut {sorted(clashes)[0]!r} is given "
                                "to two labels")
        for label in labels:
            if not _KEY.match(label.key):
                raise CodebookError(f"{dimension.title}: key {label.key!r} must be 1–40 "
                                    "letters, digits, '_', '.' or '-'")
            if not label.name.strip():
                raise CodebookError(f"{dimension.title}: label {label.key!r} needs a name")
            if not _COLOUR.match(label.colour):
                raise CodebookError(f"{dimension.title}: colour {label.colour!r} must be "
                                    "#RRGGBB")
            if len(label.shortcut) > 1:
                raise CodebookError(f"{dimension.title}: shortcut {label.shortcut!r} must be "
                                    "one key")
    texts = [p.text.strip() for p in codebook.propositions]
    if any(not text for text in texts):
        raise CodebookError("a proposition needs some text")
    if len(set(texts)) != len(texts):
        raise CodebookError("a proposition is listed twice")
    ids = [p.id for p in codebook.propositions]
    if len(set(ids)) != len(ids):
        raise CodebookError("two propositions share one id")


# Presets -----------------------------------------------------------------------------

def _labels(dimension: Dimension, rows: list[tuple[str, str, str]],
            colours: tuple[str, ...] = OKABE_ITO, shortcuts: str = "123456789") -> list[Label]:
    return [Label(dimension, key, name, description, colours[i % len(colours)],
                  shortcuts[i] if i < len(shortcuts) else "")
            for i, (key, name, description) in enumerate(rows)]


STANCE_PRESETS: dict[str, list[tuple[str, str, str]]] = {
    "default": [(s.value, s.label, STANCE_DESCRIPTIONS[s]) for s in STANCE_DESCRIPTIONS],
    "fnc1": [
        ("agree", "Agree", "The text agrees with the proposition (FNC-1)."),
        ("disagree", "Disagree", "The text disagrees with the proposition (FNC-1)."),
        ("discuss", "Discuss", "The text discusses the proposition without taking a "
                               "position (FNC-1)."),
        ("unrelated", "Unrelated", "The text is about something else (FNC-1)."),
    ],
    "semeval2016": [
        ("favor", "Favor", "The author is in favour of the target (SemEval-2016 Task 6)."),
        ("against", "Against", "The author is against the target (SemEval-2016 Task 6)."),
        ("none", "None", "Neither in favour nor against, or no stance (SemEval-2016 Task 6)."),
    ],
}
STANCE_PRESET_TITLES = {"default": "Supports / refutes / neutral / unclear",
                        "fnc1": "FNC-1: agree / disagree / discuss / unrelated",
                        "semeval2016": "SemEval-2016: favor / against / none"}

#: How the stance presets map onto each other (key to key). A key with no
#: mapping is kept, retired, with its claims: switching presets loses nothing.
STANCE_MAPPINGS: dict[tuple[str, str], dict[str, str]] = {
    ("default", "fnc1"): {"supports": "agree", "refutes": "disagree", "neutral": "discuss"},
    ("default", "semeval2016"): {"supports": "favor", "refutes": "against", "neutral": "none"},
    ("fnc1", "default"): {"agree": "supports", "disagree": "refutes", "discuss": "neutral"},
    ("fnc1", "semeval2016"): {"agree": "favor", "disagree": "against", "discuss": "none"},
    ("semeval2016", "default"): {"favor": "supports", "against": "refutes", "none": "neutral"},
    ("semeval2016", "fnc1"): {"favor": "agree", "against": "disagree", "none": "discuss"},
}

CLAIM_TYPES = [   # after Full Fact's claim-type schema
    ("quantity", "Quantity", "A claim about a quantity: numbers, amounts, rankings, "
                             "comparisons in size."),
    ("correlation_causation", "Correlation or causation",
     "A claim that one thing is linked to, or causes, another."),
    ("laws_rules", "Current laws or rules", "A claim about what the law, a rule or a policy is."),
    ("prediction", "Prediction", "A claim about what will happen in the future."),
    ("personal_experience", "Personal experience",
     "A claim about the speaker's own experience; usually not checkable."),
    ("other", "Other", "A checkable claim of another kind."),
    ("not_a_claim", "Not a claim", "Not a checkable claim: opinion, question, rhetoric."),
]
CLAIM_TYPE_SHORTCUTS = "1234567"
#: Okabe–Ito without black (a black fill would hide the text), grey for "not a claim".
CLAIM_TYPE_COLOURS = ("#56B4E9", "#E69F00", "#009E73", "#CC79A7", "#0072B2", "#D55E00",
                      "#9E9E9E")

LIKELIHOOD = [   # ICD 203, Analytic Standards, estimative language
    ("almost_no_chance", "Almost no chance", "Remote: 1–5 %."),
    ("very_unlikely", "Very unlikely", "Highly improbable: 5–20 %."),
    ("unlikely", "Unlikely", "Improbable: 20–45 %."),
    ("roughly_even", "Roughly even chance", "Roughly even odds: 45–55 %."),
    ("likely", "Likely", "Probable: 55–80 %."),
    ("very_likely", "Very likely", "Highly probable: 80–95 %."),
    ("almost_certain", "Almost certain", "Nearly certain: 95–99 %."),
]
CONFIDENCE = [
    ("low", "Low", "Low confidence: questionable or fragmentary information."),
    ("moderate", "Moderate", "Moderate confidence: credibly sourced and plausible, "
                             "not of high enough quality or corroborated enough."),
    ("high", "High", "High confidence: high-quality information from multiple sources."),
]


def _grades(dimension: Dimension, grades: dict, unjudgeable: str) -> list[Label]:
    labels = []
    ramp = iter(GRADE_RAMP)
    for key, meaning in grades.items():
        key = str(key)
        name, _, description = meaning.partition(": ")
        judgeable = key != unjudgeable
        labels.append(Label(dimension, key, name, description,
                            next(ramp) if judgeable else UNJUDGEABLE_COLOUR,
                            "", judgeable=judgeable))
    return labels


def admiralty_labels() -> list[Label]:
    return [*_grades(Dimension.SOURCE_RELIABILITY, SOURCE_RELIABILITY, "F"),
            *_grades(Dimension.INFO_CREDIBILITY, INFO_CREDIBILITY, "6")]


def icd203_labels() -> list[Label]:
    return [*_labels(Dimension.LIKELIHOOD, LIKELIHOOD, GRADE_RAMP, ""),
            *_labels(Dimension.CONFIDENCE, CONFIDENCE, GRADE_RAMP[1::2], "")]


def default_codebook() -> Codebook:
    return Codebook(version=1, labels=(
        *_labels(Dimension.STANCE, STANCE_PRESETS["default"]),
        *admiralty_labels(),
        *_labels(Dimension.CLAIM_TYPE, CLAIM_TYPES, CLAIM_TYPE_COLOURS, CLAIM_TYPE_SHORTCUTS),
    ))


def stance_preset(name: str) -> list[Label]:
    return _labels(Dimension.STANCE, STANCE_PRESETS[name])


def detect_stance_preset(codebook: Codebook) -> str | None:
    keys = [label.key for label in codebook.of(Dimension.STANCE, include_retired=False)]
    for name, rows in STANCE_PRESETS.items():
        if keys == [key for key, _, _ in rows]:
            return name
    return None


# Files ---------------------------------------------------------------------------------

def to_dict(codebook: Codebook) -> dict[str, Any]:
    return {
        "format": CODEBOOK_FORMAT,
        "format_version": CODEBOOK_FORMAT_VERSION,
        "version": codebook.version,
        "dimensions": {
            dimension.value: {
                "title": dimension.title,
                "ordered": dimension.graded,
                "labels": [{
                    "key": label.key, "name": label.name, "description": label.description,
                    "colour": label.colour, "shortcut": label.shortcut,
                    "retired": label.retired, "judgeable": label.judgeable,
                } for label in codebook.of(dimension)],
            } for dimension in codebook.dimensions()
        },
        "propositions": [{"id": p.id, "text": p.text, "description": p.description,
                          "retired": p.retired} for p in codebook.propositions],
        "tags": list(codebook.tags),
        "completeness": requirements_to_dict(codebook.requirements),
        **({"history": renames_to_list(codebook.renames)} if codebook.renames else {}),
    }


def renames_to_list(renames: tuple[Rename, ...]) -> list[dict[str, str]]:
    return [{"dimension": r.dimension, "from": r.old, "to": r.new} for r in renames]


def renames_from_list(data: Any) -> tuple[Rename, ...]:
    """Read a stored or exchanged codebook history (absent: none)."""
    if data is None:
        return ()
    if not isinstance(data, list):
        raise CodebookError("malformed codebook history")
    renames = []
    for item in data:
        if not isinstance(item, dict) or not all(
                isinstance(item.get(name), str) for name in ("dimension", "from", "to")):
            raise CodebookError("malformed codebook history entry")
        renames.append(Rename(item["dimension"], item["from"], item["to"]))
    return tuple(renames)


def requirements_to_dict(requirements: Requirements) -> dict[str, Any]:
    return {"required": list(requirements.required),
            "exempt_claim_types": list(requirements.exempt_types)}


def requirements_from_dict(data: Any) -> Requirements:
    """Read a stored or exchanged completeness rule (absent: the default rule)."""
    if data is None:
        return Requirements()
    if not isinstance(data, dict):
        raise CodebookError("malformed completeness rule")
    try:
        return Requirements(tuple(str(f) for f in data.get("required", [])),
                            tuple(str(t) for t in data.get("exempt_claim_types", [])))
    except TypeError as error:
        raise CodebookError(f"malformed completeness rule ({error})") from None


def from_dict(data: Any) -> Codebook:
    """Read a codebook file's contents; raise :class:`CodebookError` saying what is wrong."""
    if not isinstance(data, dict) or data.get("format") != CODEBOOK_FORMAT:
        raise CodebookError("not an Annotator codebook (no \"format\": \"annotator-codebook\")")
    if data.get("format_version", 1) > CODEBOOK_FORMAT_VERSION:
        raise CodebookError("written by a newer version of Annotator")
    labels = []
    try:
        for dimension_key, body in (data.get("dimensions") or {}).items():
            try:
                dimension = Dimension(dimension_key)
            except ValueError:
                raise CodebookError(f"unknown dimension {dimension_key!r}") from None
            for item in body.get("labels", []):
                labels.append(Label(
                    dimension, str(item["key"]), str(item.get("name") or item["key"]),
                    str(item.get("description", "")), str(item.get("colour", "#999999")),
                    str(item.get("shortcut", "")), bool(item.get("retired", False)),
                    bool(item.get("judgeable", True))))
        propositions = tuple(
            Proposition(str(p["id"]), str(p["text"]), str(p.get("description", "")),
                        bool(p.get("retired", False)))
            for p in data.get("propositions", []))
        tags = tuple(str(t) for t in data.get("tags", []))
        version = int(data.get("version", 1))
    except (KeyError, TypeError, AttributeError) as error:
        raise CodebookError(f"malformed codebook ({error})") from None
    codebook = Codebook(version=version, labels=tuple(labels), propositions=propositions,
                        tags=tags, requirements=requirements_from_dict(data.get("completeness")),
                        renames=renames_from_list(data.get("history")))
    validate(codebook)
    return codebook


def with_labels(codebook: Codebook, dimension: Dimension, labels: list[Label]) -> Codebook:
    others = [label for label in codebook.labels if label.dimension != dimension]
    return replace(codebook, labels=(*others, *labels))


