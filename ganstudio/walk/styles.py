"""A projected photo's latent as a walk keyframe holds it: per-layer styles and noise maps.

`Styles` is frozen and compared by a digest of its numbers, so keyframes that hold one stay
cheap to compare and to use as cache keys. In a project file it is stored inline, base64 of the
little-endian floats: a walk project, and every export's sidecar (which is one), must replay on
its own, and the text is about a third the size of decimal lists (64 px: ~13 KB of styles, ~29 KB
of noise). The styles are float32 and the noise maps are rounded to float16 when the keyframe is
made (unit-variance noise needs no more), so a saved project replays to the very same frames.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ganstudio.core.errors import UserError

MAX_NUMBERS = 1 << 22  # a hand-edited file cannot ask for gigabytes


def _encode(a: np.ndarray, dtype: str) -> dict:
    data = np.ascontiguousarray(a, dtype=np.dtype(dtype).newbyteorder("<")).tobytes()
    return {"dtype": dtype, "shape": list(a.shape), "base64": base64.b64encode(data).decode("ascii")}


def _decode(d: Any, dims: int) -> np.ndarray:
    if not isinstance(d, dict) or d.get("dtype") not in ("float32", "float16"):
        raise ValueError("a stored array needs dtype float32 or float16")
    shape = [int(x) for x in d.get("shape", [])]
    if len(shape) != dims or min(shape) < 1 or int(np.prod(shape)) > MAX_NUMBERS:
        raise ValueError(f"a stored array has the wrong shape {shape}")
    raw = base64.b64decode(str(d.get("base64", "")), validate=True)
    a = np.frombuffer(raw, dtype=np.dtype(d["dtype"]).newbyteorder("<"))
    if a.size != int(np.prod(shape)) or not np.isfinite(a).all():
        raise ValueError("a stored array is truncated or holds non-numbers")
    return a.astype(np.float32).reshape(shape)


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=np.float32, copy=True)
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class Styles:
    """`ws` (num_ws, w_dim): one style per layer (a W projection repeats one row); `noise`: one
    (res, res) map per noise layer, or () for the model's own fixed noise."""

    ws: np.ndarray
    noise: tuple[np.ndarray, ...] = ()
    digest: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        ws = _frozen(self.ws)
        if ws.ndim != 2 or not np.isfinite(ws).all():
            raise UserError("a projected keyframe's styles are damaged (not a finite table of numbers)")
        noise = tuple(_frozen(np.asarray(n, np.float32).astype(np.float16)) for n in self.noise)
        if any(n.ndim != 2 or n.shape[0] != n.shape[1] or not np.isfinite(n).all() for n in noise):
            raise UserError("a projected keyframe's noise maps are damaged (each must be a finite square)")
        h = hashlib.sha256(ws.tobytes())
        for n in noise:
            h.update(n.tobytes())
        object.__setattr__(self, "ws", ws)
        object.__setattr__(self, "noise", noise)
        object.__setattr__(self, "digest", h.hexdigest())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Styles) and other.digest == self.digest

    def __hash__(self) -> int:
        return hash(self.digest)

    def to_dict(self) -> dict:
        return {"ws": _encode(self.ws, "float32"), "noise": [_encode(n, "float16") for n in self.noise]}

    @classmethod
    def from_dict(cls, d: dict) -> Styles:
        """The inverse of `to_dict`; ValueError when anything is missing or malformed."""
        if not isinstance(d, dict) or not isinstance(d.get("noise", []), list):
            raise ValueError("a projected keyframe needs its styles and a list of noise maps")
        return cls(_decode(d.get("ws"), 2), tuple(_decode(n, 2) for n in d.get("noise", [])))
