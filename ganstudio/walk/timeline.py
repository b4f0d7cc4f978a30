"""A latent walk: its keyframes and how to travel between them.

`Walk` is a frozen, JSON-round-tripping description (what a project file holds); it knows
nothing of a model. `walk.render` resolves it against a generator and draws the frames, and
`walk.project` stores it in a file. The Latent Walk page and `ganstudio walk` both build one here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from ganstudio.core.errors import UserError
from ganstudio.core.jobs import MAX_SEED
from ganstudio.models.latent import EASINGS, INTERPOLATIONS
from ganstudio.walk.stylemix import parse_mix
from ganstudio.walk.styles import Styles

MODES = ("keyframes", "noise")
SPACES = ("w", "z")  # StyleGAN: interpolate styles (w) or the random numbers before the mapping (z)
NOISE = ("const", "random", "none")  # StyleGAN's per-pixel noise: fixed, new each frame, off
MOVING = ("all", "coarse", "middle", "fine")  # StyleGAN: the layers a walk moves; the others stay at keyframe 1
MAX_KEYFRAMES = 64
MAX_SEGMENT_FRAMES = 1000
MAX_TOTAL_FRAMES = 5000  # matches export.MAX_FRAMES


@dataclass(frozen=True)
class Keyframe:
    """One pinned latent: from a seed, a free (nudged) vector stored in full, or a projected photo (StyleGAN:
    its per-layer `styles`; a DCGAN: its `z`), named with the photo's file name and SHA-256.
    `frames`: segment length after it."""

    seed: int | None = None
    z: tuple[float, ...] | None = None
    cls: int | None = None  # conditional models: the class shown at this keyframe
    frames: int = 24
    styles: Styles | None = None
    photo: str | None = None  # the projected photo's file name
    photo_sha256: str | None = None

    def label(self) -> str:
        if self.photo is not None:
            return f"photo {self.photo}"
        return f"seed {self.seed}" if self.z is None and self.styles is None else "free vector"

    def to_dict(self) -> dict:
        d: dict[str, Any] = {"seed": self.seed, "z": None if self.z is None else list(self.z), "cls": self.cls,
                             "frames": self.frames}
        if self.styles is not None:
            d["styles"] = self.styles.to_dict()
        if self.photo is not None:
            d.update(photo=self.photo, photo_sha256=self.photo_sha256)
        return d

    @classmethod
    def from_dict(cls, k: dict) -> Keyframe:
        return cls(seed=None if k.get("seed") is None else _typed("a keyframe's seed", 0, k["seed"]),
                   z=None if k.get("z") is None else tuple(_typed("z", 0.0, x) for x in k["z"]),
                   cls=None if k.get("cls") is None else _typed("a keyframe's class", 0, k["cls"]),
                   frames=_typed("a keyframe's frames", 0, k.get("frames", 24)),
                   styles=None if k.get("styles") is None else Styles.from_dict(k["styles"]),
                   photo=None if k.get("photo") is None else str(k["photo"]),
                   photo_sha256=None if k.get("photo_sha256") is None else str(k["photo_sha256"]))


@dataclass(frozen=True)
class Walk:
    """Everything needed to replay an animation, apart from the model itself."""

    keyframes: tuple[Keyframe, ...] = ()
    interp: str = "slerp"  # lerp | slerp | smooth (Catmull-Rom through all keyframes)
    easing: str = "linear"  # linear | ease-in-out
    loop: bool = True  # close the path: the frame after the last is the first
    psi: float = 1.0  # truncation: StyleGAN pulls w toward w_avg; DCGAN has no mapping network, so z is scaled (z·psi)
    space: str = "w"  # StyleGAN: interpolate in w (smooth, what the paper does) or z
    noise: str = "const"  # StyleGAN: const | random (new each frame: shimmering texture) | none
    moving: str = "all"  # StyleGAN: all | coarse | middle | fine — the other layers hold keyframe 1's style
    mix: str = ""  # StyleGAN: layer groups held at another seed's style all walk long, e.g. "fine=9"
    mode: str = "keyframes"  # keyframes | noise (a random loop around keyframe `noise_center`)
    noise_center: int = 0
    noise_radius: float = 0.5
    noise_speed: int = 1  # slowest wiggle, in cycles per loop
    noise_frames: int = 48
    noise_seed: int = 0
    fps: float = 24.0

    def frame_count(self) -> int:
        if self.mode == "noise":
            return self.noise_frames
        k = len(self.keyframes)
        if k == 0:
            return 0
        if k == 1:
            return 1
        segs = self.keyframes if self.loop else self.keyframes[:-1]
        return sum(kf.frames for kf in segs) + (0 if self.loop else 1)

    def validate(self) -> None:
        """Raise UserError for anything that cannot be rendered, before any work starts."""
        if not self.keyframes:
            raise UserError("the walk has no keyframes", "pin at least one sample as a keyframe")
        if len(self.keyframes) > MAX_KEYFRAMES:
            raise UserError(f"{len(self.keyframes)} keyframes is too many", f"use at most {MAX_KEYFRAMES}")
        if self.interp not in INTERPOLATIONS:
            raise UserError(f"unknown interpolation '{self.interp}'", f"use {', '.join(INTERPOLATIONS)}")
        if self.easing not in EASINGS:
            raise UserError(f"unknown easing '{self.easing}'", f"use {', '.join(EASINGS)}")
        for value, allowed, what in ((self.mode, MODES, "walk mode"), (self.space, SPACES, "latent space"),
                                     (self.noise, NOISE, "noise setting"), (self.moving, MOVING, "layer range")):
            if value not in allowed:
                raise UserError(f"unknown {what} '{value}'", f"use {', '.join(allowed)}")
        if not 0 <= self.psi <= 2:
            raise UserError(f"truncation psi {self.psi} is out of range", "use 0–2 (1 = no truncation)")
        for seed in parse_mix(self.mix).values():
            if not 0 <= seed <= MAX_SEED:
                raise UserError(f"seed {seed} is out of range", "use 0 or a positive whole number")
        for kf in self.keyframes:
            if sum(x is not None for x in (kf.seed, kf.z, kf.styles)) != 1:
                raise UserError("a keyframe needs one of a seed, a latent vector or a projected photo's styles")
            if kf.seed is not None and not 0 <= kf.seed <= MAX_SEED:
                raise UserError(f"seed {kf.seed} is out of range", "use 0 or a positive whole number")
            if not 1 <= kf.frames <= MAX_SEGMENT_FRAMES:
                raise UserError(f"{kf.frames} frames per segment is out of range", f"use 1–{MAX_SEGMENT_FRAMES}")
        if self.mode == "noise":
            if not 0 <= self.noise_center < len(self.keyframes):
                raise UserError(f"keyframe {self.noise_center + 1} does not exist",
                                "pick the keyframe to wander around")
            if not 2 <= self.noise_frames <= MAX_TOTAL_FRAMES:
                raise UserError(f"{self.noise_frames} frames is out of range", f"use 2–{MAX_TOTAL_FRAMES}")
            if not 0 <= self.noise_radius <= 10:
                raise UserError(f"noise radius {self.noise_radius} is out of range", "use 0–10")
            if not 1 <= self.noise_speed <= 32:
                raise UserError(f"noise speed {self.noise_speed} is out of range", "use 1–32")
        n = self.frame_count()
        if n > MAX_TOTAL_FRAMES:
            raise UserError(f"the walk has {n} frames, too many", f"use at most {MAX_TOTAL_FRAMES} in all")

    def to_dict(self) -> dict:
        d = {k: v for k, v in self.__dict__.items() if k != "keyframes"}
        d["keyframes"] = [kf.to_dict() for kf in self.keyframes]
        return d

    def has_styles(self) -> bool:
        """Whether a keyframe holds a projected photo's styles (a project file then needs version 2)."""
        return any(kf.styles is not None for kf in self.keyframes)

    @classmethod
    def from_dict(cls, data: dict) -> Walk:
        try:
            keys = tuple(Keyframe.from_dict(k) for k in data.get("keyframes", []))
            defaults = {f: getattr(cls, f) for f in cls.__dataclass_fields__ if f != "keyframes"}
            # each value takes the type of its default, so a hand-edited file fails here, not mid-render
            values: dict[str, Any] = {k: v if type(v) is type(defaults[k]) else _typed(k, defaults[k], v)
                                      for k, v in data.items() if k in defaults}
            return cls(keyframes=keys, **values)
        except (TypeError, ValueError, AttributeError) as exc:
            raise UserError(f"the walk description is damaged: {exc}") from None


_KIND_WORDS = {bool: "true or false", int: "a whole number", float: "a number", str: "text"}


def _typed(name: str, default: object, value: Any) -> Any:
    """`value` as the type of `default` (int, float, str or bool); ValueError naming the setting when it is not one."""
    kind: Any = type(default)
    if type(value) is kind:
        return value
    wrong = ValueError(f"{name} should be {_KIND_WORDS.get(kind, kind.__name__)}, not {value!r}")
    if kind is bool or isinstance(value, (bool, dict, list)) or value is None:
        raise wrong
    if kind is str:
        return str(value)
    try:
        number = float(value)
    except ValueError:
        raise wrong from None
    if kind is float:
        return number
    if not (math.isfinite(number) and number == int(number)):
        raise wrong
    return int(number)


def photo_keyframe(ws: np.ndarray | None, z: np.ndarray | None, noise: tuple[np.ndarray, ...], cls: int | None,
                   photo: str, photo_sha256: str, frames: int = 24) -> Keyframe:
    """The keyframe of a projected photo: its per-layer styles and noise maps (StyleGAN) or its z (a DCGAN)."""
    if (ws is None) == (z is None):
        raise ValueError("a projected keyframe needs styles or a z")
    return Keyframe(z=None if z is None else tuple(float(x) for x in z), cls=cls, frames=frames,
                    styles=None if ws is None else Styles(ws, noise), photo=photo, photo_sha256=photo_sha256)


def even_frames(walk: Walk, total: int) -> Walk:
    """Spread `total` frames over the segments as evenly as possible (the CLI's --frames)."""
    k = len(walk.keyframes)
    segments = k if walk.loop else k - 1
    if segments < 1:
        return walk
    budget = total if walk.loop else total - 1
    if not segments <= budget <= MAX_TOTAL_FRAMES:
        lo = segments + (0 if walk.loop else 1)
        raise UserError(f"{total} frames cannot hold {k} keyframes", f"use {lo}–{MAX_TOTAL_FRAMES} frames")
    base, extra = divmod(budget, segments)
    keys = tuple(replace(kf, frames=base + (1 if i < extra else 0)) for i, kf in enumerate(walk.keyframes))
    return replace(walk, keyframes=keys)


def parse_seeds(text: str) -> list[int]:
    """'3,17,42' or '10-13' or a mix → seeds; UserError for anything else."""
    seeds: list[int] = []
    for part in (p.strip() for p in str(text).split(",")):
        if not part:
            continue
        try:
            if "-" in part[1:]:
                lo, hi = (int(x) for x in part.split("-", 1))
                if hi < lo or hi - lo >= MAX_KEYFRAMES:
                    raise ValueError
                seeds.extend(range(lo, hi + 1))
            else:
                seeds.append(int(part))
        except ValueError:
            raise UserError(f"'{part}' is not a seed or a seed range", "give seeds like 3,17,42 or 10-13") from None
    if not seeds:
        raise UserError("no seeds given", "give seeds like 3,17,42")
    bad = [s for s in seeds if not 0 <= s <= MAX_SEED]
    if bad:
        raise UserError(f"seed {bad[0]} is out of range", "use 0 or a positive whole number")
    if len(seeds) > MAX_KEYFRAMES:
        raise UserError(f"{len(seeds)} seeds is too many", f"use at most {MAX_KEYFRAMES}")
    return seeds
