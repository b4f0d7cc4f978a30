"""Every export format decodes back with the right frames, durations, loop flag and provenance."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ganstudio.core.errors import UserError
from ganstudio.core.jobs import Cancelled
from ganstudio.export import writers as export


@pytest.fixture
def frames() -> np.ndarray:
    """Seven 20×24 frames, each clearly different from the previous (encoders merge identical ones)."""
    rng = np.random.default_rng(0)
    base = rng.integers(0, 256, (20, 24, 3), dtype=np.uint8)
    return np.stack([np.roll(base, 3 * i, axis=1) for i in range(7)])


def decoded(path) -> tuple[list[np.ndarray], list[float], dict]:
    im = Image.open(path)
    pics, durs = [], []
    for i in range(getattr(im, "n_frames", 1)):
        im.seek(i)
        im.load()
        pics.append(np.asarray(im.convert("RGB")))
        durs.append(im.info.get("duration"))
    im.seek(0)
    return pics, durs, dict(im.info)


@pytest.mark.parametrize("fmt", ["gif", "webp", "apng"])
@pytest.mark.parametrize("loop", [True, False])
def test_animation_round_trip(frames, tmp_path, fmt, loop):
    path = tmp_path / f"walk{export.SUFFIX[fmt]}"
    out = export.write_animation(frames, path, fps=24, loop=loop, provenance={"seeds": [3, 17]})
    assert out == path
    pics, durs, info = decoded(path)
    assert len(pics) == len(frames)
    unit = 10 if fmt == "gif" else 1
    assert [int(d) for d in durs] == export.frame_durations(len(frames), 24, unit)
    assert sum(int(d) for d in durs) == round(len(frames) * 1000 / 24, -1 if fmt == "gif" else 0)
    if fmt == "gif":
        assert ("loop" in info) == loop
        assert json.loads(info["comment"])["seeds"] == [3, 17]
    else:
        assert info["loop"] == (0 if loop else 1)
    if fmt == "apng":
        assert json.loads(info["ganstudio"])["seeds"] == [3, 17]
        assert all(np.array_equal(a, b) for a, b in zip(pics, frames, strict=True))  # lossless
    if fmt == "webp":
        assert json.loads(Image.open(path).getexif()[0x010E])["seeds"] == [3, 17]
    side = json.loads(export.sidecar_path(path).read_text())
    assert side["seeds"] == [3, 17] and side["app"] == "GAN Studio"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([path.name, path.name + ".json"])


def test_shared_palette_gif_stays_close_to_the_frames(frames, tmp_path):
    smooth = np.repeat(np.repeat(frames // 64 * 64, 2, 1), 2, 2)
    export.write_animation(smooth, tmp_path / "a.gif", fps=10)
    pics, _, _ = decoded(tmp_path / "a.gif")
    err = np.abs(np.stack(pics).astype(int) - smooth.astype(int)).mean()
    assert err < 1.0  # 4 levels per channel (64 colours) fit a 256-colour palette exactly


def test_scale_and_resampling(frames, tmp_path):
    export.write_animation(frames, tmp_path / "big.png", fps=12, scale=3, resample="nearest")
    pics, _, _ = decoded(tmp_path / "big.png")
    assert pics[0].shape == (60, 72, 3)
    assert np.array_equal(pics[2][::3, ::3], frames[2])
    export.write_animation(frames, tmp_path / "soft.png", fps=12, scale=2, resample="smooth")
    soft, _, _ = decoded(tmp_path / "soft.png")
    assert soft[0].shape == (40, 48, 3) and not np.array_equal(soft[0][::2, ::2], frames[0])


def test_sprite_sheet_json_matches_png(frames, tmp_path):
    png, js = export.write_sprite_sheet(frames, tmp_path / "sheet.png", cols=3, fps=8, scale=2,
                                        provenance={"interp": "slerp"})
    sheet = np.asarray(Image.open(png).convert("RGB"))
    meta = json.loads(js.read_text())
    assert meta["meta"]["size"] == {"w": sheet.shape[1], "h": sheet.shape[0]} == {"w": 3 * 48, "h": 3 * 40}
    assert meta["meta"]["image"] == "sheet.png" and meta["meta"]["ganstudio"]["interp"] == "slerp"
    names = meta["animations"]["walk"]
    assert len(names) == len(frames) == len(meta["frames"])
    for i, name in enumerate(names):
        f = meta["frames"][name]["frame"]
        tile = sheet[f["y"]:f["y"] + f["h"], f["x"]:f["x"] + f["w"]]
        assert np.array_equal(tile[::2, ::2], frames[i])
    assert [meta["frames"][n]["duration"] for n in names] == export.frame_durations(len(frames), 8)
    assert json.loads(Image.open(png).info["ganstudio"])["interp"] == "slerp"


def test_png_and_sequence(frames, tmp_path):
    export.write_png(frames[0], tmp_path / "one.png", provenance={"seed": 5})
    im = Image.open(tmp_path / "one.png")
    assert np.array_equal(np.asarray(im.convert("RGB")), frames[0]) and json.loads(im.info["ganstudio"])["seed"] == 5
    paths = export.write_frames(frames, tmp_path / "seq", provenance={"seed": 5})
    assert [p.name for p in paths] == [f"frame_{i:04d}.png" for i in range(7)]
    for p, f in zip(paths, frames, strict=True):
        assert np.array_equal(np.asarray(Image.open(p).convert("RGB")), f)
    with pytest.raises(UserError, match="not empty"):
        export.write_frames(frames, tmp_path / "seq")


@pytest.mark.parametrize("fmt", ["gif", "webp", "apng"])
def test_cancel_leaves_nothing(frames, tmp_path, fmt):
    target = tmp_path / f"c{export.SUFFIX[fmt]}"
    target.write_bytes(b"older export")
    calls = []
    with pytest.raises(Cancelled):
        export.write_animation(frames, target, progress=lambda d, n: calls.append(d), cancel=lambda: len(calls) >= 3,
                               provenance={"a": 1})
    assert target.read_bytes() == b"older export"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_cancelled_sequence_and_sheet_leave_nothing(frames, tmp_path):
    calls = []
    with pytest.raises(Cancelled):
        export.write_frames(frames, tmp_path / "seq", progress=lambda d, n: calls.append(d),
                            cancel=lambda: len(calls) >= 2)
    with pytest.raises(Cancelled):
        export.write_sprite_sheet(frames, tmp_path / "s.png", cancel=lambda: True)
    assert list(tmp_path.iterdir()) == []


def test_failed_sidecar_discards_the_animation_too(frames, tmp_path):
    (tmp_path / "x.gif.json").mkdir()  # the sidecar cannot be written
    with pytest.raises(UserError, match=r"could not write x\.gif\.json"):
        export.write_animation(frames, tmp_path / "x.gif", provenance={"a": 1})
    assert [p.name for p in tmp_path.iterdir()] == ["x.gif.json"]


def test_disk_full_is_a_user_error_and_leaves_nothing(frames, tmp_path, monkeypatch):
    import os

    real = os.fsync

    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(UserError, match="No space left"):
        export.write_animation(frames, tmp_path / "x.gif")
    monkeypatch.setattr(os, "fsync", real)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("kwargs, message", [
    ({"fps": 0}, "fps is not supported"),
    ({"fps": 200}, "fps is not supported"),
    ({"scale": 500}, "too large"),
    ({"scale": 0}, "positive"),
    ({"colors": 1}, "colours"),
    ({"quality": 0}, "quality"),
    ({"resample": "cubic"}, "resampling"),
])
def test_bad_settings_are_user_errors(frames, tmp_path, kwargs, message):
    with pytest.raises(UserError, match=message):
        export.write_animation(frames, tmp_path / "bad.gif", **kwargs)
    assert list(tmp_path.iterdir()) == []


def test_bad_names_and_counts(frames, tmp_path):
    with pytest.raises(UserError, match="format"):
        export.write_animation(frames, tmp_path / "x.avi")
    with pytest.raises(UserError, match="no frames"):
        export.write_animation(frames[:0], tmp_path / "x.gif")
    with pytest.raises(UserError, match="too many"):
        export.check_frames(np.zeros((export.MAX_FRAMES + 1, 2, 2, 3), np.uint8))
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(UserError, match="cannot write"):
        export.write_animation(frames, blocker / "x.gif")


def test_durations_keep_the_total_time():
    assert export.frame_durations(24, 24, 10) == [40, 40, 50, 40, 40, 40] * 4
    assert sum(export.frame_durations(48, 24, 10)) == 2000
    assert export.frame_durations(3, 10) == [100, 100, 100]


def test_mp4(frames, tmp_path):
    if not export.video_available():
        with pytest.raises(UserError, match="video extra"):
            export.write_animation(frames, tmp_path / "v.mp4")
        assert list(tmp_path.iterdir()) == []
        return
    import imageio_ffmpeg

    path = export.write_animation(frames[:, :19, :23], tmp_path / "v.mp4", fps=12,  # odd sides: padded to even
                                  provenance={"seed": 1})
    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    decoded_frames = list(reader)
    assert meta["fps"] == 12 and meta["size"] == (24, 20) and len(decoded_frames) == len(frames)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v.mp4", "v.mp4.json"]


def test_the_mp4_hint_gives_the_readmes_install_command():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"`{export.VIDEO_INSTALL}`" in readme and export.VIDEO_INSTALL in export.VIDEO_HINT
