"""One style job without Qt: a render is full size, an export reuses a render, bad input is a UserError."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from ganstudio.core.errors import UserError
from ganstudio.core.jobs import Cancelled, never_cancelled, no_progress
from ganstudio.style.render import StyleModels, StyleRequest, Stylized, fit, run_request
from tests.style.style_fixtures import write_photo, write_style_model


def test_a_render_is_full_size_and_export_reuses_it(tmp_path, monkeypatch):
    model = write_style_model(tmp_path / "style.pt")
    photo = write_photo(tmp_path / "wide.png", 1100, 80)
    models = StyleModels()
    render = run_request(StyleRequest(photo, model, "AB"), models, no_progress, never_cancelled)
    assert isinstance(render, Stylized) and render.stylized.shape == (80, 1100, 3)
    full = np.full((80, 1100, 3), 200, np.uint8)
    monkeypatch.setattr(models, "get", lambda path: pytest.fail("the network ran again"))
    out = tmp_path / "out.png"
    written = run_request(StyleRequest(photo, model, "AB", out=out, stylized=full), models, no_progress,
                          never_cancelled)
    assert written == str(out) and np.asarray(Image.open(out))[0, 0].tolist() == [200, 200, 200]
    assert fit(full, 550).shape == (40, 550, 3) and fit(full, 2000) is full


def test_unknown_direction_and_cancel(tmp_path):
    model = write_style_model(tmp_path / "style.pt")
    photo = write_photo(tmp_path / "p.png")
    with pytest.raises(UserError, match="unknown direction 'XY'"):
        run_request(StyleRequest(photo, model, "XY"), StyleModels(), no_progress, never_cancelled)
    with pytest.raises(Cancelled):
        run_request(StyleRequest(photo, model, "AB"), StyleModels(), no_progress, lambda: True)


def test_crossfade_holds_both_ends_and_comes_back():
    from ganstudio.style.photos import crossfade_frames

    a = Image.new("RGB", (720, 360), (0, 0, 0))
    b = Image.new("RGB", (720, 360), (200, 100, 0))
    frames = crossfade_frames(a, b, steps=10, hold=4)
    assert len(frames) == 4 + 10 + 4 + 8 and frames[0].shape == (180, 360, 3)
    assert frames[3].max() == 0 and frames[4 + 9][0, 0].tolist() == [200, 100, 0]
    assert 0 < frames[8][0, 0, 0] < 200 and np.array_equal(frames[-1], frames[5])
