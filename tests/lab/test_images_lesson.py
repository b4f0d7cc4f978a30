"""The last lesson, from points to pictures: its run is the Train page's MNIST DCGAN, and its claim holds."""

from __future__ import annotations

import numpy as np
import pytest

from ganstudio.core.config import replace, validate
from ganstudio.core.render import image_grid
from ganstudio.data.tvsets import load_tv_arrays
from ganstudio.lab.images import IMAGES, grid_tiles, pixel_figures
from ganstudio.lab.lessons import COURSE
from ganstudio.train import events as ev
from ganstudio.train.loop import train


def test_the_lesson_is_the_quick_mnist_dcgan_and_the_last_of_the_course():
    cfg = IMAGES.config()
    validate(cfg)
    assert (cfg.model.arch, cfg.data.kind, cfg.model.img_size, cfg.model.channels) == ("dcgan", "mnist", 28, 1)
    assert cfg.data.root == "" and cfg.out_dir == ""  # the Train page fills in its data root and a run name
    assert cfg.steps == 1000 and cfg.sample_every <= IMAGES.checked_at and IMAGES.checked_at % cfg.sample_every == 0
    assert COURSE[-1] is IMAGES and IMAGES.question.endswith("?") and 2 <= IMAGES.text.count(". ") + 1 <= 3


def test_grid_tiles_cut_a_sample_grid_back_into_its_images():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (7, 28, 28), dtype=np.uint8)
    tiles = grid_tiles(image_grid(np.repeat(images[..., None], 3, -1)), 28)
    assert tiles.shape == (9, 28, 28)  # a 3 × 3 grid: its last two cells are empty
    np.testing.assert_allclose(tiles[:7], images / 255.0)
    assert np.ptp(tiles[7:]) == 0
    assert pixel_figures(np.zeros((2, 4, 4)))["contrast"] == 0.0


def test_the_claim_is_false_of_samples_that_did_not_change():
    flat = pixel_figures(np.full((4, 28, 28), 0.5))
    data = {"mean": 0.13, "contrast": 0.31}
    assert not IMAGES.holds(flat, flat, data, {"d_real": 0.9, "d_fake": 0.1})
    darker = {"mean": 0.4, "contrast": 0.06}
    assert IMAGES.holds(flat, darker, data, {"d_real": 0.9, "d_fake": 0.1})
    assert not IMAGES.holds(flat, darker, data, {"d_real": 0.4, "d_fake": 0.6})


def test_the_lesson_claim_holds_on_its_run(shared_datasets, tmp_path):
    """The lesson's own run, its first `checked_at` steps on the CPU (about 15 s on a 2-vCPU EPYC)."""
    cfg = IMAGES.config(root=str(shared_datasets), download=False)
    cfg = replace(cfg, steps=IMAGES.checked_at, out_dir=str(tmp_path / "run"), device="cpu")  # no decay: as run
    grids: dict[int, np.ndarray] = {}
    stats: dict[int, dict[str, float]] = {}
    for event in train(cfg):
        assert not isinstance(event, ev.Failed), event
        if isinstance(event, ev.Samples):
            grids[event.step] = event.grid
        elif isinstance(event, ev.StepStats):
            stats[event.step] = event.values
    at = IMAGES.checked_at
    start, later = (pixel_figures(grid_tiles(grids[k], cfg.model.img_size)) for k in (0, at))
    images, _, _ = load_tv_arrays("mnist", shared_datasets, train=True, download=False)
    data = pixel_figures(images[:5000, 0].numpy() / 255.0)
    assert data["mean"] == pytest.approx(0.13, abs=0.01)  # MNIST: mostly dark background, light strokes
    assert IMAGES.holds(start, later, data, stats[at]), (start, later, data, stats[at])
