"""Frozen dataclasses: the one home of defaults for models, data and training runs.

Configs round-trip through plain dicts (`to_dict` / `from_dict`) so they can be stored in
checkpoints and generator files as JSON and rebuilt without any training code.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

ARCHS = ("mlp", "dcgan", "cdcgan", "cyclegan", "stylegan")
LOSSES = ("bce", "lsgan", "hinge", "wgan-gp")
PRECISIONS = ("auto", "fp32", "bf16")
TOY_SETS = ("ring8", "grid25", "swissroll", "moons", "spiral")
TV_SETS = ("mnist", "fashion-mnist", "cifar10")
DATA_KINDS = ("toy", "csv", "folder", *TV_SETS)
DCGAN_SIZES = (28, 32, 64, 128)
CYCLEGAN_SIZES = range(32, 1025, 4)  # training crop: a multiple of 4 (two stride-2 layers)
STYLEGAN_SIZES = (32, 64, 128, 256)
AUGMENTS = ("ada", "diffaugment", "none")
UPSAMPLES = ("resize", "transposed")  # cyclegan up path; files without the field are "transposed"
CONDITIONAL_ARCHS = ("cdcgan", "stylegan")  # archs that take a class label when the data has classes
# The model settings a fine-tuning run (`init`) takes from the model it starts from, per family.
INIT_ADOPTED = {"cyclegan": ("channels", "base_ch", "res_blocks", "upsample"),
                "stylegan": ("z_dim", "base_ch", "max_ch", "mapping_layers")}
# The range of every size of a network (ModelConfig field → (lo, hi)); the Train form and the CLI use them too.
MODEL_LIMITS = {"z_dim": (1, 1024), "base_ch": (4, 1024), "base_ch_d": (4, 1024), "hidden": (4, 4096),
                "layers": (1, 16), "latent_codes": (0, 1024), "res_blocks": (1, 32),
                "max_ch": (4, 1024), "mapping_layers": (1, 8)}
BYTES_PER_PARAM = 20  # fp32 weights, gradients, Adam's two moments and the averaged copy


@dataclass(frozen=True)
class ModelConfig:
    """Architecture of a generator / discriminator pair."""

    arch: str = "mlp"  # mlp | dcgan | cdcgan | cyclegan | stylegan
    z_dim: int = 2  # latent size (stylegan: also the size of w)
    img_size: int = 28  # dcgan / cdcgan: 28, 32, 64 or 128; cyclegan: training crop size; stylegan: 32–256
    channels: int = 1  # image channels: 1 or 3
    base_ch: int = 64  # width of the conv nets
    hidden: int = 256  # mlp: hidden units per layer
    layers: int = 3  # mlp: hidden layers
    latent_codes: int = 0  # mlp: the first latent coordinate picks one of this many discrete codes (0 = none)
    num_classes: int = 0  # cdcgan / stylegan: number of classes (0 = unconditional)
    cond_d: str = "projection"  # cdcgan discriminator conditioning: projection | concat
    spectral_norm: bool = False  # spectral normalisation in D
    minibatch_std: bool = False  # dcgan / cdcgan: D sees the batch's standard deviation (against collapse)
    res_blocks: int = 9  # cyclegan: residual blocks in each generator
    base_ch_d: int = 64  # cyclegan: width of the PatchGAN discriminators
    upsample: str = "resize"  # cyclegan up path: resize (bilinear ×2 + 3×3 conv) | transposed (the first styles')
    max_ch: int = 256  # stylegan: widest feature maps (base_ch at the output size doubles toward 4×4 up to this)
    mapping_layers: int = 2  # stylegan: fully connected layers from z to w


@dataclass(frozen=True)
class DataConfig:
    """Where training data comes from."""

    kind: str = "toy"  # toy | csv | folder | mnist | fashion-mnist | cifar10
    name: str = "ring8"  # toy set name
    path: str = ""  # csv file or image folder (cyclegan: domain A)
    path_b: str = ""  # cyclegan: image folder of domain B
    load_size: int = 0  # cyclegan: images are resized to this square, then randomly cropped (0 = 9/8 of the crop)
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
    # The average's half-life in images, so it means the same at every batch size (StyleGAN2's
    # ema_kimg): 44,000 images is the former decay of 0.999 per step at the presets' batch of 64.
    ema_half_life: int = 44_000
    ema_rampup: float = 0.05  # early on the half-life is at most this share of the images seen so far
    seed: int = 0
    device: str = "auto"  # auto | cpu | cuda | mps
    precision: str = "auto"  # auto (bf16 for DCGANs where the hardware has it) | fp32 | bf16
    out_dir: str = "runs/run"
    sample_every: int = 100  # steps between sample grids
    ckpt_every: int = 500  # steps between checkpoints
    keep_last: int = 3  # checkpoints kept
    log_every: int = 10  # steps between statistics events
    n_samples: int = 64  # images in the fixed-z sample grid
    lambda_cycle: float = 10.0  # cyclegan: weight of the A→B→A and B→A→B reconstruction losses
    lambda_identity: float = 0.5  # cyclegan: identity loss weight, relative to lambda_cycle
    pool_size: int = 50  # cyclegan: history of generated images shown to D (0 = none)
    lr_decay: float = 0.0  # final share of the steps over which both learning rates fall linearly to 0
    r1_gamma: float = 0.1  # stylegan: weight of the R1 penalty on D's gradient at real images
    r1_interval: int = 16  # stylegan: R1 is applied every this many D updates (lazy regularisation)
    mixing_prob: float = 0.9  # stylegan: share of batches drawn from two w's (style mixing regularisation)
    pl_weight: float = 0.0  # stylegan: path-length regularisation weight (0 = off; the paper uses 2)
    augment: str = "ada"  # stylegan: ada (adaptive strength) | diffaugment (always on) | none
    ada_target: float = 0.6  # stylegan: D's overfitting signal ADA holds the strength at
    ada_kimg: int = 100  # stylegan: thousands of images over which ADA may move p from 0 to 1
    mirror: bool = True  # stylegan: mirror real images left-right at random (doubles a small folder)
    init: str = ""  # stylegan: start from this model (a bundled id or a generator file) instead of random weights
    freeze_d: int = 0  # stylegan fine-tuning: keep D's first this many blocks fixed


def preset(arch: str, data_kind: str, name: str = "balanced") -> dict[str, Any]:
    """Sensible settings for a model on a kind of data; 'quick' suits a CPU preview, 'quality' a GPU.

    Returns TrainConfig fields plus a 'model' dict of ModelConfig fields.
    """
    if arch == "mlp":
        # Discrete codes let G jump between separate clusters instead of smearing points along
        # bridges, and their anchors start them on different clusters; the short EMA keeps the
        # clusters from jittering (measured in bench/RESULTS.md).
        model = {"arch": "mlp", "z_dim": 9, "hidden": 128, "layers": 3, "latent_codes": 50}
        run = {"loss": "bce", "batch": 512, "lr_g": 5e-4, "lr_d": 5e-4, "beta1": 0.5, "steps": 8000,
               "sample_every": 100, "log_every": 20, "ckpt_every": 2000, "ema": True, "ema_half_life": 35_000}
        if name == "quick":
            run["steps"] = 2000
        elif name == "quality":
            run.update(steps=20000)
        return {"model": model, **run}
    if arch == "cyclegan":
        return _cyclegan_preset(name)
    if arch == "stylegan":
        return _stylegan_preset(name, data_kind)
    colour = data_kind in ("cifar10", "folder")
    size = 28 if data_kind in ("mnist", "fashion-mnist") else 64
    model = {"arch": arch, "z_dim": 100, "img_size": size, "channels": 3 if colour else 1, "base_ch": 64}
    run = {"loss": "bce", "batch": 64, "lr_g": 2e-4, "lr_d": 2e-4, "beta1": 0.5, "steps": 5000,
           "sample_every": 100, "log_every": 10, "ckpt_every": 500, "ema": True}
    if arch == "cdcgan":  # hinge + spectral norm + projection D, D learning 4x faster: far less collapse per class
        model.update(cond_d="projection", spectral_norm=True)
        run.update(loss="hinge", lr_g=1e-4, lr_d=4e-4)
    if name == "quick":
        model.update(base_ch=32, img_size=min(size, 32))
        run.update(steps=1000, sample_every=50)
    else:  # longer runs end with a cool-down of the learning rates: the samples at the end are the ones kept
        run.update(lr_decay=0.25)
    if name == "quality":
        model.update(base_ch=64 if size <= 32 else 128)
        run.update(steps=20000, batch=128)
    return {"model": model, **run}


def _cyclegan_preset(name: str) -> dict[str, Any]:
    """'quality' is the paper's size (64 channels, 9 blocks, 256 px crops; a GPU, ~1 day). 'balanced' keeps the
    paper's depth and crop, which set the scale of the brush strokes, at half the width (a quarter of the cost),
    so a CPU can train it toward paintings over days of resumed sessions; 'quick' only shows that training works."""
    model = {"arch": "cyclegan", "img_size": 256, "channels": 3, "base_ch": 32, "res_blocks": 9, "base_ch_d": 64,
             "upsample": "resize"}
    run = {"loss": "lsgan", "batch": 1, "lr_g": 2e-4, "lr_d": 2e-4, "beta1": 0.5, "steps": 20000, "lr_decay": 0.5,
           "sample_every": 200, "log_every": 10, "ckpt_every": 500, "ema": False}
    if name == "quick":
        model.update(img_size=96, base_ch=16, res_blocks=4, base_ch_d=32)
        run.update(steps=2000, sample_every=100, ckpt_every=500)
    elif name == "quality":
        model.update(img_size=256, base_ch=64, res_blocks=9, base_ch_d=64)
        run.update(steps=200000, sample_every=1000, ckpt_every=5000)
    return {"model": model, **run}


def _stylegan_preset(name: str, data_kind: str) -> dict[str, Any]:
    """A small StyleGAN for a CPU (balanced: 64 px, an afternoon for a few hundred paintings) up to
    the paper's 256 px widths on a GPU. Adam at the paper's (0, 0.99), R1 and ADA for small folders."""
    grey = data_kind in ("mnist", "fashion-mnist")
    model = {"arch": "stylegan", "z_dim": 256, "img_size": 64, "channels": 1 if grey else 3, "base_ch": 32,
             "max_ch": 256, "mapping_layers": 2}
    run = {"loss": "bce", "batch": 32, "lr_g": 2.5e-3, "lr_d": 2.5e-3, "beta1": 0.0, "beta2": 0.99, "steps": 20000,
           "sample_every": 200, "log_every": 10, "ckpt_every": 1000, "ema": True, "ema_half_life": 10_000,
           "r1_gamma": 0.1, "augment": "ada", "mixing_prob": 0.9, "lr_decay": 0.0}
    if grey:
        model.update(img_size=32)
    if name == "quick":
        model.update(img_size=32, base_ch=32, max_ch=128, z_dim=128)
        run.update(steps=2000, batch=16, sample_every=100, ckpt_every=500)
    elif name == "quality":
        model.update(img_size=256, base_ch=64, max_ch=512, z_dim=512, mapping_layers=8)
        run.update(steps=100000, r1_gamma=1.0, pl_weight=2.0, sample_every=1000, ckpt_every=5000)
    return {"model": model, **run}


def to_dict(cfg: Any) -> dict:
    """Nested dataclass → plain dict (JSON-ready)."""
    return asdict(cfg)


def _build(cls: type, data: dict) -> Any:
    if cls is ModelConfig and data.get("arch") == "cyclegan" and "upsample" not in data:
        data = {**data, "upsample": "transposed"}  # saved before the field existed: the transposed up path
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
    """A config from JSON, with the settings older files spelled differently carried over."""
    if "decay_frac" in data and "lr_decay" not in data and data.get("model", {}).get("arch") == "cyclegan":
        data = {**data, "lr_decay": data["decay_frac"]}  # `decay_frac` was only ever used by CycleGAN runs
    if "ema_decay" in data and "ema_half_life" not in data:
        data = {**data, "ema_half_life": ema_half_life_of(float(data["ema_decay"]), int(data.get("batch", 256)))}
    return _build(TrainConfig, data)


def ema_half_life_of(decay: float, batch: int) -> int:
    """The half-life in images of an average that kept `decay` of itself per step of `batch` images."""
    if not 0 < decay < 1:
        return 0 if decay <= 0 else 10**9
    return round(batch * math.log(0.5) / math.log(decay))


def validate(cfg: TrainConfig) -> None:
    """Raise UserError for settings that cannot work, before any work starts."""
    from ganstudio.core.errors import UserError

    m = cfg.model
    if m.arch not in ARCHS:
        raise UserError(f"unknown model '{m.arch}'", f"choose one of {', '.join(ARCHS)}")
    if cfg.loss not in LOSSES:
        raise UserError(f"unknown loss '{cfg.loss}'", f"choose one of {', '.join(LOSSES)}")
    if cfg.precision not in PRECISIONS:
        raise UserError(f"unknown precision '{cfg.precision}'", f"choose one of {', '.join(PRECISIONS)}")
    if cfg.data.kind not in DATA_KINDS:
        raise UserError(f"unknown data kind '{cfg.data.kind}'", f"choose one of {', '.join(DATA_KINDS)}")
    if m.arch == "cyclegan":
        _validate_cyclegan(cfg)
    elif m.arch == "stylegan":
        _validate_stylegan(cfg)
    elif m.arch != "mlp" and m.img_size not in DCGAN_SIZES:
        raise UserError(f"image size {m.img_size} is not supported", "use 28, 32, 64 or 128")
    if m.channels not in (1, 3):
        raise UserError(f"{m.channels} channels is not supported", "use 1 (grey) or 3 (colour)")
    for name, (lo, hi) in MODEL_LIMITS.items():
        if not lo <= getattr(m, name) <= hi:
            raise UserError(f"{name} {getattr(m, name)} is out of range", f"use {lo}–{hi}")
    _check_memory(cfg)
    for name in ("steps", "batch", "n_critic", "sample_every", "ckpt_every", "log_every", "keep_last"):
        if getattr(cfg, name) <= 0:
            raise UserError(f"{name} must be a positive number")
    if m.z_dim <= 0:
        raise UserError("z_dim must be a positive number")
    if not 0 <= cfg.lr_decay <= 1:
        raise UserError("lr_decay must lie between 0 and 1",
                        "it is the final share of the steps, e.g. 0.5 for the last half")
    if m.latent_codes < 0 or (m.latent_codes and (m.arch != "mlp" or m.z_dim < 2)):
        raise UserError(f"{m.latent_codes} latent codes is not supported",
                        "discrete codes are for the MLP GAN and need a latent size of at least 2")
    if cfg.init and m.arch not in ("stylegan", "cyclegan"):
        raise UserError("starting from a trained model works for StyleGAN and CycleGAN runs only",
                        "choose StyleGAN, or CycleGAN to fine-tune a style")
    if m.arch == "cdcgan" and m.num_classes < 2 and cfg.data.kind in ("toy", "csv"):
        raise UserError("a conditional model needs a dataset with classes")
    if not (0 < cfg.lr_g < 1 and 0 < cfg.lr_d < 1):
        raise UserError("learning rates must lie between 0 and 1")


def _validate_stylegan(cfg: TrainConfig) -> None:
    from ganstudio.core.errors import UserError

    m = cfg.model
    if m.img_size not in STYLEGAN_SIZES:
        raise UserError(f"image size {m.img_size} is not supported by StyleGAN", "use 32, 64, 128 or 256")
    if cfg.data.kind in ("toy", "csv"):
        raise UserError("StyleGAN trains on images", "choose an image folder or MNIST / Fashion-MNIST / CIFAR-10")
    if not (4 <= m.base_ch <= m.max_ch <= 1024):
        raise UserError(f"widths base_ch {m.base_ch} and max_ch {m.max_ch} do not fit",
                        "use 4 ≤ base_ch ≤ max_ch ≤ 1024")
    if not 1 <= m.mapping_layers <= 8:
        raise UserError(f"{m.mapping_layers} mapping layers is not supported", "use 1 to 8")
    if cfg.loss != "bce":
        raise UserError(f"StyleGAN trains with its own logistic loss, not {cfg.loss}", "use the default loss (bce)")
    if cfg.augment not in AUGMENTS:
        raise UserError(f"unknown augmentation '{cfg.augment}'", f"choose one of {', '.join(AUGMENTS)}")
    checks = ((cfg.r1_gamma >= 0, "r1_gamma cannot be negative"),
              (cfg.r1_interval >= 1, "r1_interval must be at least 1"),
              (0 <= cfg.mixing_prob <= 1, "mixing_prob must lie between 0 and 1"),
              (cfg.pl_weight >= 0, "pl_weight cannot be negative"),
              (0 < cfg.ada_target < 1, "ada_target must lie between 0 and 1"),
              (cfg.ada_kimg >= 1, "ada_kimg must be at least 1"), (cfg.freeze_d >= 0, "freeze_d cannot be negative"))
    for ok, message in checks:
        if not ok:
            raise UserError(message)
    if cfg.batch < 2:
        raise UserError("StyleGAN needs a batch of at least 2", "its discriminator compares samples in a batch")


def estimate_bytes(cfg: TrainConfig) -> int:
    """A rough upper estimate of a run's memory: its networks' training state and one batch's activations."""
    m = cfg.model
    if m.arch == "mlp":
        width = m.hidden * m.layers
        params = 2 * (m.hidden * (m.z_dim + 2 + 1) + (m.layers - 1) * m.hidden * m.hidden)
    elif m.arch == "stylegan":  # ~2 3×3 convs per block in G and in D, at most max_ch wide
        top = min(m.max_ch, m.base_ch * max(1, m.img_size // 4))
        width = 2 * m.base_ch * m.img_size ** 2 * 4
        params = 2 * 2 * 9 * top * top * max(1, m.img_size.bit_length() - 2) + m.mapping_layers * m.z_dim ** 2
    elif m.arch == "cyclegan":
        width = 4 * m.base_ch * m.res_blocks * (m.img_size // 4) ** 2
        params = 2 * 18 * m.res_blocks * (4 * m.base_ch) ** 2 + 2 * 16 * 8 * 8 * m.base_ch_d ** 2 * 21 // 8
    else:
        top = m.base_ch * max(1, m.img_size // 8)  # the widest layer, at the 4×4 end of the network
        width = 4 * m.base_ch * (m.img_size // 2) ** 2
        params = 2 * 16 * (top * (m.z_dim + m.num_classes) + top * top)
    activations = 3 * 4 * cfg.batch * cfg.n_critic * width  # forward values, gradients and a spare copy
    return params * BYTES_PER_PARAM + activations


def memory_bytes() -> int:
    """This computer's memory in bytes (0 when the system does not say)."""
    import os

    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):
        return 0


def _check_memory(cfg: TrainConfig) -> None:
    from ganstudio.core.errors import UserError

    need, have = estimate_bytes(cfg), memory_bytes()
    if have and need > 0.8 * have:
        raise UserError(f"these networks would need about {need / 2**30:.1f} GB of memory, more than this computer's "
                        f"{have / 2**30:.1f} GB", "make the model narrower or shallower, or lower the batch size")


def _validate_cyclegan(cfg: TrainConfig) -> None:
    from ganstudio.core.errors import UserError

    m, d = cfg.model, cfg.data
    if d.kind != "folder" or not d.path or not d.path_b:
        raise UserError("CycleGAN trains on two image folders", "give folder A and folder B (--data A --data-b B)")
    if m.img_size not in CYCLEGAN_SIZES:
        raise UserError(f"crop size {m.img_size} is not supported", "use a multiple of 4 between 32 and 1024")
    if d.load_size and d.load_size < m.img_size:
        raise UserError(f"load size {d.load_size} is smaller than the crop size {m.img_size}")
    if m.channels != 3:
        raise UserError("CycleGAN works on colour images", "use 3 channels")
    if cfg.loss == "wgan-gp":
        raise UserError("CycleGAN does not support the WGAN-GP loss", "use lsgan (the paper's), bce or hinge")
    if m.res_blocks < 1 or m.base_ch < 4 or m.base_ch_d < 4:
        raise UserError("res_blocks must be at least 1 and the channel widths at least 4")
    if m.upsample not in UPSAMPLES:
        raise UserError(f"unknown upsampling '{m.upsample}'", f"choose one of {', '.join(UPSAMPLES)}")
    if cfg.lambda_cycle < 0 or cfg.lambda_identity < 0 or cfg.pool_size < 0:
        raise UserError("lambda_cycle, lambda_identity and pool_size cannot be negative")


__all__ = [
    "DataConfig",
    "ModelConfig",
    "TrainConfig",
    "model_from_dict",
    "replace",
    "to_dict",
    "train_from_dict",
    "validate",
]
