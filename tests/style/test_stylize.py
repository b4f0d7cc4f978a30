"""Tiled full-resolution stylize: matches untiled output, no seams, EXIF, alpha, strength, loading."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from ganstudio.core.errors import UserError
from ganstudio.modelfiles.generator import save_generator_file
from ganstudio.style.photos import open_photo
from ganstudio.style.stroke import paint_image
from ganstudio.style.tiles import (
    Cancelled,
    blend,
    load_style_model,
    ramp_window,
    resolve_style,
    stats_boxes,
    stylize_array,
    tile_starts,
)
from tests.style.style_fixtures import photo, tiny_nets, write_style_model

TILE, OVERLAP = 96, 32
REFERENCE = Path(__file__).parent / "data" / "photo2monet-48x32.png"  # AB above BA, from the code before resize


@pytest.fixture(scope="module", params=["resize", "transposed"])
def net(request) -> torch.nn.Module:
    """Both up paths: tiles start on multiples of 4, so either computes inside a tile what it would on the whole
    photo (a bilinear ×2 resize is as shift-equivariant at even offsets as a stride-2 transposed convolution)."""
    return tiny_nets(upsample=request.param)["AB"]


def test_the_bundled_style_of_the_older_layout_stylizes_as_before():
    """photo2monet was trained with transposed convolutions: it loads as such and gives, to the rounding of
    the last bit, the pixels it gave before the resize up path existed (stored from that code)."""
    model, _ = resolve_style("photo2monet")
    assert all(isinstance(m, torch.nn.ConvTranspose2d) for m in (model.nets["AB"].net[15], model.nets["BA"].net[18]))
    img = photo(48, 32)
    out = np.concatenate([stylize_array(model.nets[d], img) for d in ("AB", "BA")]).astype(np.int16)
    before = np.asarray(Image.open(REFERENCE), np.int16)
    assert out.shape == before.shape and np.abs(out - before).max() <= 1 and np.mean(out != before) < 0.01


def test_tiles_cover_the_photo_on_multiples_of_4():
    starts = tile_starts(200, 64, 16)
    assert starts[0] == 0 and starts[-1] == 200 - 64 and all(s % 4 == 0 for s in starts)
    assert all(b - a <= 64 - 16 for a, b in itertools.pairwise(starts))
    assert tile_starts(60, 64, 16) == [0]


def test_overlapping_ramps_sum_to_one():
    left, right = ramp_window(64, 16, False, True), ramp_window(64, 16, True, False)
    assert np.allclose(left[-16:] + right[:16], 1.0) and left[0] == 1.0 and right[-1] == 1.0


def test_tiled_matches_untiled_and_shows_no_seam(net):
    img = photo(200, 136)
    whole = stylize_array(net, img, tile=512, overlap=0).astype(np.float32)
    tiled = stylize_array(net, img, tile=TILE, overlap=OVERLAP).astype(np.float32)
    err = np.abs(whole - tiled).mean(-1)
    assert err.mean() < 0.5
    # A seam would concentrate the error on the lines where tiles meet: compare those columns and rows to the rest.
    xs = tile_starts(200, TILE, OVERLAP)[1:] + [s + TILE for s in tile_starts(200, TILE, OVERLAP)[:-1]]
    ys = tile_starts(136, TILE, OVERLAP)[1:] + [s + TILE for s in tile_starts(136, TILE, OVERLAP)[:-1]]
    border = np.concatenate([err[:, [x - 1, x]].ravel() for x in xs] + [err[[y - 1, y], :].ravel() for y in ys])
    assert border.mean() < 1.0
    # and the stylized picture itself has no step there: its gradient across tile lines looks like elsewhere
    grad = np.abs(np.diff(tiled.mean(-1), axis=1))
    assert grad[:, [x - 1 for x in xs]].mean() < 1.5 * grad.mean() + 1


def test_without_shared_statistics_tiles_would_show(net):
    """The reason for collecting whole-photo statistics: per-tile norms differ visibly."""
    img = photo(200, 136)
    whole = stylize_array(net, img, tile=512, overlap=0).astype(np.float32)
    net.set_norm_mode("instance")
    per_tile = np.zeros_like(whole)
    with torch.no_grad():
        x = torch.from_numpy(img[:64, :64].copy()).permute(2, 0, 1)[None].float() / 127.5 - 1
        per_tile[:64, :64] = ((net(x)[0].permute(1, 2, 0).numpy() + 1) * 127.5)
    assert np.abs(per_tile[8:56, 8:56] - whole[8:56, 8:56]).mean() > 2.0


def test_big_photos_measure_statistics_on_spread_out_crops():
    assert stats_boxes(400, 300) == [(0, 0, 400, 300)]
    boxes = stats_boxes(4000, 3000)
    assert 4 <= len(boxes) <= 9 and all(h == w == 512 for _, _, h, w in boxes)
    assert {y for y, *_ in boxes} >= {0, 4000 - 512} and {x for _, x, *_ in boxes} >= {0, 3000 - 512}


def test_odd_sizes_come_back_at_their_own_size(net):
    img = photo(101, 67)
    assert stylize_array(net, img, tile=TILE, overlap=OVERLAP).shape == (67, 101, 3)


def test_progress_and_cancel(net):
    seen = []
    stylize_array(net, photo(200, 136), TILE, OVERLAP, progress=lambda d, t: seen.append((d, t)))
    assert seen[0] == (0, seen[-1][1])  # the count is known before the statistics pass, the slow start
    assert seen[-1][0] == seen[-1][1] == len(seen) - 1 > 1
    calls = []
    with pytest.raises(Cancelled):
        stylize_array(net, photo(200, 136), TILE, OVERLAP, cancel=lambda: calls.append(1) or len(calls) > 2)


def test_bad_tile_settings_are_refused(net):
    with pytest.raises(UserError, match="tile size"):
        stylize_array(net, photo(), tile=30)
    with pytest.raises(UserError, match="overlap"):
        stylize_array(net, photo(), tile=64, overlap=40)


def test_strength_blends_and_alpha_passes_through(tmp_path):
    model = load_style_model(write_style_model(tmp_path / "s.pt"))
    rgba = np.dstack([photo(96, 64), np.tile(np.linspace(0, 255, 96, dtype=np.uint8), (64, 1))])
    out, _ = paint_image(model, Image.fromarray(rgba, "RGBA"), "BA", strength=1.0)
    assert out.mode == "RGBA" and np.array_equal(np.asarray(out)[..., 3], rgba[..., 3])
    zero, _ = paint_image(model, Image.fromarray(rgba, "RGBA"), "AB", strength=0.0)
    assert np.array_equal(np.asarray(zero), rgba)
    a, b = np.zeros((2, 2, 3), np.uint8), np.full((2, 2, 3), 200, np.uint8)
    assert blend(a, b, 0.25)[0, 0, 0] == 50


def test_exif_orientation_is_honoured(tmp_path):
    arr = photo(96, 64)
    exif = Image.Exif()
    exif[0x0112] = 6  # stored landscape, shown rotated 90° clockwise
    Image.fromarray(arr).save(tmp_path / "phone.jpg", exif=exif.tobytes(), quality=95)
    img, _ = open_photo(tmp_path / "phone.jpg")
    assert img.size == (64, 96)
    assert np.abs(np.asarray(img, np.float32) - np.rot90(arr, -1)).mean() < 6


def test_loading_refuses_gan_files_and_code(tmp_path):
    gan = save_generator_file(tmp_path / "gan.pt", {"w": torch.zeros(1)}, {"kind": "gan", "model": {}})
    with pytest.raises(UserError, match="not a style model"):
        load_style_model(gan)
    evil = tmp_path / "evil.pt"
    torch.save({"format": "ganstudio-generator", "version": 1, "meta": "{}", "weights": {"x": Cancelled}}, evil)
    with pytest.raises(UserError, match="not plain weights"):
        load_style_model(evil)


def test_a_style_model_loads_from_its_run_checkpoint(tmp_path):
    from ganstudio.core.config import to_dict
    from ganstudio.modelfiles.checkpoint import save_checkpoint
    from tests.style.style_fixtures import TINY

    nets = tiny_nets(3)
    state = {"nets": {f"G_{d}": n.state_dict() for d, n in nets.items()}}
    meta = {"generator": {"kind": "cyclegan", "model": to_dict(TINY), "domains": {"A": "x", "B": "y"}}}
    save_checkpoint(tmp_path / "run", 5, {}, state, meta, keep_last=1)
    model = load_style_model(tmp_path / "run")
    assert model.direction_label("BA") == "y → x"
    assert torch.equal(model.nets["AB"].net[1].weight, nets["AB"].net[1].weight)
