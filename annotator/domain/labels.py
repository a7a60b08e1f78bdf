"""Label vocabularies: stance and the Admiralty (NATO) reliability code.

The Admiralty code grades a report on two independent axes: the reliability
of its source (A-F) and the credibility of the information itself (1-6).
F and 6 mean "cannot be judged"; they are not points on the scale.
"""

from __future__ import annotations

import enum


class Stance(enum.StrEnum):
    """A claim's stance toward a proposition. Values are the export keys."""

    SUPPORTS = "supports"
    REFUTES = "refutes"
    NEUTRAL = "neutral"
    UNCLEAR = "unclear"

    @property
    def label(self) -> str:
        return self.value.capitalize()


STANCE_DESCRIPTIONS: dict[Stance, str] = {
    Stance.SUPPORTS: "The claim argues for, or gives evidence for, the proposition.",
    Stance.REFUTES: "The claim argues against, or gives evidence against, the proposition.",
    Stance.NEUTRAL: "The claim bears on the proposition without taking a side.",
    Stance.UNCLEAR: "The claim's relation to the proposition cannot be decided.",
}

SOURCE_RELIABILITY: dict[str, str] = {
    "A": "Completely reliable: no doubt of authenticity, trustworthiness or competency; "
    "a history of complete reliability.",
    "B": "Usually reliable: minor doubt about authenticity, trustworthiness or competency; "
    "a history of valid information most of the time.",
    "C": "Fairly reliable: doubt of authenticity, trustworthiness or competency, "
    "but has provided valid information in the past.",
    "D": "Not usually reliable: significant doubt about authenticity, trustworthiness "
    "or competency, but has provided valid information in the past.",
    "E": "Unreliable: lacking in authenticity, trustworthiness and competency; "
    "a history of invalid information.",
    "F": "Reliability cannot be judged: no basis exists for evaluating the source's reliability.",
}

INFO_CREDIBILITY: dict[int, str] = {
    1: "Confirmed by other sources: confirmed by other independent sources; "
    "logical in itself; consistent with other information on the subject.",
    2: "Probably true: not confirmed; logical in itself; "
    "consistent with other information on the subject.",
    3: "Possibly true: not confirmed; reasonably logical in itself; "
    "agrees with some other information on the subject.",
    4: "Doubtful: not confirmed; possible but not logical; "
    "no other information on the subject.",
    5: "Improbable: not confirmed; not logical in itself; "
    "contradicted by other information on the subject.",
    6: "Truth cannot be judged: no basis exists for evaluating the validity of the information.",
}


def parse_stance(value: object) -> Stance | None:
    if value is None or value == "":
        return None
    try:
        return Stance(str(value))
    except ValueError:
        raise ValueError(
            f"stance must be one of {', '.join(s.value for s in Stance)} or null, not {value!r}"
        ) from None


def parse_source_reliability(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and value in SOURCE_RELIABILITY:
        return value
    raise ValueError(f"source_reliability must be a letter A-F or null, not {value!r}")


def parse_info_credibility(value: object) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"info_credibility must be an integer 1-6 or null, not {value!r}")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and value in INFO_CREDIBILITY:
        return value
    raise ValueError(f"info_credibility must be an integer 1-6 or null, not {value!r}")
