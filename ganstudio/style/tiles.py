"""Full-resolution style transfer with a CycleGAN generator, tile by tile, without seams.

A photo of any size is cut into overlapping tiles whose corners sit on multiples of 4 (the
generator's two stride-2 layers), so every tile computes exactly what the whole image would,
except near its own edges. That holds for both up paths: a bilinear ×2 resize, like a stride-2
transposed convolution, commutes with a shift of one input pixel (two output pixels), and what
differs at a tile's border (its own padding, the resize's edge clamping) stays within the
receptive field's reach of that border, where the blend below gives it little weight. Two things
make the result seamless:

1. The generator's instance norms use the statistics of the *whole photo* (measured in one
   pass over the photo, or over large crops spread across it when it exceeds `STATS_PIXELS`),
   not each tile's own, which would shift the colours tile by tile.
2. Overlapping tiles are blended with raised-cosine ramps, so the edge pixels of a tile
   (where reflection padding differs from the real neighbourhood) carry almost no weight.

Only one band of tile rows is held in float at a time, so memory grows with the photo's
width, not its area. A photo that fits in one tile is processed in one go, exactly as in
training.

Style model files: a generator file (`ganstudio.modelfiles.generator`) whose metadata has
`"kind": "cyclegan"` and whose weights hold both directions, keys prefixed `G_AB.` and `G_BA.`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from ganstudio.core.config import model_from_dict
from ganstudio.core.errors import UserError
from ganstudio.core.jobs import Cancelled, Progress
from ganstudio.models.cyclegan import ResnetGenerator, build_cyclegan_generator
from ganstudio.models.precision import tune_inference

DIRECTIONS = ("AB", "BA")
MIN_SIDE = 32  # smaller photos have too little context for the generator's receptive field
STATS_PIXELS = 1 << 21  # up to this many pixels measure the photo's norm statistics in one pass
STATS_CROP = 512  # side of the crops that stand in for a bigger photo
DEFAULT_TILE = 512
DEFAULT_OVERLAP = 64


@dataclass
class StyleModel:
    """A loaded CycleGAN: one generator per direction plus what to call the domains."""

    nets: dict[str, ResnetGenerator]  # "AB" and "BA"
    meta: dict
    path: Path
    device: torch.device

    def domain(self, side: str) -> str:
        return str(self.meta.get("domains", {}).get(side, side))

    def direction_label(self, direction: str) -> str:
        src, dst = direction[0], direction[1]
        return f"{self.domain(src)} → {self.domain(dst)}"


def split_alpha(image: Image.Image) -> tuple[np.ndarray, np.ndarray | None]:
    """(H, W, 3) uint8 colour and the (H, W) alpha plane, if any."""
    if image.mode == "RGBA":
        arr = np.asarray(image)
        return np.ascontiguousarray(arr[..., :3]), arr[..., 3].copy()
    return np.asarray(image.convert("RGB")), None


def join_alpha(rgb: np.ndarray, alpha: np.ndarray | None) -> Image.Image:
    if alpha is None:
        return Image.fromarray(rgb, "RGB")
    return Image.fromarray(np.dstack([rgb, alpha]), "RGBA")


def blend(original: np.ndarray, stylized: np.ndarray, strength: float) -> np.ndarray:
    """Strength 0 is the original, 1 the full style; in between a linear mix."""
    s = min(max(float(strength), 0.0), 1.0)
    if s >= 1.0:
        return stylized
    mixed = original.astype(np.float32) * (1 - s) + stylized.astype(np.float32) * s
    return np.clip(mixed + 0.5, 0, 255).astype(np.uint8)


def check_size(width: int, height: int, name: str = "the image") -> None:
    if min(width, height) < MIN_SIDE:
        raise UserError(f"{name} is {width}×{height} px, too small to stylize",
                        f"use an image at least {MIN_SIDE} px on each side")


def tile_starts(length: int, tile: int, overlap: int) -> list[int]:
    """Start offsets (multiples of 4) of tiles covering [0, length); `length` is a multiple of 4."""
    if length <= tile:
        return [0]
    step = tile - overlap
    starts = [*range(0, length - tile, step), length - tile]
    return sorted(set(starts))


def ramp_window(size: int, overlap: int, rise: bool, fall: bool) -> np.ndarray:
    """1-D blend weights: raised-cosine ramps over `overlap` px on the sides that have a neighbour."""
    w = np.ones(size, np.float32)
    n = min(overlap, size // 2)
    if n > 0:
        r = (0.5 - 0.5 * np.cos(np.pi * (np.arange(n) + 0.5) / n)).astype(np.float32)
        if rise:
            w[:n] = r
        if fall:
            w[size - n:] = r[::-1]
    return w


def _check_tiling(tile: int, overlap: int) -> None:
    if tile < 64 or tile % 4:
        raise UserError(f"tile size {tile} is not supported", "use a multiple of 4, at least 64")
    if overlap < 0 or overlap % 4 or overlap > tile // 2:
        raise UserError(f"overlap {overlap} is not supported", "use a multiple of 4 up to half the tile size")


def _to_tensor(arr: np.ndarray, device: torch.device) -> torch.Tensor:
    return torch.from_numpy(np.array(arr)).to(device).permute(2, 0, 1)[None].float().div_(127.5).sub_(1.0)


def stats_boxes(height: int, width: int, crop: int = STATS_CROP,
                budget: int = STATS_PIXELS) -> list[tuple[int, int, int, int]]:
    """(y, x, h, w) regions the norm statistics are measured on: the whole photo when it has at most
    `budget` pixels, else a grid of large crops spread over it (large, so their own borders barely matter)."""
    if height * width <= budget:
        return [(0, 0, height, width)]
    ch, cw = min(crop, height), min(crop, width)
    k = max(1, budget // (ch * cw))
    rows = max(1, min(k, round(math.sqrt(k * height / width))))
    cols = max(1, k // rows)
    ys = np.linspace(0, height - ch, rows).astype(int)
    xs = np.linspace(0, width - cw, cols).astype(int)
    return [(int(y), int(x), ch, cw) for y in ys for x in xs]


def pad_to_multiple(rgb: np.ndarray) -> np.ndarray:
    """`rgb` reflected out to sides that are multiples of `ResnetGenerator.multiple`."""
    m = ResnetGenerator.multiple
    h, w = rgb.shape[:2]
    ph, pw = math.ceil(h / m) * m, math.ceil(w / m) * m
    return np.pad(rgb, ((0, ph - h), (0, pw - w), (0, 0)), mode="reflect") if (ph, pw) != (h, w) else rgb


@torch.inference_mode()
def collect_stats(net: ResnetGenerator, images: list[np.ndarray], device: torch.device | str = "cpu") -> None:
    """Measure the norms' statistics over `images` (photos of one size, e.g. frames of a clip) taken together:
    the regions of `stats_boxes`, `STATS_PIXELS` in all, as one batch in "collect" mode. The norms keep them
    for `stylize_array(..., fixed_stats=True)`."""
    device = torch.device(device)
    padded = [pad_to_multiple(img) for img in images]
    budget = max(1, STATS_PIXELS // len(padded))
    batch = [_to_tensor(p[y:y + h, x:x + w], device)
             for p in padded for y, x, h, w in stats_boxes(p.shape[0], p.shape[1], budget=budget)]
    net.set_norm_mode("collect")
    net(torch.cat(batch))


@torch.inference_mode()
def stylize_array(net: ResnetGenerator, rgb: np.ndarray, tile: int = DEFAULT_TILE, overlap: int = DEFAULT_OVERLAP,
                  device: torch.device | str = "cpu", progress: Progress | None = None,
                  cancel: Callable[[], bool] | None = None, fixed_stats: bool = False) -> np.ndarray:
    """(H, W, 3) uint8 → stylized (H, W, 3) uint8 at the same size. `fixed_stats`: normalise with the
    statistics `collect_stats` measured (a clip's frames all alike) instead of this photo's own."""
    _check_tiling(tile, overlap)
    device = torch.device(device)
    h, w = rgb.shape[:2]
    check_size(w, h)
    padded = pad_to_multiple(rgb)
    ph, pw = padded.shape[:2]
    ys, xs = tile_starts(ph, tile, overlap), tile_starts(pw, tile, overlap)
    th, tw = min(tile, ph), min(tile, pw)
    total = len(ys) * len(xs)
    if cancel and cancel():
        raise Cancelled()
    if progress:  # the count, before the statistics pass that can take a while on a big photo
        progress(0, total)
    try:
        if total == 1 and not fixed_stats:
            net.set_norm_mode("instance")
        else:
            if not fixed_stats:
                collect_stats(net, [padded], device)
            net.set_norm_mode("fixed")
        out = np.empty((ph, pw, 3), np.uint8)
        wx = [ramp_window(tw, overlap, i > 0, i < len(xs) - 1) for i in range(len(xs))]
        band = np.zeros((th, pw, 3), np.float32)
        weight = np.zeros((th, pw), np.float32)
        band_top, done = 0, 0
        for j, y in enumerate(ys):
            if y > band_top:  # rows above this tile row are final: emit them, slide the band up
                shift = y - band_top
                out[band_top:y] = _finish(band[:shift], weight[:shift])
                band = np.concatenate([band[shift:], np.zeros((shift, pw, 3), np.float32)])
                weight = np.concatenate([weight[shift:], np.zeros((shift, pw), np.float32)])
                band_top = y
            wy = ramp_window(th, overlap, j > 0, j < len(ys) - 1)
            for i, x in enumerate(xs):
                if cancel and cancel():
                    raise Cancelled()
                res = net(_to_tensor(padded[y:y + th, x:x + tw], device))[0]
                res = res.permute(1, 2, 0).float().cpu().numpy()
                wt = wy[:, None] * wx[i][None, :]
                band[:, x:x + tw] += res * wt[..., None]
                weight[:, x:x + tw] += wt
                done += 1
                if progress:
                    progress(done, total)
        out[band_top:band_top + th] = _finish(band, weight)
    finally:
        net.set_norm_mode("instance")
    return out[:h, :w]


def _finish(acc: np.ndarray, weight: np.ndarray) -> np.ndarray:
    x = acc / np.maximum(weight, 1e-8)[..., None]
    return np.clip((x + 1.0) * 127.5 + 0.5, 0, 255).astype(np.uint8)


# -- loading ---------------------------------------------------------------------------------
def _split_directions(weights: dict, meta: dict, path: Path, device: torch.device) -> StyleModel:
    try:
        cfg = model_from_dict(meta["model"])
        nets = {}
        for direction in DIRECTIONS:
            prefix = f"G_{direction}."
            net = build_cyclegan_generator(cfg)
            net.load_state_dict({k[len(prefix):]: v for k, v in weights.items() if k.startswith(prefix)})
            nets[direction] = net.to(device).eval().requires_grad_(False)
            tune_inference(net, cfg, device)  # bf16 where it holds and measured faster on this machine
    except (KeyError, TypeError, ValueError, RuntimeError):
        from ganstudio.modelfiles.generator import COPY_AGAIN

        raise UserError(f"{path.name} does not match its own architecture description", COPY_AGAIN) from None
    return StyleModel(nets, meta, path, device)


def load_style_model(path: str | Path, device: torch.device | str = "cpu") -> StyleModel:
    """A CycleGAN from a style model file, a training checkpoint or a run folder (code never unpickled)."""
    from ganstudio.modelfiles.checkpoint import load_checkpoint
    from ganstudio.modelfiles.generator import is_checkpoint_file, read_generator_file
    from ganstudio.modelfiles.resolve import resolve_model

    path = resolve_model(path)  # a bundled id or file is checked against the manifest
    device = torch.device(device)
    if path.is_dir() and (path / "generator.pt").is_file():
        path = path / "generator.pt"
    if path.is_dir() or is_checkpoint_file(path):
        ckpt = load_checkpoint(path)
        meta = ckpt["meta"].get("generator") or {}
        nets = ckpt["state"].get("nets", {})
        weights = {f"G_{d}.{k}": v for d in DIRECTIONS for k, v in nets.get(f"G_{d}", {}).items()}
    else:
        weights, meta = read_generator_file(path)
    if meta.get("kind") != "cyclegan":
        raise UserError(f"{path.name} is not a style model (it is a {meta.get('kind', 'unknown')} model)",
                        "choose a CycleGAN model: a bundled style or a CycleGAN run")
    return _split_directions(weights, meta, path, device)


def resolve_style(spec: str, device: torch.device | str = "cpu") -> tuple[StyleModel, str]:
    """A bundled style id (e.g. photo2monet) or a file / run folder → (model, default direction)."""
    from ganstudio.modelfiles.library import bundled_models

    for entry in bundled_models():
        if entry.kind == "cyclegan" and entry.id == spec:
            return load_style_model(entry.path, device), str(entry.info.get("direction", "AB"))
    path = Path(spec).expanduser()
    if not path.exists():
        styles = [e.id for e in bundled_models() if e.kind == "cyclegan"]
        raise UserError(f"no style model '{spec}'",
                        f"use a bundled style ({', '.join(styles) or 'none installed'}) or a model file")
    return load_style_model(path, device), "AB"
