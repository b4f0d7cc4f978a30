"""`ganstudio eval`: measure a model.

    ganstudio eval fashion-cdcgan --data-root ../shared/datasets     # a bundled id, a file or a run
    ganstudio eval runs/ring8                                        # 2D: mode coverage

Image models (28 px MNIST / Fashion-MNIST) get classifier accuracy per requested class,
Fréchet and kernel distance and precision / recall against the real test set, beside the same
figures for real training images (the floor). 2D toy models get mode coverage.
"""

from __future__ import annotations

import argparse
import json

from ganstudio.core.errors import UserError


def add_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("model", help="generator file, checkpoint, run folder, or a bundled model id")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--data", choices=["mnist", "fashion-mnist"],
                   help="image models: the dataset to compare with (default: the one it was trained on)")
    p.add_argument("--data-root", help="folder holding the torchvision sets (default: the user data folder)")
    p.add_argument("--offline", action="store_true", help="never download datasets")
    p.add_argument("-n", "--count", type=int, default=10000, help="image models: generated samples (default 10000)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")


def run(args: argparse.Namespace) -> int:
    from ganstudio.modelfiles.generator import load_generator

    g = load_generator(args.model)
    if not g.is_image_model:
        return _eval_2d(g, args)
    from ganstudio.metrics.evaluate import evaluate, format_report

    dataset = args.data or (g.meta.get("data") or {}).get("kind")
    if dataset not in ("mnist", "fashion-mnist"):
        raise UserError(f"{g.path.name} was trained on '{dataset}', which has no bundled classifier",
                        "give --data mnist or --data fashion-mnist to compare it with one of those")
    if not 20 <= args.count <= 60000:
        raise UserError(f"--count {args.count} is out of range", "use 20–60000")
    report = evaluate(g, dataset, args.data_root, args.count, args.seed, download=not args.offline)
    print(json.dumps(report.to_dict(), indent=2) if args.json else format_report(report))
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
