"""Package trained runs into pretrained/: generator files, measured figures, manifest entries, sample grids.

    python tools/package_zoo.py RUNS_DIR [ID ...] [--trained-on TEXT]
    python tools/package_zoo.py --remeasure [ID ...]

RUNS_DIR/<id>/ are run folders made by `ganstudio train` (see docs/models.md for the commands).
For each model: copy its generator.pt (fp16 already) to pretrained/<id>.pt, measure it with
`ganstudio eval`'s code (image models: classifier accuracy per class, Fréchet / KID /
precision / recall vs the real test set and the real-train floor; 2D models: mode coverage),
add or replace its manifest entry (other entries, e.g. the CycleGAN styles, are kept) and
draw docs/zoo_<id>.png. Prints the eval report per model for docs/models.md.

`--remeasure` measures the bundled files again and replaces only their figures (and grids): for
when the classifiers, and so the feature space of the figures, change.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

import torch
from common import SHARED  # the shared datasets folder beside the checkout

from ganstudio.core.render import image_grid, scatter
from ganstudio.export.png import save_png
from ganstudio.metrics.evaluate import evaluate, format_report
from ganstudio.modelfiles.generator import load_generator
from ganstudio.modelfiles.manifest import read_manifest, upsert_manifest_entry
from ganstudio.modelfiles.transfer import manifest_entry

ROOT = Path(__file__).resolve().parents[1]
DATA = SHARED
PRETRAINED = ROOT / "pretrained"
LICENCE = {
    "fashion-mnist": "Weights trained by GAN Studio's developers on Fashion-MNIST (Zalando Research, MIT licence).",
    "mnist": "Weights trained by GAN Studio's developers on MNIST (LeCun, Cortes & Burges; CC BY-SA 3.0).",
    "toy": "Weights trained by GAN Studio's developers on a synthetic 2D mixture (no external data).",
}
# id → (title, description for the manifest)
MODELS = {
    "fashion-cdcgan": ("Fashion-MNIST by class", "conditional DCGAN: pick one of 10 clothing classes"),
    "mnist-cdcgan": ("MNIST digits by class", "conditional DCGAN: pick a digit 0–9"),
    "mnist-dcgan": ("MNIST digits", "unconditional DCGAN: digits from noise"),
    "ring8-mlp": ("Ring of 8 Gaussians (2D)", "MLP GAN on 2D points, for the learning view"),
}


def train_time(run: Path) -> int:
    """Seconds of training from the logged throughput (the CPU was shared, so this is wall time)."""
    cfg = json.loads((run / "config.json").read_text())
    stats = [json.loads(line) for line in (run / "stats.jsonl").read_text().splitlines()]
    return round(sum(cfg["log_every"] * cfg["batch"] / s["img_per_s"] for s in stats if s.get("img_per_s")))


def measure(path: Path, ident: str) -> tuple[dict, str]:
    """Figures for the manifest, and the printed report."""
    g = load_generator(path)
    if not g.is_image_model:
        from ganstudio.data.coverage import N_EVAL, mode_coverage
        from ganstudio.data.toy import toy_source

        src = toy_source(g.meta["data"]["name"], g.device)
        z = torch.randn(N_EVAL, g.z_dim, generator=torch.Generator().manual_seed(0))
        points = g.generate(z)
        cov = mode_coverage(points, src.modes)
        save_png(scatter(points[:2000], 256), ROOT / "docs" / f"zoo_{ident}.png")
        return {"modes": cov["modes"], "modes_total": cov["modes_total"], "hq_share": round(cov["hq_share"], 4)}, \
            f"modes {cov['modes']:.0f}/{cov['modes_total']:.0f}, high-quality {cov['hq_share']:.1%}"
    dataset = g.meta["data"]["kind"]
    report = evaluate(g, dataset, str(DATA), n=10000, seed=0)
    m, f = report.model, report.floor
    quality = {"eval_samples": report.n, "frechet": round(m.frechet, 3), "frechet_floor": round(f.frechet, 3),
               "frechet_ratio": round(m.frechet / f.frechet, 2), "kid": round(m.kid, 5), "kid_floor": round(f.kid, 5),
               "precision": round(m.precision, 4), "recall": round(m.recall, 4),
               "precision_floor": round(f.precision, 4), "recall_floor": round(f.recall, 4),
               "feature_space": f"bundled {dataset} classifier (128-d)"}
    if report.class_accuracy:
        quality["class_accuracy"] = round(report.mean_class_accuracy, 4)
        quality["class_accuracy_per_class"] = {k: round(v, 4) for k, v in report.class_accuracy.items()}
    per_row = 10
    if g.num_classes:
        seeds = list(range(per_row))
        z = g.latents(seeds).repeat(g.num_classes, 1)
        labels = torch.arange(g.num_classes).repeat_interleave(per_row)
        grid = image_grid(g.generate(z, labels), per_row)
    else:
        grid = image_grid(g.generate(g.latents(list(range(100)))), per_row)
    save_png(grid, ROOT / "docs" / f"zoo_{ident}.png")
    return quality, format_report(report)


def remeasure(ids: list[str]) -> int:
    """New figures for bundled models; file facts, training record and licence stay as they are."""
    entries = {m["id"]: m for m in read_manifest(PRETRAINED)}
    for ident in ids:
        entry = entries[ident]
        quality, text = measure(PRETRAINED / entry["file"], ident)
        upsert_manifest_entry({**entry, "quality": quality, "measured": time.strftime("%Y-%m-%d")}, PRETRAINED)
        print(f"== {ident}: remeasured\n{text}\n", flush=True)
    return 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("runs", type=Path, nargs="?", help="folder holding one run folder per model id")
    p.add_argument("ids", nargs="*", metavar="ID", help=f"models to package (default: all of {', '.join(MODELS)})")
    p.add_argument("--remeasure", nargs="*", metavar="ID", help="measure these bundled files again (default: all)")
    p.add_argument("--trained-on", default="2-core CPU shared with other jobs, no GPU",
                   help="the machine and precision the runs were trained on, for the manifest")
    args = p.parse_args()
    if args.remeasure is None and args.runs is None:
        p.error("give the folder of runs to package, or --remeasure")
    ids = (args.remeasure if args.remeasure is not None else args.ids) or list(MODELS)
    unknown = sorted(set(ids) - set(MODELS))
    if unknown:
        p.error(f"unknown model id {', '.join(unknown)}; known: {', '.join(MODELS)}")
    torch.set_num_threads(1)
    if args.remeasure is not None:
        return remeasure(ids)
    for ident in ids:
        run = args.runs / ident
        title, description = MODELS[ident]
        target = PRETRAINED / f"{ident}.pt"
        shutil.copyfile(run / "generator.pt", target)
        quality, text = measure(target, ident)
        cfg = json.loads((run / "config.json").read_text())
        m = cfg["model"]
        arch = {"cdcgan": "conditional DCGAN", "dcgan": "DCGAN", "mlp": "MLP GAN"}[m["arch"]]
        if m["arch"] == "mlp":
            shape = f"{m['hidden']} units × {m['layers']} layers, z {m['z_dim']}"
        else:
            parts = [f"{m['base_ch']} base channels", f"z {m['z_dim']}", f"{cfg['loss']} loss",
                     f"{m['cond_d']} D" if m["arch"] == "cdcgan" else "",
                     "spectral norm in D" if m.get("spectral_norm") else "",
                     "minibatch std in D" if m.get("minibatch_std") else "", "EMA" if cfg["ema"] else ""]
            shape = ", ".join(p for p in parts if p)
        kind = cfg["data"]["kind"]
        entry = manifest_entry(
            target, ident, title, description=description, architecture=f"{arch} ({shape}; fp16 weights)",
            batch=cfg["batch"], train_time_s=train_time(run), trained_on=args.trained_on,
            quality=quality, licence=LICENCE["toy" if kind == "toy" else kind], sample_grid=f"docs/zoo_{ident}.png",
            packaged=time.strftime("%Y-%m-%d"))
        if kind == "toy":
            entry["dataset"] = cfg["data"]["name"]
        upsert_manifest_entry(entry, PRETRAINED)
        print(f"== {ident}: {target.stat().st_size / 1e6:.2f} MB, {entry['steps']} steps, "
              f"{entry['train_time_s']} s\n{text}\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
