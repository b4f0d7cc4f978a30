"""`ganstudio stylize`: restyle photos at full resolution with a CycleGAN style model.

    ganstudio stylize --model photo2monet photo.jpg more/*.jpg -o out/ [--stroke 1024] [--strength 0.8]

--stroke is the photo's long side while the network paints it (512, 1024 or full): the scale of
the brush strokes; the result is always at the photo's own resolution (`ganstudio.style.stroke`).

An animated GIF / WebP, or a video with the video extra, is stylized frame by frame into an
animation (`--animation gif|webp|mp4`, `ganstudio.style.animation`). A bad file (not an image,
truncated, too small, too big, too long) is reported on one line and the rest of the batch
carries on; the exit code is 2 if any file failed.
"""

from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path

from ganstudio.cli.args import device, float_in, int_in, out_folder
from ganstudio.cli.progress import ProgressBar
from ganstudio.core.errors import UserError
from ganstudio.core.jobs import Progress
from ganstudio.style.animation import MAX_FRAMES
from ganstudio.style.queue import collect_photos
from ganstudio.style.stroke import DEFAULT_STROKE, STROKES
from ganstudio.style.tiles import StyleModel


def add_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("photos", nargs="+", help="photos or folders of photos")
    p.add_argument("--model", default="photo2monet",
                   help="a bundled style id (e.g. photo2monet) or a style model file / run folder")
    p.add_argument("--direction", choices=["AB", "BA"], help="which way to translate (default: the style's own)")
    p.add_argument("-o", "--out", type=out_folder, default="stylized", help="output folder")
    p.add_argument("--format", choices=["png", "jpg", "webp"], default="png")
    p.add_argument("--stroke", choices=list(STROKES), default=DEFAULT_STROKE,
                   help="the photo's long side while the network paints it, i.e. the scale of the brush strokes "
                   f"(default {DEFAULT_STROKE}); the result keeps the photo's size and detail. 'full' paints the "
                   "photo itself: finest strokes, slowest. A photo not larger than the stroke size is painted at "
                   "its own size, with a note")
    p.add_argument("--tile", type=int_in(64, 4096), default=512, help="tile size in pixels (multiple of 4, 64–4096)")
    p.add_argument("--overlap", type=int_in(0, 2048), default=64, help="tile overlap in pixels (multiple of 4)")
    p.add_argument("--strength", type=float_in(0, 1), default=1.0, help="0 = original, 1 = full style")
    p.add_argument("--morph", action="store_true", help="also write an original → stylized GIF per photo")
    p.add_argument("--animation", choices=["gif", "webp", "mp4"], default="gif",
                   help="what an animated GIF / WebP or a video (.mp4, with the video extra) becomes: each frame is "
                   "stylized with one set of colour statistics, so the result does not flicker (default gif; "
                   f"at most {MAX_FRAMES} frames)")
    p.add_argument("--max-megapixels", type=float_in(0, 10_000, lo_open=True), default=100.0,
                   help="refuse larger images (decompression-bomb guard; default 100, at most 10000)")
    p.add_argument("--device", type=device, default="auto")


def run(args: argparse.Namespace) -> int:
    from ganstudio.core.device import pick_device
    from ganstudio.style.animation import is_animation
    from ganstudio.style.tiles import resolve_style

    model, direction = resolve_style(args.model, pick_device(args.device))
    direction = args.direction or direction
    photos = collect_photos(args.photos)
    if not photos:
        raise UserError("no photos to stylize", "give image files or folders that hold some")
    out_dir = Path(args.out).expanduser()
    failed = 0
    written: set[Path] = set()  # names this run has used, so two photos of one name do not collide
    for n, photo in enumerate(photos, 1):
        bar = ProgressBar(1, f"[{n}/{len(photos)}] {photo.name}")
        try:
            job = _stylize_clip if is_animation(photo) else _stylize_photo
            line, notes = job(args, model, direction, photo, out_dir, written, partial(_tick, bar))
            bar.close()
            for note in notes:
                print(f"note: {photo.name}: {note}", file=sys.stderr)
            print(f"wrote {line}", file=sys.stderr)
        except UserError as exc:
            bar.close()
            failed += 1
            print(f"error: {exc}", file=sys.stderr)
    if failed:
        print(f"{failed} of {len(photos)} photo(s) failed", file=sys.stderr)
        return 2
    return 0


def _meta(args: argparse.Namespace, model: StyleModel, direction: str, photo: Path) -> dict:
    from ganstudio.style.photos import provenance

    return provenance(photo, args.model, model.direction_label(direction), args.strength, args.tile, args.overlap,
                      args.stroke)


def _stylize_photo(args: argparse.Namespace, model: StyleModel, direction: str, photo: Path, out_dir: Path,
                   written: set[Path], progress: Progress) -> tuple[str, list[str]]:
    """One photo at its full resolution (and its morph GIF); returns what was written and the notes."""
    from ganstudio.style.photos import open_photo, save_image, save_morph_gif, styled_name, unused_path
    from ganstudio.style.stroke import paint_image

    image, notes = open_photo(photo, max_pixels=int(args.max_megapixels * 1e6))
    result, stroke_notes = paint_image(model, image, direction, args.strength, args.stroke, args.tile, args.overlap,
                                       progress=progress)
    meta = _meta(args, model, direction, photo)
    name = styled_name(photo.stem, model.direction_label(direction), f".{args.format}")
    target = unused_path(out_dir / name, written)  # never overwrite an earlier output
    save_image(result, target, meta)
    if args.morph:
        save_morph_gif(image, result, target.with_suffix(".gif"), meta)
    return f"{target} ({result.size[0]}×{result.size[1]})", notes + stroke_notes


def _stylize_clip(args: argparse.Namespace, model: StyleModel, direction: str, photo: Path, out_dir: Path,
                  written: set[Path], progress: Progress) -> tuple[str, list[str]]:
    """An animated GIF / WebP or a video, frame by frame, into an animation of `--animation` kind."""
    from ganstudio.style.animation import ClipJob, run_clip
    from ganstudio.style.photos import styled_name, unused_path

    name = styled_name(photo.stem, model.direction_label(direction), f".{args.animation}")
    target = unused_path(out_dir / name, written)
    job = ClipJob(photo, target, args.animation, direction, args.strength, args.stroke, args.tile, args.overlap,
                  int(args.max_megapixels * 1e6), _meta(args, model, direction, photo))
    return run_clip(job, model, progress)


def _tick(bar: ProgressBar, done: int, total: int) -> None:
    bar.total = total
    bar.update(done, force=done == total)

