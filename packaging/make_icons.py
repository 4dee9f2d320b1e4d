"""Render the icon, resources/desktop-rag.svg, to what each system wants.

    python packaging/make_icons.py

writes, from that one source image (rendered by Qt's SVG module at each size, so small sizes
are drawn, not shrunk):
  src/desktop_rag/qt/icons/desktop-rag.png   256 px: the window's icon and the Linux menu's
  packaging/icons/desktop-rag.ico            16-256 px, for the Windows programs
  packaging/icons/desktop-rag.icns           16-1024 px, for the macOS .app
The outputs are committed; run this again after changing the SVG.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "desktop-rag.svg"
WINDOW_PNG = ROOT / "src" / "desktop_rag" / "qt" / "icons" / "desktop-rag.png"
ICO = ROOT / "packaging" / "icons" / "desktop-rag.ico"
ICNS = ROOT / "packaging" / "icons" / "desktop-rag.icns"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def render(size: int):  # type: ignore[no-untyped-def]
    """The SVG drawn at size x size, as a Pillow RGBA image."""
    from PIL import Image
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SOURCE}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return Image.open(io.BytesIO(bytes(data))).convert("RGBA")


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import IcnsImagePlugin, IcoImagePlugin  # noqa: F401 - registers the writers
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    images = {size: render(size) for size in sorted({*ICO_SIZES, *ICNS_SIZES})}
    for path in (WINDOW_PNG, ICO, ICNS):
        path.parent.mkdir(parents=True, exist_ok=True)
    images[256].save(WINDOW_PNG, optimize=True)
    images[256].save(ICO, sizes=[(s, s) for s in ICO_SIZES],
                     append_images=[images[s] for s in ICO_SIZES if s != 256])
    images[1024].save(ICNS, append_images=[images[s] for s in ICNS_SIZES if s != 1024])
    for path in (WINDOW_PNG, ICO, ICNS):
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
