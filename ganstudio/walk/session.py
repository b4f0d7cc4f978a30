"""The Latent Walk page's state and rules, without Qt: what the page shows and what it must render.

A `WalkSession` holds the open generator, the walk being built (keyframes, selection,
settings), the seed grid, the free vector, the frame cache and the keyframe thumbnails.
Every forward pass is handed out as a `Request` whose `fn` the caller runs off the GUI
thread; its result comes back through `accept`. Each kind of request has an id, and only
the newest one of a kind counts ("newest request wins"), except that frames rendered for
the current walk version are kept even when a newer frame request has been made since.
Any change to the walk bumps `version`, which empties the frame cache.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import torch

from ganstudio.core.errors import UserError
from ganstudio.core.jobs import MAX_SEED
from ganstudio.walk.render import Renderer, check_keyframe, keyframe_images, plan
from ganstudio.walk.stylemix import Mix, mix_picture
from ganstudio.walk.styles import Styles
from ganstudio.walk.timeline import Keyframe, Walk

PLAY_BATCH = 16  # frames per request while playing: one-frame batches run ~5× slower on a CPU (bench/walk_bench.py)
CACHE_FRAMES = 3000  # preview frames kept; more (long walks at 128 px) would cost too much memory
STARTER_SEEDS = (0, 1, 2)  # the first walk of a bundled model, before the user pins their own
THUMB_CACHE = 512  # keyframe thumbnails kept (a handful per keyframe and ψ)


@dataclass(frozen=True)
class Request:
    """One forward pass to run off the GUI thread. `tag` says what it renders (seeds, frames, keys)."""

    kind: str
    id: int
    tag: Any
    fn: Callable[[], Any]


def _thumb_key(kf: Keyframe, psi: float) -> tuple:
    return kf.seed, kf.z, kf.styles, kf.cls, psi


class WalkSession:
    """See the module docstring. `g` is the open generator (None until one is opened)."""

    def __init__(self) -> None:
        self.g: Any = None
        self.walk = Walk()
        self.selected = -1  # selected keyframe; the noise loop wanders around it
        self.version = 0
        self.renderer: Renderer | None = None
        self.cache: dict[int, np.ndarray] = {}
        self.frame_index = 0
        self.inflight: list[int] = []  # frames of the newest frame request not yet back
        self.playing = False
        self.seed_start = 0
        self.grid_size = 16
        self.grid_class: int | None = None
        self.grid_seeds_shown: list[int] = []
        self.grid_selected = -1
        self.free_z: torch.Tensor | None = None  # (z_dim,) float64: the nudgeable latent
        self.free_image: np.ndarray | None = None
        self.mix_image: np.ndarray | None = None  # StyleGAN: the style-mixing picture
        self._nudges = 0
        self.thumbs: dict[tuple, np.ndarray] = {}
        self._latest: dict[str, int] = {}
        self._ids = 0
        self._opened_at = 0  # requests up to this id were made for an earlier model

    # -- model -------------------------------------------------------------------------------
    def switch_question(self, g: Any) -> str:
        """What opening `g` would lose, as a question for the user ('' when every keyframe carries over).

        A seed draws a latent of any size, so seed keyframes always carry over (at another latent
        size they show other pictures); a free vector fits only a model of its own latent size."""
        keys = self.walk.keyframes
        if self.g is None or not keys:
            return ""
        photos = 0 if self._fits(g) else sum(kf.styles is not None for kf in keys)
        if g.z_dim == self.g.z_dim:
            return "" if not photos else (f"{g.path.name} cannot draw the styles the {photos} photo keyframe(s) were "
                                          "projected into, so they will be dropped. Keep the other keyframes?")
        free = sum(kf.z is not None for kf in keys) + photos
        lost = f" and drops the {free} free-vector and photo keyframe(s)" if free else ""
        return (f"{g.path.name} has latent size {g.z_dim}, not {self.g.z_dim}: the same seeds will show "
                f"other pictures{lost}. Keep the seed keyframes?")

    def _fits(self, g: Any) -> bool:
        """Whether `g` can draw the photo keyframes' styles (a StyleGAN of the same shape)."""
        try:
            for kf in self.walk.keyframes:
                if kf.styles is not None:
                    check_keyframe(g, kf)
        except UserError:
            return False
        return True

    def _carried(self, g: Any, keep: bool) -> tuple[Keyframe, ...]:
        """The keyframes that move to `g`: free vectors only at the same latent size; classes fitted to `g`."""
        if not keep or self.g is None:
            return ()
        same, styles_fit = g.z_dim == self.g.z_dim, self._fits(g)
        n = g.num_classes
        return tuple(replace(kf, cls=(kf.cls if kf.cls is not None and kf.cls < n else 0) if n else None)
                     for kf in self.walk.keyframes
                     if (kf.styles is not None and styles_fit) or (kf.styles is None and (same or kf.z is None)))

    def open(self, g: Any, keep: bool = True) -> None:
        """Switch to generator `g`: the keyframes that fit it stay (`keep`, see `switch_question`);
        no free vector, an empty grid."""
        if not g.is_image_model:
            raise UserError(f"{g.path.name} makes 2D points, not images",
                            "open an image model (DCGAN) for a latent walk")
        keys = self._carried(g, keep)
        self.g = g
        self.walk = replace(self.walk, keyframes=keys)
        self.selected = len(keys) - 1 if keys else -1
        self.free_z, self.free_image, self.mix_image = None, None, None
        self.grid_seeds_shown, self.grid_selected = [], -1
        self.grid_class = 0 if g.num_classes else None
        self.thumbs.clear()
        self._opened_at = self._ids  # results for the old model are stale
        self.rebuild()

    def starter(self, seeds: tuple[int, ...] = STARTER_SEEDS) -> None:
        """Pin a first walk through `seeds` (through classes 0, 1, … for a conditional model) when
        there are no keyframes, so a model opened from the start page shows a morph at once."""
        if self.g is None or self.walk.keyframes:
            return
        n = self.g.num_classes
        self.set_keyframes([Keyframe(seed=s, cls=i % n if n else None) for i, s in enumerate(seeds)], 0)

    # -- the walk ----------------------------------------------------------------------------
    def current_walk(self) -> Walk:
        """The walk as it would be saved (the noise loop centres on the selected keyframe)."""
        return replace(self.walk, noise_center=max(self.selected, 0))

    def keyframes(self) -> list[Keyframe]:
        return list(self.walk.keyframes)

    def update(self, **settings: Any) -> None:
        """Change walk settings (interp, loop, psi, mode, noise_*, fps); fps alone keeps the frames."""
        old = self.walk
        self.walk = replace(old, **settings)
        if replace(self.walk, fps=old.fps) != old:
            self.rebuild()

    def set_keyframes(self, keys: list[Keyframe], selected: int) -> None:
        """Replace the keyframes (after a reorder, a removal or an edit) and the selection."""
        self.walk = replace(self.walk, keyframes=tuple(keys))
        self.selected = selected if 0 <= selected < len(keys) else -1
        self.rebuild()

    def add_keyframe(self, kf: Keyframe) -> None:
        """Append `kf` and select it; UserError when it does not fit the model (latent size)."""
        if self.g is None:
            return
        check_keyframe(self.g, kf)
        keys = [*self.walk.keyframes, kf]
        self.set_keyframes(keys, len(keys) - 1)

    def remove_selected(self) -> None:
        if self.selected >= 0:
            keys = self.keyframes()
            del keys[self.selected]
            self.set_keyframes(keys, min(self.selected, len(keys) - 1))

    def move_selected(self, delta: int) -> None:
        """Move the selected keyframe `delta` places (no-op at either end)."""
        row, keys = self.selected, self.keyframes()
        target = row + delta
        if row >= 0 and 0 <= target < len(keys):
            keys.insert(target, keys.pop(row))
            self.set_keyframes(keys, target)

    def select(self, row: int) -> None:
        """Select a keyframe; in noise mode this re-centres the loop (a new walk)."""
        self.selected = row if 0 <= row < len(self.walk.keyframes) else -1
        if self.walk.mode == "noise":
            self.rebuild()

    def edit_selected(self, frames: int, cls: int | None) -> None:
        if self.selected >= 0:
            keys = self.keyframes()
            keys[self.selected] = replace(keys[self.selected], frames=frames, cls=cls)
            self.set_keyframes(keys, self.selected)

    def apply(self, walk: Walk) -> None:
        """Take a saved walk whole (a project); UserError when it does not fit the open model."""
        if self.g is not None:
            plan(self.g, walk)
        self.walk = walk
        self.selected = min(walk.noise_center, len(walk.keyframes) - 1)
        self.rebuild()

    def ready(self) -> bool:
        w = self.walk
        return self.g is not None and (len(w.keyframes) >= 2 or (w.mode == "noise" and len(w.keyframes) > 0))

    def rebuild(self) -> None:
        """Re-plan after any change; frames rendered for the old walk are dropped. UserError if it cannot plan."""
        self.version += 1
        self.cache.clear()
        self.inflight = []
        self.renderer = None
        n = 0
        try:
            if self.ready():
                self.renderer = Renderer(self.g, plan(self.g, self.current_walk()))
                n = len(self.renderer)
        finally:
            self.frame_index = min(self.frame_index, max(n - 1, 0))
            if n == 0:
                self.playing = False

    def frame_count(self) -> int:
        return len(self.renderer) if self.renderer else 0

    # -- preview frames ----------------------------------------------------------------------
    def seek(self, index: int) -> Request | None:
        """Show frame `index`: None when it is cached (draw it), else the request that renders it."""
        n = self.frame_count()
        if n == 0:
            return None
        self.frame_index = index % n
        if self.frame_index in self.cache:
            return self.prefetch() if self.playing else None
        return self._frames([self.frame_index])

    def prefetch(self) -> Request | None:
        """While playing: the next missing frames (up to a batch) after the current one, unless a
        request is still out (asking again would render the same frames twice)."""
        n = self.frame_count()
        if self.inflight or n == 0:
            return None
        ahead = [(self.frame_index + k) % n for k in range(1, n + 1)]
        if all(i in self.cache for i in ahead[:PLAY_BATCH * 2]):
            return None
        return self._frames([i for i in ahead if i not in self.cache][:PLAY_BATCH])

    def tick(self) -> tuple[bool, Request | None]:
        """One play step: (moved on, request). Waits for the renderer rather than skipping frames."""
        nxt = (self.frame_index + 1) % max(self.frame_count(), 1)
        if nxt in self.cache:
            return True, self.seek(nxt)
        return False, self.prefetch()

    def set_playing(self, on: bool) -> Request | None:
        self.playing = on and self.frame_count() > 0
        return self.prefetch() if self.playing else None

    def current_frame(self) -> np.ndarray | None:
        return self.cache.get(self.frame_index)

    def _frames(self, indices: list[int]) -> Request:
        renderer = self.renderer
        assert renderer is not None
        self.inflight = indices
        return self._issue("frames", (self.version, indices), lambda: renderer.render(indices))

    # -- seed grid, free vector, thumbnails --------------------------------------------------
    def grid_seeds(self) -> list[int]:
        return list(range(self.seed_start, min(self.seed_start + self.grid_size, MAX_SEED + 1)))

    def selected_seed(self) -> int | None:
        i = self.grid_selected
        return self.grid_seeds_shown[i] if 0 <= i < len(self.grid_seeds_shown) else None

    def labels(self, n: int, cls: int | None) -> torch.Tensor | None:
        if cls is None or not self.g.num_classes:
            return None
        return torch.full((n,), cls, dtype=torch.long)

    def grid_request(self) -> Request | None:
        if self.g is None:
            return None
        g, seeds, psi = self.g, self.grid_seeds(), self.walk.psi
        labels = self.labels(len(seeds), self.grid_class)
        return self._issue("grid", tuple(seeds), lambda: g.generate(g.latents(seeds), labels, psi=psi))

    def edit_as_free(self, seed: int) -> Request:
        """Copy a seed's latent into the free vector; returns the request that draws it."""
        self.free_z = self.g.latents([seed])[0].double()
        return self.free_request()

    def nudge(self, step: float) -> Request | None:
        """Move the free vector one step in a random direction (a unit vector times step·√z_dim)."""
        if self.free_z is None:
            return None
        self._nudges += 1
        d = torch.randn(self.g.z_dim, generator=torch.Generator().manual_seed(self._nudges), dtype=torch.float64)
        self.free_z = self.free_z + step * d / d.norm() * self.g.z_dim ** 0.5
        return self.free_request()

    def free_request(self) -> Request:
        assert self.free_z is not None
        g, z, psi = self.g, self.free_z.clone(), self.walk.psi
        labels = self.labels(1, self.grid_class)
        return self._issue("free", None, lambda: g.generate(z[None].float(), labels, psi=psi)[0])

    def free_keyframe(self, frames: int) -> Keyframe | None:
        if self.free_z is None:
            return None
        return Keyframe(z=tuple(float(x) for x in self.free_z.float()), cls=self.grid_class, frames=frames)

    def thumb(self, kf: Keyframe) -> np.ndarray | None:
        return self.thumbs.get(_thumb_key(kf, self.walk.psi))

    def thumbs_request(self) -> Request | None:
        """One batched forward pass for every keyframe whose thumbnail (at this ψ) is missing."""
        psi = self.walk.psi
        missing = list(dict.fromkeys(kf for kf in self.walk.keyframes if self.thumb(kf) is None))
        if self.g is None or not missing:
            return None
        g = self.g
        return self._issue("thumbs", [_thumb_key(kf, psi) for kf in missing], lambda: keyframe_images(g, missing, psi))

    def mix_request(self, mix: Mix, photo: Styles | None = None) -> Request | None:
        """StyleGAN: draw the picture whose layer groups come from the seeds `mix` names, on a projected
        `photo` instead of the base seed when given (None: no style space)."""
        g = self.g
        if g is None or not g.has_w:
            return None
        mix.validate()
        noise = self.walk.noise
        return self._issue("mix", (mix, photo), lambda: mix_picture(g, mix, noise, photo))

    # -- results -----------------------------------------------------------------------------
    def _issue(self, kind: str, tag: Any, fn: Callable[[], Any]) -> Request:
        self._ids += 1
        self._latest[kind] = self._ids
        return Request(kind, self._ids, tag, fn)

    def is_latest(self, request: Request) -> bool:
        return self._latest.get(request.kind) == request.id

    def accept(self, request: Request, result: Any) -> bool:
        """Take a finished request's result; False when it is stale and was dropped."""
        if request.id <= self._opened_at:
            return False
        if request.kind == "frames":
            version, indices = request.tag
            if self.is_latest(request):
                self.inflight = []
            if version != self.version:
                return False
            if len(self.cache) + len(indices) > CACHE_FRAMES:
                self.cache.clear()
            self.cache.update(zip(indices, result, strict=True))
            return True
        if request.kind == "thumbs":  # keyed by what they show, so never stale
            if len(self.thumbs) + len(request.tag) > THUMB_CACHE:
                self.thumbs.clear()
            self.thumbs.update(zip(request.tag, result, strict=True))
            return True
        if not self.is_latest(request):
            return False
        if request.kind == "grid":
            self.grid_seeds_shown = list(request.tag)
            if self.grid_selected >= len(self.grid_seeds_shown):
                self.grid_selected = -1
        elif request.kind == "mix":
            self.mix_image = result
        else:
            self.free_image = result
        return True

    def failed(self, request: Request) -> None:
        """A request raised: stop playing (the page shows the error)."""
        if request.kind == "frames" and self.is_latest(request):
            self.inflight = []
        self.playing = False
