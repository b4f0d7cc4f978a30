"""Style transfer jobs without Qt: a full-size render or an export of one photo.

There is no separate quick preview: the network run on a shrunk photo sees other detail and
gives other colours (a 3000×2000 photo through photo → Sisley came out greenish shrunk, red-pink
at full size), so the screen shows the full-size render, shrunk with `fit`.

`run_request` is a job body for `(progress, cancelled)` runners. A loaded style model keeps
per-photo statistics in its norms while it works, so a `StyleModels` cache belongs to one
thread: the window gives it only to its single job thread. Only numpy arrays, strings and
numbers come back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from ganstudio.core.errors import UserError
from ganstudio.core.images import DEFAULT_MAX_PIXELS
from ganstudio.core.jobs import CancelCheck, Progress
from ganstudio.style.photos import open_photo, save_image
from ganstudio.style.tiles import (
    DEFAULT_OVERLAP,
    DEFAULT_TILE,
    DIRECTIONS,
    StyleModel,
    blend,
    join_alpha,
    load_style_model,
    split_alpha,
    stylize_array,
)

PREVIEW_SIDE = 1024  # long side of the screen copy of a render


@dataclass
class StyleRequest:
    """One photo through one style. `out` set → write a file; `stylized` set → skip the network."""

    photo: Path
    model: Path
    direction: str
    out: Path | None = None
    strength: float = 1.0
    tile: int = DEFAULT_TILE
    overlap: int = DEFAULT_OVERLAP
    max_pixels: int = DEFAULT_MAX_PIXELS
    stylized: np.ndarray | None = None
    meta: dict = field(default_factory=dict)


@dataclass
class Stylized:
    """A finished render: the original (RGB or RGBA), the stylized RGB at full strength."""

    original: np.ndarray
    stylized: np.ndarray
    notes: list[str]


class StyleModels:
    """Loaded style models by file, for the one thread that runs style jobs."""

    def __init__(self) -> None:
        self._models: dict[Path, StyleModel] = {}

    def get(self, path: Path) -> StyleModel:
        if path not in self._models:
            self._models[path] = load_style_model(path)
        return self._models[path]

    def direction_labels(self, path: Path) -> dict[str, str]:
        """What each direction of the style at `path` is called ("photo → Monet"); loads and checks it."""
        model = self.get(path)
        return {d: model.direction_label(d) for d in DIRECTIONS}


def to_pil(arr: np.ndarray) -> Image.Image:
    return Image.fromarray(arr, "RGBA" if arr.shape[2] == 4 else "RGB")


def shrink(image: Image.Image, side: int) -> Image.Image:
    """`image` with its long side at most `side` px."""
    scale = side / max(image.size)
    if scale >= 1:
        return image
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


def fit(arr: np.ndarray, side: int = PREVIEW_SIDE) -> np.ndarray:
    """Screen-size copy of a full-size array, for display."""
    return arr if max(arr.shape[:2]) <= side else np.asarray(shrink(to_pil(arr), side))


def run_request(req: StyleRequest, models: StyleModels, progress: Progress,
                cancelled: CancelCheck) -> Stylized | str:
    """Stylize (unless `req.stylized` already fits) and return the images, or the file written."""
    try:
        return _run(req, models, progress, cancelled)
    except MemoryError:
        raise UserError(f"{req.photo.name}: the computer ran out of memory",
                        "use a smaller tile size or close other programs") from None


def _run(req: StyleRequest, models: StyleModels, progress: Progress, cancelled: CancelCheck) -> Stylized | str:
    image, notes = open_photo(req.photo, req.max_pixels)
    rgb, alpha = split_alpha(image)
    stylized = req.stylized
    if stylized is None or stylized.shape != rgb.shape:
        model = models.get(req.model)
        if req.direction not in model.nets:
            raise UserError(f"unknown direction '{req.direction}'")
        stylized = stylize_array(model.nets[req.direction], rgb, req.tile, req.overlap, model.device,
                                 progress=progress, cancel=cancelled)
    if req.out is not None:
        save_image(join_alpha(blend(rgb, stylized, req.strength), alpha), req.out, req.meta)
        return str(req.out)
    original = np.dstack([rgb, alpha]) if alpha is not None else rgb
    return Stylized(original, stylized, notes)
