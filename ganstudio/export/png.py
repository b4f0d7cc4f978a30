"""The one PNG writer with provenance: every still picture the app saves as PNG goes through here.

Provenance (model, seeds, settings, app version as JSON) goes into an iTXt chunk named
`ganstudio`, beside a `Software` text chunk, so any PNG the app wrote says where it came
from. Written atomically: a failed save never leaves half a file. Torch-free.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from ganstudio import __version__
from ganstudio.core.atomic import atomic_file

PROVENANCE_KEY = "ganstudio"


def png_info(provenance: str | None) -> PngInfo:
    """The text chunks of a GAN Studio PNG: the provenance JSON (when given) and the app."""
    info = PngInfo()
    if provenance is not None:  # iTXt is UTF-8: a file name that is not (a lone surrogate) is kept as an escape
        info.add_itxt(PROVENANCE_KEY, provenance.encode("utf-8", "backslashreplace").decode("utf-8"))
    info.add_text("Software", f"GAN Studio {__version__}")
    return info


def save_png(image: np.ndarray | Image.Image, path: str | Path, provenance: str | None = None) -> Path:
    """A uint8 (H, W, 3) array or a PIL image as PNG, atomically, with the provenance JSON text."""
    path = Path(path).expanduser()
    picture = Image.fromarray(image) if isinstance(image, np.ndarray) else image
    with atomic_file(path) as fh:
        picture.save(fh, format="PNG", pnginfo=png_info(provenance))
    return path
