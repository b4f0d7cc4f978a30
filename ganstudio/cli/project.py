"""`ganstudio project`: find your photo in a model — the latent that draws it, as a walk keyframe.

    ganstudio project monet-stylegan me.jpg -o out/ [--space w+] [--steps 150] [--crop 40,0,320]
    ganstudio walk --project out/me-walk.json --seeds 3,17 -o morph.gif

Writes (each file atomically) the projected picture, a target | projected | difference strip, a
walk project holding the photo's keyframe and, with --video, the optimisation as an animation.
Ctrl-C stops early and writes the best latent found so far.
"""

from __future__ import annotations

import argparse
import signal
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ganstudio.cli.args import SEED, device, int_in, out_file, out_folder
from ganstudio.core.errors import UserError

VIDEO_EVERY = 2  # a video frame every N steps
STRIP_SIDE = 256  # each panel of the strip and the video is enlarged to about this many pixels


def add_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("model", help="a StyleGAN (or DCGAN) generator file, checkpoint, run folder or bundled id")
    p.add_argument("photo", help="the photo to find (PNG, JPEG, WebP, …); at least the model's size")
    p.add_argument("-o", "--out", type=out_folder, default="projection", help="output folder (default projection/)")
    p.add_argument("--space", choices=["w", "w+"],
                   help="StyleGAN: w (one style for every layer: easiest to edit, default) or w+ (one per layer: "
                   "closer to the photo); a DCGAN is always projected in z")
    p.add_argument("--steps", type=int_in(1, 5000), default=150, help="optimisation steps, 1–5000 (default 150)")
    p.add_argument("--restarts", type=int_in(1, 16), default=4,
                   help="starting points tried at once, the best kept, 1–16 (default 4)")
    p.add_argument("--crop", metavar="X,Y,SIZE", help="the square of the photo to use, in its pixels "
                   "(default: the centre square)")
    p.add_argument("--class", dest="cls", help="conditional models: the class (name or index); "
                   "default: each class is tried and the best kept")
    p.add_argument("--video", type=out_file(".gif", ".mp4", ".webp"),
                   help="also write the optimisation as an animation (.gif, .mp4 or .webp)")
    p.add_argument("--seed", type=SEED, default=0, help="seed of the random starting points (default 0)")
    p.add_argument("--device", type=device, default="cpu", help="cpu (default), cuda, mps or auto")
    p.add_argument("--threads", type=int_in(1, 256),
                   help="CPU threads (default: torch's choice); on a CPU shared with other jobs, 1 is often "
                   "several times faster")


def _settings(args: argparse.Namespace, g) -> Any:
    from ganstudio.projection.settings import ProjectionSettings

    if not g.has_w and args.space is not None:
        raise UserError(f"{g.path.name} has no W space, so --space {args.space} does not apply",
                        "leave --space out: a DCGAN is projected in its z")
    cls = None
    if args.cls is not None:
        if not g.num_classes:
            raise UserError(f"{g.path.name} is not a conditional model, so --class does not apply")
        cls = g.class_index(args.cls)
    space = (args.space or "w") if g.has_w else "z"
    return ProjectionSettings(space=space, steps=args.steps, restarts=args.restarts, cls=cls, seed=args.seed,
                              preview_every=VIDEO_EVERY if args.video else 10)


def _outputs(args: argparse.Namespace) -> dict[str, Path]:
    folder = Path(args.out).expanduser()
    stem = Path(args.photo).stem
    return {"image": folder / f"{stem}-projected.png", "strip": folder / f"{stem}-compare.png",
            "walk": folder / f"{stem}-walk.json"}


def _stop_on_ctrl_c(control: Any) -> None:
    """The first Ctrl-C stops after this step and keeps the best latent; a second one aborts."""
    def handler(signum: int, frame: object) -> None:
        print("\nstopping after this step; the best latent so far is kept (Ctrl-C again to abort)", file=sys.stderr)
        control.stop()
        signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGINT, handler)


def _drive(events: Any, video: list | None) -> Any:
    """Run the projection with a progress bar; the result, and the video's strips when asked for."""
    from ganstudio.cli.progress import ProgressBar
    from ganstudio.projection import events as ev
    from ganstudio.projection.views import strip

    bar, target = None, None
    for e in events:
        if isinstance(e, ev.Started):
            for note in e.notes:
                print(f"note: {note}", file=sys.stderr)
            bar, target = ProgressBar(e.total, f"project ({e.space})"), e.target
        elif isinstance(e, ev.Step) and bar is not None:
            bar.update(e.step, f"loss {e.loss:.4f}")
        elif isinstance(e, ev.Preview) and video is not None and target is not None:
            video.append(strip(target, e.image))
        elif isinstance(e, ev.Finished):
            if bar is not None:
                bar.update(e.result.steps, f"loss {e.result.loss:.4f}", force=True)
                bar.close()
            return e.result
    raise RuntimeError("the projection ended without a result")


def _provenance(g, photo: Any, settings: Any, result: Any, seconds: float) -> dict:
    from ganstudio.modelfiles.manifest import file_sha256
    from ganstudio.projection.views import psnr, ssim_of

    return {"projection": {
        "model": str(g.path), "model_sha256": file_sha256(g.path) if g.path.is_file() else None,
        "photo": photo.name, "photo_sha256": photo.sha256, "crop": [photo.crop.x, photo.crop.y, photo.crop.size],
        "settings": asdict(settings), "class": result.cls, "loss": result.loss, "steps": result.steps,
        "stopped": result.stopped, "seconds": round(seconds, 2),
        "psnr": round(psnr(result.target, result.image), 3), "ssim": round(ssim_of(result.target, result.image), 4)}}


def _write(g, photo: Any, result: Any, outputs: dict[str, Path], video: list | None, args: argparse.Namespace,
           prov: dict) -> list[str]:
    """Every output, each written atomically; what was written, for the summary."""
    import numpy as np

    from ganstudio.export.dispatch import ExportSettings, export_frames
    from ganstudio.export.writers import format_for, write_png
    from ganstudio.projection.views import strip
    from ganstudio.walk.project import save_project
    from ganstudio.walk.timeline import Walk, photo_keyframe

    scale = max(1, STRIP_SIDE // g.config.img_size)
    written = [str(write_png(result.image, outputs["image"], provenance=prov)),
               str(write_png(strip(result.target, result.image), outputs["strip"], scale, "nearest", prov))]
    key = photo_keyframe(result.ws, result.z, result.noise, result.cls, photo.name, photo.sha256)
    written.append(str(save_project(outputs["walk"], g, Walk(keyframes=(key,)), prov)))
    if video is not None:
        last = strip(result.target, result.image)
        frames = np.stack([*video, *[last] * 12])  # the result holds for a second at the end
        written.append(export_frames(frames, format_for(args.video), args.video, ExportSettings(scale=scale),
                                     12.0, True, prov))
    return written


def run(args: argparse.Namespace) -> int:
    import time

    from ganstudio.core.atomic import check_writable
    from ganstudio.core.device import pick_device
    from ganstudio.export.dispatch import ExportSettings, check_export
    from ganstudio.export.writers import format_for
    from ganstudio.modelfiles.generator import load_generator
    from ganstudio.projection.optimise import project
    from ganstudio.projection.photo import load_photo, parse_crop
    from ganstudio.projection.settings import ProjectionControl

    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    crop = parse_crop(args.crop) if args.crop else None
    g = load_generator(args.model, pick_device(args.device))
    settings = _settings(args, g)
    photo = load_photo(args.photo, g.config.img_size, crop)
    outputs = _outputs(args)
    check_writable(outputs["image"].parent)
    size = g.config.img_size
    if args.video:  # every check before the first step
        check_export(format_for(args.video), args.video, 2, size, 3 * size, 12.0,
                     ExportSettings(scale=max(1, STRIP_SIDE // size)))
    control = ProjectionControl()
    _stop_on_ctrl_c(control)
    t0 = time.perf_counter()
    try:
        video: list | None = [] if args.video else None
        result = _drive(project(g, photo, settings, control), video)
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    prov = _provenance(g, photo, settings, result, time.perf_counter() - t0)
    for line in _write(g, photo, result, outputs, video, args, prov):
        print(f"wrote {line}")
    p = prov["projection"]
    state = f"stopped at step {result.steps}, the best so far" if result.stopped else f"{result.steps} steps"
    cls = f", class {g.class_names[result.cls] if result.cls < len(g.class_names) else result.cls}" \
        if result.cls is not None else ""
    print(f"{photo.name} in {g.path.name} ({settings.space}{cls}): PSNR {p['psnr']:.2f} dB, SSIM {p['ssim']:.3f}, "
          f"{state}, {p['seconds']:.1f} s")
    print(f"morph from it: ganstudio walk --project {outputs['walk']} --seeds 1,2 -o morph.gif")
    return 0
