from __future__ import annotations

from pathlib import Path


class ImportProblem(Exception):
    """A file (or a record in it) that cannot be imported, and why, in the user's words."""

    def __init__(self, path: str | Path, reason: str, line: int | None = None) -> None:
        self.path = str(path)
        self.reason = reason
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {reason}")
