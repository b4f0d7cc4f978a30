"""Train the bundled painting feature network (the feature space of KID in `ganstudio eval --real`).

    python tools/train_features.py [--root DATA_ROOT] [--epochs N]

Three classes at 64 px: Monet paintings (monet2photo/trainA), Sisley paintings (sisley/trainA)
and photos (monet2photo/trainB and 150 of the 200 BSDS500 photos). Held out, never trained on:
monet2photo/testA, sisley/testA, monet2photo/testB and the other 50 BSDS photos; the accuracy on
them goes into the file's metadata and the manifest. Writes pretrained/features-art64.pt (fp16)
and its manifest entry.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch
from common import SHARED  # the shared datasets folder beside the checkout

from ganstudio.core.images import fit_square, open_image
from ganstudio.data.folder import scan_folder
from ganstudio.metrics.features import FEATURES_ID, predict, save_feature_net, train_feature_net
from ganstudio.metrics.images import folder_images
from ganstudio.modelfiles.manifest import file_sha256, upsert_manifest_entry
from ganstudio.models.painting_cnn import SIZE

ROOT = Path(__file__).resolve().parents[1]
CLASSES = ("monet", "sisley", "photo")
TRAIN = {"monet": ["monet2photo/trainA"], "sisley": ["sisley/trainA"], "photo": ["monet2photo/trainB"]}
HELD_OUT = {"monet": ["monet2photo/testA"], "sisley": ["sisley/testA"], "photo": ["monet2photo/testB"]}
BSDS = "photos/bsds500-test"
BSDS_TRAIN = 150  # the first 150 BSDS photos (sorted by name) train, the other 50 are held out


def _bsds(root: Path, train: bool) -> np.ndarray:
    files = scan_folder(root / BSDS).files
    files = files[:BSDS_TRAIN] if train else files[BSDS_TRAIN:]
    return np.stack([np.asarray(fit_square(open_image(f), SIZE)) for f in files])


def load_split(root: Path, table: dict[str, list[str]], train: bool) -> tuple[torch.Tensor, torch.Tensor, dict]:
    """(images (N, 3, 64, 64) uint8, labels (N,), {folder: count})."""
    xs, ys, counts = [], [], {}
    for k, name in enumerate(CLASSES):
        for folder in table[name]:
            x = folder_images(root / folder, SIZE)
            xs.append(x)
            ys.append(np.full(len(x), k))
            counts[folder] = len(x)
        if name == "photo":
            x = _bsds(root, train)
            xs.append(x)
            ys.append(np.full(len(x), k))
            counts[BSDS + (" (first 150)" if train else " (last 50)")] = len(x)
    x = torch.from_numpy(np.concatenate(xs)).permute(0, 3, 1, 2).contiguous()
    return x, torch.from_numpy(np.concatenate(ys)), counts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=SHARED)
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--out", type=Path, default=ROOT / "pretrained", help="pretrained folder to write into")
    args = ap.parse_args()
    torch.set_num_threads(1)
    x, y, train_counts = load_split(args.root, TRAIN, train=True)
    xt, yt, test_counts = load_split(args.root, HELD_OUT, train=False)
    print(f"train {len(x)} images {train_counts}; held out {len(xt)} {test_counts}", flush=True)
    t0 = time.perf_counter()
    net = train_feature_net(x, y, epochs=args.epochs, log=lambda s: print(s, flush=True))
    seconds = time.perf_counter() - t0
    pred = predict(net, xt)
    per_class = {name: round(float((pred[yt == k] == k).float().mean()), 4) for k, name in enumerate(CLASSES)}
    acc = round(float((pred == yt).float().mean()), 4)
    meta = {"class_names": list(CLASSES), "size": SIZE, "held_out_accuracy": acc, "held_out_per_class": per_class,
            "train_folders": train_counts, "held_out_folders": test_counts, "epochs": args.epochs,
            "train_time_s": round(seconds)}
    path = save_feature_net(net, args.out / f"{FEATURES_ID}.pt", meta)
    entry = {
        "id": FEATURES_ID, "title": "Painting features (64 px)", "file": path.name, "kind": "features",
        "architecture": "4-stage CNN, 128-d penultimate layer (fp16 weights)",
        "dataset": "monet2photo trainA/trainB, sisley trainA, 150 BSDS500 photos", "classes": list(CLASSES),
        "resolution": SIZE, "sha256": file_sha256(path), "size_bytes": path.stat().st_size, "steps": None,
        "train_time_s": round(seconds), "trained_on": "2-core AMD EPYC CPU (Zen 5), shared",
        "quality": {"held_out_accuracy": acc, "held_out_per_class": per_class, "held_out_folders": test_counts},
        "description": "feature space of KID in `ganstudio eval --real`; not an image generator",
        "licence": "Weights trained by GAN Studio's developers on the CycleGAN monet2photo set, a WikiArt Sisley "
                   "set and BSDS500 (research use).",
    }
    upsert_manifest_entry(entry, args.out)
    print(f"held-out accuracy {acc:.2%} {per_class} after {seconds:.0f} s → {path}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
