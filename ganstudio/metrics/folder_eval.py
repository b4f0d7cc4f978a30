"""Quality of any image model against a folder of real images: SWD and KID, each beside its floor.

The model's N samples and N real images from a *floor* folder (the paintings it was trained on)
are both compared with the same `--real` folder (held-out paintings, e.g. monet2photo/testA).
Both figures are biased by the sample sizes, identically on both sides, so "k× the floor" is a
fair reading and a floor near the model's figure means the model is as close as real images are.

- SWD (`metrics.swd`): patch statistics of a Laplacian pyramid; needs no network.
- KID (`metrics.distances.kernel_distance`): in the 128-d feature space of the bundled painting
  network (`metrics.features`), which reads 64 px images.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ganstudio.core.errors import UserError
from ganstudio.core.images import open_image
from ganstudio.data.folder import scan_folder
from ganstudio.metrics.distances import kernel_distance
from ganstudio.metrics.evaluate import generated_images
from ganstudio.metrics.features import FEATURES_ID, FeatureNet, load_feature_net
from ganstudio.metrics.images import folder_images
from ganstudio.metrics.swd import MIN_RES, swd
from ganstudio.modelfiles.generator import Generator

MIN_IMAGES = 20
DEFAULT_N = 500  # the CLI's default too (cli/eval.py FOLDER_N)


@dataclass
class SetFigures:
    """Distances of one set of images from the real folder."""

    swd: dict[str, float]  # ×1e3 per pyramid level ("64px", …) and "mean"
    kid: float
    kid_std: float


@dataclass
class FolderReport:
    subject: str  # the model, or the folder of generated images
    real: str
    floor_folder: str
    n: int  # images on the model side and on the floor side
    real_count: int
    resolution: int
    model: SetFigures
    floor: SetFigures  # N real floor images vs the real folder
    feature_net: str
    feature_accuracy: float  # the feature network's own held-out accuracy

    def to_dict(self) -> dict:
        return asdict(self)


def measure(images: np.ndarray, real: np.ndarray, real_feats: np.ndarray, fnet: FeatureNet, seed: int) -> SetFigures:
    kid, kid_std = kernel_distance(real_feats, fnet.features(images), seed=seed)
    return SetFigures(swd(images, real, seed), kid, kid_std)


def evaluate_images(fake: np.ndarray, real_dir: str | Path, floor_dir: str | Path, subject: str, seed: int = 0,
                    grey: bool = False, fnet: FeatureNet | None = None) -> FolderReport:
    """Figures of generated uint8 images (N, S, S, 3) against `real_dir`, and the floor: N images of
    `floor_dir` against the same folder. A floor folder with fewer than N images lowers N on both sides."""
    size = fake.shape[1]
    if size < MIN_RES:
        raise UserError(f"{subject} makes {size} px images; SWD needs at least {MIN_RES} px")
    if len(fake) < MIN_IMAGES:
        raise UserError(f"{len(fake)} generated images are too few for distances between distributions",
                        f"use at least {MIN_IMAGES}")
    channels = 1 if grey else 3
    fnet = fnet or load_feature_net()
    real = folder_images(real_dir, size, channels, minimum=MIN_IMAGES, role="--real")
    floor = folder_images(floor_dir, size, channels, n=len(fake), seed=seed, minimum=MIN_IMAGES, role="floor")
    fake = fake[:len(floor)]
    real_feats = fnet.features(real)
    return FolderReport(
        subject, str(real_dir), str(floor_dir), len(fake), len(real), size,
        measure(fake, real, real_feats, fnet, seed), measure(floor, real, real_feats, fnet, seed),
        FEATURES_ID, fnet.held_out_accuracy)


def training_folder(g: Generator) -> str:
    """The image folder a model was trained on, from its metadata; '' when unknown or gone."""
    data = g.meta.get("data") or {}
    path = data.get("path", "") if data.get("kind") == "folder" else ""
    return path if path and Path(path).is_dir() else ""


def evaluate_generator(g: Generator, real_dir: str | Path, floor_dir: str | Path | None, n: int = DEFAULT_N,
                       seed: int = 0) -> FolderReport:
    """N samples of an image generator (seeds seed…seed+N−1) against a folder of real images."""
    if not g.is_image_model:
        raise UserError(f"{g.path.name} makes 2D points, not images", "image figures need an image model")
    floor_dir = floor_dir or training_folder(g)
    if not floor_dir:
        raise UserError(f"{g.path.name} does not name an image folder it was trained on",
                        "give --floor FOLDER: real images (ideally its training set) for the real-vs-real floor")
    scan_folder(real_dir), scan_folder(floor_dir)  # missing or empty folders fail before any sampling
    images, _ = generated_images(g, n, seed)
    return evaluate_images(images, real_dir, floor_dir, g.path.name, seed, grey=g.config.channels == 1)


def evaluate_folder(fake_dir: str | Path, real_dir: str | Path, floor_dir: str | Path, n: int = DEFAULT_N,
                    seed: int = 0) -> FolderReport:
    """A folder of generated images (another program's samples) measured exactly as a model is,
    at the resolution of its first image."""
    first = scan_folder(fake_dir).files[0]
    size = min(open_image(first).size)
    fake = folder_images(fake_dir, size, n=n, seed=seed, minimum=MIN_IMAGES, role="--fake")
    return evaluate_images(fake, real_dir, floor_dir, f"{Path(fake_dir).name}/", seed)


def format_folder_report(r: FolderReport) -> str:
    """Plain text for the terminal: SWD per level and KID, model beside floor."""
    m, f = r.model, r.floor
    lines = [f"{r.subject}: {r.n} generated images vs {r.real_count} real images in {r.real}, at {r.resolution} px",
             f"floor: {r.n} real images from {r.floor_folder} vs the same {r.real_count}",
             f"{'':<20}{'model':>10}{'floor (real vs real)':>24}"]
    for level, value in m.swd.items():
        name = "SWD ×1e3 " + (level.replace("px", " px") if level != "mean" else "mean")
        ratio = f"   ({value / f.swd[level]:.2f}× the floor)" if level == "mean" and f.swd[level] > 0 else ""
        lines.append(f"{name:<20}{value:>10.2f}{f.swd[level]:>24.2f}{ratio}")
    lines.append(f"{'KID ×1e3':<20}{m.kid * 1e3:>10.2f}{f.kid * 1e3:>24.2f}   (± {m.kid_std * 1e3:.2f} / "
                 f"± {f.kid_std * 1e3:.2f})")
    lines.append(f"KID features: bundled {r.feature_net} (Monet / Sisley / photo at 64 px, held-out accuracy "
                 f"{r.feature_accuracy:.1%})")
    return "\n".join(lines)
