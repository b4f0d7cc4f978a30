"""Train the bundled MNIST and Fashion-MNIST classifiers (the feature extractors of `ganstudio eval`).

    python tools/train_classifiers.py [--root DATA_ROOT] [--epochs N] [DATASET ...]

Trains on each training set, reports accuracy on the test set and writes
pretrained/classifier-<dataset>.pt (fp16) with the accuracy and recipe in its metadata.
Clothes are also mirrored left-right while training; digits are not (a mirrored 2 is no 2).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import torch

from ganstudio.data.tvsets import load_tv_arrays
from ganstudio.metrics.classifier import DATASETS, accuracy, classifier_path, save_classifier, train_classifier

ROOT = Path(__file__).resolve().parents[1]
MIRRORED = {"fashion-mnist"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("datasets", nargs="*", metavar="DATASET",
                    help=f"any of {', '.join(DATASETS)} (default: all)")
    ap.add_argument("--root", type=Path, default=ROOT / ".." / "shared" / "datasets")
    ap.add_argument("--epochs", type=int, default=10)
    args = ap.parse_args()
    unknown = sorted(set(args.datasets) - set(DATASETS))
    if unknown:
        ap.error(f"no classifier recipe for {', '.join(unknown)}; choose from {', '.join(DATASETS)}")
    torch.set_num_threads(1)
    for name in args.datasets or DATASETS:
        x, y, names = load_tv_arrays(name, args.root, train=True, download=False)
        xt, yt, _ = load_tv_arrays(name, args.root, train=False, download=False)
        flip = name in MIRRORED
        t0 = time.perf_counter()
        net = train_classifier(x, y, epochs=args.epochs, flip=flip,
                               log=lambda s, name=name: print(f"{name}: {s}", flush=True))
        seconds = time.perf_counter() - t0
        acc = accuracy(net, xt, yt)
        meta = {"dataset": name, "num_classes": len(names), "channels": 1, "class_names": names,
                "test_accuracy": round(acc, 4), "train_images": len(x), "test_images": len(xt),
                "epochs": args.epochs, "mirrored": flip, "train_time_s": round(seconds)}
        path = save_classifier(net, classifier_path(name), meta)
        print(f"{name}: test accuracy {acc:.2%} after {seconds:.0f} s → {path}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
