"""Style transfer quality and speed, the bundled (old) styles beside new model files, in one run.

    python bench/style_quality.py --new-monet RUN_OR_FILE [--new-sisley RUN_OR_FILE]
                                  [--old-monet FILE] [--old-sisley FILE] [--crops SHEET.png]
                                  [--photos 20] [--frames 100] [--threads 1] [--full-12mp] [--only style|speed|flicker]

"old" is the bundled photo2monet / photo2sisley, or the files given (an earlier bundled file comes
back with `git show COMMIT:pretrained/photo2sisley.pt > old.pt`); "new" is any CycleGAN file or run
folder whose direction AB turns photos into the painter's paintings (tools/train_styles.py's
layout). `--crops` also writes 100 % crops of three held-out photos: photo | old | new, per painter. On
held-out photos (the last `--photos` of photos/bsds500-test, which the painting classifier did
not see either, and as many of monet2photo/testB), each photo stylized at the default stroke size:

1. grid: `metrics.grid.grid_score`, the output's 2 / 4 px lattice over the photo's (≈ 1: none);
2. style: the share the bundled painting classifier (features-art64: Monet / Sisley / photo,
   its held-out accuracy measured here) calls the painter's, beside the same share for the
   real test paintings and for the photos unstyled;
3. structure: `metrics.structure.structure_score` (SSIM of edge maps, photo vs stylized);
4. cycle error: photo → painting → photo, mean absolute error (0–255);
5. speed: a 1024² photo at the default stroke size (its own size) and a 4000×3000 photo at
   strokes 1024 and 512 (and full size with --full-12mp), beside the reference generator
   (64 channels, 9 blocks, transposed convolutions, random weights) at full size; each 12 MP
   run in a fresh process, for its peak resident memory;
6. flicker: a `--frames`-frame 512 px pan (8 px a frame) as an animation (one set of norm
   statistics) and frame by frame with each frame's own (the way before), `metrics.flicker`.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import SHARED, machine

from ganstudio.core.config import ModelConfig
from ganstudio.metrics.features import load_feature_net, predict
from ganstudio.metrics.flicker import flicker_ratio
from ganstudio.metrics.grid import grid_score
from ganstudio.metrics.structure import structure_score
from ganstudio.models.cyclegan import build_cyclegan_generator
from ganstudio.style.animation import Clip, stylize_clip
from ganstudio.style.stroke import DEFAULT_STROKE, paint
from ganstudio.style.tiles import load_style_model, resolve_style

PAINTERS = {"monet": ("photo2monet", SHARED / "monet2photo" / "testA"),
            "sisley": ("photo2sisley", SHARED / "sisley" / "testA")}


def jpgs(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.jpg"))


def classifier_held_out() -> dict[str, list[Path]]:
    """The images tools/train_features.py kept out of the classifier's training, by class."""
    return {"monet": jpgs(SHARED / "monet2photo" / "testA"), "sisley": jpgs(SHARED / "sisley" / "testA"),
            "photo": jpgs(SHARED / "monet2photo" / "testB") + jpgs(SHARED / "photos" / "bsds500-test")[-50:]}

def rgb(path: Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB"))


def held_out_photos(n: int) -> list[np.ndarray]:
    bsds = sorted((SHARED / "photos" / "bsds500-test").glob("*.jpg"))[-n:]
    test_b = sorted((SHARED / "monet2photo" / "testB").glob("*.jpg"))[:n]
    return [rgb(p) for p in [*bsds, *test_b]]


def square64(images: list[np.ndarray]) -> torch.Tensor:
    """Centre squares at 64 px, (N, 64, 64, 3) uint8: what the painting classifier reads."""
    out = []
    for img in images:
        h, w = img.shape[:2]
        s = min(h, w)
        crop = Image.fromarray(img[(h - s) // 2:(h + s) // 2, (w - s) // 2:(w + s) // 2])
        out.append(np.asarray(crop.resize((64, 64), Image.Resampling.LANCZOS)))
    return torch.from_numpy(np.stack(out))


def classifier_accuracy(feature_net) -> tuple[float, dict[str, float]]:
    """Accuracy of the painting classifier on the images it was not trained on (all of them pooled, and by class)."""
    held_out, per_class, right, total = classifier_held_out(), {}, 0, 0
    for k, name in enumerate(feature_net.meta["class_names"]):
        pred = predict(feature_net.net, square64([rgb(f) for f in held_out[name]]))
        per_class[name] = float((pred == k).float().mean())
        right, total = right + int((pred == k).sum()), total + len(pred)
    return right / total, per_class


def called(feature_net, images: list[np.ndarray], painter: str) -> float:
    k = feature_net.meta["class_names"].index(painter)
    return float((predict(feature_net.net, square64(images)) == k).float().mean())


def quality(model, painter: str, photos: list[np.ndarray], feature_net) -> dict[str, float]:
    """Grid, style share, structure and cycle error of one style on the held-out photos."""
    ab, ba = model.nets["AB"], model.nets["BA"]
    outs = [paint(ab, p, DEFAULT_STROKE, device=model.device)[0] for p in photos]
    back = [paint(ba, o, DEFAULT_STROKE, device=model.device)[0] for o in outs]
    pairs = list(zip(photos, outs, back, strict=True))
    grids = [grid_score(o, p) for p, o, _ in pairs]
    return {"grid_median": float(np.median(grids)), "grid_max": float(np.max(grids)),
            "called": called(feature_net, outs, painter),
            "structure": float(np.mean([structure_score(p, o) for p, o, _ in pairs])),
            "cycle": float(np.mean([np.abs(b.astype(np.float32) - p).mean() for p, _, b in pairs]))}


def old_style(args: argparse.Namespace, painter: str):
    given = args.old_monet if painter == "monet" else args.old_sisley
    return load_style_model(given) if given else resolve_style(PAINTERS[painter][0])[0]


CROP = 200  # px of a 100 % crop


def crop_sheet(args: argparse.Namespace, photos: list[np.ndarray], out: Path) -> None:
    """Rows of 100 % crops from the middle of three photos: photo | old | new, for each painter with a new model."""
    rows = []
    for painter, new in (("monet", args.new_monet), ("sisley", args.new_sisley)):
        if new is None:
            continue
        models = [old_style(args, painter), load_style_model(new)]
        for p in photos[:3]:
            y, x = (p.shape[0] - CROP) // 2, (p.shape[1] - CROP) // 2
            cells = [p] + [paint(m.nets["AB"], p, DEFAULT_STROKE, device=m.device)[0] for m in models]
            rows.append(np.concatenate([np.pad(c[y:y + CROP, x:x + CROP], ((2, 2), (2, 2), (0, 0)),
                                               constant_values=255) for c in cells], axis=1))
    Image.fromarray(np.concatenate(rows, axis=0)).save(out)
    print(f"100 % crops (photo | old | new, three photos per painter with a new model): {out}")


def style_table(args: argparse.Namespace, photos: list[np.ndarray]) -> None:
    feature_net = load_feature_net()
    acc, per_class = classifier_accuracy(feature_net)
    per = ", ".join(f"{k} {v:.1%}" for k, v in per_class.items())
    print(f"\npainting classifier (features-art64) on the images it never saw: {acc:.1%} ({per})")
    print(f"held-out photos: {len(photos)} (last {args.photos} of bsds500-test, first {args.photos} of testB), "
          f"default stroke {DEFAULT_STROKE}")
    print("| style | model | grid median | grid max | called the painter's | structure (edge SSIM) | cycle error |")
    print("|---|---|---|---|---|---|---|")
    for painter, new in (("monet", args.new_monet), ("sisley", args.new_sisley)):
        real = PAINTERS[painter][1]
        for label, model in (("old", old_style(args, painter)), ("new", load_style_model(new) if new else None)):
            if model is None:
                continue
            q = quality(model, painter, photos, feature_net)
            print(f"| photo → {painter} | {label} ({Path(model.path).name}) | {q['grid_median']:.2f} | "
                  f"{q['grid_max']:.2f} | {q['called']:.0%} | {q['structure']:.3f} | {q['cycle']:.1f} |")
        paintings = [rgb(p) for p in sorted(real.glob("*.jpg"))]
        print(f"| {painter}: real test paintings ({len(paintings)}) | — | — | — | "
              f"{called(feature_net, paintings, painter):.0%} | — | — |")
        print(f"| {painter}: the photos unstyled | — | — | — | {called(feature_net, photos, painter):.0%} | — | — |")


def test_photo(width: int, height: int) -> np.ndarray:
    """A held-out photo enlarged to the size asked for (a real photo's colours and edges)."""
    photo = Image.open(SHARED / "photos" / "bsds500-test" / "100007.jpg").convert("RGB")
    return np.asarray(photo.resize((width, height), Image.Resampling.BICUBIC))


def reference_generator() -> torch.nn.Module:
    cfg = ModelConfig(arch="cyclegan", channels=3, base_ch=64, res_blocks=9, upsample="transposed")
    return build_cyclegan_generator(cfg).eval()


def generators(args: argparse.Namespace) -> dict[str, torch.nn.Module]:
    nets = {"old photo2monet": resolve_style("photo2monet")[0].nets["AB"]}
    new = load_style_model(args.new_monet)
    m = new.meta["model"]
    nets[f"new ({m['base_ch']} ch, {m['res_blocks']} blocks, {m.get('upsample', 'transposed')})"] = new.nets["AB"]
    if (m["base_ch"], m["res_blocks"]) != (32, 9):
        cfg = ModelConfig(arch="cyclegan", channels=3, base_ch=32, res_blocks=9, upsample="resize")
        nets["balanced size (32 ch, 9 blocks, resize; random weights)"] = build_cyclegan_generator(cfg).eval()
    nets["reference (64 ch, 9 blocks, transposed; random weights)"] = reference_generator()
    return nets


def speed_table(args: argparse.Namespace) -> None:
    img = test_photo(1024, 1024)
    print(f"\n1024×1024 photo, default stroke {DEFAULT_STROKE} (= its own size), tile 512, overlap 64:")
    print("| generator | seconds |")
    print("|---|---|")
    for name, net in generators(args).items():
        paint(net, img[:256, :256], "full")  # warm-up
        t0 = time.perf_counter()
        paint(net, img, DEFAULT_STROKE)
        print(f"| {name} | {time.perf_counter() - t0:.1f} |")
    print("\n4000×3000 photo, each in a fresh process (peak RSS: the whole process; before: Python, torch, the "
          "model and the photo, before painting):")
    print("| generator | stroke | seconds | peak RSS MB | before MB |")
    print("|---|---|---|---|---|")
    runs = [("old", "1024"), ("new", "1024"), ("new", "512")] + ([("new", "full")] if args.full_12mp else [])
    for which, stroke in runs:
        cmd = [sys.executable, __file__, "--child-12mp", which, stroke, "--threads", str(args.threads),
               "--new-monet", str(args.new_monet)]
        r = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1])
        print(f"| {which} | {stroke} | {r['seconds']:.1f} | {r['peak_mb']:.0f} | {r['before_mb']:.0f} |")


def peak_rss_mb() -> float:
    """This process's peak resident memory: VmHWM (ru_maxrss would carry the parent's peak over the exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_12mp(args: argparse.Namespace) -> None:
    which, stroke = args.child_12mp
    model = resolve_style("photo2monet")[0] if which == "old" else load_style_model(args.new_monet)
    img = test_photo(4000, 3000)
    before = peak_rss_mb()  # Python, torch, the model and the photo
    t0 = time.perf_counter()
    paint(model.nets["AB"], img, stroke)
    seconds = time.perf_counter() - t0
    peak = peak_rss_mb()
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "before_mb": before}))


def pan(n: int, side: int = 512, step: int = 8) -> list[np.ndarray]:
    scene = test_photo(side + step * (n - 1), side)
    return [np.ascontiguousarray(scene[:, step * i:step * i + side]) for i in range(n)]


def flicker_table(args: argparse.Namespace) -> None:
    frames = pan(args.frames)
    print(f"\nflicker on a {args.frames}-frame 512 px pan (8 px a frame; 1 = the source's own frame-to-frame change):")
    print("| model | one set of statistics (animation) | each frame its own |")
    print("|---|---|---|")
    for label, model in (("old photo2monet", resolve_style("photo2monet")[0]),
                         ("new", load_style_model(args.new_monet))):
        net = model.nets["AB"]
        fixed, _ = stylize_clip(net, Clip(frames, 24), DEFAULT_STROKE)
        own = [paint(net, f, DEFAULT_STROKE)[0] for f in frames]
        print(f"| {label} | {flicker_ratio(fixed, frames):.3f} | {flicker_ratio(own, frames):.3f} |")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--new-monet", type=Path, required=True, help="new photo → Monet model (file or run folder)")
    p.add_argument("--new-sisley", type=Path, help="new photo → Sisley model (file or run folder)")
    p.add_argument("--old-monet", type=Path, help="old photo → Monet file (default: the bundled one)")
    p.add_argument("--old-sisley", type=Path, help="old photo → Sisley file (default: the bundled one)")
    p.add_argument("--crops", type=Path, help="also write 100 %% crops, photo | old | new, to this PNG")
    p.add_argument("--photos", type=int, default=20, help="held-out photos from each of the two photo sets")
    p.add_argument("--frames", type=int, default=100, help="frames of the flicker pan")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--full-12mp", action="store_true", help="also paint the 12 MP photo at full size (slow)")
    p.add_argument("--only", action="append", choices=["style", "speed", "flicker"],
                   help="run only these parts (repeatable; default: all three, in one run)")
    p.add_argument("--child-12mp", nargs=2, help=argparse.SUPPRESS)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    if args.child_12mp:
        child_12mp(args)
        return 0
    print(f"machine: {machine()}, {args.threads} thread(s), load average {os.getloadavg()[0]:.1f}")
    parts = args.only or ["style", "speed", "flicker"]
    if "style" in parts:
        photos = held_out_photos(args.photos)
        style_table(args, photos)
        if args.crops:
            crop_sheet(args, photos, args.crops)
    if "speed" in parts:
        speed_table(args)
    if "flicker" in parts:
        flicker_table(args)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
