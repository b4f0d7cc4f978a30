"""The structure score: the same drawing in other colours scores high, an unrelated picture low."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageFilter

from ganstudio.metrics.structure import edge_map, ssim, structure_score
from tests.style.style_fixtures import photo


def test_recoloured_keeps_its_structure_and_noise_has_none():
    pic = photo(160, 120)
    assert structure_score(pic, pic) == pytest.approx(1.0)
    recoloured = np.clip(pic.astype(np.float32) * [0.9, 0.7, 1.1] + [30, 10, 0], 0, 255).astype(np.uint8)
    noise = np.random.default_rng(0).integers(0, 256, pic.shape, dtype=np.uint8)
    blurred = np.asarray(Image.fromarray(pic).filter(ImageFilter.GaussianBlur(2)))
    scores = [structure_score(pic, other) for other in (recoloured, blurred, noise)]
    assert scores[0] > 0.8 and scores[0] > scores[1] > scores[2] and scores[2] < 0.2


def test_edge_maps_are_scaled_and_sizes_must_match():
    pic = photo(96, 64)
    edges = edge_map(pic)
    assert edges.shape == (64, 96) and edges.min() >= 0 and edges.max() == 1.0
    softer = (pic.astype(np.float32) * 0.5 + 20).astype(np.uint8)  # every edge half as strong: the same drawing
    assert np.abs(edge_map(softer) - edges).mean() < 0.03
    with pytest.raises(ValueError, match="differ in size"):
        ssim(edges, edges[:-1])
