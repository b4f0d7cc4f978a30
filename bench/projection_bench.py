"""Photo projection: time, reconstruction quality against two baselines, and editability.

    .venv/bin/python bench/projection_bench.py timing
    .venv/bin/python bench/projection_bench.py quality --set monet --count 8 [--start 0] [--json F]
    .venv/bin/python bench/projection_bench.py quality --set photos --count 8 [--json F]
    .venv/bin/python bench/projection_bench.py report --json F          (the table of what quality wrote)

1. timing: one default projection (W, then W+) of a BSDS500 photo into the bundled monet-stylegan
   (64 px), and one into a 128 px StyleGAN of the same widths with random weights (timing only: what
   it draws means nothing). Wall time and this process's CPU time (the CPU is shared; CPU time is what
   an idle machine's one thread would take), with the load average before and after.
2. quality: held-out Monet paintings (monet2photo/testA; the model was trained on trainA) and
   photos (photos/bsds500-test), each cropped to its centre square and projected in W and in W+
   with the default settings. PSNR and SSIM (7-px Gaussian window) against two baselines: the best
   of 1,000 random samples (the lowest squared error to the target) and the mean image (w_avg's).
   Editability: the W projection with another seed's fine layers (colour, texture) — the mean
   colour distance to the projection (how much the colours changed) and the SSIM of its edge map
   (Sobel magnitude) to the target's, beside the projection's own edge SSIM and a random sample's.
   --out writes each target's strips (target | W | W+ | mixed) for looking at.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch
from common import SHARED, machine
from PIL import Image

from ganstudio.core.config import ModelConfig
from ganstudio.modelfiles.generator import Generator, generator_meta, load_generator, save_generator_file
from ganstudio.models.stylegan import StyleGANGenerator
from ganstudio.projection.events import Finished, Projection
from ganstudio.projection.optimise import project
from ganstudio.projection.photo import load_photo
from ganstudio.projection.settings import ProjectionSettings
from ganstudio.projection.views import psnr, ssim_of
from ganstudio.walk.stylemix import Mix, mix_picture
from ganstudio.walk.styles import Styles

SETS = {"monet": SHARED / "monet2photo" / "testA", "photos": SHARED / "photos" / "bsds500-test"}
RANDOM_SAMPLES = 1000
MIX_SEED = 33  # the seed whose fine layers the editability check takes


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def timed_projection(g: Generator, path: Path, settings: ProjectionSettings) -> tuple[Projection, float, float]:
    """(result, wall seconds, CPU seconds) of one projection."""
    photo = load_photo(path, g.config.img_size)
    w0, c0 = time.perf_counter(), time.process_time()
    result = next(e.result for e in project(g, photo, settings) if isinstance(e, Finished))
    return result, time.perf_counter() - w0, time.process_time() - c0


def random_128(folder: Path) -> Generator:
    torch.manual_seed(0)
    m = ModelConfig(arch="stylegan", z_dim=256, img_size=128, channels=3, base_ch=32, max_ch=256, mapping_layers=2)
    net = StyleGANGenerator(m)
    path = save_generator_file(folder / "sg128.pt", net.state_dict(), generator_meta(m, steps=0))
    return load_generator(path)


def run_timing(args: argparse.Namespace) -> None:
    photo = sorted(SETS["photos"].glob("*.jpg"))[0]
    print(f"{machine()}; torch threads {torch.get_num_threads()}; load before {load()}")
    with tempfile.TemporaryDirectory() as tmp:
        models = (("monet-stylegan 64 px", load_generator("monet-stylegan")), ("random 128 px", random_128(Path(tmp))))
        for name, g in models:
            for space in ("w", "w+"):
                s = ProjectionSettings(space=space)
                result, wall, cpu = timed_projection(g, photo, s)
                print(f"{name}, {space}: {result.steps} steps, wall {wall:.1f} s, CPU {cpu:.1f} s, "
                      f"PSNR {psnr(result.target, result.image):.2f} dB; load {load()}", flush=True)


def edges(rgb: np.ndarray) -> np.ndarray:
    """Sobel gradient magnitude of the luminance, scaled to 0–255, as an RGB picture (for SSIM)."""
    grey = rgb.astype(np.float64) @ np.array([0.299, 0.587, 0.114])
    p = np.pad(grey, 1, mode="edge")
    gx = (p[:-2, 2:] + 2 * p[1:-1, 2:] + p[2:, 2:]) - (p[:-2, :-2] + 2 * p[1:-1, :-2] + p[2:, :-2])
    gy = (p[2:, :-2] + 2 * p[2:, 1:-1] + p[2:, 2:]) - (p[:-2, :-2] + 2 * p[:-2, 1:-1] + p[:-2, 2:])
    mag = np.hypot(gx, gy)
    mag = np.clip(mag / max(mag.max(), 1e-9) * 255, 0, 255).astype(np.uint8)
    return np.repeat(mag[..., None], 3, axis=2)


def baselines(g: Generator) -> tuple[np.ndarray, np.ndarray]:
    """(1,000 random samples, the mean image)."""
    samples = g.generate(g.latents(list(range(10_000, 10_000 + RANDOM_SAMPLES))))
    mean = g.synthesize(g.ws_of(g.w_avg()))[0]
    return samples, mean


def measure_one(g: Generator, path: Path, samples: np.ndarray, mean: np.ndarray, settings: ProjectionSettings,
                out: Path | None) -> dict:
    row: dict = {"file": path.name}
    results = {}
    for space in ("w", "w+"):
        r, wall, cpu = timed_projection(g, path, replace(settings, space=space))
        results[space] = r
        row[space] = {"psnr": psnr(r.target, r.image), "ssim": ssim_of(r.target, r.image), "wall": wall, "cpu": cpu}
    target = results["w"].target
    errors = ((samples.astype(np.float32) - target.astype(np.float32)) ** 2).mean((1, 2, 3))
    best = samples[int(errors.argmin())]
    row["best_of_1000"] = {"psnr": psnr(target, best), "ssim": ssim_of(target, best)}
    row["mean_image"] = {"psnr": psnr(target, mean), "ssim": ssim_of(target, mean)}
    w = results["w"]
    assert w.ws is not None
    mixed = mix_picture(g, Mix(base=0, fine=MIX_SEED), photo=Styles(w.ws, w.noise))
    colour = float(np.linalg.norm(mixed.reshape(-1, 3).mean(0) - w.image.reshape(-1, 3).mean(0)))
    row["edit"] = {"colour_distance": colour, "pixel_change": float(np.abs(mixed.astype(int) - w.image).mean()),
                   "edge_ssim_projection": ssim_of(edges(target), edges(w.image)),
                   "edge_ssim_mixed": ssim_of(edges(target), edges(mixed)),
                   "edge_ssim_random": ssim_of(edges(target), edges(samples[0]))}
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        strip = np.concatenate([target, w.image, results["w+"].image, mixed], axis=1)
        Image.fromarray(strip).resize((strip.shape[1] * 4, strip.shape[0] * 4), Image.Resampling.NEAREST).save(
            out / f"{path.stem}.png")
    return row


def run_quality(args: argparse.Namespace) -> None:
    g = load_generator("monet-stylegan")
    settings = ProjectionSettings(**json.loads(args.settings)) if args.settings else ProjectionSettings()
    files = sorted(p for p in SETS[args.set].iterdir() if p.suffix.lower() in (".jpg", ".png"))
    files = files[args.start:args.start + args.count]
    print(f"{machine()}; torch threads {torch.get_num_threads()}; load before {load()}; settings {settings}")
    samples, mean = baselines(g)
    rows = []
    for path in files:
        row = measure_one(g, path, samples, mean, settings, Path(args.out) / args.set if args.out else None)
        row["set"] = args.set
        rows.append(row)
        print(json.dumps(row), flush=True)
        if args.json:
            with open(args.json, "a") as fh:
                fh.write(json.dumps(row) + "\n")
    print(f"load after {load()}")


def run_report(args: argparse.Namespace) -> None:
    rows = [json.loads(line) for line in Path(args.json).read_text().splitlines() if line.strip()]
    for name in SETS:
        part = [r for r in rows if r["set"] == name]
        if not part:
            continue
        print(f"\n{name}: {len(part)} images (median, then range)")
        print("| | PSNR dB | SSIM |\n|---|---|---|")
        for key, label in (("w", "W projection"), ("w+", "W+ projection"), ("best_of_1000", "best of 1,000 samples"),
                           ("mean_image", "mean image (w_avg)")):
            p = np.array([r[key]["psnr"] for r in part])
            s = np.array([r[key]["ssim"] for r in part])
            print(f"| {label} | {np.median(p):.2f} ({p.min():.2f}–{p.max():.2f}) | "
                  f"{np.median(s):.3f} ({s.min():.3f}–{s.max():.3f}) |")
        cpu = np.array([r["w"]["cpu"] for r in part] + [r["w+"]["cpu"] for r in part])
        wall = np.array([r["w"]["wall"] for r in part] + [r["w+"]["wall"] for r in part])
        print(f"projection time: CPU median {np.median(cpu):.1f} s, wall median {np.median(wall):.1f} s")
        e = {k: np.array([r["edit"][k] for r in part]) for k in part[0]["edit"]}
        print("editability (medians): " + ", ".join(f"{k} {np.median(v):.3f}" for k, v in e.items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("part", choices=["timing", "quality", "report"])
    parser.add_argument("--set", choices=list(SETS), default="monet")
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--count", type=int, default=8)
    parser.add_argument("--json", help="quality: append one line per image; report: read them")
    parser.add_argument("--out", help="quality: write each target's strips here")
    parser.add_argument("--settings", help='quality: ProjectionSettings overrides as JSON, e.g. {"steps": 100}')
    parser.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.part != "report" and not SHARED.is_dir():
        print(f"the shared datasets are not at {SHARED}", file=sys.stderr)
        return 2
    {"timing": run_timing, "quality": run_quality, "report": run_report}[args.part](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
