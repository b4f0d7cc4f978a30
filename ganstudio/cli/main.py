"""`ganstudio <command>`: the headless twin of every job in the window.

With no command it opens the desktop app. Every user mistake ends with one line on stderr
and exit code 2; nothing here imports Qt.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from ganstudio import __version__
from ganstudio.cli.args import EXIT_USER_ERROR, SEED, Parser, float_in, int_in, out_file
from ganstudio.cli.train import build_train_config  # noqa: F401  (a config from `train` flags)
from ganstudio.core.errors import UserError
from ganstudio.export.writers import PICTURE_SCALES

if TYPE_CHECKING:
    import numpy as np


# -- sample / info ----------------------------------------------------------------------------
def _sample_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("model", help="generator file, checkpoint, run folder, or a bundled model id")
    p.add_argument("-n", "--count", type=int_in(1, 4096), default=64, help="samples to draw, 1–4096")
    p.add_argument("--seed", type=SEED, default=0)
    p.add_argument("--class", dest="cls", help="class name or index (conditional models)")
    p.add_argument("--cols", type=int_in(1, 256), help="grid columns, 1–256 (default: as square as possible)")
    p.add_argument("--psi", type=float_in(0, 2), default=1.0,
                   help="truncation: StyleGAN pulls toward the average style (0–2, 1 = none; 0.7 is tidier)")
    p.add_argument("--pixel-noise", choices=["const", "random", "none"], default="const",
                   help="StyleGAN's per-pixel noise: const (a seed always draws the same), random or none")
    p.add_argument("--mix", metavar="GROUP=SEED,…",
                   help="StyleGAN: take layer groups from other seeds, e.g. coarse=5 (layout) or fine=9 (colours)")
    p.add_argument("--mix-grid", metavar="SEEDS",
                   help="StyleGAN: the paper's mixing grid; these seeds (e.g. 10-14) are the columns, "
                   "-n samples from --seed the rows, and --layers says what each column gives")
    p.add_argument("--layers", choices=["coarse", "middle", "fine"], default="coarse",
                   help="with --mix-grid: the layer group taken from the column seeds (default coarse)")
    p.add_argument("--scale", type=int, choices=PICTURE_SCALES, default=1,
                   help="enlarge the grid by this whole factor (1, 2, 4 or 8), as the Classes page's pictures")
    p.add_argument("--resample", choices=["nearest", "smooth"], default="nearest",
                   help="how --scale enlarges: nearest keeps every pixel a crisp square, smooth blends them")
    p.add_argument("-o", "--out", type=out_file(".png"), default="samples.png", help="the grid, a .png file")


def run_sample(args: argparse.Namespace) -> int:
    import torch

    from ganstudio.core.render import image_grid, scatter
    from ganstudio.export.writers import write_png
    from ganstudio.modelfiles.generator import load_generator

    g = load_generator(args.model)
    seeds = list(range(args.seed, args.seed + args.count))
    labels = None
    if g.num_classes:
        if args.cls is not None:
            labels = torch.full((args.count,), g.class_index(args.cls), dtype=torch.long)
        else:
            labels = torch.arange(args.count) % g.num_classes
    elif args.cls is not None:
        raise UserError(f"{g.path.name} is not a conditional model, so --class does not apply")
    info = {"model": str(g.path), "seeds": [seeds[0], seeds[-1]], "class": args.cls, "psi": args.psi,
            "scale": args.scale, "resample": args.resample}
    if args.mix_grid or args.mix:
        picture = _mixed(g, args, seeds, info)
    else:
        out = g.generate(g.latents(seeds), labels, psi=args.psi, noise=args.pixel_noise)
        picture = image_grid(out, args.cols) if g.is_image_model else scatter(out)
    write_png(picture, args.out, args.scale, args.resample, info)
    print(f"wrote {args.out} ({args.count} samples)")
    return 0


def _mixed(g, args: argparse.Namespace, seeds: list[int], info: dict) -> np.ndarray:
    """`--mix` (every sample takes the named layer groups from other seeds) or `--mix-grid`."""
    import numpy as np

    from ganstudio.core.render import image_grid
    from ganstudio.walk.stylemix import Mix, mix_picture, mixing_grid, parse_mix
    from ganstudio.walk.timeline import parse_seeds

    cls = g.class_index(args.cls) if args.cls is not None and g.num_classes else None
    if args.mix_grid:
        cols = parse_seeds(args.mix_grid)
        info.update(mix_grid={"rows": seeds, "cols": cols, "layers": args.layers})
        return mixing_grid(g, seeds, cols, args.layers, args.psi, cls, args.pixel_noise)
    groups = parse_mix(args.mix)
    info.update(mix=groups)
    pictures = [mix_picture(g, Mix(base=s, psi=args.psi, cls=cls, **groups), args.pixel_noise) for s in seeds]
    return image_grid(np.stack(pictures), args.cols)


def _info_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("model", help="generator file, checkpoint, run folder, or a bundled model id")
    p.add_argument("--json", action="store_true")


def run_info(args: argparse.Namespace) -> int:
    from ganstudio.modelfiles.checkpoint import load_checkpoint
    from ganstudio.modelfiles.generator import is_checkpoint_file, read_generator_file
    from ganstudio.modelfiles.resolve import resolve_model
    from ganstudio.train.fields import applicable

    path = resolve_model(args.model)
    if path.is_dir() or is_checkpoint_file(path):
        ckpt = load_checkpoint(path)
        generator = ckpt["meta"].get("generator")
        info = {"file": str(ckpt["path"]), "type": "checkpoint", "step": ckpt["step"],
                "config": applicable(ckpt["config"]), "generator": generator and _applicable_meta(generator)}
    else:
        _, meta = read_generator_file(path)
        info = {"file": str(path), "type": "generator", **_applicable_meta(meta)}
    if args.json:
        print(json.dumps(info, indent=2))
        return 0
    for key, value in info.items():
        print(f"{key}: {json.dumps(value) if isinstance(value, (dict, list)) else value}")
    return 0


def _applicable_meta(meta: dict) -> dict:
    """A model file's metadata with only the model and data settings that apply to its model (and its class
    names only where it has classes): what an unconditional DCGAN's `hidden` or a folder's toy-set name would
    only mislead."""
    from ganstudio.train.fields import applicable

    parts = applicable({k: meta[k] for k in ("model", "data", "loss") if isinstance(meta.get(k, ""), (dict, str))})
    shown = {**meta, **{k: parts[k] for k in ("model", "data") if k in meta}}
    if not meta.get("class_names") or ("model" in meta and "num_classes" not in parts["model"]):
        shown.pop("class_names", None)
    return shown


# -- entry point -----------------------------------------------------------------------------
# name → (module, help). Each module defines add_args(parser) and run(args) -> exit code and
# imports nothing heavy at module level, so `ganstudio --help` stays fast.
COMMANDS: dict[str, tuple[str, str]] = {
    "train": ("ganstudio.cli.train",
              "train a GAN (MLP on 2D points, DCGAN, conditional DCGAN, StyleGAN) or a CycleGAN (two folders)"),
    "sample": ("ganstudio.cli.main", "write a grid of samples from a checkpoint or generator file"),
    "info": ("ganstudio.cli.main", "show what a checkpoint or generator file holds"),
    "eval": ("ganstudio.cli.eval", "measure a model: SWD and KID against a folder of real images (--real), class "
             "accuracy, Fréchet / kernel distance, precision / recall (28 px sets), each vs a real floor; mode "
             "coverage (2D)"),
    "walk": ("ganstudio.cli.walk", "morph through seeds (latent walk) to GIF, WebP, APNG, MP4 or a sprite sheet"),
    "stylize": ("ganstudio.cli.stylize", "restyle photos at full resolution with a CycleGAN style (e.g. photo2monet)"),
    "project": ("ganstudio.cli.project", "find your photo in a StyleGAN (or DCGAN): its latent as a walk keyframe"),
}


def _handlers(name: str) -> tuple[Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]:
    module_name = COMMANDS[name][0]
    if module_name == __name__:
        return globals()[f"_{name}_args"], globals()[f"run_{name}"]
    module = importlib.import_module(module_name)
    return module.add_args, module.run


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="ganstudio", description="GAN Studio: train GANs and create with them.")
    parser.add_argument("--version", action="version", version=f"ganstudio {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_, help_text) in COMMANDS.items():
        _handlers(name)[0](sub.add_parser(name, help=help_text, description=help_text))
    return parser


EXIT_BROKEN_PIPE = 141  # what a shell reports for a command its reader stopped (128 + SIGPIPE)


def main(argv: list[str] | None = None) -> int:
    """Run one command; output cut short by its reader (`ganstudio info x | head -1`) ends quietly, exit 141."""
    try:
        code = _main(sys.argv[1:] if argv is None else argv)
        sys.stdout.flush()  # inside the try: a reader that left turns up here, not at interpreter exit
    except BrokenPipeError:
        with contextlib.suppress(OSError, ValueError):  # a stream without a descriptor has nothing left to flush
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the last flush at exit writes nowhere
        return EXIT_BROKEN_PIPE
    return code


def _main(argv: list[str]) -> int:
    for stream in (sys.stdout, sys.stderr):  # a file name that is not UTF-8 is printed escaped, not a crash
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    if not argv:
        from ganstudio.ui.app import launch  # the window; imports Qt

        return launch()
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # a mistake in the flags (one line printed), --help or --version
        return exc.code if isinstance(exc.code, int) else EXIT_USER_ERROR
    if args.command is None:
        build_parser().print_help()
        return 0
    try:
        return _handlers(args.command)[1](args)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except BrokenPipeError:  # the reader of the output left: main() ends quietly
        raise
    except OSError as exc:  # the system refused a file operation the checks could not foresee
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
