"""Animated input: a GIF, an animated WebP / PNG or (with the video extra) an MP4, stylized frame by frame.

Frame by frame is not enough on its own: a CycleGAN's instance norms measure each picture's own
statistics, and as a scene pans those drift, so each frame would come out in slightly other
colours: a flicker. So the statistics are measured once, over `STATS_FRAMES` frames spread over
the clip (`tiles.collect_stats`, the same regions a big photo uses), and every frame is
normalised with them (`fixed_stats`). The frames are painted at the stroke size like a photo.

A clip is held in memory in full (the frames in, the frames out) until the animation is written
through `export.dispatch` (provenance, sidecar, written to a temporary name and renamed), hence
the limits on its length. Nothing is written until every frame is done; a cancelled or failed
job leaves no file.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageSequence

from ganstudio.core.errors import UserError
from ganstudio.core.files import regular_file
from ganstudio.core.images import DEFAULT_MAX_PIXELS
from ganstudio.core.jobs import Cancelled, Progress
from ganstudio.export.dispatch import ExportSettings, check_export, export_frames
from ganstudio.export.writers import MAX_GIF_FPS, VIDEO_HINT
from ganstudio.models.cyclegan import ResnetGenerator
from ganstudio.style.detail import shrink_photo
from ganstudio.style.stroke import DEFAULT_STROKE, paint, working_size
from ganstudio.style.tiles import DEFAULT_OVERLAP, DEFAULT_TILE, StyleModel, blend, check_size, collect_stats

VIDEO_SUFFIXES = {".mp4", ".m4v", ".mov"}
ANIMATION_KINDS = ("gif", "webp", "mp4")
MAX_FRAMES = 500  # every frame is a full style transfer: 500 frames of 512 px take ~10 min on a laptop CPU
MAX_CLIP_PIXELS = 200_000_000  # frames × pixels: the clip in and out, held in memory, stay under ~1.2 GB
STATS_FRAMES = 8
VIDEO_READ_MISSING = "reading a video needs the optional video extra"
SETTINGS = ExportSettings()  # frames are written at their own size


@dataclass
class Clip:
    """The frames of an animation, (H, W, 3) uint8 and all one size, at `fps` frames a second."""

    frames: list[np.ndarray]
    fps: float


@dataclass
class ClipJob:
    """One animation through one style into one file (`kind`: gif, webp or mp4)."""

    source: Path
    out: Path
    kind: str = "gif"
    direction: str = "AB"
    strength: float = 1.0
    stroke: str = DEFAULT_STROKE
    tile: int = DEFAULT_TILE
    overlap: int = DEFAULT_OVERLAP
    max_pixels: int = DEFAULT_MAX_PIXELS
    meta: dict = field(default_factory=dict)


def is_animation(path: Path) -> bool:
    """A video file, or an image file of more than one frame (header only). Not a regular file (a pipe would
    block the header's read): False, and opening it as a photo says why."""
    if not path.is_file():
        return False
    if path.suffix.lower() in VIDEO_SUFFIXES:
        return True
    try:
        with Image.open(path) as img:
            return getattr(img, "n_frames", 1) > 1
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False


def video_reader_available() -> bool:
    return importlib.util.find_spec("imageio_ffmpeg") is not None


def frame_limit(width: int, height: int) -> int:
    return max(1, min(MAX_FRAMES, MAX_CLIP_PIXELS // max(1, width * height)))


def check_length(name: str, n: int, width: int, height: int) -> None:
    """A clip longer than `frame_limit` is refused with the limit and the reason for it."""
    limit = frame_limit(width, height)
    if n > limit:
        raise UserError(f"{name} has {n} frames of {width}×{height} px, more than the {limit} an animation of that "
                        "size may have: every frame is a full style transfer, and all of them are held in memory "
                        "until the animation is written",
                        f"cut it to at most {limit} frames (or make it smaller) and try again")


def read_clip(path: str | Path, max_pixels: int = DEFAULT_MAX_PIXELS) -> Clip:
    """Every frame of an animated image or a video, checked against the limits before the frames are decoded."""
    path = regular_file(path)
    if path.suffix.lower() in VIDEO_SUFFIXES:
        return _read_video(path, max_pixels)
    try:
        with Image.open(path) as img:
            width, height = img.size
            _check_frame(path.name, width, height, max_pixels)
            check_length(path.name, getattr(img, "n_frames", 1), width, height)
            frames, durations = [], []
            for frame in ImageSequence.Iterator(img):
                frames.append(np.asarray(frame.convert("RGB")))
                durations.append(float(frame.info.get("duration") or 100))
    except UserError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise UserError(f"{path.name} is damaged or not an animation GAN Studio can read ({exc})") from None
    return Clip(frames, min(max(1000.0 / float(np.mean(durations)), 1.0), float(MAX_GIF_FPS)))


def _check_frame(name: str, width: int, height: int, max_pixels: int) -> None:
    if max_pixels and width * height > max_pixels:
        raise UserError(f"{name}'s frames are {width}×{height}, over the {max_pixels / 1e6:.0f} MP safety limit",
                        "raise the limit with --max-megapixels if you trust this file")
    check_size(width, height, name)


def _read_video(path: Path, max_pixels: int) -> Clip:
    """An MP4 (or MOV) through the video extra's ffmpeg, as RGB frames."""
    if not video_reader_available():
        raise UserError(f"{path.name}: {VIDEO_READ_MISSING}", VIDEO_HINT)
    import imageio_ffmpeg

    try:
        reader = imageio_ffmpeg.read_frames(str(path))
        meta = next(reader)
        width, height = (int(v) for v in meta["size"])
        fps = float(meta.get("fps") or 24.0)
        _check_frame(path.name, width, height, max_pixels)
        check_length(path.name, round(float(meta.get("duration") or 0) * fps), width, height)
        frames = []
        for data in reader:
            frames.append(np.frombuffer(data, np.uint8).reshape(height, width, 3).copy())
            check_length(path.name, len(frames), width, height)  # a header may understate the length
    except UserError:
        raise
    except (OSError, RuntimeError, ValueError, KeyError) as exc:
        raise UserError(f"{path.name} is damaged or not a video GAN Studio can read ({exc})") from None
    if not frames:
        raise UserError(f"{path.name} holds no frames")
    return Clip(frames, fps)


def output_fps(kind: str, fps: float) -> float:
    """A GIF's delays are hundredths of a second: a faster clip plays at GIF's fastest."""
    return min(fps, float(MAX_GIF_FPS)) if kind == "gif" else fps


def first_video_frame(path: Path, max_pixels: int = DEFAULT_MAX_PIXELS) -> Image.Image:
    """A video's first frame, for its preview (the video extra's ffmpeg reads no further)."""
    if not video_reader_available():
        raise UserError(f"{path.name}: {VIDEO_READ_MISSING}", VIDEO_HINT)
    import imageio_ffmpeg

    try:
        reader = imageio_ffmpeg.read_frames(str(path))
        width, height = (int(v) for v in next(reader)["size"])
        _check_frame(path.name, width, height, max_pixels)
        data = next(reader)
        reader.close()
    except UserError:
        raise
    except (OSError, RuntimeError, ValueError, KeyError, StopIteration) as exc:
        raise UserError(f"{path.name} is damaged or not a video GAN Studio can read ({exc})") from None
    return Image.fromarray(np.frombuffer(data, np.uint8).reshape(height, width, 3).copy())


def check_output(kind: str, path: Path, clip: Clip) -> None:
    """Everything about writing the result that can fail, checked before a frame is painted."""
    if kind not in ANIMATION_KINDS:
        raise UserError(f"unknown animation format '{kind}'", f"use one of {', '.join(ANIMATION_KINDS)}")
    height, width = clip.frames[0].shape[:2]
    check_export(kind, path, len(clip.frames), height, width, output_fps(kind, clip.fps), SETTINGS)


def stylize_clip(net: ResnetGenerator, clip: Clip, stroke: str = DEFAULT_STROKE, tile: int = DEFAULT_TILE,
                 overlap: int = DEFAULT_OVERLAP, device: torch.device | str = "cpu", progress: Progress | None = None,
                 cancel: Callable[[], bool] | None = None) -> tuple[list[np.ndarray], list[str]]:
    """Every frame stylized with one set of norm statistics (see the module docstring), and the notes."""
    height, width = clip.frames[0].shape[:2]
    work, notes = working_size(width, height, stroke)
    picks = np.unique(np.linspace(0, len(clip.frames) - 1, min(STATS_FRAMES, len(clip.frames))).astype(int))
    collect_stats(net, [clip.frames[i] if work is None else shrink_photo(clip.frames[i], work) for i in picks], device)
    out = []
    for i, frame in enumerate(clip.frames):
        if cancel and cancel():
            raise Cancelled()
        out.append(paint(net, frame, stroke, 0, tile, overlap, device, cancel=cancel, fixed_stats=True)[0])
        if progress:
            progress(i + 1, len(clip.frames))
    return out, notes


def run_clip(job: ClipJob, model: StyleModel, progress: Progress | None = None,
             cancel: Callable[[], bool] | None = None) -> tuple[str, list[str]]:
    """Read, check, stylize and write one animation (a looping GIF / WebP or an MP4, with provenance);
    returns what was written and the notes. The file appears only once every frame is done."""
    if job.direction not in model.nets:
        raise UserError(f"unknown direction '{job.direction}'", "use AB or BA")
    clip = read_clip(job.source, job.max_pixels)
    check_output(job.kind, job.out, clip)
    frames, notes = stylize_clip(model.nets[job.direction], clip, job.stroke, job.tile, job.overlap, model.device,
                                 progress, cancel)
    frames = [blend(src, out, job.strength) for src, out in zip(clip.frames, frames, strict=True)]
    fps = output_fps(job.kind, clip.fps)
    meta = {**job.meta, "frames": len(frames), "fps": round(fps, 3)}
    return export_frames(np.stack(frames), job.kind, job.out, SETTINGS, fps, True, meta, cancelled=cancel), notes
