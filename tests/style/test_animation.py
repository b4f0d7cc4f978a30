"""Animated input: one set of norm statistics for every frame (no flicker), the length limit with its reason,
video without the extra, and nothing written unless every frame is done."""

from __future__ import annotations

import json
from itertools import pairwise

import numpy as np
import pytest
from PIL import Image

from ganstudio.core.errors import UserError
from ganstudio.core.jobs import Cancelled
from ganstudio.metrics.flicker import flicker, flicker_ratio
from ganstudio.style import animation
from ganstudio.style.animation import Clip, ClipJob, is_animation, read_clip, run_clip, stylize_clip
from ganstudio.style.stroke import paint
from ganstudio.style.tiles import load_style_model
from tests.style.style_fixtures import tiny_nets, write_photo, write_style_model

PAN = 8  # px a frame: a multiple of 4, so the network's own grid moves with the scene


def pan_frames(n: int = 24, side: int = 128) -> list[np.ndarray]:
    """A camera panning over a scene where bright discs enter and leave the frame."""
    rng = np.random.default_rng(0)
    width = side + PAN * n
    y, x = np.mgrid[0:side, 0:width].astype(np.float32)
    scene = np.stack([60 + 40 * np.sin(x / 23), 80 + 30 * np.cos(y / 17), 90 + 0 * x], -1)
    for cx in range(side // 2, width, 180):
        scene[(x - cx) ** 2 + (y - side / 2) ** 2 < (side * 0.3) ** 2] = (235, 220, 120)
    scene = np.clip(scene + rng.normal(0, 3, scene.shape), 0, 255).astype(np.uint8)
    return [np.ascontiguousarray(scene[:, PAN * i:PAN * i + side]) for i in range(n)]


def moved(frames: list[np.ndarray], margin: int = 40) -> float:
    """Difference of consecutive frames once the pan is undone, away from the borders: 0 for a steady result."""
    return float(np.mean([np.abs(b[:, margin:-margin - PAN].astype(np.int16) - a[:, margin + PAN:-margin]).mean()
                          for a, b in pairwise(frames)]))


def save_gif(path, frames, duration=80):
    images = [Image.fromarray(f) for f in frames]
    images[0].save(path, save_all=True, append_images=images[1:], duration=duration, loop=0)
    return path


def test_one_set_of_statistics_keeps_a_pan_steady():
    net, frames = tiny_nets()["AB"], pan_frames()
    fixed, notes = stylize_clip(net, Clip(frames, 12), "full")
    per_frame = [paint(net, f, "full")[0] for f in frames]  # each frame's own statistics
    assert moved(frames) == 0 and moved(fixed) < 0.05 < 1.0 < moved(per_frame)
    assert flicker_ratio(fixed, frames) < 1.5 and flicker_ratio(fixed, frames) <= flicker_ratio(per_frame, frames)
    assert notes == [] and flicker(fixed[:1]) == 0.0


def test_a_gif_is_read_with_its_timing_and_written_with_provenance(tmp_path):
    source = save_gif(tmp_path / "pan.gif", pan_frames(6), duration=80)
    assert is_animation(source) and not is_animation(write_photo(tmp_path / "still.png"))
    clip = read_clip(source)
    assert len(clip.frames) == 6 and clip.frames[0].shape == (128, 128, 3) and clip.fps == pytest.approx(12.5)
    model = load_style_model(write_style_model(tmp_path / "s.pt"))
    seen = []
    for kind in ("gif", "webp"):
        out = tmp_path / f"out.{kind}"
        written, _ = run_clip(ClipJob(source, out, kind, meta={"model": "s"}), model,
                              progress=lambda d, t: seen.append((d, t)))
        assert str(out) in written
        with Image.open(out) as anim:
            assert anim.n_frames == 6 and anim.size == (128, 128)
        meta = json.loads((tmp_path / f"out.{kind}.json").read_text())
        assert meta["model"] == "s" and meta["frames"] == 6 and meta["fps"] == 12.5
    assert seen[-1] == (6, 6)


def test_too_long_a_gif_is_refused_with_the_limit_and_its_reason(tmp_path):
    frames = [np.full((32, 32, 3), i % 250, np.uint8) for i in range(animation.MAX_FRAMES + 1)]
    source = save_gif(tmp_path / "long.gif", frames, duration=20)
    with pytest.raises(UserError, match=r"has 501 frames of 32×32 px, more than the 500") as err:
        read_clip(source)
    assert "held in memory" in err.value.message and "at most 500 frames" in err.value.hint
    assert animation.frame_limit(1920, 1080) == animation.MAX_CLIP_PIXELS // (1920 * 1080) < 500


def test_nothing_is_written_when_cancelled_or_refused(tmp_path):
    source = save_gif(tmp_path / "pan.gif", pan_frames(4))
    model = load_style_model(write_style_model(tmp_path / "s.pt"))
    out = tmp_path / "out.gif"
    calls = []
    with pytest.raises(Cancelled):
        run_clip(ClipJob(source, out), model, cancel=lambda: calls.append(1) or len(calls) > 3)
    with pytest.raises(UserError, match="unknown animation format 'avi'"):
        run_clip(ClipJob(source, tmp_path / "out.avi", "avi"), model)
    with pytest.raises(UserError, match="unknown direction"):
        run_clip(ClipJob(source, out, direction="XY"), model)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pan.gif", "s.pt"]


def test_a_video_without_the_video_extra_says_how_to_add_it(tmp_path, monkeypatch):
    monkeypatch.setattr(animation, "video_reader_available", lambda: False)
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42")
    assert is_animation(video)
    with pytest.raises(UserError, match="reading a video needs the optional video extra") as err:
        read_clip(video)
    assert 'pip install -e ".[video]"' in err.value.hint


def test_a_video_becomes_a_stylized_video_with_the_video_extra(tmp_path):
    pytest.importorskip("imageio_ffmpeg", reason="the optional video extra is not installed")
    from ganstudio.export.writers import write_animation
    from ganstudio.style.photos import open_photo

    source = write_animation(np.stack(pan_frames(6)), tmp_path / "pan.mp4", fps=12)
    first, notes = open_photo(source)
    assert first.size == (128, 128) and "first frame" in notes[0]
    model = load_style_model(write_style_model(tmp_path / "s.pt"))
    run_clip(ClipJob(source, tmp_path / "out.mp4", "mp4"), model)
    clip = read_clip(tmp_path / "out.mp4")
    assert len(clip.frames) == 6 and clip.frames[0].shape == (128, 128, 3) and clip.fps == pytest.approx(12)
