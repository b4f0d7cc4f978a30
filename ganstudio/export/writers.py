"""Writing generated frames to files: GIF, animated WebP, APNG, MP4, PNG, PNG sequences, sprite sheets.

Shared by every creative page (latent walk, classes) and their CLI twins. Frames are
(N, H, W, 3) uint8 arrays. Each writer goes to a temporary name in the target folder and
renames at the end, so a cancelled, failed or full-disk export never leaves a broken file.
Provenance (model hash, seeds, settings, app version) travels inside the file where the
format allows it (PNG text chunks, GIF comment, WebP EXIF description, MP4 comment) and in a
sidecar `<file>.json` beside it.

Speed: a GIF gets one palette computed from a sample of all frames, then every frame is
mapped to it, instead of a fresh median-cut palette per frame. A shared palette also stops
colours flickering from frame to frame. `palette="per-frame"` keeps the slower per-frame
palette (with dithering) for walks whose colours change a lot.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import math
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image

from ganstudio import __version__
from ganstudio.core.atomic import atomic_file, atomic_folder, atomic_path
from ganstudio.core.errors import UserError
from ganstudio.core.jobs import CancelCheck as Cancel
from ganstudio.core.jobs import Cancelled, Progress
from ganstudio.export.png import png_info, save_png

FORMATS = ("gif", "webp", "apng", "mp4")
SUFFIX = {"gif": ".gif", "webp": ".webp", "apng": ".png", "mp4": ".mp4"}
RESAMPLE = {"nearest": Image.Resampling.NEAREST, "smooth": Image.Resampling.LANCZOS}
PALETTES = ("shared", "per-frame")
MAX_FRAMES = 5000  # ~3.5 min at 24 fps: longer exports are almost always a typo
MAX_SIDE = 4096  # output pixels per side (a sprite sheet may reach MAX_SHEET_SIDE)
# Whole enlargements of a picture: each source pixel becomes an even square (crisp) or is blended (smooth);
# a fractional factor would make nearest neighbour repeat some rows and not others.
PICTURE_SCALES = (1, 2, 4, 8)
MAX_SHEET_SIDE = 16384  # the largest texture common GPUs and game engines accept
MAX_FPS = 60
MAX_GIF_FPS = 50  # GIF delays are in 1/100 s and browsers slow down anything under 2/100 s
PALETTE_SAMPLE = 16  # frames the shared GIF palette is computed from
MAX_VIDEO_COMMENT = 64_000  # bytes of provenance an MP4 comment carries; a longer one names its sidecar



def video_available() -> bool:
    """MP4 needs the optional `video` extra (imageio-ffmpeg, which bundles an ffmpeg binary)."""
    return importlib.util.find_spec("imageio_ffmpeg") is not None


VIDEO_MISSING = "MP4 export needs the optional video extra"
VIDEO_INSTALL = '.venv/bin/pip install -e ".[video]"'  # from the folder GAN Studio was installed from
VIDEO_HINT = f"install it with: {VIDEO_INSTALL}"


def format_for(path: str | Path) -> str:
    """The animation format a file name asks for (.gif, .webp, .png → APNG, .mp4)."""
    suffix = Path(path).suffix.lower()
    for fmt, ext in SUFFIX.items():
        if suffix == ext:
            return fmt
    raise UserError(f"cannot tell the animation format from '{Path(path).name}'",
                    "end the file name with .gif, .webp, .png (APNG) or .mp4")


def frame_durations(n: int, fps: float, unit_ms: int = 1) -> list[int]:
    """Per-frame delays in ms, rounded to the format's unit so the total time stays n/fps.

    24 fps in a GIF (10 ms steps) becomes 40, 40, 40, 50, … rather than 40 throughout, which
    would play 4 % fast.
    """
    stamps = [math.floor(i * 1000 / fps / unit_ms + 0.5) * unit_ms for i in range(n + 1)]
    return [b - a for a, b in itertools.pairwise(stamps)]


def provenance_json(provenance: dict | None) -> str:
    return json.dumps({"app": "GAN Studio", "app_version": __version__, **(provenance or {})}, sort_keys=True)


def check_frames(frames: np.ndarray | Sequence[np.ndarray], scale: float = 1.0,
                 max_side: int = MAX_SIDE) -> tuple[int, int, int]:
    """(count, out height, out width) of a frame stack, or a UserError saying what is too big or empty."""
    n = len(frames)
    if n == 0:
        raise UserError("there are no frames to export")
    if n > MAX_FRAMES:
        raise UserError(f"{n} frames is too many to export", f"use at most {MAX_FRAMES}")
    first = np.asarray(frames[0])
    if first.ndim != 3 or first.shape[2] != 3 or first.dtype != np.uint8:
        raise ValueError(f"frames must be (H, W, 3) uint8, got {first.shape} {first.dtype}")
    if not (scale > 0 and math.isfinite(scale)):
        raise UserError(f"scale {scale} must be a positive number")
    h, w = max(1, round(first.shape[0] * scale)), max(1, round(first.shape[1] * scale))
    if max(h, w) > max_side:
        raise UserError(f"{w}×{h} px frames are too large", f"keep each side at most {max_side} px (lower the scale)")
    return n, h, w


def check_fps(fps: float, fmt: str) -> None:
    top = MAX_GIF_FPS if fmt == "gif" else MAX_FPS
    if not (isinstance(fps, (int, float)) and 1 <= fps <= top):
        raise UserError(f"{fps} fps is not supported for {fmt.upper()}", f"use 1–{top} fps")


def check_resample(resample: str) -> None:
    if resample not in RESAMPLE:
        raise UserError(f"unknown resampling '{resample}'", "use nearest or smooth")


def check_picture_scale(scale: float) -> int:
    """A picture's enlargement: one of PICTURE_SCALES, else a UserError."""
    if scale not in PICTURE_SCALES:
        raise UserError(f"scale {scale:g} is not offered for pictures", "use 1, 2, 4 or 8 (whole factors)")
    return int(scale)


def enlarged(image: np.ndarray, scale: int, resample: str = "nearest") -> Image.Image:
    """One (H, W, 3) uint8 picture enlarged by a whole factor of PICTURE_SCALES, crisp (nearest) or smooth."""
    check_resample(resample)
    k = check_picture_scale(scale)
    return _scaled(image, image.shape[0] * k, image.shape[1] * k, resample)


def check_animation(fmt: str, fps: float, quality: int = 90, colors: int = 256, palette: str = "shared",
                    resample: str = "nearest") -> None:
    """Every animation setting, checked before any frame is rendered or written."""
    if fmt not in FORMATS:
        raise UserError(f"unknown animation format '{fmt}'", f"use one of {', '.join(FORMATS)}")
    if fmt == "mp4" and not video_available():
        raise UserError(VIDEO_MISSING, VIDEO_HINT)
    check_fps(fps, fmt)
    if not 1 <= quality <= 100:
        raise UserError(f"quality {quality} is out of range", "use 1–100")
    if not 2 <= colors <= 256:
        raise UserError(f"{colors} colours is not possible in a GIF", "use 2–256")
    if palette not in PALETTES:
        raise UserError(f"unknown GIF palette '{palette}'", "use shared or per-frame")
    check_resample(resample)


def _scaled(frame: np.ndarray, h: int, w: int, resample: str) -> Image.Image:
    img = Image.fromarray(np.ascontiguousarray(frame))
    return img if img.size == (w, h) else img.resize((w, h), RESAMPLE[resample])


def _frames(frames: np.ndarray | Sequence[np.ndarray], h: int, w: int, resample: str,
            progress: Progress | None, cancel: Cancel | None) -> Iterator[Image.Image]:
    """Scaled PIL frames, one at a time, checking for cancel and reporting progress as they go."""
    n = len(frames)
    for i in range(n):
        if cancel is not None and cancel():
            raise Cancelled()
        yield _scaled(frames[i], h, w, resample)
        if progress is not None:
            progress(i + 1, n)


def _shared_palette(frames: np.ndarray | Sequence[np.ndarray], colors: int) -> Image.Image:
    """One adaptive palette for the whole animation, from up to PALETTE_SAMPLE evenly spread frames."""
    n = len(frames)
    picks = np.unique(np.linspace(0, n - 1, min(n, PALETTE_SAMPLE)).round().astype(int))
    mosaic = np.concatenate([np.asarray(frames[i]) for i in picks], axis=0)
    return Image.fromarray(mosaic).quantize(colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)


def _write_gif(fh: BinaryIO, frames, h: int, w: int, fps: float, loop: bool, resample: str, colors: int,
               palette: str, text: str, progress: Progress | None, cancel: Cancel | None) -> None:
    if palette == "shared":
        pal = _shared_palette(frames, colors)
        seq = (f.quantize(palette=pal, dither=Image.Dither.NONE)
               for f in _frames(frames, h, w, resample, progress, cancel))
    else:
        seq = (f.quantize(colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.FLOYDSTEINBERG)
               for f in _frames(frames, h, w, resample, progress, cancel))
    first = next(seq)
    options = {"loop": 0} if loop else {}  # no NETSCAPE block = play once
    first.save(fh, format="GIF", save_all=True, append_images=seq, duration=frame_durations(len(frames), fps, 10),
               optimize=False, disposal=1, comment=text.encode("utf-8"), **options)


def _write_webp(fh: BinaryIO, frames, h: int, w: int, fps: float, loop: bool, resample: str, quality: int,
                text: str, progress: Progress | None, cancel: Cancel | None) -> None:
    seq = list(_frames(frames, h, w, resample, progress, cancel))
    exif = Image.Exif()
    exif[0x010E] = text  # ImageDescription
    seq[0].save(fh, format="WEBP", save_all=True, append_images=seq[1:], duration=frame_durations(len(seq), fps),
                loop=0 if loop else 1, quality=quality, lossless=quality >= 100, method=4, exif=exif.tobytes())


def _write_apng(fh: BinaryIO, frames, h: int, w: int, fps: float, loop: bool, resample: str,
                text: str, progress: Progress | None, cancel: Cancel | None) -> None:
    seq = list(_frames(frames, h, w, resample, progress, cancel))  # Pillow walks the frames twice
    seq[0].save(fh, format="PNG", save_all=True, append_images=seq[1:], duration=frame_durations(len(seq), fps),
               loop=0 if loop else 1, disposal=0, blend=0, pnginfo=png_info(text), compress_level=6)


def video_comment(text: str, path: Path) -> str:
    """The MP4's comment: the provenance, or when it is long (a walk through projected photos carries their
    styles) the name of the sidecar, which always holds it in full. The comment is one ffmpeg argument,
    and Linux refuses a single argument over 128 KiB."""
    if len(text.encode("utf-8")) <= MAX_VIDEO_COMMENT:
        return text
    return json.dumps({"app": "GAN Studio", "provenance": sidecar_path(path).name})


def _write_mp4(path: Path, frames, h: int, w: int, fps: float, resample: str, quality: int, text: str,
               sidecar: Callable[[], None], progress: Progress | None, cancel: Cancel | None) -> None:
    import imageio_ffmpeg

    # H.264 in yuv420p needs even sides; round up rather than distort
    h2, w2 = h + h % 2, w + w % 2
    with atomic_path(path) as tmp:
        writer = imageio_ffmpeg.write_frames(
            str(tmp), (w2, h2), fps=fps, codec="libx264", pix_fmt_out="yuv420p", quality=max(0, min(10, quality / 10)),
            macro_block_size=1, ffmpeg_log_level="error",
            output_params=["-metadata", f"comment={video_comment(text, path)}"])
        writer.send(None)
        try:
            for img in _frames(frames, h, w, resample, progress, cancel):
                arr = np.asarray(img)
                if (h2, w2) != (h, w):
                    arr = np.pad(arr, ((0, h2 - h), (0, w2 - w), (0, 0)), mode="edge")
                writer.send(np.ascontiguousarray(arr))
        finally:
            writer.close()
        sidecar()


def sidecar_path(path: str | Path) -> Path:
    """`morph.gif` → `morph.gif.json`: the provenance / project file written beside an export."""
    path = Path(path)
    return path.with_name(path.name + ".json")


def write_sidecar(path: str | Path, provenance: dict) -> Path:
    """The provenance of an export as pretty JSON beside it (for a walk: the replayable project)."""
    data = json.dumps(json.loads(provenance_json(provenance)), indent=2, sort_keys=True).encode("utf-8")
    target = sidecar_path(path)
    with atomic_file(target) as fh:
        fh.write(data)
    return target


def write_animation(frames: np.ndarray | Sequence[np.ndarray], path: str | Path, fmt: str | None = None,
                    fps: float = 24, loop: bool = True, scale: float = 1.0, resample: str = "nearest",
                    quality: int = 90, colors: int = 256, palette: str = "shared", provenance: dict | None = None,
                    progress: Progress | None = None, cancel: Cancel | None = None) -> Path:
    """Write an animation; `fmt` defaults to the file name's suffix.

    quality: WebP/MP4 quality 1–100 (100 = lossless WebP). colors, palette: GIF palette size and
    whether all frames share one palette ("shared", fast, no flicker) or each gets its own
    ("per-frame", dithered). MP4 ignores `loop` (players decide). With `provenance`, a sidecar
    `<path>.json` is written too. Raises UserError for bad settings or write failures and
    Cancelled when `cancel()` turns true; in both cases no file is left behind.
    """
    path = Path(path).expanduser()
    fmt = fmt or format_for(path)
    check_animation(fmt, fps, quality, colors, palette, resample)
    _, h, w = check_frames(frames, scale)
    text = provenance_json(provenance)

    def sidecar() -> None:  # called before the animation is renamed into place: both or neither
        if provenance is not None:
            write_sidecar(path, provenance)

    if fmt == "mp4":
        _write_mp4(path, frames, h, w, fps, resample, quality, text, sidecar, progress, cancel)
    else:
        with atomic_file(path) as fh:
            if fmt == "gif":
                _write_gif(fh, frames, h, w, fps, loop, resample, colors, palette, text, progress, cancel)
            elif fmt == "webp":
                _write_webp(fh, frames, h, w, fps, loop, resample, quality, text, progress, cancel)
            else:
                _write_apng(fh, frames, h, w, fps, loop, resample, text, progress, cancel)
            sidecar()
    return path


def write_png(image: np.ndarray, path: str | Path, scale: float = 1.0, resample: str = "nearest",
              provenance: dict | None = None) -> Path:
    """One picture (a frame or a grid) as PNG with the provenance in an iTXt chunk."""
    path = Path(path).expanduser()
    check_resample(resample)
    _, h, w = check_frames(image[None], scale)
    return save_png(next(_frames(image[None], h, w, resample, None, None)), path, provenance_json(provenance))


def check_new_folder(folder: Path) -> None:
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UserError(f"{folder} already exists and is not empty", "choose a new folder for the frame sequence")


def write_frames(frames: np.ndarray | Sequence[np.ndarray], folder: str | Path, prefix: str = "frame",
                 scale: float = 1.0, resample: str = "nearest", provenance: dict | None = None,
                 progress: Progress | None = None, cancel: Cancel | None = None) -> list[Path]:
    """A numbered PNG sequence (`frame_0000.png`, …) in a new folder, built in a temporary folder and renamed.

    The folder must not exist yet or be empty, so a sequence never mixes with an older one.
    """
    folder = Path(folder).expanduser()
    check_resample(resample)
    n, h, w = check_frames(frames, scale)
    check_new_folder(folder)
    info = png_info(provenance_json(provenance))
    digits = max(4, len(str(n - 1)))
    names = []
    with atomic_folder(folder) as tmp:
        for i, img in enumerate(_frames(frames, h, w, resample, progress, cancel)):
            name = f"{prefix}_{i:0{digits}d}.png"
            img.save(tmp / name, format="PNG", pnginfo=info)
            names.append(name)
        if provenance is not None:
            (tmp / "provenance.json").write_text(provenance_json(provenance), encoding="utf-8")
    return [folder / name for name in names]


def sheet_layout(n: int, cols: int | None = None) -> tuple[int, int]:
    """(rows, cols) of a sprite sheet: as square as possible unless `cols` is given."""
    cols = max(1, min(n, cols or math.ceil(math.sqrt(n))))
    return math.ceil(n / cols), cols


def check_sheet(n: int, h: int, w: int, cols: int | None = None) -> tuple[int, int]:
    """(rows, cols) of a sheet of n frames of h×w px, or a UserError when it would be too large."""
    rows, cols = sheet_layout(n, cols)
    if max(rows * h, cols * w) > MAX_SHEET_SIDE:
        raise UserError(f"a {cols}×{rows} sheet of {w}×{h} px frames is too large",
                        f"keep the sheet under {MAX_SHEET_SIDE} px per side "
                        "(fewer frames, a smaller scale or other columns)")
    return rows, cols


def write_sprite_sheet(frames: np.ndarray | Sequence[np.ndarray], path: str | Path, cols: int | None = None,
                       fps: float = 24, loop: bool = True, scale: float = 1.0, resample: str = "nearest",
                       provenance: dict | None = None, progress: Progress | None = None,
                       cancel: Cancel | None = None) -> tuple[Path, Path]:
    """One PNG holding every frame left-to-right, top-to-bottom, plus a JSON frame map beside it.

    The JSON follows the "hash" layout that Phaser, PixiJS and TexturePacker read
    (`frames.<name>.frame = {x, y, w, h}`, `meta.size`, `meta.image`), with per-frame
    `duration` in ms as Aseprite writes it, an `animations` list in play order, and the
    provenance under `meta.ganstudio`.
    """
    path = Path(path).expanduser()
    if path.suffix.lower() != ".png":
        path = path.with_name(path.name + ".png")
    check_fps(fps, "sprite sheet")
    check_resample(resample)
    n, h, w = check_frames(frames, scale)
    rows, cols = check_sheet(n, h, w, cols)
    sheet = np.zeros((rows * h, cols * w, 3), np.uint8)
    durations = frame_durations(n, fps)
    entries: dict[str, dict] = {}
    digits = max(4, len(str(n - 1)))
    for i, img in enumerate(_frames(frames, h, w, resample, progress, cancel)):
        r, c = divmod(i, cols)
        sheet[r * h:(r + 1) * h, c * w:(c + 1) * w] = np.asarray(img)
        entries[f"frame_{i:0{digits}d}"] = {
            "frame": {"x": c * w, "y": r * h, "w": w, "h": h}, "rotated": False, "trimmed": False,
            "spriteSourceSize": {"x": 0, "y": 0, "w": w, "h": h}, "sourceSize": {"w": w, "h": h},
            "duration": durations[i]}
    text = provenance_json(provenance)
    frame_map = {"frames": entries,
                 "animations": {"walk": list(entries)},
                 "meta": {"app": "GAN Studio", "version": __version__, "image": path.name, "format": "RGB888",
                          "size": {"w": cols * w, "h": rows * h}, "scale": "1", "fps": fps, "loop": loop,
                          "columns": cols, "rows": rows, "frame_count": n, "ganstudio": json.loads(text)}}
    json_path = path.with_suffix(".json")
    img = Image.fromarray(sheet)
    info = png_info(text)
    with atomic_file(path) as fh:
        img.save(fh, format="PNG", pnginfo=info)
        with atomic_file(json_path) as jh:
            jh.write(json.dumps(frame_map, indent=1).encode("utf-8"))
    return path, json_path
