"""Render the app's icon (resources/icons/annotator.svg) for the installers:
PNGs for the Linux icon theme, ``annotator.ico`` (Windows) and ``annotator.icns``
(macOS), written with Qt's own image writers. ``python packaging/make_icons.py OUT``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

SVG = Path(__file__).resolve().parent.parent / "resources" / "icons" / "annotator.svg"
PNG_SIZES = (16, 32, 48, 64, 128, 256, 512)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image


def main(out: Path) -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"make_icons: cannot read {SVG}", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    for size in PNG_SIZES:
        target = out / f"{size}x{size}.png"
        if not render(renderer, size).save(str(target)):
            print(f"make_icons: cannot write {target}", file=sys.stderr)
            return 1
    for name, size in (("annotator.ico", 256), ("annotator.icns", 512)):
        if not render(renderer, size).save(str(out / name)):
            print(f"make_icons: cannot write {out / name}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("build/icons")))
