"""Train the bundled CycleGAN styles on this machine's CPU, resumably.

    python tools/train_styles.py RUNS_DIR [--steps N] [--style photo2monet|photo2sisley]

Each style is one ordinary `ganstudio.train.loop.train` run (so it is also what the Train page
and `ganstudio train --model cyclegan` do); re-running continues from the newest checkpoint.
Ctrl-C (SIGINT) stops after the current step and saves a checkpoint. The settings are the
balanced CycleGAN preset: a 32-channel generator with 9 residual blocks and the resize + 3×3
convolution up path (no checkerboard), a 64-channel PatchGAN, batch 1, 256 px crops of images
loaded at 286 px as in the paper (--img-size / --load-size change them). The first bundled
styles (16 channels, 5 blocks, 128 px crops, transposed convolutions) cannot be continued with
these settings: train them into a new RUNS_DIR. `--init photo2monet` (a bundled style, a style
file or a run folder) starts a new run from a style's generators, which is how a style keeps
training in a session whose RUNS_DIR is gone: the bundled file carries the generators only, so
its discriminators start afresh. A style still in training is kept between sessions as
`<style>-training` (`tools/package_styles.py --training`), discriminators included: continue it
with `--init photo2monet-training`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch
from common import SHARED  # the shared datasets folder beside the checkout

from ganstudio.cli.train import drive, interruptible
from ganstudio.core.config import DataConfig, ModelConfig, TrainConfig, replace
from ganstudio.modelfiles.checkpoint import latest_checkpoint
from ganstudio.train.control import RunControl
from ganstudio.train.loop import train

DATA = SHARED
# style id → (folder A = photos, folder B = paintings); G_AB paints, G_BA un-paints.
STYLES = {
    "photo2monet": (DATA / "monet2photo" / "trainB", DATA / "monet2photo" / "trainA"),
    "photo2sisley": (DATA / "monet2photo" / "trainB", DATA / "sisley" / "trainA"),
}
MODEL = ModelConfig(arch="cyclegan", img_size=256, channels=3, base_ch=32, res_blocks=9, base_ch_d=64,
                    upsample="resize")


def style_config(style: str, runs: Path, steps: int, img_size: int, load_size: int, init: str = "") -> TrainConfig:
    a, b = STYLES[style]
    data = DataConfig(kind="folder", path=str(a.resolve()), path_b=str(b.resolve()), load_size=load_size)
    return TrainConfig(model=replace(MODEL, img_size=img_size), data=data, loss="lsgan", steps=steps, batch=1,
                       lr_g=2e-4, lr_d=2e-4, lr_decay=0.5, beta1=0.5, seed=0, device="cpu", out_dir=str(runs / style),
                       sample_every=100, ckpt_every=100, keep_last=2, log_every=10, init=init)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("runs", type=Path)
    p.add_argument("--steps", type=int, default=1000)
    p.add_argument("--style", choices=sorted(STYLES), required=True)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--img-size", type=int, default=MODEL.img_size, help="training crop (multiple of 4)")
    p.add_argument("--load-size", type=int, default=286, help="images are resized to this square first")
    p.add_argument("--init", default="", help="start a new run from this style's generators (id, file or run)")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    cfg = style_config(args.style, args.runs, args.steps, args.img_size, args.load_size, args.init)
    control = RunControl()
    interruptible(control)
    return drive(train(cfg, control, resume=latest_checkpoint(cfg.out_dir)), label=args.style)


if __name__ == "__main__":
    sys.exit(main())
