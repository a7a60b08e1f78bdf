"""Who the analyst is, and whose claims the labelling view shows.

An analyst's own work is the claims recorded under their name, and claims with
no name at all (made before names were recorded: anyone may edit them). A
colleague's claims are shown only when the analyst chooses to see them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: The longest analyst name a project stores (the claims' ``annotator`` column).
MAX_NAME = 200


def check_analyst_name(name: str) -> str:
    """``name`` tidied (outer spaces dropped), or ValueError with the reason."""
    name = name.strip()
    if not name:
        raise ValueError("the name is empty")
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise ValueError("the name must be one line, without control characters")
    if len(name) > MAX_NAME:
        raise ValueError(f"the name is longer than {MAX_NAME} characters")
    return name


@dataclass(frozen=True, slots=True)
class ShownAnalysts:
    """Whose claims are shown and counted: ``analyst``'s own, plus ``colleagues``
    (``None``: every analyst's)."""

    analyst: str
    colleagues: frozenset[str] | None = frozenset()

    @classmethod
    def everyone(cls, analyst: str) -> ShownAnalysts:
        return cls(analyst, None)

    @classmethod
    def with_colleagues(cls, analyst: str, colleagues: Iterable[str]) -> ShownAnalysts:
        return cls(analyst, frozenset(colleagues) - {analyst, ""})

    @property
    def all_analysts(self) -> bool:
        return self.colleagues is None

    @property
    def own_only(self) -> bool:
        return self.colleagues is not None and not self.colleagues

    def annotators(self) -> frozenset[str] | None:
        """The ``annotator`` values shown (None: all of them)."""
        if self.colleagues is None:
            return None
        return frozenset({self.analyst, "", *self.colleagues})

    def shows(self, annotator: str) -> bool:
        return self.colleagues is None or annotator in (self.analyst, "") \
            or annotator in self.colleagues

    def describe(self) -> str:
        """"My claims", "All analysts" or "My claims + bob, carol"."""
        if self.colleagues is None:
            return "All analysts"
        if not self.colleagues:
            return "My claims"
        return "My claims + " + ", ".join(sorted(self.colleagues))

    # As a preference ------------------------------------------------------------------

    def to_setting(self) -> list[str]:
        """``["mine"]``, ``["all"]`` or ``["mine", colleague, ...]``."""
        if self.colleagues is None:
            return ["all"]
        return ["mine", *sorted(self.colleagues)]

    @classmethod
    def from_setting(cls, analyst: str, value: object) -> ShownAnalysts:
        """The choice stored by :meth:`to_setting` (own work when there is none or
        it cannot be read)."""
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple) or not value:
            return cls(analyst)
        names = [str(v) for v in value]
        if names[0] == "all":
            return cls.everyone(analyst)
        if names[0] != "mine":
            return cls(analyst)
        return cls.with_colleagues(analyst, names[1:])
