"""The lattice measure: a checkerboard reads high, a smooth or blurred picture about 1, and the resize up
path of a fresh generator draws far less lattice than the transposed one."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image, ImageFilter

from ganstudio.core.config import ModelConfig
from ganstudio.metrics.grid import grid_score, lattice_bins, lattice_figure, power_spectrum
from ganstudio.models.cyclegan import build_cyclegan_generator
from ganstudio.style.tiles import stylize_array
from tests.style.style_fixtures import photo


def smooth_picture(height: int = 300, width: int = 400) -> np.ndarray:
    """Gradients and slow waves with a little sensor noise, rounded to 8 bits."""
    rng = np.random.default_rng(0)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    img = np.stack([x / width * 255, y / height * 255, 128 + 60 * np.sin(x / 37) * np.cos(y / 23)], -1)
    return np.clip(img + rng.normal(0, 2, img.shape), 0, 255).astype(np.uint8)


def test_lattice_bins_are_the_multiples_of_a_quarter_cycle():
    bins = lattice_bins(256)
    assert len(bins) == 15 and (0, 0) not in bins and {k for b in bins for k in b} == {0, 64, 128, 192}


def test_a_checkerboard_of_a_few_grey_levels_reads_far_above_its_source():
    base = smooth_picture()
    y, x = np.mgrid[0:300, 0:400]
    for lattice in ((x + y) % 2, (x // 2 + y // 2) % 2):  # the 2 px and the 4 px period
        board = np.clip(base + 3.0 * (lattice * 2 - 1)[..., None], 0, 255).astype(np.uint8)
        assert grid_score(board, base) > 100


def test_smooth_and_blurred_pictures_read_about_one():
    y, x = np.mgrid[0:300, 0:400].astype(np.float32)
    unrounded = np.stack([x / 400 * 255, y / 300 * 255, 128 + 60 * np.sin(x / 37) * np.cos(y / 23)], -1)
    assert lattice_figure(unrounded) == pytest.approx(1.0, abs=0.01)  # nothing above the 8-bit floor
    base = smooth_picture()
    assert 1.0 < lattice_figure(base) < 2.0  # rounding and the gradients' edges along the axes
    assert grid_score(base, base) == 1.0
    pic = photo(400, 300)
    blurred = np.asarray(Image.fromarray(pic).filter(ImageFilter.GaussianBlur(1.5)))
    assert 0.5 < grid_score(blurred, pic) < 2.0


def test_small_pictures_use_a_smaller_tile_and_tiny_ones_are_refused():
    spec, floor = power_spectrum(smooth_picture(40, 70))
    assert spec.shape == (40, 40) and floor > 0
    assert 0.5 < lattice_figure(smooth_picture(40, 70)) < 3
    with pytest.raises(ValueError, match="too small"):
        lattice_figure(np.zeros((12, 40, 3), np.uint8))


def test_held_out_photos_blurred_read_between_one_and_two(shared_datasets):
    for f in sorted((shared_datasets / "photos" / "bsds500-test").glob("*.jpg"))[-3:]:
        img = Image.open(f).convert("RGB")
        score = grid_score(np.asarray(img.filter(ImageFilter.GaussianBlur(1.0))), np.asarray(img))
        assert 0.7 < score < 2.0, (f.name, score)


def test_a_fresh_resize_generator_draws_far_less_lattice_than_a_transposed_one():
    pic = photo(256, 192)
    scores = {}
    for upsample in ("resize", "transposed"):
        torch.manual_seed(0)
        g = build_cyclegan_generator(ModelConfig(arch="cyclegan", channels=3, base_ch=8, res_blocks=1,
                                                 upsample=upsample)).eval()
        scores[upsample] = grid_score(stylize_array(g, pic), pic)
    assert scores["resize"] < 10 < 100 < scores["transposed"]
