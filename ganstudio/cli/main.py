"""`ganstudio <command>`: the headless twin of every job in the window.

With no command it opens the desktop app. Every user mistake ends with one line on stderr
and exit code 2; nothing here imports Qt.
"""

from __future__ import annotations

import argparse
import importlib
import json
import signal
import sys
import time
from pathlib import Path
from typing import Callable

from ganstudio import __version__
from ganstudio.cli.progress import Progress
from ganstudio.core.config import PRECISIONS
from ganstudio.core.errors import UserError

EXIT_USER_ERROR = 2


# -- train -----------------------------------------------------------------------------------
def _data_config(spec: str, root: str, limit: int, download: bool):
    from ganstudio.core.config import TOY_SETS, TV_SETS, DataConfig

    if spec in TOY_SETS:
        return DataConfig(kind="toy", name=spec)
    if spec in TV_SETS:
        return DataConfig(kind=spec, root=root, download=download, limit=limit)
    if spec.lower().endswith(".csv"):
        return DataConfig(kind="csv", path=spec)
    return DataConfig(kind="folder", path=spec, limit=limit)


def build_train_config(args: argparse.Namespace):
    """Preset for the model and data, overridden by every flag the user gave."""
    from ganstudio.core.config import DataConfig, ModelConfig, TrainConfig, preset

    if args.model == "cyclegan":
        data = DataConfig(kind="folder", path=args.data, path_b=args.data_b or "", load_size=args.load_size or 0,
                          limit=args.limit or 0)
    else:
        data = _data_config(args.data, args.data_root or "", args.limit or 0, not args.offline)
    p = preset(args.model, data.kind, args.preset)
    model = dict(p.pop("model"))
    for key in ("z_dim", "img_size", "channels", "base_ch", "hidden", "layers", "latent_codes", "res_blocks"):
        if getattr(args, key) is not None:
            model[key] = getattr(args, key)
    if args.spectral_norm is not None:
        model["spectral_norm"] = args.spectral_norm
    if args.minibatch_std:
        model["minibatch_std"] = True
    if args.cond_d:
        model["cond_d"] = args.cond_d
    run = dict(p)
    for key in ("loss", "steps", "batch", "n_critic", "seed", "sample_every", "ckpt_every", "keep_last",
                "lambda_cycle", "lambda_identity", "pool_size", "lr_decay"):
        if getattr(args, key) is not None:
            run[key] = getattr(args, key)
    if args.lr is not None:
        run["lr_g"] = run["lr_d"] = args.lr
    for key in ("lr_g", "lr_d"):
        if getattr(args, key) is not None:
            run[key] = getattr(args, key)
    if args.ema is not None:
        run["ema"] = args.ema
    out = args.out or str(Path("runs") / f"{args.model}-{Path(args.data).name}-{time.strftime('%Y%m%d-%H%M%S')}")
    return TrainConfig(model=ModelConfig(**model), data=data, device=args.device, precision=args.precision or "auto",
                       out_dir=out, **run)


def _train_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", choices=["mlp", "dcgan", "cdcgan", "cyclegan"], default="dcgan")
    p.add_argument("--data", default="mnist", help="toy set (ring8, grid25, swissroll, moons, spiral), "
                   "mnist, fashion-mnist, cifar10, a CSV of points, or an image folder")
    p.add_argument("--data-b", help="cyclegan: the image folder of domain B (--data is domain A)")
    p.add_argument("--data-root", help="folder holding the torchvision sets (default: the user data folder)")
    p.add_argument("--offline", action="store_true", help="never download datasets")
    p.add_argument("--limit", type=int, help="use at most this many images")
    p.add_argument("--preset", choices=["quick", "balanced", "quality"], default="balanced")
    p.add_argument("--loss", choices=["bce", "lsgan", "hinge", "wgan-gp"])
    p.add_argument("--steps", type=int)
    p.add_argument("--batch", type=int)
    p.add_argument("--lr", type=float, help="learning rate of both networks")
    p.add_argument("--lr-g", type=float)
    p.add_argument("--lr-d", type=float)
    p.add_argument("--lr-decay", type=float, metavar="SHARE",
                   help="final share of the steps over which both learning rates fall linearly to 0 "
                        "(default: 0.5 for cyclegan, as in its paper; 0 otherwise)")
    p.add_argument("--n-critic", type=int)
    p.add_argument("--ema", action=argparse.BooleanOptionalAction, default=None)
    p.add_argument("--spectral-norm", action=argparse.BooleanOptionalAction, default=None,
                   help="spectral norm in D (default: the preset's; on for cdcgan)")
    p.add_argument("--minibatch-std", action="store_true",
                   help="dcgan / cdcgan: D also sees the batch's spread, which counters samples that all look alike")
    p.add_argument("--cond-d", choices=["projection", "concat"])
    p.add_argument("--z-dim", type=int)
    p.add_argument("--img-size", type=int, help="dcgan: 28, 32, 64 or 128; cyclegan: training crop (multiple of 4)")
    p.add_argument("--load-size", type=int, help="cyclegan: images are resized to this square before cropping")
    p.add_argument("--res-blocks", type=int, help="cyclegan: residual blocks per generator")
    p.add_argument("--lambda-cycle", type=float, help="cyclegan: cycle-consistency weight (default 10)")
    p.add_argument("--lambda-identity", type=float, help="cyclegan: identity weight relative to --lambda-cycle (0.5)")
    p.add_argument("--pool-size", type=int, help="cyclegan: generated images remembered for D (50)")
    p.add_argument("--channels", type=int, choices=[1, 3])
    p.add_argument("--base-ch", type=int)
    p.add_argument("--hidden", type=int)
    p.add_argument("--layers", type=int)
    p.add_argument("--latent-codes", type=int,
                   help="mlp: the first latent number picks one of this many discrete codes (0 = off; preset 50)")
    p.add_argument("--sample-every", type=int)
    p.add_argument("--ckpt-every", type=int)
    p.add_argument("--keep-last", type=int)
    p.add_argument("--device", default="auto")
    p.add_argument("--precision", choices=PRECISIONS, default=None,
                   help="auto (default): bf16 mixed precision for DCGANs where the CPU or GPU computes bf16 "
                        "natively, fp32 elsewhere")
    p.add_argument("--seed", type=int)
    p.add_argument("-o", "--out", help="run folder (checkpoints, samples, stats.jsonl)")
    p.add_argument("--resume", help="checkpoint or run folder to continue; --steps and --lr-decay set the new total "
                                    "and cool-down")


def drive(events, label: str = "train", on_event: Callable | None = None) -> int:
    """Iterate a training generator with a progress bar; Ctrl-C is handled by the caller's control."""
    from ganstudio.train import events as ev

    bar: Progress | None = None
    for e in events:
        if on_event:
            on_event(e)
        if isinstance(e, ev.Started):
            print(f"{label}: {e.data} on {e.device}, {e.precision} → {e.run_dir}", file=sys.stderr)
            for note in e.notes:
                print(f"note: {note}", file=sys.stderr)
            bar = Progress(e.total_steps, label)
            bar.update(e.start_step, force=True)
        elif isinstance(e, ev.StepStats) and bar:
            v = e.values
            bar.update(e.step, f"G {v.get('loss_g', 0):.3f} D {v.get('loss_d', 0):.3f} {v.get('img_per_s', 0):.0f} img/s")
        elif isinstance(e, ev.Metrics) and bar:
            bar.update(0 if not hasattr(e, "step") else e.step,
                       f"modes {e.values['modes']:.0f}/{e.values['modes_total']:.0f} hq {e.values['hq_share']:.0%}", force=True)
        elif isinstance(e, ev.Finished):
            if bar:
                bar.update(e.step, force=True)
                bar.close()
            state = "stopped" if e.stopped else "finished"
            print(f"{state} at step {e.step}: checkpoint {e.checkpoint}, generator {e.generator}", file=sys.stderr)
            return 0
        elif isinstance(e, ev.Failed):
            if bar:
                bar.close()
            kept = f" (last good checkpoint: {e.checkpoint})" if e.checkpoint else ""
            print(f"error: {e.message}{'; ' + e.hint if e.hint else ''}{kept}", file=sys.stderr)
            return EXIT_USER_ERROR
    return 0


def interruptible(control) -> None:
    """First Ctrl-C stops the run cleanly (checkpoint saved); a second one aborts."""
    def handler(signum, frame):
        print("\nstopping after this step and saving a checkpoint (Ctrl-C again to abort)", file=sys.stderr)
        control.stop()
        signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGINT, handler)


def run_train(args: argparse.Namespace) -> int:
    from ganstudio.core.config import replace
    from ganstudio.train.control import RunControl
    from ganstudio.train.loop import config_from_checkpoint, train

    if args.resume:
        cfg = config_from_checkpoint(args.resume)
        cfg = replace(cfg, steps=args.steps or cfg.steps, device=args.device, out_dir=args.out or cfg.out_dir,
                      lr_decay=cfg.lr_decay if args.lr_decay is None else args.lr_decay,
                      precision=args.precision or cfg.precision)
    else:
        cfg = build_train_config(args)
    control = RunControl()
    interruptible(control)
    return drive(train(cfg, control, resume=args.resume))


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

    from ganstudio.core.render import image_grid, save_png, scatter
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
    save_png(picture, args.out, {"ganstudio": json.dumps({"model": str(g.path), "seeds": [seeds[0], seeds[-1]],
                                                          "class": args.cls, "version": __version__})})
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
    "train": ("ganstudio.cli.main", "train a GAN (MLP on 2D points, DCGAN, conditional DCGAN) or a CycleGAN (two folders)"),
    "sample": ("ganstudio.cli.main", "write a grid of samples from a checkpoint or generator file"),
    "info": ("ganstudio.cli.main", "show what a checkpoint or generator file holds"),
    "eval": ("ganstudio.cli.eval", "measure a model: class accuracy, Fréchet / kernel distance, precision / recall "
             "vs a real-data floor (28 px images); mode coverage (2D)"),
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
