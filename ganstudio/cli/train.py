"""`ganstudio train`: a run from a preset and flags, with a progress bar; Ctrl-C stops it cleanly.

The flags that override a preset are made from the settings table (`ganstudio.train.fields`), so
their help is the same text as the Train form's tooltips.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ganstudio.cli.args import device, float_in, int_in, out_folder
from ganstudio.cli.progress import ProgressBar
from ganstudio.core.config import ARCHS, DataConfig, ModelConfig, TrainConfig
from ganstudio.core.errors import UserError
from ganstudio.train.fields import BY_NAME, Field, cli_fields

# What a resumed run may change; every other flag is refused by name (the checkpoint fixes the model and data).
RESUME_FLAGS = ("steps", "lr", "lr_g", "lr_d", "lr_decay", "precision", "device", "sample_every", "ckpt_every",
                "keep_last")


def _data_config(spec: str, root: str, limit: int, download: bool) -> DataConfig:
    from ganstudio.core.config import TOY_SETS, TV_SETS

    if spec in TOY_SETS:
        return DataConfig(kind="toy", name=spec)
    if spec in TV_SETS:
        return DataConfig(kind=spec, root=root, download=download, limit=limit)
    if spec.lower().endswith(".csv"):
        return DataConfig(kind="csv", path=spec)
    return DataConfig(kind="folder", path=spec, limit=limit)


def build_train_config(args: argparse.Namespace) -> TrainConfig:
    """Preset for the model and data, overridden by every flag the user gave."""
    from ganstudio.core.config import preset

    args.model, args.data, args.preset = args.model or "dcgan", args.data or "mnist", args.preset or "balanced"
    if args.model == "cyclegan":
        data = DataConfig(kind="folder", path=args.data, path_b=args.data_b or "", load_size=args.load_size or 0,
                          limit=args.limit or 0)
    else:
        data = _data_config(args.data, args.data_root or "", args.limit or 0, not args.offline)
    p = preset(args.model, data.kind, args.preset)
    parts: dict[str, dict[str, Any]] = {"model": dict(p.pop("model")), "run": dict(p)}
    if args.lr is not None:
        parts["run"]["lr_g"] = parts["run"]["lr_d"] = args.lr
    for f in cli_fields():
        value = getattr(args, f.name)
        if value is not None and f.part in parts:
            parts[f.part][f.key] = value
    out = args.out or str(Path("runs") / f"{args.model}-{Path(args.data).name}-{time.strftime('%Y%m%d-%H%M%S')}")
    return TrainConfig(model=ModelConfig(**parts["model"]), data=data, out_dir=out, **parts["run"])


def _add_field(p: argparse.ArgumentParser, f: Field) -> None:
    """The flag of one setting: `--name VALUE`, or a switch for a check box."""
    # argparse reads help as a %-format string: a tooltip's "10 %" must not break --help
    help_text = (f"{f.tip} {f.cli_note}" if f.cli_note else f.tip).replace("%", "%%")
    if f.kind == "bool":
        action = "store_true" if f.cli == "on" else argparse.BooleanOptionalAction
        p.add_argument(f.flag, action=action, default=None, help=help_text)
        return
    kw: dict[str, Any] = {"default": f.cli_default, "help": help_text}
    values = [v for _, v in f.choices]
    if f.hi > f.lo:  # the range the form's spin box has
        kw["type"] = float_in(f.lo, f.hi) if f.kind == "float" else int_in(int(f.lo), int(f.hi))
    elif f.kind in ("int", "float") or (values and isinstance(values[0], int)):
        kw["type"] = float if f.kind == "float" else int
    if f.name == "device":
        kw["type"] = device
    if values and f.cli_choices:
        kw["choices"] = values
    if f.metavar:
        kw["metavar"] = f.metavar
    p.add_argument(f.flag, **kw)


DISTRIBUTED_HELP = """\
several GPUs or machines (PyTorch's torchrun; --batch is the global batch, split over the processes):
  one machine, 4 GPUs:
    torchrun --nproc_per_node 4 -m ganstudio train --model dcgan --data mnist --device cuda --batch 256
  two machines, 8 GPUs each (run on both; HOST:PORT is machine 0, reachable from machine 1):
    torchrun --nnodes 2 --nproc_per_node 8 --rdzv-backend c10d --rdzv-endpoint HOST:29500 --rdzv-id run1 \\
      -m ganstudio train --model stylegan --data ./faces --device cuda --batch 512 -o /shared/runs/faces
  the CPU (gloo), e.g. to try it: OMP_NUM_THREADS=1 torchrun --nproc_per_node 2 -m ganstudio train --device cpu ...
Rank 0 writes the run folder; --resume works with any number of processes (the checkpoint must be
readable on every machine)."""


def add_args(p: argparse.ArgumentParser) -> None:
    p.epilog, p.formatter_class = DISTRIBUTED_HELP, argparse.RawDescriptionHelpFormatter
    p.add_argument("--model", choices=list(ARCHS), help="the networks (default dcgan)")
    p.add_argument("--data", help="toy set (ring8, grid25, swissroll, moons, spiral), "
                   "mnist (default), fashion-mnist, cifar10, a CSV of points, or an image folder")
    p.add_argument("--data-b", help="cyclegan: the image folder of domain B (--data is domain A)")
    p.add_argument("--data-root", help="folder holding the torchvision sets (default: the user data folder)")
    p.add_argument("--offline", action="store_true", help="never download datasets")
    p.add_argument("--preset", choices=["quick", "balanced", "quality"], help="starting settings (default balanced)")
    lr = BY_NAME["lr_g"]
    p.add_argument("--lr", type=float_in(lr.lo, lr.hi), help=f"learning rate of both networks ({lr.lo:g}–{lr.hi:g})")
    for f in cli_fields():
        _add_field(p, f)
    p.add_argument("-o", "--out", type=out_folder, help="run folder (checkpoints, samples, stats.jsonl)")
    p.add_argument("--resume", help="checkpoint or run folder to continue, in its own folder; --steps, --lr (or "
                   "--lr-g / --lr-d), --lr-decay, --precision, --device, --sample-every, --ckpt-every and --keep-last "
                   "apply to the continuation: a lower --lr rolls a diverged run back to its last good checkpoint")


def drive(events: Iterable[Any], label: str = "train", on_event: Callable[[Any], None] | None = None) -> int:
    """Iterate a training generator with a progress bar; Ctrl-C is handled by the caller's control."""
    from ganstudio.cli.main import EXIT_USER_ERROR
    from ganstudio.train import events as ev

    bar: ProgressBar | None = None
    for e in events:
        if on_event:
            on_event(e)
        if isinstance(e, ev.Started):
            why = f" ({e.precision_reason})" if e.precision_reason else ""
            print(f"{label}: {e.data} on {e.device}, {e.precision}{why} → {e.run_dir}", file=sys.stderr)
            for note in e.notes:
                print(f"note: {note}", file=sys.stderr)
            bar = ProgressBar(e.total_steps, label, start=e.start_step)
        elif isinstance(e, ev.StepStats) and bar:
            v = e.values
            bar.update(e.step, f"G {v.get('loss_g', 0):.3f} D {v.get('loss_d', 0):.3f} "
                       f"{v.get('img_per_s', 0):.3g} img/s")
        elif isinstance(e, ev.Metrics) and bar:
            bar.update(e.step, f"modes {e.values['modes']:.0f}/{e.values['modes_total']:.0f} "
                       f"hq {e.values['hq_share']:.0%}", force=True)
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
            if e.rollback:
                lrs = " ".join(f"--{k.replace('_', '-')} {v:.3g}" for k, v in e.rollback.items())
                print(f"to roll back: ganstudio train --resume {e.checkpoint} {lrs}", file=sys.stderr)
            return EXIT_USER_ERROR
    return 0


def interruptible(control: Any, several: bool = False) -> None:
    """First Ctrl-C stops the run cleanly (checkpoint saved); a second one aborts.

    Under torchrun (`several`) every process gets the terminal's Ctrl-C and then torchrun's own copy of it,
    so a process keeps stopping cleanly: the processes stop together at the next log or checkpoint step.
    """
    def handler(signum: int, frame: object) -> None:
        if several:
            if not control.stopped:
                print("\nstopping at the next log step and saving a checkpoint", file=sys.stderr)
            control.stop()
            return
        print("\nstopping after this step and saving a checkpoint (Ctrl-C again to abort)", file=sys.stderr)
        control.stop()
        signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGINT, handler)


def run(args: argparse.Namespace) -> int:
    from ganstudio.core.config import replace
    from ganstudio.train import distributed
    from ganstudio.train import events as ev
    from ganstudio.train.control import RunControl
    from ganstudio.train.loop import config_from_checkpoint, train

    if args.resume:
        refused = [k for k, v in vars(args).items()
                   if v not in (None, False) and k not in (*RESUME_FLAGS, "resume", "command")]
        if refused:
            raise UserError(f"--{refused[0].replace('_', '-')} cannot change when a run is resumed",
                            "the checkpoint fixes the model, data and output folder; leave it out, or start a new run")
        cfg = config_from_checkpoint(args.resume)
        lr_g = args.lr_g or args.lr or cfg.lr_g
        lr_d = args.lr_d or args.lr or cfg.lr_d
        cfg = replace(cfg, steps=args.steps or cfg.steps, device=args.device, lr_g=lr_g, lr_d=lr_d,
                      lr_decay=cfg.lr_decay if args.lr_decay is None else args.lr_decay,
                      precision=args.precision or cfg.precision, sample_every=args.sample_every or cfg.sample_every,
                      ckpt_every=args.ckpt_every or cfg.ckpt_every, keep_last=args.keep_last or cfg.keep_last)
    else:
        cfg = build_train_config(args)
    control = RunControl()
    found = distributed.detect()
    interruptible(control, several=found is not None)
    events = train(cfg, control, resume=args.resume)
    if found is not None and found[0] != 0:
        events = (e for e in events if isinstance(e, ev.Failed))  # a torchrun rank > 0 prints only its failure
    return drive(events)
