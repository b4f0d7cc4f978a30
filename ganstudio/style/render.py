"""Style transfer jobs without Qt: a preview, a full-size render or an export of one photo.

The preview is the render at the preview's size through the same pipeline (`style.stroke.paint`
with `side`): the network paints the same working copy of the photo, and only the last step,
bringing it back with the photo's detail, aims at the screen's size instead of the photo's. So
what the screen shows is what the export holds, shrunk. (Running the network on a shrunk photo
instead would not be: it sees other detail and gives other colours.) With the stroke size
"full" the network paints the photo itself, and the preview is that render shrunk.

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
from ganstudio.style.stroke import DEFAULT_STROKE, output_size, paint
from ganstudio.style.tiles import (
    DEFAULT_OVERLAP,
    DEFAULT_TILE,
    DIRECTIONS,
    StyleModel,
    blend,
    join_alpha,
    load_style_model,
    split_alpha,
)

PREVIEW_SIDE = 1024  # long side of the screen copy of a render


@dataclass
class StyleRequest:
    """One photo through one style. `out` set → write a file; `stylized` set → skip the network; `side` set →
    the result's long side at most that (a preview; 0 = the photo's own size)."""

    photo: Path
    model: Path
    direction: str
    out: Path | None = None
    strength: float = 1.0
    stroke: str = DEFAULT_STROKE
    side: int = 0
    tile: int = DEFAULT_TILE
    overlap: int = DEFAULT_OVERLAP
    max_pixels: int = DEFAULT_MAX_PIXELS
    stylized: np.ndarray | None = None
    meta: dict = field(default_factory=dict)


@dataclass
class Stylized:
    """A finished render: the original (RGB or RGBA) at full size, the stylized RGB at full strength at the
    size asked for."""

    original: np.ndarray
    stylized: np.ndarray
    notes: list[str]

    @property
    def full(self) -> bool:
        """Whether `stylized` is at the photo's own size (a preview of a small photo is)."""
        return self.stylized.shape[:2] == self.original.shape[:2]


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
    """`image` with its long side at most `side` px (the size `style.stroke.output_size` gives)."""
    size = output_size(image.width, image.height, side)
    return image if size == image.size else image.resize(size, Image.Resampling.LANCZOS)


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
    side = 0 if req.out is not None else req.side  # a file is always the full-size render
    width, height = output_size(rgb.shape[1], rgb.shape[0], side)
    stylized = req.stylized
    if stylized is None or stylized.shape != (height, width, 3):
        model = models.get(req.model)
        if req.direction not in model.nets:
            raise UserError(f"unknown direction '{req.direction}'")
        stylized, stroke_notes = paint(model.nets[req.direction], rgb, req.stroke, side, req.tile, req.overlap,
                                       model.device, progress=progress, cancel=cancelled)
        notes += stroke_notes
    if req.out is not None:
        save_image(join_alpha(blend(rgb, stylized, req.strength), alpha), req.out, req.meta)
        return str(req.out)
    original = np.dstack([rgb, alpha]) if alpha is not None else rgb
    return Stylized(original, stylized, notes)
