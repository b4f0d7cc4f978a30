"""`ganstudio eval`: measure a model.

    ganstudio eval monet-stylegan --real ../shared/datasets/monet2photo/testA     # any image model
    ganstudio eval --fake samples/ --real testA --floor trainA                   # another program's samples
    ganstudio eval fashion-cdcgan --data-root ../shared/datasets                 # 28 px MNIST sets
    ganstudio eval runs/ring8                                                    # 2D: mode coverage

With `--real FOLDER`, any image model (or a folder of generated images, `--fake`) gets SWD and
KID against that folder, beside the same figures for N real images of the floor folder (by
default the folder the model was trained on). Without it, 28 px MNIST / Fashion-MNIST models get
classifier accuracy per requested class, Fréchet and kernel distance and precision / recall
against the real test set, beside real training images (the floor). 2D toy models get mode
coverage.
"""

from __future__ import annotations

import argparse
import json

from ganstudio.cli.args import SEED, int_in
from ganstudio.core.errors import UserError

FOLDER_N = 500  # metrics.folder_eval.DEFAULT_N; kept here so `--help` imports no torch
MNIST_N = 10000


def add_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("model", nargs="?", help="generator file, checkpoint, run folder, or a bundled model id")
    p.add_argument("--seed", type=SEED, default=0)
    p.add_argument("--real", metavar="FOLDER",
                   help="folder of real images to compare with (held-out ones, e.g. monet2photo/testA): SWD and KID")
    p.add_argument("--floor", metavar="FOLDER",
                   help="with --real: real images for the real-vs-real floor (default: the model's training folder)")
    p.add_argument("--fake", metavar="FOLDER",
                   help="with --real: measure this folder of generated images instead of a model")
    p.add_argument("--data", choices=["mnist", "fashion-mnist"],
                   help="28 px models without --real: the dataset to compare with (default: the one it was trained on)")
    p.add_argument("--data-root", help="folder holding the torchvision sets (default: the user data folder)")
    p.add_argument("--offline", action="store_true", help="never download datasets")
    p.add_argument("-n", "--count", type=int_in(20, 60000),
                   help=f"generated samples (default {FOLDER_N} with --real, {MNIST_N} otherwise)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")


def run(args: argparse.Namespace) -> int:
    if args.real or args.fake:
        return _eval_folder(args)
    if not args.model:
        raise UserError("give a MODEL to measure",
                        "or --fake FOLDER --real FOLDER --floor FOLDER for a folder of samples")
    from ganstudio.modelfiles.generator import load_generator

    g = load_generator(args.model)
    if not g.is_image_model:
        return _eval_2d(g, args)
    from ganstudio.metrics.evaluate import evaluate, format_report

    dataset = args.data or (g.meta.get("data") or {}).get("kind")
    if dataset not in ("mnist", "fashion-mnist"):
        raise UserError(f"{g.path.name} was trained on '{dataset}', which has no bundled classifier",
                        "give --real FOLDER to compare it with a folder of real images, or --data mnist / "
                        "fashion-mnist")
    count = MNIST_N if args.count is None else args.count
    report = evaluate(g, dataset, args.data_root, count, args.seed, download=not args.offline)
    print(json.dumps(report.to_dict(), indent=2) if args.json else format_report(report))
    return 0


def _eval_folder(args: argparse.Namespace) -> int:
    """SWD and KID of a model's samples, or of a folder of generated images, against --real."""
    if not args.real:
        raise UserError("--fake needs --real FOLDER: the real images to compare with")
    if args.fake and args.model:
        raise UserError("give either a MODEL or --fake FOLDER, not both")
    count = FOLDER_N if args.count is None else args.count
    if not 20 <= count <= 20000:
        raise UserError(f"--count {count} is out of range", "use 20–20000")
    from ganstudio.metrics.folder_eval import evaluate_folder, evaluate_generator, format_folder_report

    if args.fake:
        if not args.floor:
            raise UserError("--fake needs --floor FOLDER: real images (the training set) for the real-vs-real floor")
        report = evaluate_folder(args.fake, args.real, args.floor, count, args.seed)
    elif args.model:
        from ganstudio.modelfiles.generator import load_generator

        report = evaluate_generator(load_generator(args.model), args.real, args.floor, count, args.seed)
    else:
        raise UserError("give a MODEL to measure, or --fake FOLDER of generated images")
    print(json.dumps(report.to_dict(), indent=2) if args.json else format_folder_report(report))
    return 0


def _eval_2d(g, args: argparse.Namespace) -> int:
    """Mode coverage of a model trained on a toy mixture (ring8 or grid25)."""
    import torch

    from ganstudio.data.coverage import N_EVAL, mode_coverage
    from ganstudio.data.toy import toy_source

    data = g.meta.get("data", {})
    if data.get("kind") != "toy":
        raise UserError("mode coverage needs a model trained on a toy mixture (ring8 or grid25)")
    src = toy_source(data.get("name", ""), g.device)
    if src.modes is None:
        raise UserError(f"the {data.get('name')} set has no discrete modes to count")
    z = torch.randn(N_EVAL, g.z_dim, generator=torch.Generator().manual_seed(args.seed))
    cov = mode_coverage(g.generate(z), src.modes)
    if args.json:
        print(json.dumps(cov))
        return 0
    print(f"modes captured: {cov['modes']:.0f}/{cov['modes_total']:.0f}")
    print(f"high-quality samples: {cov['hq_share']:.1%}")
    return 0
