"""Frozen dataclasses: the one home of defaults for models, data and training runs.

Configs round-trip through plain dicts (`to_dict` / `from_dict`) so they can be stored in
checkpoints and generator files as JSON and rebuilt without any training code.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

ARCHS = ("mlp", "dcgan", "cdcgan")
LOSSES = ("bce", "lsgan", "hinge", "wgan-gp")
TOY_SETS = ("ring8", "grid25", "swissroll", "moons", "spiral")
TV_SETS = ("mnist", "fashion-mnist", "cifar10")
DATA_KINDS = ("toy", "csv", "folder") + TV_SETS
DCGAN_SIZES = (28, 32, 64, 128)


@dataclass(frozen=True)
class ModelConfig:
    """Architecture of a generator / discriminator pair."""

    arch: str = "mlp"  # mlp | dcgan | cdcgan
    z_dim: int = 2  # latent size
    img_size: int = 28  # dcgan / cdcgan: 28, 32, 64 or 128
    channels: int = 1  # image channels: 1 or 3
    base_ch: int = 64  # width of the conv nets
    hidden: int = 256  # mlp: hidden units per layer
    layers: int = 3  # mlp: hidden layers
    num_classes: int = 0  # cdcgan: number of classes
    cond_d: str = "projection"  # cdcgan discriminator conditioning: projection | concat
    spectral_norm: bool = False  # spectral normalisation in D


@dataclass(frozen=True)
class DataConfig:
    """Where training data comes from."""

    kind: str = "toy"  # toy | csv | folder | mnist | fashion-mnist | cifar10
    name: str = "ring8"  # toy set name
    path: str = ""  # csv file or image folder
    root: str = ""  # torchvision root ("" = the user's data folder)
    download: bool = True  # torchvision: download when missing
    limit: int = 0  # use at most this many images (0 = all)


@dataclass(frozen=True)
class TrainConfig:
    """One training run: model, data, loss and optimisation settings."""

    model: ModelConfig = field(default_factory=ModelConfig)
    data: DataConfig = field(default_factory=DataConfig)
    loss: str = "bce"  # bce | lsgan | hinge | wgan-gp
    steps: int = 2000  # generator updates
    batch: int = 256
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    beta1: float = 0.5
    beta2: float = 0.999
    n_critic: int = 1  # discriminator updates per generator update
    gp_weight: float = 10.0  # wgan-gp gradient penalty weight
    ema: bool = False  # keep an exponential moving average of G for sampling
    ema_decay: float = 0.999
    seed: int = 0
    device: str = "auto"  # auto | cpu | cuda | mps
    out_dir: str = "runs/run"
    sample_every: int = 100  # steps between sample grids
    ckpt_every: int = 500  # steps between checkpoints
    keep_last: int = 3  # checkpoints kept
    log_every: int = 10  # steps between statistics events
    n_samples: int = 64  # images in the fixed-z sample grid


def preset(arch: str, data_kind: str, name: str = "balanced") -> dict[str, Any]:
    """Sensible settings for a model on a kind of data; 'quick' suits a CPU preview, 'quality' a GPU.

    Returns TrainConfig fields plus a 'model' dict of ModelConfig fields.
    """
    if arch == "mlp":
        model = {"arch": "mlp", "z_dim": 8, "hidden": 256, "layers": 3}
        run = {"loss": "bce", "batch": 256, "lr_g": 1e-3, "lr_d": 1e-3, "beta1": 0.5, "steps": 3000,
               "sample_every": 50, "log_every": 10, "ckpt_every": 1000}
        if name == "quick":
            run["steps"] = 1000
        elif name == "quality":
            run.update(steps=10000, batch=512)
        return {"model": model, **run}
    colour = data_kind in ("cifar10", "folder")
    size = 28 if data_kind in ("mnist", "fashion-mnist") else 64
    model = {"arch": arch, "z_dim": 100, "img_size": size, "channels": 3 if colour else 1, "base_ch": 64}
    run = {"loss": "bce", "batch": 64, "lr_g": 2e-4, "lr_d": 2e-4, "beta1": 0.5, "steps": 5000,
           "sample_every": 100, "log_every": 10, "ckpt_every": 500, "ema": True}
    if name == "quick":
        model.update(base_ch=32, img_size=min(size, 32))
        run.update(steps=1000, sample_every=50)
    elif name == "quality":
        model.update(base_ch=64 if size <= 32 else 128)
        run.update(steps=20000, batch=128)
    return {"model": model, **run}


def to_dict(cfg: Any) -> dict:
    """Nested dataclass → plain dict (JSON-ready)."""
    return asdict(cfg)


def _build(cls: type, data: dict) -> Any:
    known = {f.name: f for f in fields(cls)}
    kwargs = {}
    for key, value in data.items():
        if key not in known:
            continue  # fields from a newer minor version are ignored, not fatal
        if key == "model":
            value = _build(ModelConfig, value)
        elif key == "data":
            value = _build(DataConfig, value)
        kwargs[key] = value
    return cls(**kwargs)


def model_from_dict(data: dict) -> ModelConfig:
    return _build(ModelConfig, data)


def train_from_dict(data: dict) -> TrainConfig:
    return _build(TrainConfig, data)


def validate(cfg: TrainConfig) -> None:
    """Raise UserError for settings that cannot work, before any work starts."""
    from ganstudio.errors import UserError

    m = cfg.model
    if m.arch not in ARCHS:
        raise UserError(f"unknown model '{m.arch}'", f"choose one of {', '.join(ARCHS)}")
    if cfg.loss not in LOSSES:
        raise UserError(f"unknown loss '{cfg.loss}'", f"choose one of {', '.join(LOSSES)}")
    if cfg.data.kind not in DATA_KINDS:
        raise UserError(f"unknown data kind '{cfg.data.kind}'", f"choose one of {', '.join(DATA_KINDS)}")
    if m.arch != "mlp" and m.img_size not in DCGAN_SIZES:
        raise UserError(f"image size {m.img_size} is not supported", "use 28, 32, 64 or 128")
    if m.channels not in (1, 3):
        raise UserError(f"{m.channels} channels is not supported", "use 1 (grey) or 3 (colour)")
    for name in ("steps", "batch", "n_critic", "sample_every", "ckpt_every", "log_every", "keep_last"):
        if getattr(cfg, name) <= 0:
            raise UserError(f"{name} must be a positive number")
    if m.z_dim <= 0:
        raise UserError("z_dim must be a positive number")
    if m.arch == "cdcgan" and m.num_classes < 2 and cfg.data.kind in ("toy", "csv"):
        raise UserError("a conditional model needs a dataset with classes")
    if not (0 < cfg.lr_g < 1 and 0 < cfg.lr_d < 1):
        raise UserError("learning rates must lie between 0 and 1")


__all__ = [
    "ModelConfig", "DataConfig", "TrainConfig", "to_dict", "model_from_dict",
    "train_from_dict", "validate", "replace",
]
