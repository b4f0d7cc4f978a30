"""The one export dispatch: every kind is checked up front and written with the settings in its provenance."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from ganstudio.core.errors import UserError
from ganstudio.core.jobs import Cancelled
from ganstudio.export.dispatch import ExportSettings, check_export, export_frames


@pytest.fixture
def frames() -> np.ndarray:
    rng = np.random.default_rng(1)
    base = rng.integers(0, 256, (8, 10, 3), dtype=np.uint8)
    return np.stack([np.roll(base, 2 * i, axis=1) for i in range(5)])


@pytest.mark.parametrize("kind", ["gif", "webp", "apng", "sheet", "frames"])
def test_every_kind_writes_and_records_its_settings(frames, tmp_path, kind):
    path = tmp_path / {"gif": "out.gif", "webp": "out.webp", "frames": "out"}.get(kind, "out.png")
    s = ExportSettings(scale=2, columns=3 if kind == "sheet" else None)
    check_export(kind, path, len(frames), 8, 10, 12, s)
    written = export_frames(frames, kind, path, s, 12, True, {"seeds": [1]})
    assert str(path) in written
    if kind == "frames":
        pngs = sorted(path.glob("frame_*.png"))
        assert len(pngs) == 5 and Image.open(pngs[0]).size == (20, 16)
        prov = json.loads((path / "provenance.json").read_text())
    elif kind == "sheet":
        meta = json.loads(path.with_suffix(".json").read_text())["meta"]
        assert (meta["columns"], meta["rows"], meta["fps"]) == (3, 2, 12)
        prov = meta["ganstudio"]
    else:
        assert getattr(Image.open(path), "n_frames", 1) == 5
        prov = json.loads(path.with_name(path.name + ".json").read_text())
    assert prov["seeds"] == [1]
    assert prov["export"] == {"kind": kind, "scale": 2, "resample": "nearest", "colors": 256,
                              "palette": "shared", "quality": 90, "columns": s.columns}


@pytest.mark.parametrize(("kind", "n", "fps", "settings", "words"), [
    ("avi", 5, 12, ExportSettings(), "unknown export"),
    ("gif", 5, 70, ExportSettings(), "fps"),
    ("sheet", 5, 0, ExportSettings(), "fps"),
    ("webp", 5, 12, ExportSettings(quality=0), "quality"),
    ("gif", 5, 12, ExportSettings(scale=1000), "too large"),
    ("sheet", 400, 12, ExportSettings(scale=16, columns=400), "too large"),
    ("frames", 5, 12, ExportSettings(resample="bicubic"), "resampling"),
])
def test_bad_settings_fail_before_rendering(tmp_path, kind, n, fps, settings, words):
    with pytest.raises(UserError, match=words):
        check_export(kind, tmp_path / "x.gif", n, 8, 10, fps, settings)


def test_frames_folder_must_be_new(tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "frame_0000.png").write_bytes(b"")
    with pytest.raises(UserError, match="not empty"):
        check_export("frames", tmp_path / "old", 5, 8, 10, 12, ExportSettings())


def test_cancel_leaves_nothing(frames, tmp_path):
    path = tmp_path / "out.gif"
    with pytest.raises(Cancelled):
        export_frames(frames, "gif", path, ExportSettings(), 12, True, {}, cancelled=lambda: True)
    assert list(tmp_path.iterdir()) == []

