"""Package a StyleGAN run into pretrained/: its generator file (G_ema and D in fp16), measured figures,
a manifest entry and the sample and mixing grids for docs/.

    python tools/package_stylegan.py RUN [--id monet-stylegan] [--real FOLDER] [--trained-on TEXT]

RUN is a run folder of `ganstudio train --model stylegan` (see docs/models.md for the command); its
generator.pt is written when the run finishes or is stopped. The figures are `ganstudio eval`'s
SWD and KID against `--real` (default: monet2photo/testA, paintings the model never saw), each
beside the same figure for as many training paintings (the floor).
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

import torch
from common import SHARED  # the shared datasets folder beside the checkout

from ganstudio.core.render import image_grid
from ganstudio.export.png import save_png
from ganstudio.metrics.folder_eval import evaluate_generator, format_folder_report
from ganstudio.modelfiles.generator import load_generator
from ganstudio.modelfiles.manifest import read_manifest, upsert_manifest_entry
from ganstudio.modelfiles.transfer import manifest_entry
from ganstudio.walk.stylemix import mixing_grid

ROOT = Path(__file__).resolve().parents[1]
PRETRAINED = ROOT / "pretrained"
LICENCE = ("Weights trained by GAN Studio's developers on the Monet paintings of the CycleGAN monet2photo set "
           "(Zhu et al. 2017, research use; Monet's paintings are public domain).")


def train_time(run: Path) -> int:
    """Seconds of training from the logged throughput (wall time on a shared CPU)."""
    cfg = json.loads((run / "config.json").read_text())
    stats = [json.loads(line) for line in (run / "stats.jsonl").read_text().splitlines()]
    return round(sum(cfg["log_every"] * cfg["batch"] / s["img_per_s"] for s in stats if s.get("img_per_s")))


def history(run: Path, ident: str) -> dict:
    """Steps, images and seconds of training in all: a run started with `--init ID` from the bundled file it
    replaces continues that file's training, so the bundled entry's figures are added (read before replacing)."""
    cfg = json.loads((run / "config.json").read_text())
    steps = int(json.loads((run / "stats.jsonl").read_text().splitlines()[-1])["step"])
    own = {"steps": steps, "images_seen": steps * int(cfg["batch"]), "train_time_s": train_time(run)}
    if cfg.get("init") != ident:
        return own
    earlier = next(e for e in read_manifest(PRETRAINED) if e["id"] == ident)
    total = {k: v + int(earlier[k]) for k, v in own.items()}
    total["continued"] = f"{earlier['steps']} steps, then fine-tuned from that file for {own['steps']} more"
    return total


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("run", type=Path)
    p.add_argument("--id", default="monet-stylegan")
    p.add_argument("--title", default="Monet (StyleGAN)")
    p.add_argument("--real", type=Path, default=SHARED / "monet2photo" / "testA")
    p.add_argument("-n", type=int, default=500, help="samples for the figures (and as many floor paintings)")
    p.add_argument("--trained-on", default="2-core CPU shared with other jobs, no GPU; fp32")
    args = p.parse_args()
    torch.set_num_threads(2)
    target = PRETRAINED / f"{args.id}.pt"
    trained = history(args.run, args.id)
    shutil.copyfile(args.run / "generator.pt", target)
    g = load_generator(args.run / "generator.pt")  # the copy is checked once its manifest entry is written
    report = evaluate_generator(g, args.real, None, n=args.n, seed=0)
    print(format_folder_report(report), flush=True)
    m, f = report.model, report.floor
    quality = {"eval_samples": report.n, "real": str(Path(report.real).name), "swd": round(m.swd["mean"], 2),
               "swd_floor": round(f.swd["mean"], 2), "kid": round(m.kid, 5), "kid_floor": round(f.kid, 5),
               "feature_space": report.feature_net}
    mc = g.config
    arch = (f"StyleGAN2-style, {mc.img_size} px, widths {mc.base_ch}–{mc.max_ch}, z = w {mc.z_dim}, "
            f"{mc.mapping_layers} mapping layers, R1, style mixing, ADA, mirrored; fp16 weights of G_ema and D")
    entry = manifest_entry(target, args.id, args.title, architecture=arch,
                           dataset="1,072 Monet paintings (monet2photo trainA)",
                           description="StyleGAN: walk, mix layout and colours, or fine-tune on your own folder",
                           batch=json.loads((args.run / "config.json").read_text())["batch"],
                           **trained, trained_on=args.trained_on, quality=quality, measured=time.strftime("%Y-%m-%d"),
                           licence=LICENCE)
    upsert_manifest_entry(entry, PRETRAINED)
    save_png(image_grid(g.generate(g.latents(list(range(32))), psi=0.7), 8), ROOT / "docs" / f"zoo_{args.id}.png")
    save_png(mixing_grid(g, [1, 2, 3, 4], [10, 11, 12, 13, 14], "coarse", psi=0.7),
             ROOT / "docs" / f"mixing_{args.id}.png")
    print(f"packaged {target} ({target.stat().st_size / 1e6:.1f} MB), {entry['steps']} steps, "
          f"{entry['images_seen']} images seen")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
