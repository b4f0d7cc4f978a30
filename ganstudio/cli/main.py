"""`ganstudio <command>`: the headless twin of every job in the window.

With no command it opens the desktop app. Every user mistake ends with one line on stderr
and exit code 2; nothing here imports Qt.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable

from ganstudio import __version__
from ganstudio.cli.train import build_train_config  # noqa: F401  (a config from `train` flags)
from ganstudio.core.errors import UserError

EXIT_USER_ERROR = 2


# -- sample / info ----------------------------------------------------------------------------
def _sample_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("model", help="generator file, checkpoint, run folder, or a bundled model id")
    p.add_argument("-n", "--count", type=int, default=64)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--class", dest="cls", help="class name or index (conditional models)")
    p.add_argument("--cols", type=int)
    p.add_argument("-o", "--out", default="samples.png")


def run_sample(args: argparse.Namespace) -> int:
    import torch

    from ganstudio.core.render import image_grid, scatter
    from ganstudio.export.png import save_png
    from ganstudio.export.writers import provenance_json
    from ganstudio.modelfiles.generator import load_generator

    if not 1 <= args.count <= 4096:
        raise UserError(f"--count {args.count} is out of range", "use 1–4096")
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
    out = g.generate(g.latents(seeds), labels)
    picture = image_grid(out, args.cols) if g.is_image_model else scatter(out)
    save_png(picture, args.out, provenance_json({"model": str(g.path), "seeds": [seeds[0], seeds[-1]],
                                                 "class": args.cls}))
    print(f"wrote {args.out} ({args.count} samples)")
    return 0


def _info_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("model", help="generator file, checkpoint, run folder, or a bundled model id")
    p.add_argument("--json", action="store_true")


def run_info(args: argparse.Namespace) -> int:
    from ganstudio.modelfiles.checkpoint import load_checkpoint
    from ganstudio.modelfiles.generator import is_checkpoint_file, read_generator_file
    from ganstudio.modelfiles.resolve import resolve_model

    path = resolve_model(args.model)
    if path.is_dir() or is_checkpoint_file(path):
        ckpt = load_checkpoint(path)
        info = {"file": str(ckpt["path"]), "type": "checkpoint", "step": ckpt["step"],
                "config": ckpt["config"], "generator": ckpt["meta"].get("generator")}
    else:
        _, meta = read_generator_file(path)
        info = {"file": str(path), "type": "generator", **meta}
    if args.json:
        print(json.dumps(info, indent=2))
        return 0
    for key, value in info.items():
        print(f"{key}: {json.dumps(value) if isinstance(value, (dict, list)) else value}")
    return 0


# -- entry point -----------------------------------------------------------------------------
# name → (module, help). Each module defines add_args(parser) and run(args) -> exit code and
# imports nothing heavy at module level, so `ganstudio --help` stays fast.
COMMANDS: dict[str, tuple[str, str]] = {
    "train": ("ganstudio.cli.train",
              "train a GAN (MLP on 2D points, DCGAN, conditional DCGAN) or a CycleGAN (two folders)"),
    "sample": ("ganstudio.cli.main", "write a grid of samples from a checkpoint or generator file"),
    "info": ("ganstudio.cli.main", "show what a checkpoint or generator file holds"),
    "eval": ("ganstudio.cli.eval", "measure a model: SWD and KID against a folder of real images (--real), class "
             "accuracy, Fréchet / kernel distance, precision / recall (28 px sets), each vs a real floor; mode "
             "coverage (2D)"),
    "walk": ("ganstudio.cli.walk", "morph through seeds (latent walk) to GIF, WebP, APNG, MP4 or a sprite sheet"),
    "stylize": ("ganstudio.cli.stylize", "restyle photos at full resolution with a CycleGAN style (e.g. photo2monet)"),
}


def _handlers(name: str) -> tuple[Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]:
    module_name = COMMANDS[name][0]
    if module_name == __name__:
        return globals()[f"_{name}_args"], globals()[f"run_{name}"]
    module = importlib.import_module(module_name)
    return module.add_args, module.run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ganstudio", description="GAN Studio: train GANs and create with them.")
    parser.add_argument("--version", action="version", version=f"ganstudio {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_, help_text) in COMMANDS.items():
        _handlers(name)[0](sub.add_parser(name, help=help_text, description=help_text))
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        from ganstudio.ui.app import launch  # the window; imports Qt

        return launch()
    args = build_parser().parse_args(argv)
    if args.command is None:
        build_parser().print_help()
        return 0
    try:
        return _handlers(args.command)[1](args)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
