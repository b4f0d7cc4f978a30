"""Train the bundled MNIST and Fashion-MNIST classifiers (the feature extractors of `ganstudio eval`).

    python bench/train_classifiers.py [DATA_ROOT] [DATASET ...]

Trains on each training set, reports accuracy on the test set and writes
pretrained/classifier-<dataset>.pt (fp16) with the accuracy in its metadata.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import torch

from ganstudio.data.tvsets import load_tv_arrays
from ganstudio.metrics.classifier import DATASETS, accuracy, classifier_path, save_classifier, train_classifier

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    torch.set_num_threads(1)
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / ".." / "shared" / "datasets"
    for name in sys.argv[2:] or DATASETS:
        x, y, names = load_tv_arrays(name, root, train=True, download=False)
        xt, yt, _ = load_tv_arrays(name, root, train=False, download=False)
        t0 = time.perf_counter()
        net = train_classifier(x, y, epochs=1, log=lambda s: print(f"{name}: {s}", flush=True))
        seconds = time.perf_counter() - t0
        acc = accuracy(net, xt, yt)
        meta = {"dataset": name, "num_classes": len(names), "channels": 1, "class_names": names,
                "test_accuracy": round(acc, 4), "train_images": len(x), "test_images": len(xt),
                "epochs": 1, "train_time_s": round(seconds)}
        path = save_classifier(net, classifier_path(name), meta)
        print(f"{name}: test accuracy {acc:.2%} after {seconds:.0f} s → {path}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
