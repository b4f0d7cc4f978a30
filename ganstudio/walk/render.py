"""A walk resolved against one generator (`plan`) and drawn in batches (`Renderer`).

Rendering a plan is deterministic, so a project file replays to the same frames on the same
device. The preview, every export and the command line render through here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ganstudio.core.errors import UserError
from ganstudio.core.jobs import CancelCheck, Progress, check_cancel
from ganstudio.models.latent import noise_loop, segment_path
from ganstudio.walk.stylemix import parse_mix
from ganstudio.walk.timeline import Keyframe, Walk

RENDER_BATCH = 32


@dataclass
class WalkPlan:
    """A walk resolved for one generator: a latent (N, z_dim) and class weights (N, K) per frame, or
    for StyleGAN the per-layer styles (N, num_ws, w_dim) of every frame."""

    z: torch.Tensor  # float32, psi already applied
    classes: torch.Tensor | None  # float32 mixture of one-hot classes, None for unconditional models
    ws: torch.Tensor | None = None  # StyleGAN: the styles of every frame (truncated, layer ranges applied)
    noise: str = "const"

    def __len__(self) -> int:
        return len(self.ws) if self.ws is not None else len(self.z)


def keyframe_latent(g, kf: Keyframe) -> torch.Tensor:
    """The z of one keyframe (float64), checked against the model's latent size."""
    if kf.z is not None:
        if len(kf.z) != g.z_dim:
            raise UserError(f"a keyframe's latent has {len(kf.z)} numbers but the model expects {g.z_dim}",
                            "this walk was made for another model")
        return torch.tensor(kf.z, dtype=torch.float64)
    return g.latents([kf.seed])[0].to(torch.float64)


def plan(g, walk: Walk) -> WalkPlan:
    """Latents and class weights for every frame of `walk` on generator `g`."""
    walk.validate()
    if not g.is_image_model:
        raise UserError(f"{g.path.name} makes 2D points, not images", "open an image model (DCGAN) for a latent walk")
    keys = torch.stack([keyframe_latent(g, kf) for kf in walk.keyframes])
    if g.has_w:
        return _style_plan(g, walk, keys)
    onehots = None
    if g.num_classes:
        idx = [g.class_index(kf.cls if kf.cls is not None else 0) for kf in walk.keyframes]
        onehots = torch.nn.functional.one_hot(torch.tensor(idx), g.num_classes).to(torch.float64)
    if walk.mode == "noise":
        c = walk.noise_center
        z = noise_loop(keys[c], walk.noise_frames, walk.noise_radius, walk.noise_speed, walk.noise_seed)
        cls = None if onehots is None else onehots[c][None].expand(len(z), -1)
    else:
        frames = [kf.frames for kf in walk.keyframes]
        z = segment_path(keys, frames, walk.interp, walk.easing, walk.loop)
        # class embeddings are not Gaussian: slerp's sphere means nothing for them, so they use lerp
        cls_interp = "lerp" if walk.interp == "slerp" else walk.interp
        cls = None if onehots is None else segment_path(onehots, frames, cls_interp, walk.easing, walk.loop)
    return WalkPlan((z * walk.psi).float(), None if cls is None else cls.float())


def _style_plan(g, walk: Walk, keys: torch.Tensor) -> WalkPlan:
    """StyleGAN: each keyframe's w (its own class, truncated), travelled in w — or z mapped frame by
    frame — and, when only one layer range moves, the other layers held at keyframe 1's style."""
    labels = torch.tensor([g.class_index(kf.cls if kf.cls is not None else 0) for kf in walk.keyframes]) \
        if g.num_classes else None
    key_w = g.mapping(keys.float(), labels, walk.psi)
    if walk.mode == "noise":
        c = walk.noise_center
        z = noise_loop(keys[c], walk.noise_frames, walk.noise_radius, walk.noise_speed, walk.noise_seed)
        w = g.mapping(z.float(), None if labels is None else labels[c].repeat(len(z)), walk.psi)
    elif walk.space == "z":
        frames = [kf.frames for kf in walk.keyframes]
        z = segment_path(keys, frames, walk.interp, walk.easing, walk.loop)
        # each frame takes the class of the segment it starts in: classes do not blend in z
        owner = torch.repeat_interleave(torch.arange(len(frames)), torch.tensor(frames))[:len(z)]
        w = g.mapping(z.float(), None if labels is None else labels[owner], walk.psi)
    else:  # W is not Gaussian: slerp means nothing there, so it travels by lerp (or the smooth spline)
        interp = "lerp" if walk.interp == "slerp" else walk.interp
        w = segment_path(key_w.double(), [kf.frames for kf in walk.keyframes], interp, walk.easing, walk.loop).float()
    ws = g.ws_of(w)
    if walk.moving != "all":
        still = g.ws_of(key_w[:1])
        keep = [i for i in range(g.num_ws) if i not in set(g.layer_groups()[walk.moving])]
        ws[:, keep] = still[:, keep]
    for group, seed in parse_mix(walk.mix).items():
        held = g.mapping(g.latents([seed]), None if labels is None else labels[:1], walk.psi)
        ws[:, g.layer_groups()[group]] = held
    return WalkPlan(z=torch.zeros(len(ws), 0), classes=None, ws=ws, noise=walk.noise)


class Renderer:
    """Renders frames of a plan in batches under inference mode (the preview and every export use it)."""

    def __init__(self, g, walk_plan: WalkPlan) -> None:
        self.g = g
        self.plan = walk_plan

    def __len__(self) -> int:
        return len(self.plan)

    @torch.inference_mode()
    def render(self, indices: list[int] | range) -> np.ndarray:
        """(len(indices), H, W, 3) uint8 for the given frame numbers, in one forward pass."""
        from ganstudio.modelfiles.generator import to_uint8

        idx = torch.as_tensor(list(indices), dtype=torch.long)
        if self.plan.ws is not None:
            return self.g.synthesize(self.plan.ws[idx], self.plan.noise, noise_seeds=[int(i) for i in idx])
        z = self.plan.z[idx].to(self.g.device)
        if self.plan.classes is None:
            return to_uint8(self.g.net(z))
        from ganstudio.modelfiles.conditional import class_embedding, generate_from_embedding

        return generate_from_embedding(self.g, z, class_embedding(self.g, self.plan.classes[idx]))

    def render_all(self, progress: Progress | None = None, cancel: CancelCheck | None = None,
                   batch: int = RENDER_BATCH) -> np.ndarray:
        """Every frame, in batches; `cancel()` → Cancelled (nothing was written yet)."""
        n = len(self)
        parts = []
        for start in range(0, n, batch):
            if cancel is not None:
                check_cancel(cancel)
            parts.append(self.render(range(start, min(n, start + batch))))
            if progress is not None:
                progress(min(n, start + batch), n)
        return np.concatenate(parts)
