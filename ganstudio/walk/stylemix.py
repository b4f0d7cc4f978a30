"""Style mixing for StyleGAN models: one picture whose coarse (pose, layout), middle and fine
(colour, texture) layers come from different seeds, and the StyleGAN paper's mixing grid.

Every function takes a loaded `Generator` with a style space (`g.has_w`) and returns uint8
pictures, so the Latent Walk page, its exports and `ganstudio sample --mix` draw the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ganstudio.core.errors import UserError
from ganstudio.core.jobs import MAX_SEED
from ganstudio.core.render import image_grid
from ganstudio.walk.styles import Styles

GROUPS = ("coarse", "middle", "fine")


@dataclass(frozen=True)
class Mix:
    """A base seed and, per layer group, the seed whose style those layers take (None: the base's)."""

    base: int = 0
    coarse: int | None = None
    middle: int | None = None
    fine: int | None = None
    psi: float = 1.0
    cls: int | None = None  # conditional models: the class of every seed

    def seeds(self) -> dict[str, int]:
        """The seed each group draws from."""
        return {grp: self.base if getattr(self, grp) is None else int(getattr(self, grp)) for grp in GROUPS}

    def validate(self) -> None:
        for seed in (self.base, *self.seeds().values()):
            if not 0 <= seed <= MAX_SEED:
                raise UserError(f"seed {seed} is out of range", "use 0 or a positive whole number")
        if not 0 <= self.psi <= 2:
            raise UserError(f"truncation psi {self.psi} is out of range", "use 0–2 (1 = no truncation)")


def parse_mix(text: str) -> dict[str, int]:
    """'coarse=5,fine=9' → {'coarse': 5, 'fine': 9}; UserError naming the part that is wrong."""
    out: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        group, _, seed = part.partition("=")
        if group.strip() not in GROUPS or not seed.strip().isdigit():
            raise UserError(f"'{part}' is not a layer group and seed", "write e.g. coarse=5,middle=7,fine=9")
        out[group.strip()] = int(seed)
    return out


def _check(g) -> None:
    if not g.has_w:
        raise UserError(f"{g.path.name} has no style layers to mix", "style mixing needs a StyleGAN model")


def _labels(g, n: int, cls: int | None) -> torch.Tensor | None:
    return torch.full((n,), g.class_index(cls if cls is not None else 0), dtype=torch.long) if g.num_classes else None


def mixed_ws(g, mix: Mix, photo: Styles | None = None) -> torch.Tensor:
    """The per-layer styles (1, num_ws, w_dim) of one mixed picture; with `photo` (a projected photo's styles)
    in place of the base seed, the layers no seed replaces are the photo's."""
    _check(g)
    mix.validate()
    seeds = mix.seeds()
    order = [mix.base, *seeds.values()]
    labels = _labels(g, len(order), mix.cls)
    w = g.mapping(g.latents(order), labels, mix.psi)  # (4, w_dim)
    ws = g.ws_of(w[:1]) if photo is None else _photo_ws(g, photo, mix.psi, labels)
    for k, grp in enumerate(GROUPS):
        if photo is None or getattr(mix, grp) is not None:
            ws[0, g.layer_groups()[grp]] = w[1 + k]
    return ws


def _photo_ws(g, photo: Styles, psi: float, labels: torch.Tensor | None) -> torch.Tensor:
    """(1, num_ws, w_dim): a projected photo's styles, truncated toward w_avg by `psi` as seeds are."""
    if photo.ws.shape != (g.num_ws, g.z_dim):
        raise UserError("the photo was projected into a model of another shape", "project it into this model")
    ws = torch.from_numpy(photo.ws.copy())[None]
    if psi == 1.0:
        return ws
    avg = g.w_avg(None if labels is None else labels[:1])[:, None]
    return avg + psi * (ws - avg)


def mix_picture(g, mix: Mix, noise: str = "const", photo: Styles | None = None) -> np.ndarray:
    """(H, W, 3) uint8: the base seed (or `photo`) with each layer group's style taken from its own seed."""
    maps = None
    if photo is not None and photo.noise and noise == "const":
        maps = [torch.from_numpy(n.copy())[None, None] for n in photo.noise]
    return g.synthesize(mixed_ws(g, mix, photo), noise, noise_maps=maps)[0]


def mixing_grid(g, rows: list[int], cols: list[int], group: str = "coarse", psi: float = 1.0,
                cls: int | None = None, noise: str = "const") -> np.ndarray:
    """The paper's figure: the top row draws `cols`, the left column `rows`, and each cell is its row's
    picture with `group`'s layers taken from its column's seed. The corner is left blank."""
    _check(g)
    if group not in GROUPS:
        raise UserError(f"unknown layer group '{group}'", f"use {', '.join(GROUPS)}")
    if not rows or not cols or len(rows) * len(cols) > 1024:
        raise UserError("a mixing grid needs 1–1024 cells", "give a few row seeds and a few column seeds")
    Mix(base=0, psi=psi).validate()
    seeds = [*rows, *cols]
    w = g.mapping(g.latents(seeds), _labels(g, len(seeds), cls), psi)
    w_rows, w_cols = w[:len(rows)], w[len(rows):]
    layers = g.layer_groups()[group]
    cells = g.ws_of(w_rows).repeat_interleave(len(cols), 0)  # (R·C, num_ws, w_dim), row-major
    cells[:, layers] = g.ws_of(w_cols).repeat(len(rows), 1, 1)[:, layers]
    pictures = g.synthesize(torch.cat([g.ws_of(w_cols), g.ws_of(w_rows), cells]), noise)
    top, left, body = pictures[:len(cols)], pictures[len(cols):len(seeds)], pictures[len(seeds):]
    blank = np.full_like(top[:1], 255)
    tiles = [blank[0], *top]
    for r in range(len(rows)):
        tiles += [left[r], *body[r * len(cols):(r + 1) * len(cols)]]
    return image_grid(np.stack(tiles), cols=len(cols) + 1)
