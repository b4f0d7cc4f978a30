"""Stroke size: the working size, the detail transfer back to full size, and the preview as the render's pipeline."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from PIL import Image

from ganstudio.core.errors import UserError
from ganstudio.style.detail import detail_gain, luminance, shrink_photo, transfer_detail
from ganstudio.style.render import fit
from ganstudio.style.stroke import output_size, paint, working_size
from tests.style.style_fixtures import photo, tiny_nets


def textured(width: int, height: int, seed: int = 0) -> np.ndarray:
    """The fixture photo with fine detail: a 2 px stripe texture in the disc and noise."""
    base = photo(width, height, seed).astype(np.float32)
    y, x = np.mgrid[0:height, 0:width]
    base += np.where((x // 2 + y // 3) % 2, 18.0, -18.0)[..., None] * (base[..., 2:3] > 120)
    return np.clip(base, 0, 255).astype(np.uint8)


def test_the_working_size_puts_the_long_side_at_the_stroke_size():
    assert working_size(4000, 3000, "1024") == ((1024, 768), [])
    assert working_size(3000, 4000, "512") == ((384, 512), [])
    assert working_size(4000, 3000, "full") == (None, [])
    size, notes = working_size(800, 600, "1024")
    assert size is None and "not above the 1024 px stroke size: painted at its own size" in notes[0]
    assert working_size(2000, 40, "512")[0] == (1600, 32)  # the short side keeps the network's minimum
    with pytest.raises(UserError, match="stroke size '300'"):
        working_size(800, 600, "300")
    assert output_size(4000, 3000, 1024) == (1024, 768) and output_size(400, 300, 1024) == (400, 300)


def test_detail_comes_back_where_the_painting_follows_the_photo():
    full = textured(480, 320)
    low = shrink_photo(full, (240, 160))
    enlarged = np.asarray(Image.fromarray(low).resize((480, 320), Image.Resampling.BICUBIC), np.float32)
    restored = transfer_detail(full, low)  # a "style" that keeps everything: the photo itself
    texture = full[..., 2] > 120  # the disc, striped at 2 and 3 px: detail the working size cannot hold
    err_plain = np.abs(luminance(enlarged) - luminance(full))
    err_restored = np.abs(luminance(restored) - luminance(full))
    assert err_restored[texture].mean() < 0.25 * err_plain[texture].mean()
    assert err_restored.mean() < 0.6 * err_plain.mean()


def test_strokes_of_the_styles_own_keep_their_texture_and_colours():
    full = textured(480, 320)
    rng = np.random.default_rng(1)
    strokes = np.clip(rng.normal(0, 30, (160, 240, 1)) + np.array([150, 110, 60]), 0, 255).astype(np.uint8)
    gain = detail_gain(luminance(strokes), luminance(shrink_photo(full, (240, 160))))
    assert gain.mean() < 0.2  # chance correlations in 5×5 windows only
    kept = detail_gain(luminance(full), luminance(full))  # a style that keeps the photo: a slope of 1 on edges
    assert kept[full[..., 2] > 120].mean() > 0.9
    out = transfer_detail(full, strokes).astype(np.float32)
    enlarged = np.asarray(Image.fromarray(strokes).resize((480, 320), Image.Resampling.BICUBIC), np.float32)
    assert np.abs(out - enlarged).mean() < 2.0  # the photo's grain is not laid over the painting's own strokes
    assert np.allclose(out.mean((0, 1)), strokes.reshape(-1, 3).mean(0), atol=2)


def test_a_target_no_larger_than_the_working_size_is_only_resized():
    painted = textured(200, 100)
    assert transfer_detail(textured(200, 100), painted) is painted
    assert transfer_detail(textured(100, 50), painted).shape == (50, 100, 3)


@pytest.mark.parametrize("stroke", ["512", "full"])
def test_the_preview_is_the_render_at_the_previews_size(stroke):
    net = tiny_nets()["AB"]
    big = textured(1100, 700)
    render, notes = paint(net, big, stroke)
    preview, _ = paint(net, big, stroke, out_side=400)
    assert render.shape == big.shape and preview.shape == (255, 400, 3) and notes == []
    diff = np.abs(fit(render, 400).astype(np.float32) - preview)
    assert diff.mean() < 1.0 and np.percentile(diff, 99) <= 4


def test_a_stroke_size_changes_what_the_network_sees():
    net = tiny_nets()["AB"]
    big = textured(1100, 700)
    broad, _ = paint(net, big, "512")
    fine, _ = paint(net, big, "full")
    assert np.abs(broad.astype(np.float32) - fine).mean() > 2.0


def test_the_detail_transfer_holds_a_few_float_planes_at_most():
    full, low = textured(2000, 1500), textured(1024, 768)
    tracemalloc.start()
    transfer_detail(full, low)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 24 * 2000 * 1500  # bytes per photo pixel: 12 MP stays under 300 MB
