"""The last lesson, from points to pictures: an MNIST DCGAN, trained on the Train page.

The lab trains 2D points itself; images train with the studio's own trainer, which this capability
may not import. So the lesson is a run's config, which the Learn page hands to the Train page, and
the figures that judge its claim on the sample grids that run reports: the claim is checked by
running the trainer headless (tests/lab/test_images_lesson.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ganstudio.core.config import DataConfig, ModelConfig, TrainConfig, preset

GRID_PAD = 2  # the gutter `core.render.image_grid` puts between the tiles of a sample grid
Figures = dict[str, float]


@dataclass(frozen=True)
class ImageLesson:
    key: str
    title: str
    text: str  # two or three sentences for a learner
    question: str  # one thing to look at
    claim: str  # what `holds` judges, in words
    checked_at: int  # the step whose sample grid the claim is about
    button: str  # the lesson's one button

    def config(self, root: str = "", download: bool = True) -> TrainConfig:
        """The Train page's quick CPU preview of a DCGAN on MNIST; `root` '' is the Train page's data root."""
        p = preset("dcgan", "mnist", "quick")
        model = ModelConfig(**p.pop("model"))
        return TrainConfig(model=model, data=DataConfig(kind="mnist", root=root, download=download), out_dir="",
                           **p)

    def holds(self, start: Figures, later: Figures, data: Figures, stats: Figures) -> bool:
        """The samples at `checked_at` (`later`) are nearer the data's figures than the untrained samples
        (`start`) in both mean brightness and contrast, and D's mean verdicts then (`stats`, the run's
        statistics at that step) still tell real from generated."""
        nearer = all(abs(later[k] - data[k]) < abs(start[k] - data[k]) for k in ("mean", "contrast"))
        return nearer and stats["d_real"] > stats["d_fake"]


def grid_tiles(grid: np.ndarray, size: int, pad: int = GRID_PAD) -> np.ndarray:
    """The (N, size, size) grey tiles of a (H, W, 3) uint8 sample grid, as 0 … 1, gutters left out."""
    rows, cols = ((n - pad) // (size + pad) for n in grid.shape[:2])
    tiles = [grid[pad + r * (size + pad):pad + r * (size + pad) + size,
                  pad + c * (size + pad):pad + c * (size + pad) + size].mean(-1)
             for r in range(rows) for c in range(cols)]
    return np.stack(tiles).astype(np.float64) / 255.0


def pixel_figures(images: np.ndarray) -> Figures:
    """Mean brightness and contrast (the pixels' standard deviation) of 0 … 1 images."""
    x = np.asarray(images, np.float64)
    return {"mean": float(x.mean()), "contrast": float(x.std())}


IMAGES = ImageLesson(
    "images", "6 · From points to pictures",
    "The same game on pictures: G turns noise into 28 × 28 images, and D judges them against MNIST's "
    "handwritten digits. The Train page plots both losses and D's verdicts, and shows a grid of samples: "
    "flat grey at step 0, then faint noise, light strokes on a darkening background, and shapes like digits "
    "by step 1,000 (a few minutes on a CPU).",
    "D keeps calling the generated images fake while they turn into digits: why can G still learn from it "
    "(think of lesson 2)?",
    "After 100 steps the samples are closer to MNIST's images than the untrained grey squares in both mean "
    "brightness and contrast, and D's mean verdict on real images is above its verdict on generated ones.",
    100, "Train an MNIST DCGAN")
