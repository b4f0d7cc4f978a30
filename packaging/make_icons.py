"""Make the app's icons from assets/icon.png: hicolor PNGs, a Windows .ico and a macOS .icns.

Run from the repo root after changing assets/icon.png: python packaging/make_icons.py
The outputs are committed, so installing the desktop entry needs no Pillow.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
APP_ID = "io.github.ganstudio.GANStudio"
HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256)  # the usual hicolor sizes, up to the source's 256 px
OUT = ROOT / "packaging" / "icons"


def main() -> None:
    icon = Image.open(ROOT / "assets" / "icon.png").convert("RGBA")
    for size in HICOLOR_SIZES:
        folder = OUT / "hicolor" / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        icon.resize((size, size), Image.Resampling.LANCZOS).save(folder / f"{APP_ID}.png", optimize=True)
    big = icon.resize((512, 512), Image.Resampling.LANCZOS)
    big.save(OUT / "ganstudio.ico", sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
    big.save(OUT / "ganstudio.icns")
    print(f"wrote {len(HICOLOR_SIZES)} hicolor PNGs, ganstudio.ico and ganstudio.icns under {OUT}")


if __name__ == "__main__":
    main()
