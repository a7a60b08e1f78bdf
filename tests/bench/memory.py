"""Peak memory of a process that opens the benchmark's document in the window.

The viewer benchmark's own process also builds the 5 MB text and 10,000 claims,
writes them through the ORM, and holds bare ``QPlainTextEdit`` baselines, so its
``ru_maxrss`` says little about the application. :func:`measure` therefore starts
a fresh Python process (this module) that does what an analyst's session does:
open the project, show the window on the small document, open the big one and
wait for its first paint, then press Tab ``presses`` times on the viewer. It
reports its peak resident set size (see :func:`_peak_mb`) after the imports,
after opening, and at the end, as JSON on its standard output.

Run by :func:`tests.bench.viewer.run`; by hand:
``python -m tests.bench.memory PROJECT SMALL_ID BIG_ID [--presses N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any


def _peak_mb() -> float:
    """Peak RSS of this process: Linux's ``VmHWM`` (the high-water mark of this
    address space). Not ``ru_maxrss`` there: a child started by fork and exec
    inherits its parent's, which held the whole benchmark."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def _session(project: Path, small_id: str, big_id: str, presses: int) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = _peak_mb()
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest

    from annotator.services.project import ProjectService
    from annotator.ui.main_window import MainWindow
    from annotator.ui.settings import UiSettings
    from tests.bench import viewer as bench

    app = bench.app_instance()
    bench._quiet_qt_messages()
    imported = _peak_mb()
    with tempfile.TemporaryDirectory(prefix="annotator-bench-memory-") as folder:
        settings = UiSettings(QSettings(str(Path(folder) / "settings.ini"),
                                        QSettings.Format.IniFormat))
        settings.set_annotator_name("bench")
        service = ProjectService.open(project)
        window = MainWindow(settings)
        window.resize(*bench.WINDOW_SIZE)
        window.set_service(service)
        window.show()
        window.show_document(small_id)
        bench.drain()
        shown_small = _peak_mb()
        probe = bench.PaintProbe(window.view.viewport())
        window.show_document(big_id)
        painted = probe.wait()
        probe.detach()
        bench.drain()
        opened = _peak_mb()
        claims = window.claims.rowCount()
        ids = window.view.claim_ids()
        if ids:
            window.select_claim(ids[len(ids) // 3], reveal=True)
        window.view.setFocus()
        bench.drain()
        for _ in range(presses):
            QTest.keyClick(window.view, Qt.Key.Key_Tab)
            app.processEvents()
        bench.drain()
        ended = _peak_mb()
        window.close()
        bench.dispose(window)
        del window
        app.processEvents()
    return {"peak_rss_after_imports_mb": imported, "peak_rss_at_start_mb": started,
            "peak_rss_small_shown_mb": shown_small, "peak_rss_after_open_mb": opened,
            "peak_rss_mb": ended, "presses": presses, "claims_in_table": claims,
            "painted_by_itself": painted}


def measure(project: Path, small_id: str, big_id: str, presses: int) -> dict[str, Any]:
    """Run the session in a fresh process; its figures, or an ``error``."""
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench.memory", str(project), small_id, big_id,
         "--presses", str(presses)],
        capture_output=True, text=True, env=env, cwd=root, timeout=600, check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"error": (done.stderr.strip().splitlines() or ["no output"])[-1]}
    return json.loads(lines[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.memory",
                                     description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("project", type=Path)
    parser.add_argument("small_id")
    parser.add_argument("big_id")
    parser.add_argument("--presses", type=int, default=200)
    args = parser.parse_args(argv)
    print(json.dumps(_session(args.project, args.small_id, args.big_id, args.presses)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
