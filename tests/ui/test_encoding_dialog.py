"""The encoding check before an import: every reading the detector considered is
listed, the detected one first and marked, with a preview of each (real widgets,
real files)."""

from __future__ import annotations

from pathlib import Path

from annotator.formats.text import encoding_candidates_for
from annotator.ui.import_flow import EncodingDialog, files_to_review

MEMO = "Budget note: the board approved €5.3 million for the new plant — “final”.\n"
CZECH = ("Šéf společnosti odmítl obvinění a řekl, že účetnictví je v naprostém pořádku. "
         "Soud žalobu zamítl, protože úředníci postupovali v souladu se zákonem.\n")


def items(dialog: EncodingDialog) -> list[tuple[str, str]]:
    combo = dialog.encoding
    return [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())]


def test_every_candidate_is_listed_with_the_detected_one_marked(qtbot, tmp_path: Path):
    memo = tmp_path / "memo.txt"
    memo.write_bytes(MEMO.encode("cp1252"))
    plain = tmp_path / "plain.txt"
    plain.write_text(MEMO, encoding="utf-8")
    review = files_to_review([memo, plain])
    assert list(review) == [memo]                  # UTF-8 is not guessed: nothing to check
    dialog = EncodingDialog(review)
    qtbot.addWidget(dialog)
    listed = items(dialog)
    considered = encoding_candidates_for(memo)
    assert [encoding for _text, encoding in listed] == [c.encoding for c in considered]
    assert len(listed) > 10                        # not cut to a handful
    text, encoding = listed[0]
    assert encoding == "cp1252"
    assert text == "Windows-1252 (Western European) — detected"
    assert sum("detected" in text for text, _ in listed) == 1
    assert dialog.encoding.currentData() == "cp1252"
    assert dialog.preview.toPlainText() == MEMO
    by_encoding = {encoding: text for text, encoding in listed}
    assert by_encoding["cp1250"] == "Windows-1250 (Central European) — reads the same"
    assert by_encoding["cp1251"] == "Windows-1251 (Cyrillic)"
    assert "bad bytes" in by_encoding["utf-8"]
    dialog.encoding.setCurrentIndex(dialog.encoding.findData("cp1251"))
    assert "Ђ5.3 million" in dialog.preview.toPlainText()
    assert dialog.chosen() == {memo: "cp1251"}


def test_each_file_shows_its_own_candidates(qtbot, tmp_path: Path):
    memo = tmp_path / "memo.txt"
    memo.write_bytes(MEMO.encode("cp1252"))
    czech = tmp_path / "czech.txt"
    czech.write_bytes(CZECH.encode("iso8859-2"))
    dialog = EncodingDialog(files_to_review([memo, czech]))
    qtbot.addWidget(dialog)
    dialog.list.setCurrentRow(1)
    assert dialog.encoding.currentData() == "iso8859-2"
    assert dialog.encoding.currentText() == "ISO-8859-2 (Central European) — detected"
    assert dialog.preview.toPlainText() == CZECH
    listed = dict((encoding, text) for text, encoding in items(dialog))
    assert listed["cp1250"] == "Windows-1250 (Central European)"     # reads differently
    assert "cp1252" in listed
    dialog.encoding.setCurrentIndex(dialog.encoding.findData("cp1250"))
    assert "ľalobu" in dialog.preview.toPlainText()         # the 8859-2 ž read as 1250
    dialog.list.setCurrentRow(0)
    assert dialog.encoding.currentData() == "cp1252"
    assert dialog.chosen() == {memo: "cp1252", czech: "cp1250"}


def test_the_details_say_the_encoding_was_guessed(qtbot, window, tmp_path: Path):
    memo = tmp_path / "memo.txt"
    memo.write_bytes(MEMO.encode("cp1252"))
    with qtbot.waitSignal(window.import_finished, timeout=30_000) as finished:
        assert window.import_documents([str(memo)], review_encodings=False)
    (result,) = finished.args[0].results
    assert (result.encoding, result.encoding_guessed) == ("cp1252", True)
    window.show_document(result.document_id)
    assert window.current_document.text == MEMO
    assert window.details.info_labels["encoding"].text() == "cp1252 (guessed)"
