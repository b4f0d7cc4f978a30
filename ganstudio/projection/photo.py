"""The photo to project: opened safely, cropped to a square the user chose, resized to the model's size.

A photo is never stretched: the crop is a square (the centre one unless the user moves it), and
it must hold at least the model's own number of pixels, since an enlarged small photo would ask the
model to reproduce blur. Everything wrong is a `UserError` naming the photo.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from ganstudio.core.errors import UserError
from ganstudio.core.images import open_image
from ganstudio.modelfiles.manifest import file_sha256


@dataclass(frozen=True)
class Crop:
    """A square in the photo's pixels: left, top, side."""

    x: int
    y: int
    size: int

    def box(self) -> tuple[int, int, int, int]:
        return self.x, self.y, self.x + self.size, self.y + self.size


def centre_crop(width: int, height: int) -> Crop:
    """The largest centred square."""
    side = min(width, height)
    return Crop((width - side) // 2, (height - side) // 2, side)


def parse_crop(text: str) -> Crop:
    """'x,y,size' → Crop; UserError for anything else."""
    parts = [p.strip() for p in str(text).split(",")]
    try:
        x, y, size = (int(p) for p in parts)
    except ValueError:
        raise UserError(f"'{text}' is not a crop", "write x,y,size in the photo's pixels, e.g. 40,0,320") from None
    return Crop(x, y, size)


def check_crop(crop: Crop, width: int, height: int, model_size: int, name: str) -> None:
    """The crop lies inside the photo and holds at least `model_size` pixels a side."""
    if min(width, height) < model_size:
        raise UserError(f"{name} is {width}×{height} px, too small for this {model_size} px model",
                        f"use a photo at least {model_size} px on its shorter side")
    if crop.size < model_size:
        raise UserError(f"the crop is {crop.size} px, smaller than the model's {model_size} px",
                        f"choose a square of at least {model_size} px")
    if crop.x < 0 or crop.y < 0 or crop.x + crop.size > width or crop.y + crop.size > height:
        raise UserError(f"the crop {crop.x},{crop.y},{crop.size} reaches outside {name} ({width}×{height} px)",
                        "move or shrink the square so it lies inside the photo")


@dataclass(frozen=True)
class Photo:
    """The photo as the model will see it: `pixels` (size, size, 3) uint8, and where it came from."""

    name: str
    sha256: str
    width: int
    height: int
    crop: Crop
    pixels: np.ndarray


def prepare(img: Image.Image, crop: Crop, size: int) -> np.ndarray:
    """The crop resized to size × size (Lanczos: the downscale keeps edges without aliasing), uint8 RGB."""
    square = img.crop(crop.box())
    if square.size != (size, size):
        square = square.resize((size, size), Image.Resampling.LANCZOS)
    return np.asarray(square.convert("RGB"), dtype=np.uint8).copy()


def load_photo(path: str | Path, size: int, crop: Crop | None = None) -> Photo:
    """Open, check and crop a photo for a `size` px model (the centre square when `crop` is None)."""
    path = Path(path).expanduser()
    img = open_image(path)  # a missing file or a non-image is a UserError naming it
    w, h = img.size
    crop = crop or centre_crop(w, h)
    check_crop(crop, w, h, size, path.name)
    return Photo(path.name, file_sha256(path), w, h, crop, prepare(img, crop, size))
