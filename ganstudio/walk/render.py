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
    for StyleGAN the per-layer styles (N, num_ws, w_dim) of every frame. A projected photo's own noise
    maps travel as one difference from the model's fixed noise per photo (`noise_deltas`, (P, 1, r, r)
    per noise layer) and each frame's share of each photo (`noise_weights`, (N, P))."""

    z: torch.Tensor  # float32, psi already applied
    classes: torch.Tensor | None  # float32 mixture of one-hot classes, None for unconditional models
    ws: torch.Tensor | None = None  # StyleGAN: the styles of every frame (truncated, layer ranges applied)
    noise: str = "const"
    noise_deltas: list[torch.Tensor] | None = None
    noise_weights: torch.Tensor | None = None

    def __len__(self) -> int:
        return len(self.ws) if self.ws is not None else len(self.z)


def keyframe_latent(g, kf: Keyframe) -> torch.Tensor:
    """The z of one seed or vector keyframe (float64), checked against the model's latent size."""
    if kf.styles is not None:
        raise UserError(f"the keyframe of {kf.photo or 'a photo'} holds styles, not a z",
                        "travel through styles (w) in a walk through a projected photo")
    if kf.z is not None:
        if len(kf.z) != g.z_dim:
            raise UserError(f"a keyframe's latent has {len(kf.z)} numbers but the model expects {g.z_dim}",
                            "this walk was made for another model")
        return torch.tensor(kf.z, dtype=torch.float64)
    return g.latents([kf.seed])[0].to(torch.float64)


def check_keyframe(g, kf: Keyframe) -> None:
    """UserError when `kf` does not fit `g`: a latent of another size, or styles made for another model."""
    if kf.styles is None:
        keyframe_latent(g, kf)
        return
    if not g.has_w:
        raise UserError(f"the keyframe of {kf.photo or 'a photo'} holds a StyleGAN's styles; "
                        f"{g.path.name} has no style space", "open the StyleGAN it was projected into")
    noise_sides = [n.shape[-1] for n in g.const_noise()]
    if kf.styles.ws.shape != (g.num_ws, g.z_dim) or \
            (kf.styles.noise and [n.shape[0] for n in kf.styles.noise] != noise_sides):
        raise UserError(f"the keyframe of {kf.photo or 'a photo'} was projected into a model of another shape",
                        "open the model it was projected into")


def plan(g, walk: Walk) -> WalkPlan:
    """Latents and class weights for every frame of `walk` on generator `g`."""
    walk.validate()
    if not g.is_image_model:
        raise UserError(f"{g.path.name} makes 2D points, not images", "open an image model (DCGAN) for a latent walk")
    for kf in walk.keyframes:
        check_keyframe(g, kf)
    if g.has_w:
        return _style_plan(g, walk)
    keys = torch.stack([keyframe_latent(g, kf) for kf in walk.keyframes])
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


def key_styles(g, keys: tuple[Keyframe, ...] | list[Keyframe], psi: float,
               labels: torch.Tensor | None) -> torch.Tensor:
    """(K, num_ws, w_dim): each keyframe's per-layer styles, truncated toward its class's w_avg by `psi`;
    a seed or vector maps to one style for every layer, a projected photo keeps its own."""
    out = torch.zeros(len(keys), g.num_ws, g.z_dim)
    mapped = [i for i, kf in enumerate(keys) if kf.styles is None]
    if mapped:
        z = torch.stack([keyframe_latent(g, keys[i]) for i in mapped]).float()
        out[mapped] = g.ws_of(g.mapping(z, None if labels is None else labels[mapped], psi))
    for i, kf in enumerate(keys):
        if kf.styles is not None:
            ws = torch.from_numpy(kf.styles.ws.copy())
            avg = g.w_avg(None if labels is None else labels[i:i + 1])
            out[i] = avg + psi * (ws - avg) if psi != 1.0 else ws
    return out


def keyframe_images(g, keys: list[Keyframe], psi: float) -> np.ndarray:
    """(K, H, W, 3) uint8: each keyframe's own picture at truncation `psi`, in one batch (the thumbnails);
    a projected photo with its own noise maps."""
    labels = torch.tensor([g.class_index(kf.cls if kf.cls is not None else 0) for kf in keys]) \
        if g.num_classes else None
    if not g.has_w:
        return g.generate(torch.stack([keyframe_latent(g, kf) for kf in keys]).float(), labels, psi=psi)
    maps = None
    if any(kf.styles is not None and kf.styles.noise for kf in keys):
        const = g.const_noise()
        own = [[torch.from_numpy(kf.styles.noise[i].copy())[None] if kf.styles is not None and kf.styles.noise
                else c[0] for i, c in enumerate(const)] for kf in keys]
        maps = [torch.stack([per_key[i] for per_key in own]) for i in range(len(const))]
    return g.synthesize(key_styles(g, keys, psi, labels), "const", noise_maps=maps)


def _style_plan(g, walk: Walk) -> WalkPlan:
    """StyleGAN: each keyframe's styles (its own class, truncated), travelled in w — or z mapped frame by
    frame — and, when only one layer range moves, the other layers held at keyframe 1's style."""
    keys = walk.keyframes
    labels = torch.tensor([g.class_index(kf.cls if kf.cls is not None else 0) for kf in keys]) \
        if g.num_classes else None
    key_ws = key_styles(g, keys, walk.psi, labels)
    weights = None
    if walk.mode == "noise":
        c = walk.noise_center
        if keys[c].styles is not None:
            raise UserError("a noise loop wanders around a seed or a free vector, not a projected photo",
                            "select another keyframe as the loop's centre, or morph through the photo")
        z = noise_loop(keyframe_latent(g, keys[c]), walk.noise_frames, walk.noise_radius, walk.noise_speed,
                       walk.noise_seed)
        ws = g.ws_of(g.mapping(z.float(), None if labels is None else labels[c].repeat(len(z)), walk.psi))
    elif walk.space == "z":
        z_keys = torch.stack([keyframe_latent(g, kf) for kf in keys])  # a photo keyframe refuses here
        frames = [kf.frames for kf in keys]
        z = segment_path(z_keys, frames, walk.interp, walk.easing, walk.loop)
        # each frame takes the class of the segment it starts in: classes do not blend in z
        owner = torch.repeat_interleave(torch.arange(len(frames)), torch.tensor(frames))[:len(z)]
        ws = g.ws_of(g.mapping(z.float(), None if labels is None else labels[owner], walk.psi))
    else:  # W is not Gaussian: slerp means nothing there, so it travels by lerp (or the smooth spline)
        interp = "lerp" if walk.interp == "slerp" else walk.interp
        # every frame is a weighted sum of the keyframes (each path is linear in them): the same weights
        # blend the styles and a photo's noise maps
        weights = segment_path(torch.eye(len(keys), dtype=torch.float64), [kf.frames for kf in keys], interp,
                               walk.easing, walk.loop)
        ws = torch.einsum("nk,kld->nld", weights, key_ws.double()).float()
    if walk.moving != "all":
        keep = [i for i in range(g.num_ws) if i not in set(g.layer_groups()[walk.moving])]
        ws[:, keep] = key_ws[:1, keep]
    for group, seed in parse_mix(walk.mix).items():
        held = g.mapping(g.latents([seed]), None if labels is None else labels[:1], walk.psi)
        ws[:, g.layer_groups()[group]] = held
    deltas, shares = _photo_noise(g, keys, weights)
    return WalkPlan(z=torch.zeros(len(ws), 0), classes=None, ws=ws, noise=walk.noise, noise_deltas=deltas,
                    noise_weights=shares)


def _photo_noise(g, keys: tuple[Keyframe, ...], weights: torch.Tensor | None
                 ) -> tuple[list[torch.Tensor] | None, torch.Tensor | None]:
    """The projected photos' noise maps as differences from the model's own, and each frame's share of them."""
    photos = [(i, kf.styles) for i, kf in enumerate(keys) if kf.styles is not None and kf.styles.noise]
    if weights is None or not photos:
        return None, None
    const = g.const_noise()
    deltas = [torch.stack([torch.from_numpy(styles.noise[layer].copy())[None] - const[layer][0]
                           for _, styles in photos]) for layer in range(len(const))]
    return deltas, weights[:, [i for i, _ in photos]].float()


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
        p = self.plan
        if p.ws is not None:
            maps = None
            if p.noise_deltas is not None and p.noise_weights is not None and p.noise == "const":
                share = p.noise_weights[idx]  # (B, P)
                maps = [c + torch.einsum("bp,pchw->bchw", share, d)
                        for c, d in zip(self.g.const_noise(), p.noise_deltas, strict=True)]
            return self.g.synthesize(p.ws[idx], p.noise, noise_seeds=[int(i) for i in idx], noise_maps=maps)
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
