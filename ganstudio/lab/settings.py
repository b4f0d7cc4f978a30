"""What a lab run is: the data shape, the two networks, their optimisers and the loss.

Frozen and plain, so a run can be rebuilt from its settings and saved with its weights.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

from ganstudio.core.errors import UserError

SHAPES = ("ring", "gaussians", "line", "disjoint", "ring8", "grid25", "moons", "swissroll", "spiral", "drawn")
SHAPE_NAMES = {"ring": "ring", "gaussians": "two Gaussians", "line": "line", "disjoint": "two disjoint arcs",
               "ring8": "8 Gaussians on a ring", "grid25": "25 Gaussians on a grid", "moons": "two moons",
               "swissroll": "swiss roll", "spiral": "two-arm spiral", "drawn": "your drawing"}
# bce-saturating is the original minimax game's generator loss, log(1 − D(G(z))), kept to show why it
# is not used: its gradient vanishes when D is sure the fakes are fake.
LAB_LOSSES = ("bce", "bce-saturating", "lsgan", "hinge", "wgan-gp")
OPTIMISERS = ("adam", "sgd", "rmsprop")  # GAN Lab's two, and the original WGAN's
NOISES = ("gaussian", "uniform")
PHASES = ("d", "g", "both")


@dataclass(frozen=True)
class LabSettings:
    """One lab run. D and G each have an optimiser and a learning rate of their own."""

    shape: str = "ring"
    loss: str = "bce"
    r1: float = 0.0  # weight γ of the R1 penalty on D's gradient at the real points (0 = off)
    gp_weight: float = 10.0  # wgan-gp: gradient penalty weight
    opt_g: str = "adam"
    opt_d: str = "adam"
    lr_g: float = 1e-3
    lr_d: float = 1e-3
    z_dim: int = 2  # noise dimensions; G's manifold is drawn for 1 or 2 (the first two otherwise)
    noise: str = "gaussian"
    layers: int = 2  # hidden layers of each network
    neurons: int = 32  # units per hidden layer
    d_steps: int = 1  # D updates per iteration
    g_steps: int = 1  # G updates per iteration
    batch: int = 128
    spectral_norm: bool = False  # spectral normalisation in D
    latent_codes: int = 0  # the first noise coordinate picks one of this many codes (0 = none)
    seed: int = 0


def check(s: LabSettings) -> LabSettings:
    """Refuse settings the lab cannot run, each with a plain reason."""
    for name, value, allowed in (("shape", s.shape, SHAPES), ("loss", s.loss, LAB_LOSSES),
                                 ("G optimiser", s.opt_g, OPTIMISERS), ("D optimiser", s.opt_d, OPTIMISERS),
                                 ("noise", s.noise, NOISES)):
        if value not in allowed:
            raise UserError(f"unknown {name} '{value}'", f"choose one of {', '.join(allowed)}")
    for label, number, lo, hi in (("noise dimensions", s.z_dim, 1, 16), ("layers", s.layers, 1, 6),
                                  ("neurons", s.neurons, 2, 512), ("D steps", s.d_steps, 1, 20),
                                  ("G steps", s.g_steps, 1, 20), ("batch", s.batch, 2, 4096),
                                  ("latent codes", s.latent_codes, 0, 64)):
        if not lo <= number <= hi:
            raise UserError(f"{label} must be between {lo} and {hi} (got {number})")
    for name, rate in (("G", s.lr_g), ("D", s.lr_d)):
        if not 0 < rate <= 1:
            raise UserError(f"{name}'s learning rate must be above 0 and at most 1 (got {rate:g})")
    if s.r1 < 0 or s.gp_weight < 0:
        raise UserError("penalty weights cannot be negative")
    if s.latent_codes and s.noise != "gaussian":
        raise UserError("latent codes need Gaussian noise", "its first coordinate picks the code by the normal CDF")
    if s.latent_codes == 1:
        raise UserError("one latent code is no choice at all", "use 0 (none) or 2 and more")
    return s


def to_dict(s: LabSettings) -> dict:
    return asdict(s)


def from_dict(d: dict) -> LabSettings:
    """Unknown keys are ignored and missing ones take their defaults, so older files still load."""
    known = {f.name for f in fields(LabSettings)}
    return check(LabSettings(**{k: v for k, v in d.items() if k in known}))


__all__ = ["LAB_LOSSES", "NOISES", "OPTIMISERS", "PHASES", "SHAPES", "SHAPE_NAMES", "LabSettings", "check",
           "from_dict", "replace", "to_dict"]
