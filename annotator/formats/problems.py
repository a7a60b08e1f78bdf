from __future__ import annotations

from pathlib import Path

#: Longest reason a problem keeps (characters): a reason may quote a field, and
#: a 5 MB field must not make a 5 MB message.
MAX_REASON_CHARS = 200


def shorten(text: str, limit: int = MAX_REASON_CHARS) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    text = " ".join(text.split()) if len(text) <= 4 * limit else " ".join(
        text[:4 * limit].split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


class ImportProblem(Exception):
    """A file (or a record in it) that cannot be imported, and why, in the user's words.
    The reason is one line of at most :data:`MAX_REASON_CHARS` characters."""

    def __init__(self, path: str | Path, reason: str, line: int | None = None) -> None:
        self.path = str(path)
        self.reason = shorten(reason)
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {self.reason}")
