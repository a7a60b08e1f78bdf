"""Reading and changing a project's codebook.

Every change is one transaction that writes a new codebook version (with a full
snapshot) and migrates the claims' data: a renamed key relabels its claims; a
label or proposition still used by claims cannot be deleted (retire it instead).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from annotator.domain.codebook import (
    PROPOSITION,
    Codebook,
    CodebookError,
    Dimension,
    Label,
    Proposition,
    Rename,
    Requirements,
    label_value,
    renames_from_list,
    renames_to_list,
    requirements_from_dict,
    requirements_to_dict,
    to_dict,
    validate,
)
from annotator.storage.database import Database
from annotator.storage.models import (
    ClaimRow,
    CodebookVersionRow,
    GoldClaimRow,
    LabelRow,
    ProjectSettingRow,
    PropositionRow,
)

#: The rows that carry labels: analysts' claims and the gold layer.
_LABELLED = (ClaimRow, GoldClaimRow)

_TAGS = "codebook_tags"
_REQUIREMENTS = "codebook_requirements"
#: Renamed keys and reworded propositions, oldest first: exchanged work made
#: before a change is mapped through it (see :meth:`Codebook.current`).
_HISTORY = "codebook_history"



def load_requirements(session: Session) -> Requirements:
    """The project's completeness rule (the default rule until one is saved)."""
    row = session.get(ProjectSettingRow, _REQUIREMENTS)
    try:
        return requirements_from_dict(row.value if row is not None else None)
    except CodebookError:
        return Requirements()


def _set_setting(session: Session, key: str, value: dict) -> None:
    row = session.get(ProjectSettingRow, key)
    if row is None:
        session.add(ProjectSettingRow(key=key, value=value))
    else:
        row.value = value


def _history(old: Codebook, new: Codebook,
             renames: Mapping[Dimension, Mapping[str, str]],
             proposition_renames: Mapping[str, str]) -> tuple[Rename, ...]:
    """The history after a change: what ``old`` had, what ``new`` brings (a
    codebook adopted from a colleague), then this change's renames."""
    history = list(old.renames)
    for rename in new.renames:
        if rename not in history:
            history.append(rename)
    for dimension, mapping in renames.items():
        history += [Rename(dimension.value, source, target)
                    for source, target in mapping.items() if source != target]
    history += [Rename(PROPOSITION, source, target)
                for source, target in proposition_renames.items() if source != target]
    return tuple(history)


class CodebookService:
    def __init__(self, database: Database) -> None:
        self.database = database

    def codebook(self) -> Codebook:
        with self.database.reading() as session:
            return self.load(session)

    @staticmethod
    def load(session: Session) -> Codebook:
        """The codebook as stored, read in ``session``."""
        order = {d.value: i for i, d in enumerate(Dimension)}
        rows = sorted(session.scalars(select(LabelRow)),
                      key=lambda r: (order.get(r.dimension, 99), r.position))
        labels = tuple(Label(Dimension(r.dimension), r.key, r.name, r.description, r.colour,
                             r.shortcut, r.retired, r.judgeable) for r in rows)
        propositions = tuple(
            Proposition(r.id, r.text, r.description, r.retired)
            for r in session.scalars(select(PropositionRow).order_by(PropositionRow.position)))
        tags_row = session.get(ProjectSettingRow, _TAGS)
        tags = tuple(tags_row.value.get("tags", [])) if tags_row else ()
        version = session.scalar(select(func.max(CodebookVersionRow.version))) or 1
        history_row = session.get(ProjectSettingRow, _HISTORY)
        try:
            renames = renames_from_list(history_row.value.get("renames")
                                        if history_row is not None else None)
        except (CodebookError, AttributeError):
            renames = ()
        return Codebook(version=version, labels=labels, propositions=propositions, tags=tags,
                        requirements=load_requirements(session), renames=renames)

    def usage(self, dimension: Dimension, key: str) -> int:
        """How many claims (analysts' and gold) carry ``key`` in ``dimension``."""
        with self.database.reading() as session:
            return self._count(session, dimension, key)

    def proposition_usage(self, text: str) -> int:
        with self.database.reading() as session:
            return _proposition_count(session, text)

    def versions(self) -> list[tuple[int, datetime, str]]:
        with self.database.reading() as session:
            return [(r.version, r.created_at, r.change) for r in session.scalars(
                select(CodebookVersionRow).order_by(CodebookVersionRow.version))]

    def apply(self, new: Codebook, change: str, *,
              renames: Mapping[Dimension, Mapping[str, str]] | None = None,
              proposition_renames: Mapping[str, str] | None = None,
              amend: int | None = None) -> Codebook:
        """Replace the codebook by ``new`` as one new version; or, when ``amend``
        is the stored (latest) version, as that version again, its change list
        extended (one version for the changes of one codebook-dialog session).

        ``renames`` maps, per dimension, old label keys to new ones: claims are
        relabelled. A label or proposition that disappears while claims still
        use it is refused with :class:`CodebookError` giving the count.
        """
        validate(new)
        renames = renames or {}
        proposition_renames = proposition_renames or {}
        for dimension, mapping in renames.items():
            chained = {old for old, new_key in mapping.items() if old != new_key} & set(
                new_key for old, new_key in mapping.items() if old != new_key)
            if chained:
                # Updates run one after another: a swap (a→b, b→a) would merge claims.
                raise CodebookError(f"{dimension.title}: rename {sorted(chained)[0]!r} in a "
                                    "separate step (a key cannot be renamed and reused at once)")
        if set(proposition_renames) & set(proposition_renames.values()):
            raise CodebookError("reword one proposition at a time (a chain of rewordings "
                                "would merge claims)")
        with self.database.writing() as session:
            old = self.load(session)
            for dimension in Dimension:
                mapping = renames.get(dimension, {})
                old_keys = {label.key for label in old.of(dimension)}
                new_keys = {label.key for label in new.of(dimension)}
                if dimension.fixed_keys and old_keys and new_keys != old_keys:
                    raise CodebookError(f"{dimension.title}: the Admiralty grades keep their "
                                        "keys; rename, describe or recolour them instead")
                for key in old_keys - new_keys:
                    target = mapping.get(key)
                    if target is not None and target in new_keys:
                        continue
                    used = self._count(session, dimension, key)
                    if used:
                        raise CodebookError(
                            f"{dimension.title}: “{key}” is used by {used} claim"
                            f"{'s' if used != 1 else ''}; retire it instead of deleting it")
                for source_key, target in mapping.items():
                    if source_key != target and target in new_keys:
                        for table in _LABELLED:          # the gold layer is relabelled too
                            column = getattr(table, dimension.value)
                            session.execute(update(table)
                                            .where(column == label_value(dimension, source_key))
                                            .values({dimension.value:
                                                     label_value(dimension, target),
                                                     "version": table.version + 1}))
            old_texts = {p.text for p in old.propositions}
            new_texts = {p.text for p in new.propositions}
            for text in old_texts - new_texts:
                target = proposition_renames.get(text)
                if target is not None:
                    for table in _LABELLED:
                        session.execute(update(table).where(table.proposition == text)
                                        .values(proposition=target, version=table.version + 1))
                    continue
                used = _proposition_count(session, text)
                if used:
                    raise CodebookError(f"the proposition “{text}” is used by {used} claim"
                                        f"{'s' if used != 1 else ''}; retire it instead")
            if amend is not None and amend == old.version:
                version = old.version
                row = session.get(CodebookVersionRow, version)
                if row is not None:
                    change = f"{row.change}; {change}" if row.change else change
                    session.delete(row)
                    session.flush()
            else:
                version = old.version + 1
            new = replace(new, renames=_history(old, new, renames, proposition_renames))
            self._write(session, new, version, change)
        return replace(new, version=version)

    @staticmethod
    def _count(session: Session, dimension: Dimension, key: str) -> int:
        """Analysts' and gold claims labelled ``key``."""
        return sum(session.scalar(select(func.count()).select_from(table).where(
            getattr(table, dimension.value) == label_value(dimension, key))) or 0
            for table in _LABELLED)

    @staticmethod
    def _write(session: Session, codebook: Codebook, version: int, change: str) -> None:
        session.execute(delete(LabelRow))
        session.execute(delete(PropositionRow))
        session.flush()
        positions: dict[Dimension, int] = {}
        for label in codebook.labels:
            position = positions.get(label.dimension, 0)
            positions[label.dimension] = position + 1
            session.add(LabelRow(dimension=label.dimension.value, key=label.key,
                                 name=label.name, description=label.description,
                                 colour=label.colour, shortcut=label.shortcut,
                                 position=position, retired=label.retired,
                                 judgeable=label.judgeable))
        for position, proposition in enumerate(codebook.propositions):
            session.add(PropositionRow(id=proposition.id, text=proposition.text,
                                       description=proposition.description,
                                       retired=proposition.retired, position=position))
        _set_setting(session, _TAGS, {"tags": list(codebook.tags)})
        _set_setting(session, _REQUIREMENTS, requirements_to_dict(codebook.requirements))
        _set_setting(session, _HISTORY, {"renames": renames_to_list(codebook.renames)})
        snapshot = to_dict(replace(codebook, version=version))
        session.add(CodebookVersionRow(version=version, created_at=datetime.now(UTC),
                                       change=change, snapshot=snapshot))

    def add_proposition(self, text: str) -> Codebook:
        """Add a proposition typed while labelling (no-op if it is there already)."""
        text = " ".join(text.split())
        current = self.codebook()
        if not text or any(p.text == text for p in current.propositions):
            return current
        return self.apply(replace(current, propositions=(
            *current.propositions, Proposition(str(uuid.uuid4()), text))),
            f"Add proposition “{text}”")


def _proposition_count(session: Session, text: str) -> int:
    """Analysts' and gold claims about the proposition ``text``."""
    return sum(session.scalar(select(func.count()).select_from(table).where(
        table.proposition == text)) or 0 for table in _LABELLED)
