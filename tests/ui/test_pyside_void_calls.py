"""Regression test for PySide6 6.12.0 on Python 3.11, which aborts with
``none_dealloc``: every call of a method returning void dropped a reference to
None. pyproject.toml excludes that version; this test makes tens of thousands
of void calls in a child process, comparing the reference count of None
before and after (a drop is the bug), so a leak shows as a failure and an
abort as a failed child process, not a crash of the test run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import PySide6
import pytest

VOID_CALLS = 60_000
#: Rounds of five void calls measured first: 2,000 calls, fewer than None's references.
MEASURED_ROUNDS = 400


def test_installed_pyside_is_not_the_broken_release() -> None:
    if sys.version_info < (3, 12):
        assert PySide6.__version__ != "6.12.0"


@pytest.mark.parametrize("calls", [VOID_CALLS])
def test_many_void_calls_keep_the_reference_count_of_none(calls: int) -> None:
    """Each round makes five void calls. The first measured rounds stay well below
    None's reference count (about 5,000 on Python 3.11), so a leak shows as a drop
    before it can abort; the rest must run to the end without ``none_dealloc``.
    (On Python 3.12 and later None is immortal and its count never changes.)"""
    script = textwrap.dedent(f"""
        import gc
        import json
        import sys
        from PySide6.QtCore import QObject, QRectF
        from PySide6.QtGui import QTextCursor, QTextDocument
        from PySide6.QtWidgets import QApplication, QPlainTextEdit
        app = QApplication([])
        edit = QPlainTextEdit()
        doc = QTextDocument("text")
        cursor = QTextCursor(doc)
        obj = QObject()
        rect = QRectF()
        viewport = edit.viewport()

        def rounds(count):
            for i in range(count):
                edit.setReadOnly(i % 2 == 0)          # void
                cursor.setPosition(i % 4)             # void
                obj.setObjectName("x")                # void
                rect.setWidth(float(i))               # void
                viewport.update()                     # void

        rounds(10)                                     # wrappers and caches made
        gc.collect()
        gc.disable()                                   # nothing else frees a None meanwhile
        counts = [sys.getrefcount(None)]
        rounds({MEASURED_ROUNDS})
        counts.append(sys.getrefcount(None))
        rounds({calls} // 5)
        counts.append(sys.getrefcount(None))
        gc.enable()
        app.processEvents()
        print(json.dumps(counts))
    """)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    before, after_few, after_all = json.loads(result.stdout.splitlines()[-1])
    assert after_few >= before, (
        f"{MEASURED_ROUNDS * 5} void calls dropped {before - after_few} references to None")
    assert after_all >= before, (
        f"{MEASURED_ROUNDS * 5 + calls} void calls dropped {before - after_all} references "
        f"to None")
