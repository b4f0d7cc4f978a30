"""GAN Studio's StyleGAN beside lightweight-gan (lucidrains' FastGAN) on one folder, for one wall-clock budget.

Both train on the same folder at the same resolution and batch on this machine's CPU for the
same wall-clock budget; both then draw N samples into a folder of PNGs and a sample sheet, and
both folders are measured by the same `ganstudio eval` code (SWD and KID against `--real`,
beside the real-vs-real floor of the training folder). Prints training images per second, SWD,
KID and the ratios ours / peer, and writes OUT/results.json.

    python bench/stylegan_vs_lightweight_gan.py --budget 600 --size 64 --batch 16
    python bench/stylegan_vs_lightweight_gan.py --budget 60 --only peer        # a smoke run

The peer lives in its own virtual environment, outside the project (it pulls its own torch):

    python3 -m venv /work/peer-venv
    /work/peer-venv/bin/pip install lightweight-gan

(`--peer-python` or GANSTUDIO_PEER_PYTHON point elsewhere.) lightweight-gan asserts CUDA at
import and moves its networks and batches with `.cuda(rank)` and `torch.device('cuda:N')`; in
the peer's process only, this script lets the import-time check pass, makes `Tensor.cuda` and
`Module.cuda` return the object unchanged (it is on the CPU already) and gives its module a
`torch.device` that maps 'cuda…' to the CPU. Nothing else of the peer is changed: its defaults
from `lightweight_gan --data …` (latent 256, fmap_max 512, attention at 32 px, cutout and
translation augmentation, hinge loss, its sample grids every 100 steps) except the batch, with
gradient accumulation 1 so both sides see `--batch` images per step. Its own options
`--peer-fmap-max` and `--peer-attn` size it down: at its defaults (23.6 M parameters in G) one
forward pass of G on 16 images at 64 px takes about 8 s on the shared 2-core CPU and its first
step (which also draws its sample grids) several minutes. Its EMA generator starts
averaging only after 20,000 steps, so at these budgets its plain G is sampled.

GAN Studio's side runs `python -m ganstudio train --model stylegan …` and is stopped with
Ctrl-C (SIGINT: a clean stop that writes the generator) when the budget is spent; until the
`stylegan` family exists the script runs the peer alone and says so. Not part of `make bench`:
it needs the peer's environment and its budgets are long.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared" / "datasets"
PEER_PYTHON = os.environ.get("GANSTUDIO_PEER_PYTHON", "/work/peer-venv/bin/python")


# -- the peer's process (runs under the peer's python; imports nothing of GAN Studio) ----------

def _import_peer_on_cpu():
    """lightweight_gan's Trainer with its CUDA calls redirected to the CPU device (see the module docstring)."""
    import types

    import torch

    available = torch.cuda.is_available
    torch.cuda.is_available = lambda: True  # only for the import-time assert
    try:
        import lightweight_gan.lightweight_gan as lg
    finally:
        torch.cuda.is_available = available
    torch.Tensor.cuda = lambda self, *args, **kwargs: self  # type: ignore[method-assign]
    torch.nn.Module.cuda = lambda self, *args, **kwargs: self  # type: ignore[method-assign]

    real_device = torch.device

    def cpu_device(*args, **kwargs):
        if args and isinstance(args[0], str) and args[0].startswith("cuda"):
            return real_device("cpu")
        return real_device(*args, **kwargs)

    shim = types.ModuleType("torch_on_cpu")
    shim.__getattr__ = lambda name: getattr(torch, name)  # type: ignore[attr-defined]
    shim.device = cpu_device  # type: ignore[attr-defined]
    lg.torch = shim  # the peer module's `torch.device(...)` calls only
    return lg.Trainer


def peer_worker(cfg: dict) -> None:
    """Train lightweight-gan for cfg['budget'] seconds, then write N samples and a sheet; print a JSON line."""
    import torch
    from PIL import Image
    from torchvision.utils import save_image

    trainer_cls = _import_peer_on_cpu()
    out = Path(cfg["out"])
    torch.manual_seed(cfg["seed"])
    model = trainer_cls(name="peer", base_dir=str(out), results_dir="results", models_dir="models",
                        image_size=cfg["size"], batch_size=cfg["batch"], gradient_accumulate_every=1,
                        fmap_max=cfg["fmap_max"], attn_res_layers=cfg["attn"], disc_output_size=1,
                        aug_types=["cutout", "translation"],
                        num_image_tiles=8, use_aim=False)
    model.clear()
    model.set_data_src(cfg["data"])
    start = time.perf_counter()
    while time.perf_counter() - start < cfg["budget"]:
        model.train()
    seconds = time.perf_counter() - start
    model.GAN.eval()
    samples = out / "samples"
    samples.mkdir(parents=True, exist_ok=True)
    gen = torch.Generator().manual_seed(cfg["seed"])
    with torch.no_grad():
        latents = torch.randn(cfg["n"], model.GAN.latent_dim, generator=gen)
        images = model.generate_(model.GAN.G, latents)  # (N, 3, S, S) in [0, 1]
    save_image(images[:64], out / "sheet.png", nrow=8)
    for i, img in enumerate(images.mul(255).add(0.5).clamp(0, 255).to(torch.uint8).permute(0, 2, 3, 1).numpy()):
        Image.fromarray(img).save(samples / f"{i:05d}.png")
    print(json.dumps({"steps": model.steps, "train_s": seconds, "images_per_s": model.steps * cfg["batch"] / seconds,
                      "torch": torch.__version__}), flush=True)


# -- GAN Studio's side and the comparison (runs in the project's environment) -------------------

def run_peer(args: argparse.Namespace, out: Path) -> dict:
    cfg = {"data": str(args.data), "size": args.size, "batch": args.batch, "budget": args.budget, "n": args.n,
           "seed": args.seed, "out": str(out), "fmap_max": args.peer_fmap_max,
           "attn": [int(r) for r in args.peer_attn.split(",") if r.strip()]}
    proc = subprocess.run([args.peer_python, __file__, "_peer", json.dumps(cfg)], capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"lightweight-gan failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def stylegan_available() -> bool:
    from ganstudio.core.config import ARCHS

    return "stylegan" in ARCHS


def run_ours(args: argparse.Namespace, out: Path) -> dict:
    """`ganstudio train --model stylegan` stopped by SIGINT at the budget; N samples and a sheet from its generator."""
    from PIL import Image

    from ganstudio.core.render import image_grid
    from ganstudio.metrics.evaluate import generated_images
    from ganstudio.modelfiles.generator import load_generator

    run = out / "run"
    cmd = [sys.executable, "-m", "ganstudio", "train", "--model", "stylegan", "--data", str(args.data),
           "--img-size", str(args.size), "--channels", "3", "--batch", str(args.batch), "--steps", "10000000",
           "--preset", args.preset, "--seed", str(args.seed), "--device", "cpu", "-o", str(run)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        proc.wait(timeout=args.budget)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGINT)  # a clean stop: checkpoint and generator written
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    if not (run / "generator.pt").is_file():
        raise SystemExit(f"ganstudio train wrote no generator (exit {proc.returncode}):\n{err[-3000:]}")
    stats = [json.loads(line) for line in (run / "stats.jsonl").read_text().splitlines() if line.strip()]
    steps = int(stats[-1]["step"]) if stats else 0
    g = load_generator(run)
    images, _ = generated_images(g, args.n, args.seed)
    samples = out / "samples"
    samples.mkdir(parents=True, exist_ok=True)
    for i, img in enumerate(images):
        Image.fromarray(img).save(samples / f"{i:05d}.png")
    Image.fromarray(image_grid(images[:64], 8)).save(out / "sheet.png")
    return {"steps": steps, "train_s": seconds, "images_per_s": steps * args.batch / seconds}


def measure(name: str, folder: Path, args: argparse.Namespace) -> dict:
    from ganstudio.metrics.folder_eval import evaluate_folder, format_folder_report

    report = evaluate_folder(folder, args.real, args.data, args.n, args.seed)
    print(format_folder_report(report).replace(f"{folder.name}/", name, 1), flush=True)
    return report.to_dict()


def summary(results: dict) -> str:
    lines = [f"{'':<24}{'images/s':>10}{'SWD mean':>10}{'KID ×1e3':>10}"]
    for name, r in results.items():
        ev = r["eval"]
        lines.append(f"{name:<24}{r['images_per_s']:>10.1f}{ev['model']['swd']['mean']:>10.2f}"
                     f"{ev['model']['kid'] * 1e3:>10.2f}")
    any_eval = next(iter(results.values()))["eval"]
    lines.append(f"{'floor (real vs real)':<24}{'':>10}{any_eval['floor']['swd']['mean']:>10.2f}"
                 f"{any_eval['floor']['kid'] * 1e3:>10.2f}")
    if {"ganstudio", "lightweight-gan"} <= results.keys():
        ours, peer = results["ganstudio"], results["lightweight-gan"]
        lines.append(f"ours / peer: images/s {ours['images_per_s'] / peer['images_per_s']:.2f}×, SWD "
                     f"{ours['eval']['model']['swd']['mean'] / peer['eval']['model']['swd']['mean']:.2f}×, KID "
                     f"{ours['eval']['model']['kid'] / peer['eval']['model']['kid']:.2f}× (below 1 is better for "
                     "SWD and KID)")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=SHARED / "monet2photo" / "trainA", help="training folder (the floor)")
    ap.add_argument("--real", type=Path, default=SHARED / "monet2photo" / "testA", help="held-out real images")
    ap.add_argument("--budget", type=float, default=600, help="wall-clock seconds of training per side")
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("-n", type=int, default=500, help="samples per side for the figures")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--preset", default="balanced", help="GAN Studio's preset (quick, balanced, quality)")
    ap.add_argument("--only", choices=["peer", "ours", "both"], default="both")
    ap.add_argument("--peer-python", default=PEER_PYTHON)
    ap.add_argument("--peer-fmap-max", type=int, default=512, help="the peer's --fmap-max (its default 512)")
    ap.add_argument("--peer-attn", default="32",
                    help="the peer's --attn-res-layers, comma-separated ('' for none; its default 32)")
    ap.add_argument("--out", type=Path, default=Path("/tmp/ganstudio-vs-lightweight-gan"))
    args = ap.parse_args()
    if args.only != "ours" and not Path(args.peer_python).is_file():
        print(f"error: no peer environment at {args.peer_python} (see this script's docstring)", file=sys.stderr)
        return 2
    from common import machine

    print(f"{machine()}; {args.size} px, batch {args.batch}, {args.budget:.0f} s per side", flush=True)
    results = {}
    if args.only != "ours":
        peer = run_peer(args, args.out / "lightweight-gan")
        results["lightweight-gan"] = {**peer, "eval": measure("lightweight-gan", args.out / "lightweight-gan" /
                                                              "samples", args)}
    if args.only != "peer":
        if stylegan_available():
            ours = run_ours(args, args.out / "ganstudio")
            results["ganstudio"] = {**ours, "eval": measure("ganstudio stylegan", args.out / "ganstudio" /
                                                            "samples", args)}
        else:
            print("GAN Studio's side is missing: this checkout has no `stylegan` model family yet", flush=True)
    if results:
        print(summary(results))
        (args.out / "results.json").write_text(json.dumps(results, indent=2))
        print(f"sample sheets and results.json in {args.out}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "_peer":
        peer_worker(json.loads(sys.argv[2]))
    else:
        sys.exit(main())
