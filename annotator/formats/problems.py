from __future__ import annotations

from pathlib import Path

from annotator.domain.wording import MAX_REASON_CHARS, shorten

__all__ = ["MAX_REASON_CHARS", "ImportProblem", "shorten"]


class ImportProblem(Exception):
    """A file (or a record in it) that cannot be imported, and why, in the user's words.
    The reason is one line of at most :data:`MAX_REASON_CHARS` characters."""

    def __init__(self, path: str | Path, reason: str, line: int | None = None) -> None:
        self.path = str(path)
        self.reason = shorten(reason)
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {self.reason}")
