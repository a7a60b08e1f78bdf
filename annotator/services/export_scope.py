"""Which claims (and documents) an export holds: :class:`ExportScope`, and the
errors an export reports to the user. :mod:`annotator.services.exports` checks
a scope against the project and reads it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from annotator.domain.codebook import Dimension


class ExportError(Exception):
    """An export that cannot be done as asked; the message says why, for the user."""


class ScopeError(ExportError):
    """A scope naming documents, annotators or labels the project does not have,
    or asking for what this version cannot do yet."""


class ExportCancelled(ExportError):
    """The export was cancelled; nothing was written in place of the target."""


#: Scope filters per dimension: which codebook dimensions ``labels`` may restrict.
LABEL_DIMENSIONS = tuple(Dimension)


@dataclass(frozen=True, slots=True)
class ExportScope:
    """Which claims (and documents) an export holds. Empty tuples mean "all".

    ``documents``: document ids (or SHA-256 of their texts).
    ``annotators``: annotator names, exactly as recorded on the claims.
    ``done_only``: only documents whose status is done.
    ``labels``: per dimension (``stance``, ``claim_type``, …), the keys a claim
    must have in it to be exported; a claim with no key in a restricted
    dimension is left out.
    ``gold_only``: the gold layer (adjudicated claims, each with its
    ``provenance``) instead of the analysts' claims; ``annotators`` then
    names adjudicators.
    """

    documents: tuple[str, ...] = ()
    annotators: tuple[str, ...] = ()
    done_only: bool = False
    labels: tuple[tuple[Dimension, tuple[str, ...]], ...] = ()
    gold_only: bool = False

    @classmethod
    def of(cls, *, documents: Iterable[str] = (), annotators: Iterable[str] = (),
           done_only: bool = False,
           labels: Mapping[str | Dimension, Iterable[str | int]] | None = None,
           gold_only: bool = False) -> ExportScope:
        """A scope from plain values (``labels={"stance": ["supports", "refutes"]}``)."""
        restricted: dict[Dimension, tuple[str, ...]] = {}
        for name, keys in (labels or {}).items():
            try:
                dimension = Dimension(str(name))
            except ValueError:
                raise ScopeError(f"unknown label dimension {str(name)!r}; choose one of "
                                 f"{', '.join(d.value for d in Dimension)}") from None
            values = tuple(dict.fromkeys(str(key).strip() for key in keys if str(key).strip()))
            if not values:
                raise ScopeError(f"no {dimension.value} labels given to keep")
            restricted[dimension] = values
        return cls(documents=tuple(dict.fromkeys(documents)),
                   annotators=tuple(dict.fromkeys(annotators)), done_only=done_only,
                   labels=tuple(sorted(restricted.items())), gold_only=gold_only)

    @property
    def everything(self) -> bool:
        return not (self.documents or self.annotators or self.done_only or self.labels
                    or self.gold_only)

    def describe(self) -> list[str]:
        """The scope in words, one restriction a line (empty: everything)."""
        lines = []
        if self.documents:
            lines.append(f"documents: {', '.join(self.documents)}")
        if self.done_only:
            lines.append("only documents marked done")
        if self.annotators:
            lines.append(f"annotators: {', '.join(self.annotators)}")
        for dimension, keys in self.labels:
            lines.append(f"{dimension.title.lower()} ({dimension.value}) in: {', '.join(keys)}")
        if self.gold_only:
            lines.append("only adjudicated (gold) claims")
        return lines
