"""Stroke size: the scale at which the network paints a photo, whatever the photo's own size.

A CycleGAN paints brush strokes at the scale of its training crops. Run on a 12 MP photo at full
size, those strokes are a few pixels wide: noise, not paint. So the photo is shrunk until its
long side is the stroke size (512 or 1024 px), painted there (tiled as any photo), and brought
back to the photo's resolution with the photo's own detail (`style.detail`). "full" paints at
the photo's own size: the finest strokes and the slowest render.

A stroke size larger than the photo is not an error: the photo is painted at its own size, and
a note says so (enlarging it first would only make the strokes finer than at full size).

`paint` is also the preview: asked for a smaller `out_size`, it paints the same working copy
and brings it back to that size instead, so the preview is the render at the preview's size.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from PIL import Image

from ganstudio.core.errors import UserError
from ganstudio.core.jobs import Progress
from ganstudio.models.cyclegan import ResnetGenerator
from ganstudio.style.detail import Size, shrink_photo, transfer_detail
from ganstudio.style.tiles import (
    DEFAULT_OVERLAP,
    DEFAULT_TILE,
    MIN_SIDE,
    StyleModel,
    blend,
    join_alpha,
    split_alpha,
    stylize_array,
)

STROKES = ("512", "1024", "full")
DEFAULT_STROKE = "1024"
STROKE_LABELS = {"512": "512 px: broad strokes, fastest", "1024": "1024 px: medium strokes",
                 "full": "full size: finest, slowest"}


def check_stroke(stroke: str) -> str:
    if stroke not in STROKES:
        raise UserError(f"unknown stroke size '{stroke}'", f"use {', '.join(STROKES)}")
    return stroke


def working_size(width: int, height: int, stroke: str) -> tuple[Size | None, list[str]]:
    """The size the network paints at (None: the photo's own) and what to tell the user about it."""
    check_stroke(stroke)
    if stroke == "full":
        return None, []
    side = int(stroke)
    if max(width, height) <= side:
        return None, [f"the photo's long side ({max(width, height)} px) is not above the {side} px stroke size: "
                      "painted at its own size"]
    scale = max(side / max(width, height), MIN_SIDE / min(width, height))
    if scale >= 1:
        return None, [f"the photo is too narrow to shrink to the {side} px stroke size: painted at its own size"]
    size = (max(MIN_SIDE, round(width * scale)), max(MIN_SIDE, round(height * scale)))
    return size, []


def output_size(width: int, height: int, side: int) -> Size:
    """(width, height) with the long side at most `side` (0: the photo's own size)."""
    if not side or max(width, height) <= side:
        return width, height
    scale = side / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


@torch.inference_mode()
def paint(net: ResnetGenerator, rgb: np.ndarray, stroke: str = DEFAULT_STROKE, out_side: int = 0,
          tile: int = DEFAULT_TILE, overlap: int = DEFAULT_OVERLAP, device: torch.device | str = "cpu",
          progress: Progress | None = None, cancel: Callable[[], bool] | None = None,
          fixed_stats: bool = False) -> tuple[np.ndarray, list[str]]:
    """(H, W, 3) uint8 photo → the stylized photo at its own size, or at most `out_side` px on its long side,
    and notes (a stroke size the photo is not larger than). `fixed_stats`: see `stylize_array`."""
    height, width = rgb.shape[:2]
    work, notes = working_size(width, height, stroke)
    target = output_size(width, height, out_side)
    if work is None:  # the network paints the photo itself; a preview is that render shrunk
        full = stylize_array(net, rgb, tile, overlap, device, progress, cancel, fixed_stats)
        return _resized(full, target), notes
    painted = stylize_array(net, shrink_photo(rgb, work), tile, overlap, device, progress, cancel, fixed_stats)
    return transfer_detail(_resized(rgb, target), painted), notes


def _resized(arr: np.ndarray, size: Size) -> np.ndarray:
    if (arr.shape[1], arr.shape[0]) == size:
        return arr
    return np.asarray(Image.fromarray(arr).resize(size, Image.Resampling.LANCZOS))



def paint_image(model: StyleModel, image: Image.Image, direction: str = "AB", strength: float = 1.0,
                stroke: str = DEFAULT_STROKE, tile: int = DEFAULT_TILE, overlap: int = DEFAULT_OVERLAP,
                progress: Progress | None = None) -> tuple[Image.Image, list[str]]:
    """An RGB or RGBA image stylized at its own resolution (alpha passes through untouched), and the notes."""
    if direction not in model.nets:
        raise UserError(f"unknown direction '{direction}'", "use AB or BA")
    rgb, alpha = split_alpha(image)
    out, notes = paint(model.nets[direction], rgb, stroke, 0, tile, overlap, model.device, progress)
    return join_alpha(blend(rgb, out, strength), alpha), notes
