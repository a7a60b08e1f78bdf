"""``annotator import`` says which encoding it guessed for a legacy text file,
and ``--encoding`` overrides the guess (driven as a user would, in a subprocess)."""

from __future__ import annotations

from pathlib import Path

from annotator.services.project import ProjectService
from tests.cli.test_cli import annotator

MEMO = "Budget note: the board approved €5.3 million for the new plant — “final”.\n"
RUSSIAN = ("Правительство в среду одобрило законопроект о поддержке малого бизнеса. "
           "Экономисты предупреждают, что цены на продукты могут вырасти ещё сильнее.\n")


def stored(project: Path) -> dict[str, tuple[str, dict]]:
    """File name → (text, metadata) of every document in the project."""
    service = ProjectService.open(project)
    try:
        documents = [service.document(info.id) for info in service.documents()]
        return {document.metadata["original_filename"]: (document.text, document.metadata)
                for document in documents}
    finally:
        service.close()


def test_a_guessed_encoding_is_printed_for_each_legacy_file(tmp_path):
    (tmp_path / "memo.txt").write_bytes(MEMO.encode("cp1252"))
    (tmp_path / "russian.txt").write_bytes(RUSSIAN.encode("iso8859-5"))
    (tmp_path / "plain.txt").write_text("A plain UTF-8 note — “quoted”.\n", encoding="utf-8")
    result = annotator("import", "--project", "p.annotator.sqlite", "memo.txt", "russian.txt",
                       "plain.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "memo.txt: decoded as Windows-1252 (guessed; use --encoding to override)" in lines
    assert "russian.txt: decoded as ISO-8859-5 (guessed; use --encoding to override)" in lines
    assert not any(line.startswith("plain.txt: decoded") for line in lines)
    documents = stored(tmp_path / "p.annotator.sqlite")
    assert documents["memo.txt"][0] == MEMO
    assert documents["memo.txt"][1]["encoding"] == "cp1252"
    assert documents["memo.txt"][1]["encoding_guessed"] is True
    assert documents["russian.txt"][0] == RUSSIAN
    assert "encoding_guessed" not in documents["plain.txt"][1]


def test_encoding_overrides_the_guess(tmp_path):
    (tmp_path / "memo.txt").write_bytes(RUSSIAN.encode("cp1251"))
    result = annotator("import", "--project", "p.annotator.sqlite", "--encoding", "cp1253",
                       "memo.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "memo.txt: decoded as Windows-1253 (as --encoding asked)" in result.stdout.splitlines()
    text, metadata = stored(tmp_path / "p.annotator.sqlite")["memo.txt"]
    assert text == RUSSIAN.encode("cp1251").decode("cp1253")     # what was asked, not guessed
    assert metadata["encoding"] == "cp1253"
    assert "encoding_guessed" not in metadata


def test_encoding_that_does_not_fit_fails_that_file_by_name(tmp_path):
    (tmp_path / "memo.txt").write_bytes(MEMO.encode("cp1252"))
    (tmp_path / "plain.txt").write_text("ASCII only.\n", encoding="utf-8")
    result = annotator("import", "--project", "p.annotator.sqlite", "--encoding", "utf-8",
                       "memo.txt", "plain.txt", cwd=tmp_path)
    assert result.returncode == 1
    offset = MEMO.encode("cp1252").index(b"\x80")
    assert f"memo.txt: is not valid UTF-8: byte 0x80 at offset {offset}" in result.stderr
    assert "1 imported" in result.stdout


def test_unknown_or_non_text_encoding_is_a_one_line_error(tmp_path):
    (tmp_path / "memo.txt").write_bytes(MEMO.encode("cp1252"))
    for name in ("no-such-codec", "rot13"):
        result = annotator("import", "--project", "p.annotator.sqlite", "--encoding", name,
                           "memo.txt", cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr.strip() == f"annotator: error: unknown text encoding {name!r}"
    assert not (tmp_path / "p.annotator.sqlite").exists()
