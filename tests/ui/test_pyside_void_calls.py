"""Regression test for PySide6 6.12.0 on Python 3.11, which aborts with
``none_dealloc``: every call of a method returning void dropped a reference to
None. pyproject.toml excludes that version; this test makes tens of thousands
of void calls in a child process so an abort shows as a failure, not a crash
of the test run."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import PySide6
import pytest

VOID_CALLS = 60_000


def test_installed_pyside_is_not_the_broken_release() -> None:
    if sys.version_info < (3, 12):
        assert PySide6.__version__ != "6.12.0"


@pytest.mark.parametrize("calls", [VOID_CALLS])
def test_many_void_calls_do_not_abort(calls: int) -> None:
    script = textwrap.dedent(f"""
        import sys
        from PySide6.QtCore import QObject, QPointF, QRectF
        from PySide6.QtGui import QTextCursor, QTextDocument
        from PySide6.QtWidgets import QApplication, QPlainTextEdit
        app = QApplication([])
        edit = QPlainTextEdit()
        doc = QTextDocument("text")
        cursor = QTextCursor(doc)
        obj = QObject()
        rect = QRectF()
        before = sys.getrefcount(None)
        for i in range({calls} // 5):
            edit.setReadOnly(i % 2 == 0)          # void
            cursor.setPosition(i % 4)             # void
            obj.setObjectName("x")                # void
            rect.setWidth(float(i))               # void
            edit.viewport().update()              # void
        app.processEvents()
        print("ok", before, sys.getrefcount(None))
    """)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("ok")
