"""CycleGAN in bf16 against fp32: the same seed, preset and data, trained side by side, then measured alike.

    python bench/cyclegan_bf16.py [--steps 600] [--preset quick] [--photos 40] [--limit 400]

Both runs go through the product's `train()` (precision pinned to fp32 and to bf16), in two processes at
once with one thread each, so background load slows both alike. Then, in fp32 inference for both: the
cycle error on held-out photos (monet2photo/testB: photo → painting → photo, mean |error| in 0–255
levels), SWD and KID of the photo → painting outputs against Monet's held-out paintings (testA), the
mean of the last quarter of each logged loss, and the seconds per step.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import SHARED, machine

DATA = SHARED / "monet2photo"
LOSSES = ("loss_g", "loss_d", "cycle_A", "cycle_B", "idt_A", "idt_B")


def child(out: str, precision: str, steps: int, preset_name: str, limit: int) -> None:
    """One training run (in its own process, one thread)."""
    from ganstudio.core.config import preset, train_from_dict
    from ganstudio.train import events as ev
    from ganstudio.train.loop import train

    p = preset("cyclegan", "folder", preset_name)
    data = {"kind": "folder", "path": str(DATA / "trainA"), "path_b": str(DATA / "trainB"), "limit": limit}
    cfg = train_from_dict({**p, "data": data, "steps": steps, "seed": 0, "precision": precision, "out_dir": out,
                           "device": "cpu", "sample_every": 10**9, "ckpt_every": 10**9, "log_every": 10})
    t0 = time.perf_counter()
    last = None
    for e in train(cfg):
        last = e
    if not isinstance(last, ev.Finished):
        raise SystemExit(f"{precision} run failed: {last}")
    print(json.dumps({"seconds": time.perf_counter() - t0, "generator": last.generator}))


def cycle_and_style(generator: str, photos: list[Path]) -> tuple[float, np.ndarray]:
    """Cycle error (0–255) photo → painting → photo, and the paintings, at the photos' own size."""
    from ganstudio.core.images import open_image
    from ganstudio.style.tiles import load_style_model

    model = load_style_model(generator)
    errs, paintings = [], []
    for p in photos:
        img = open_image(p).convert("RGB")
        there = model.apply(img, "BA")  # domain B (photos) → A (Monet)
        back = model.apply(there, "AB")
        errs.append(np.abs(np.asarray(back, np.float32) - np.asarray(img, np.float32)).mean())
        paintings.append(np.asarray(there))
    return float(np.mean(errs)), np.stack(paintings)


def logged(run: Path) -> tuple[dict[str, float], float]:
    """The mean of the last quarter of each logged loss, and the median seconds per step (batch 1)."""
    rows = [json.loads(line) for line in (run / "stats.jsonl").read_text().splitlines()]
    tail = rows[len(rows) * 3 // 4:]
    step_s = 1 / float(np.median([r["img_per_s"] for r in rows[1:]]))
    return {k: float(np.mean([r[k] for r in tail])) for k in LOSSES}, step_s


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=600)
    ap.add_argument("--preset", default="quick")
    ap.add_argument("--photos", type=int, default=40)
    ap.add_argument("--limit", type=int, default=400, help="images per domain loaded for training")
    ap.add_argument("--child", nargs=2, metavar=("OUT", "PRECISION"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.steps, args.preset, args.limit)
        return 0
    env = {**os.environ, "OMP_NUM_THREADS": "1", "GANSTUDIO_TUNING": "off"}
    with tempfile.TemporaryDirectory() as tmp:
        procs = {prec: subprocess.Popen([sys.executable, __file__, "--child", str(Path(tmp) / prec), prec,
                                         "--steps", str(args.steps), "--preset", args.preset,
                                         "--limit", str(args.limit)], stdout=subprocess.PIPE, text=True, env=env)
                 for prec in ("fp32", "bf16")}
        load = os.getloadavg()
        done = {}
        for prec, proc in procs.items():
            out, _ = proc.communicate()
            if proc.returncode:
                raise SystemExit(f"the {prec} run failed")
            done[prec] = json.loads(out.strip().splitlines()[-1])
        os.environ["GANSTUDIO_TUNING"] = "off"  # both measured in fp32 inference
        from ganstudio.metrics.folder_eval import evaluate_images

        photos = sorted((DATA / "testB").glob("*.jpg"))[:args.photos]
        print(f"{machine()}; CycleGAN {args.preset} preset, {args.steps} steps, seed 0, {args.limit} images per "
              f"domain; load average at start {load[0]:.1f}, now {os.getloadavg()[0]:.1f}")
        for prec, r in done.items():
            run = Path(r["generator"]).parent
            cyc, paintings = cycle_and_style(r["generator"], photos)
            rep = evaluate_images(paintings, DATA / "testA", DATA / "trainA", f"{prec} photo→Monet")
            means, step_s = logged(run)
            losses = ", ".join(f"{k} {v:.3f}" for k, v in means.items())
            print(f"{prec}: {step_s:.3f} s/step ({r['seconds']:.0f} s in all); cycle error {cyc:.2f}/255 on "
                  f"{len(photos)} testB photos; SWD mean {rep.model.swd['mean']:.1f} "
                  f"(floor {rep.floor.swd['mean']:.1f}), "
                  f"KID×1e3 {rep.model.kid * 1e3:.1f} (floor {rep.floor.kid * 1e3:.1f}); last-quarter losses: {losses}",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
