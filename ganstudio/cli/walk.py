"""`ganstudio walk`: the Latent Walk page's twin — a morph through seeds (or a saved project) to GIF and more.

    ganstudio walk MODEL --seeds 3,17,42 --frames 48 --interp slerp --loop -o morph.gif
    ganstudio walk --project morph.gif.json -o again.gif --sprite-sheet --webp

Every output gets a sidecar `<file>.json` project, so any export can be replayed with
`--project`. Everything is checked before the first frame is rendered.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ganstudio.cli.args import SEED, device, float_in, int_in, out_file, out_folder
from ganstudio.core.errors import UserError


def add_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("model", nargs="?", help="generator file, checkpoint or run folder (optional with --project)")
    p.add_argument("--seeds", help="keyframe seeds, e.g. 3,17,42 or 10-13")
    p.add_argument("--classes", help="conditional models: one class (name or index) for all keyframes, "
                   "or one per keyframe, comma-separated")
    p.add_argument("--frames", type=int_in(2, 5000), help="total frames of the animation, 2–5000 (default 48)")
    p.add_argument("--interp", choices=["lerp", "slerp", "smooth"], default="slerp",
                   help="straight line, great circle (default), or a smooth curve through all keyframes")
    p.add_argument("--easing", choices=["linear", "ease-in-out"], default="linear")
    p.add_argument("--loop", action="store_true", help="close the walk so the animation repeats seamlessly")
    p.add_argument("--psi", type=float_in(0, 2), default=1.0,
                   help="truncation, 0–2: StyleGAN pulls each style toward the average one, a DCGAN scales z toward 0; "
                   "below 1 = safer, plainer")
    p.add_argument("--space", choices=["w", "z"], default="w",
                   help="StyleGAN: travel between styles (w, default, smoothest) or between the random numbers (z)")
    p.add_argument("--pixel-noise", choices=["const", "random", "none"], default="const",
                   help="StyleGAN's per-pixel noise: const (default), random (new each frame: shimmer) or none")
    p.add_argument("--moving", choices=["all", "coarse", "middle", "fine"], default="all",
                   help="StyleGAN: only these layers move (coarse: layout; fine: colours); "
                   "the rest keep seed 1's style")
    p.add_argument("--mix", metavar="GROUP=SEED,…",
                   help="StyleGAN: hold layer groups at another seed's style for the whole walk, e.g. fine=9")
    p.add_argument("--noise", type=float_in(0, 10), metavar="RADIUS",
                   help="instead of morphing, wander in a smooth random loop of this radius around the first seed")
    p.add_argument("--noise-speed", type=int_in(1, 32), default=1,
                   help="cycles of the slowest wiggle per loop (default 1)")
    p.add_argument("--noise-seed", type=SEED, default=0)
    p.add_argument("--project", help="replay a saved walk project (or an export's .json sidecar); "
                   "--seeds adds keyframes after its own, e.g. to morph from a photo found by `ganstudio project`")
    p.add_argument("--fps", type=float_in(1, 60), help="frames per second, 1–60 (default 24, or the project's)")
    p.add_argument("--scale", type=float_in(0, 64, lo_open=True),
                   help="enlarge (or shrink) the frames, e.g. 4 (default 1)")
    p.add_argument("--resample", choices=["nearest", "smooth"],
                   help="nearest (default) keeps pixels crisp; smooth (Lanczos) blends them")
    p.add_argument("--colors", type=int_in(2, 256), help="GIF palette size, 2–256 (default 256)")
    p.add_argument("--palette", choices=["shared", "per-frame"],
                   help="GIF: one palette for all frames (default: fast, no flicker) or one per frame (dithered)")
    p.add_argument("--quality", type=int_in(1, 100), help="WebP / MP4 quality 1–100 (default 90; 100 = lossless WebP)")
    p.add_argument("-o", "--out", type=out_file(".gif", ".webp", ".png", ".mp4"), default="walk.gif",
                   help="animation: .gif, .webp, .png (APNG) or .mp4")
    p.add_argument("--sprite-sheet", nargs="?", const="", metavar="PNG", type=out_file(".png"),
                   help="also write a sprite sheet + JSON frame map (default name: <out>_sheet.png)")
    p.add_argument("--columns", type=int_in(1, 5000), help="sprite sheet columns (default: as square as possible)")
    p.add_argument("--webp", nargs="?", const="", metavar="PATH", type=out_file(".webp"),
                   help="also write an animated WebP")
    p.add_argument("--mp4", nargs="?", const="", metavar="PATH", type=out_file(".mp4"),
                   help="also write an MP4 (needs the video extra)")
    p.add_argument("--frames-dir", metavar="FOLDER", type=out_folder, help="also write every frame as a numbered PNG")
    p.add_argument("--device", type=device, default="cpu",
                   help="cpu (default: frames identical everywhere), cuda, mps or auto")


def _classes(text: str | None, n: int) -> list[str | None]:
    if text is None:
        return [None] * n
    parts: list[str | None] = [c.strip() for c in text.split(",")]
    if len(parts) == 1:
        return parts * n
    if len(parts) != n:
        raise UserError(f"--classes gives {len(parts)} classes for {n} keyframes", "give one class, or one per seed")
    return parts


def _style_settings(args: argparse.Namespace, g) -> dict:
    """The StyleGAN-only flags, refused by name for a model without a style space."""
    flags = (("--space", args.space, "w"), ("--pixel-noise", args.pixel_noise, "const"),
             ("--moving", args.moving, "all"), ("--mix", args.mix, None))
    given = [flag for flag, value, default in flags if value != default]
    if given and not g.has_w:
        raise UserError(f"{' and '.join(given)} {'needs' if len(given) == 1 else 'need'} a StyleGAN model; "
                        f"{g.path.name} has no style layers")
    return {"space": args.space, "noise": args.pixel_noise, "moving": args.moving, "mix": args.mix or ""}


def _seed_keys(args: argparse.Namespace, g) -> tuple:
    """The keyframes of --seeds (and --classes)."""
    from ganstudio.walk.timeline import Keyframe, parse_seeds

    seeds = parse_seeds(args.seeds)
    classes = _classes(args.classes, len(seeds))
    if g.num_classes == 0 and args.classes is not None:
        raise UserError(f"{g.path.name} is not a conditional model, so --classes does not apply")
    return tuple(Keyframe(seed=s, cls=None if c is None else g.class_index(c))
                 for s, c in zip(seeds, classes, strict=True))


def build_walk(args: argparse.Namespace, g):
    """The Walk the flags describe."""
    from ganstudio.walk.timeline import Walk, even_frames

    if args.seeds is None:
        raise UserError("give --seeds (e.g. --seeds 3,17,42) or --project", "see `ganstudio walk --help`")
    keys = _seed_keys(args, g)
    frames = 48 if args.frames is None else args.frames
    if args.noise is not None:
        return Walk(keyframes=keys, mode="noise", noise_radius=args.noise, noise_speed=args.noise_speed,
                    noise_seed=args.noise_seed, noise_frames=frames, psi=args.psi, fps=args.fps or 24, loop=True,
                    **_style_settings(args, g))
    walk = Walk(keyframes=keys, interp=args.interp, easing=args.easing, loop=args.loop, psi=args.psi,
                fps=args.fps or 24, **_style_settings(args, g))
    if len(keys) < 2:
        raise UserError("a morph needs at least two seeds", "give more --seeds, or --noise RADIUS to wander around one")
    return even_frames(walk, frames)


def _outputs(args: argparse.Namespace) -> list[tuple[str, Path]]:
    """(kind, path) for every requested output, with default names derived from -o."""
    from ganstudio.export.writers import format_for

    out = Path(args.out).expanduser()
    outputs = [(format_for(out), out)]
    stem = out.with_suffix("")
    if args.webp is not None:
        outputs.append(("webp", Path(args.webp) if args.webp else stem.with_suffix(".webp")))
    if args.mp4 is not None:
        outputs.append(("mp4", Path(args.mp4) if args.mp4 else stem.with_suffix(".mp4")))
    if args.sprite_sheet is not None:
        sheet = Path(args.sprite_sheet) if args.sprite_sheet else stem.with_name(stem.name + "_sheet.png")
        outputs.append(("sheet", sheet))
    if args.frames_dir:
        outputs.append(("frames", Path(args.frames_dir)))
    return outputs


def _export_settings(args: argparse.Namespace, saved: dict):
    """ExportSettings from the flags; unset ones come from the replayed project (so a replay matches) or defaults."""
    from dataclasses import fields

    from ganstudio.export.dispatch import ExportSettings

    values = {}
    for f in fields(ExportSettings):
        flag = getattr(args, f.name)
        if flag is not None:
            values[f.name] = flag
        elif f.name in saved:
            values[f.name] = saved[f.name]
    return ExportSettings(**values)


def _load(args: argparse.Namespace):
    """(generator, walk, export settings, note) from the model argument and flags, or from a project file."""
    from ganstudio.modelfiles.generator import load_generator
    from ganstudio.walk.project import load_project, model_changed

    if args.project:
        if args.noise is not None:
            raise UserError("--project replays a saved walk; leave out --noise")
        loaded = load_project(args.project)
        model = Path(args.model) if args.model else loaded.model_path
        if not args.model and not model.exists():
            raise UserError(f"the project's model {model} is not there", "give the model file as the first argument")
        g = load_generator(model, args.device)
        note = ("the model file differs from the one this project was made with, so the frames will differ"
                if model_changed(loaded, g) else "")
        walk = _extended(args, g, loaded.walk)
        return g, walk, _export_settings(args, loaded.extra.get("export") or {}), note
    if not args.model:
        raise UserError("give a model file (or --project)", "e.g. ganstudio walk runs/mnist/generator.pt --seeds 1,2,3")
    g = load_generator(args.model, args.device)
    return g, build_walk(args, g), _export_settings(args, {}), ""


def _extended(args: argparse.Namespace, g, walk):
    """A replayed walk with --seeds appended after its keyframes (a morph from a found photo) and --fps."""
    from dataclasses import replace

    from ganstudio.walk.timeline import even_frames

    if args.seeds is not None:
        walk = even_frames(replace(walk, keyframes=walk.keyframes + _seed_keys(args, g)), args.frames or 48)
    if walk.mode == "keyframes" and len(walk.keyframes) == 1:
        raise UserError("the project has one keyframe, so there is nothing to morph",
                        "add --seeds (e.g. --seeds 3,17) to morph from it to those seeds")
    return replace(walk, fps=args.fps) if args.fps else walk


def _advance(bar: Any) -> Callable[[int, int], None]:
    """A writer's progress callback that moves the command line's progress bar."""
    return lambda done, total: bar.update(done)


def run(args: argparse.Namespace) -> int:
    from ganstudio.cli.progress import ProgressBar
    from ganstudio.core.device import pick_device
    from ganstudio.export.dispatch import check_export, export_frames
    from ganstudio.walk.project import project
    from ganstudio.walk.render import Renderer, plan

    args.device = str(pick_device(args.device))  # a missing GPU is one sentence, not a driver traceback
    outputs = _outputs(args)
    g, walk, settings, note = _load(args)
    if note:
        print(f"note: {note}", file=sys.stderr)
    renderer = Renderer(g, plan(g, walk))
    for kind, path in outputs:  # every setting, size and folder, before any rendering
        check_export(kind, path, walk.frame_count(), g.config.img_size, g.config.img_size, walk.fps, settings)
    provenance = project(g, walk)
    n = len(renderer)
    bar = ProgressBar(n, "render")
    frames = renderer.render_all(progress=lambda d, t: bar.update(d))
    bar.update(n, force=True)
    bar.close()
    for kind, path in outputs:
        bar = ProgressBar(n, kind)
        written = export_frames(frames, kind, path, settings, walk.fps, walk.loop, provenance,
                                progress=_advance(bar))
        bar.update(n, force=True)
        bar.close()
        print(f"wrote {written}")
    print(f"{n} frames at {walk.fps:g} fps, {walk.interp if walk.mode == 'keyframes' else 'noise loop'}"
          f"{', loop' if walk.loop else ''}")
    return 0
