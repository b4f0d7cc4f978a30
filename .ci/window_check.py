"""CI: grab the whole virtual X screen while the app runs and check the window painted.

Usage: python .ci/window_check.py OUT.png  (DISPLAY must point at the X server)
A blank or unpainted screen has a handful of colours; a drawn window has hundreds.
"""

from __future__ import annotations

import sys

from PIL import Image
from PySide6.QtWidgets import QApplication

MIN_COLOURS = 50


def main(out: str) -> int:
    app = QApplication(sys.argv[:1])
    app.primaryScreen().grabWindow(0).save(out)
    colours = Image.open(out).convert("RGB").getcolors(maxcolors=1 << 24)
    count = len(colours) if colours else 0
    print(f"screenshot {out}: {count} distinct colours")
    return 0 if count > MIN_COLOURS else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
