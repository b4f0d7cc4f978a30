"""Standalone generator files: weights plus JSON metadata, loadable without the training code.

A generator file is what the creative pages (latent walk, classes, zoo) open. It holds the
generator's weights (the EMA copy when there is one, in half precision to stay small) and a
JSON string describing the architecture, config, class names, training steps and dataset.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch import nn

from ganstudio import __version__
from ganstudio.core.config import CONDITIONAL_ARCHS, ModelConfig, model_from_dict, to_dict
from ganstudio.core.errors import UserError
from ganstudio.modelfiles.resolve import resolve_model
from ganstudio.modelfiles.torchio import atomic_torch_save, safe_torch_load
from ganstudio.models.precision import tune_inference
from ganstudio.models.stylegan import NOISE_MODES, StyleGANGenerator

FORMAT = "ganstudio-generator"
VERSION = 1
COPY_AGAIN = "the file was changed or cut short after it was written; copy or export the model again"


def _stored(state_dict: dict, half: bool) -> dict:
    return {k: (v.half() if half and v.is_floating_point() else v).detach().cpu().contiguous()
            for k, v in state_dict.items()}


def save_generator_file(path: str | Path, state_dict: dict, meta: dict, half: bool = True,
                        extra: dict[str, dict] | None = None) -> Path:
    """Write weights + metadata atomically. `meta` must be JSON-serialisable; `extra` holds other
    networks by name (a StyleGAN's D, so a later run can fine-tune from the file)."""
    obj = {"format": FORMAT, "version": VERSION, "meta": json.dumps({"app_version": __version__, **meta}),
           "weights": _stored(state_dict, half)}
    if extra:
        obj["extra"] = {name: _stored(sd, half) for name, sd in extra.items()}
    return atomic_torch_save(obj, path)


def _floats(weights: dict) -> dict:
    return {k: (v.float() if v.is_floating_point() else v) for k, v in weights.items()}


def _parse_file(obj: dict, path: Path) -> tuple[dict, dict]:
    try:
        return _floats(obj["weights"]), json.loads(obj["meta"])
    except (KeyError, TypeError, AttributeError, json.JSONDecodeError):
        raise UserError(f"{path.name} is a damaged generator file: part of it is missing or unreadable",
                        COPY_AGAIN) from None


def read_generator_file(spec: str | Path) -> tuple[dict, dict]:
    """(float32 weights, metadata) of a generator file or bundled id (checked), refusing anything else."""
    path = resolve_model(spec)
    return _parse_file(safe_torch_load(path, FORMAT, VERSION), path)


def read_generator_and(spec: str | Path, *names: str) -> tuple[dict, dict, dict[str, dict]]:
    """(generator weights, metadata, float32 weights of each network in `names` the file holds) from one
    read of the file: a StyleGAN's D travels beside its generator (see `save_generator_file`), and a run's
    checkpoint holds every network, so a later run can fine-tune."""
    path = resolve_model(spec)
    if path.is_dir() or is_checkpoint_file(path):
        from ganstudio.modelfiles.checkpoint import generator_in, load_checkpoint

        ckpt = load_checkpoint(path)
        nets = ckpt["state"].get("nets", {})
        return (*generator_in(ckpt), {n: nets[n] for n in names if n in nets})
    obj = safe_torch_load(path, FORMAT, VERSION)
    extra = obj.get("extra") or {}
    return (*_parse_file(obj, path), {n: _floats(extra[n]) for n in names if extra.get(n)})


def to_uint8(images: torch.Tensor) -> np.ndarray:
    """(B, C, H, W) in [-1, 1] → (B, H, W, 3) uint8; grey is repeated to RGB."""
    x = ((images.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)
    if x.shape[1] == 1:
        x = x.expand(-1, 3, -1, -1)
    return x.permute(0, 2, 3, 1).cpu().numpy()


@dataclass
class Generator:
    """A loaded image generator ready to sample: the one object the creative pages use."""

    net: nn.Module
    config: ModelConfig
    meta: dict
    path: Path
    device: torch.device
    class_w_avg: dict[int, torch.Tensor] = field(default_factory=dict, repr=False)  # StyleGAN: per-class w means

    @property
    def z_dim(self) -> int:
        return self.config.z_dim

    @property
    def num_classes(self) -> int:
        return self.config.num_classes if self.config.arch in CONDITIONAL_ARCHS else 0

    @property
    def class_names(self) -> list[str]:
        return list(self.meta.get("class_names") or [])

    @property
    def is_image_model(self) -> bool:
        return self.config.arch != "mlp"

    def class_index(self, name_or_index: str | int) -> int:
        """A class given by index or (case-insensitive) name; UserError if it does not exist."""
        if not self.num_classes:
            raise UserError(f"{self.path.name} is not a conditional model; it has no classes")
        if isinstance(name_or_index, int) or str(name_or_index).strip().lstrip("-").isdigit():
            idx = int(name_or_index)
            if 0 <= idx < self.num_classes:
                return idx
        else:
            lowered = [c.lower() for c in self.class_names]
            if str(name_or_index).strip().lower() in lowered:
                return lowered.index(str(name_or_index).strip().lower())
        names = f" or one of: {', '.join(self.class_names)}" if self.class_names else ""
        raise UserError(f"class '{name_or_index}' does not exist", f"choose 0–{self.num_classes - 1}{names}")

    def latents(self, seeds: list[int]) -> torch.Tensor:
        """One z per seed, identical on every device: drawn on the CPU from the seed alone."""
        return torch.stack([torch.randn(self.z_dim, generator=torch.Generator().manual_seed(int(s))) for s in seeds])

    @torch.no_grad()
    def generate(self, z: torch.Tensor, labels: torch.Tensor | None = None, batch: int = 256, psi: float = 1.0,
                 noise: str = "const") -> np.ndarray:
        """Latents (N, z_dim) [+ labels (N,)] → images (N, H, W, 3) uint8, or points (N, 2) float.

        `psi` is the truncation: toward `w_avg` in W for StyleGAN, z scaled toward 0 for the others.
        `noise` (StyleGAN): const (a seed always draws the same picture), random or none.
        """
        if self.has_w:
            return self.synthesize(self.ws_of(self.mapping(z, labels, psi)), noise)
        outs = []
        for i in range(0, len(z), batch):
            zb = z[i:i + batch].to(self.device, torch.float32) * psi
            yb = labels[i:i + batch].to(self.device) if labels is not None else None
            if self.num_classes and yb is None:
                yb = torch.zeros(len(zb), dtype=torch.long, device=self.device)
            out = self.net(zb, yb)
            outs.append(to_uint8(out) if self.is_image_model else out.cpu().numpy())
        return np.concatenate(outs) if outs else np.zeros((0,))

    # -- StyleGAN's W space: mapping, truncation, per-layer styles -----------------------
    @property
    def has_w(self) -> bool:
        """Whether the model has a mapping network, so walks and mixing can work in W."""
        return self.config.arch == "stylegan"

    def _style_net(self) -> StyleGANGenerator:
        if not isinstance(self.net, StyleGANGenerator):
            raise UserError(f"{self.path.name} has no style space", "style mixing needs a StyleGAN model")
        return self.net

    @property
    def num_ws(self) -> int:
        return self._style_net().num_ws

    def layer_groups(self) -> dict[str, list[int]]:
        """Which w of an image's num_ws each layer group takes: coarse (4–8 px: pose, layout), middle
        (16–32 px: features) and fine (64 px up: colour, texture); a 32 px model's fine layers are its 32 px ones."""
        res = [min(4 if i == 0 else 8 * 2 ** ((i - 1) // 2), self.config.img_size) for i in range(self.num_ws)]
        fine_from = min(64, self.config.img_size)
        return {"coarse": [i for i, r in enumerate(res) if r <= 8],
                "middle": [i for i, r in enumerate(res) if 8 < r < fine_from],
                "fine": [i for i, r in enumerate(res) if r >= fine_from]}

    @torch.no_grad()
    def w_avg(self, labels: torch.Tensor | None = None) -> torch.Tensor:
        """The centre truncation pulls toward (N or 1, w_dim): the trained mean of w, or per class the
        mean over 2,048 fixed latents of that class (the run's mean mixes every class)."""
        net = self._style_net()
        if not self.num_classes or labels is None:
            return net.w_avg.detach().float().cpu()[None]
        cache = self.class_w_avg
        z = torch.randn(2048, self.z_dim, generator=torch.Generator().manual_seed(0)).to(self.device)
        for k in {int(v) for v in labels.tolist()} - set(cache):
            y = torch.full((len(z),), k, dtype=torch.long, device=self.device)
            cache[k] = net.mapping(z, net.class_vector(y)).mean(0).float().cpu()
        return torch.stack([cache[int(v)] for v in labels.tolist()])

    @torch.no_grad()
    def mapping(self, z: torch.Tensor, labels: torch.Tensor | None = None, psi: float = 1.0) -> torch.Tensor:
        """Latents (N, z_dim) → w (N, w_dim) on the CPU, truncated toward `w_avg` by `psi`."""
        net = self._style_net()
        if self.num_classes and labels is None:
            labels = torch.zeros(len(z), dtype=torch.long)
        ws = []
        for i in range(0, len(z), 256):
            yb = labels[i:i + 256].to(self.device) if labels is not None else None
            ws.append(net.mapping(z[i:i + 256].to(self.device, torch.float32), net.class_vector(yb)).float().cpu())
        w = torch.cat(ws) if ws else torch.zeros(0, self.z_dim)
        if psi != 1.0:
            avg = self.w_avg(labels)
            w = avg + psi * (w - avg)
        return w

    def ws_of(self, w: torch.Tensor) -> torch.Tensor:
        """One w for every layer: (N, w_dim) → (N, num_ws, w_dim)."""
        return w[:, None].repeat(1, self.num_ws, 1)

    def const_noise(self) -> list[torch.Tensor]:
        """The fixed noise maps ("const" noise), one (1, 1, res, res) float32 CPU tensor per noise layer."""
        return [layer.noise_const.detach().float().cpu().clone() for layer in self._style_net().synthesis.layers()]

    @torch.no_grad()
    def synthesize(self, ws: torch.Tensor, noise: str = "const", noise_seeds: list[int] | None = None,
                   batch: int = 64, noise_maps: list[torch.Tensor] | None = None) -> np.ndarray:
        """Per-layer styles (N, num_ws, w_dim) → images (N, H, W, 3) uint8. Random noise is drawn from
        `noise_seeds` (one per image) when given, so a rendered walk replays to the same frames.
        `noise_maps` (one (N, 1, res, res) per layer of `const_noise`) replace the noise (a projected photo's)."""
        net = self._style_net()
        if noise not in NOISE_MODES:
            raise UserError(f"unknown noise setting '{noise}'", f"choose one of {', '.join(NOISE_MODES)}")
        if noise == "random" and noise_seeds is not None:  # image by image, so batching cannot change a frame
            batch = 1
        outs = []
        for i in range(0, len(ws), batch):
            wb = ws[i:i + batch].to(self.device, torch.float32)
            maps = None if noise_maps is None else [m[i:i + batch].to(self.device, torch.float32) for m in noise_maps]
            with torch.random.fork_rng(devices=[]):
                if noise_seeds is not None:
                    torch.manual_seed(int(noise_seeds[i]))
                outs.append(to_uint8(net.synthesis(wb, noise, maps)))
        return np.concatenate(outs) if outs else np.zeros((0, 1, 1, 3), np.uint8)


def read_generator(spec: str | Path) -> tuple[dict, dict, Path]:
    """(weights, metadata, path) of the generator in a bundled id, generator file, checkpoint or run folder."""
    path = resolve_model(spec)
    if path.is_dir() or is_checkpoint_file(path):
        from ganstudio.modelfiles.checkpoint import generator_from_checkpoint

        return (*generator_from_checkpoint(path), path)
    return (*read_generator_file(path), path)


def load_generator(spec: str | Path, device: torch.device | str = "cpu") -> Generator:
    """Rebuild and load a GAN generator from a bundled id, a generator file, a checkpoint or a run folder."""
    from ganstudio.models import build_generator

    weights, meta, path = read_generator(spec)
    if meta.get("kind", "gan") != "gan":
        raise UserError(f"{path.name} is a {meta.get('kind')} model, not an image generator")
    try:
        cfg = model_from_dict(meta["model"])
        net = build_generator(cfg)
        net.load_state_dict(weights)
    except (KeyError, TypeError, ValueError, RuntimeError):
        raise UserError(f"{path.name} does not match its own architecture description", COPY_AGAIN) from None
    device = torch.device(device)
    net = net.to(device).eval()
    tune_inference(net, cfg, device)  # bf16 where it holds and measured faster on this machine
    return Generator(net, cfg, meta, path, device)


def is_checkpoint_file(path: Path) -> bool:
    """Training checkpoints are named ckpt_<step>.pt; generator files are anything else."""
    return path.name.startswith("ckpt_") and path.suffix == ".pt"


def generator_meta(cfg_model: ModelConfig, **extra) -> dict:
    """Metadata describing a GAN generator; `extra` adds steps, dataset, class names, …"""
    return {"kind": "gan", "arch": cfg_model.arch, "model": to_dict(cfg_model), **extra}
