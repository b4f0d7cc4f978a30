"""DCGAN 64 px: GAN Studio's training loop against PyTorch's examples/dcgan loop, quiet and beside a
CPU-bound process, in the same run.

    python bench/dcgan_vs_examples.py [--rounds 3] [--steps 40] [--busy 1] [--modes quiet loaded]

The peer is examples/dcgan/main.py as published: nn.Sequential G and D of the same widths (z 100, 64
base channels, 3 channels), its weight init, nn.BCELoss on a Sigmoid, Adam (2e-4, β 0.5), fp32,
`.item()` for its log line every step, torch's default thread count. Its DataLoader reads the same
512 Monet paintings, decoded once into a tensor (its ImageFolder would decode JPEGs every epoch; the
studio loads them once too). GAN Studio runs `train()` as a user gets it: precision auto (measured
on the first round, cached after) and threads chosen from its own step times. Every run is a fresh
process; peer and studio alternate round by round; "loaded" starts `--busy` busy-loop processes
beside both; "one-thread" pins both to one thread (what each does per core, without the thread choice).
Figures: images per second after the first logged window (the peer: after two
warm-up steps), medians over rounds.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"
NZ, NGF, NDF, NC, BATCH = 100, 64, 64, 3, 64


def peer(images_file: str, steps: int) -> dict:
    """examples/dcgan's networks and loop, verbatim in substance."""
    import torch
    from torch import nn, optim
    from torch.utils.data import DataLoader, TensorDataset

    def weights_init(m: nn.Module) -> None:
        name = m.__class__.__name__
        if name.find("Conv") != -1:
            nn.init.normal_(m.weight, 0.0, 0.02)
        elif name.find("BatchNorm") != -1:
            nn.init.normal_(m.weight, 1.0, 0.02)
            nn.init.zeros_(m.bias)

    net_g = nn.Sequential(
        nn.ConvTranspose2d(NZ, NGF * 8, 4, 1, 0, bias=False), nn.BatchNorm2d(NGF * 8), nn.ReLU(True),
        nn.ConvTranspose2d(NGF * 8, NGF * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(NGF * 4), nn.ReLU(True),
        nn.ConvTranspose2d(NGF * 4, NGF * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(NGF * 2), nn.ReLU(True),
        nn.ConvTranspose2d(NGF * 2, NGF, 4, 2, 1, bias=False), nn.BatchNorm2d(NGF), nn.ReLU(True),
        nn.ConvTranspose2d(NGF, NC, 4, 2, 1, bias=False), nn.Tanh())
    net_d = nn.Sequential(
        nn.Conv2d(NC, NDF, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(NDF, NDF * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(NDF * 2), nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(NDF * 2, NDF * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(NDF * 4), nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(NDF * 4, NDF * 8, 4, 2, 1, bias=False), nn.BatchNorm2d(NDF * 8), nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(NDF * 8, 1, 4, 1, 0, bias=False), nn.Sigmoid())
    torch.manual_seed(0)
    net_g.apply(weights_init)
    net_d.apply(weights_init)
    criterion = nn.BCELoss()
    opt_d = optim.Adam(net_d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_g = optim.Adam(net_g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    images = torch.load(images_file).float().div(127.5).sub(1)
    loader = DataLoader(TensorDataset(images), batch_size=BATCH, shuffle=True, drop_last=True)
    done, t0 = 0, 0.0
    while done < steps + 2:
        for (real,) in loader:
            if done == 2:
                t0 = time.perf_counter()
            net_d.zero_grad()
            label = torch.full((real.size(0),), 1.0, dtype=real.dtype)
            output = net_d(real).view(-1)
            err_real = criterion(output, label)
            err_real.backward()
            d_x = output.mean().item()
            fake = net_g(torch.randn(real.size(0), NZ, 1, 1))
            label.fill_(0.0)
            output = net_d(fake.detach()).view(-1)
            err_fake = criterion(output, label)
            err_fake.backward()
            d_g_z1 = output.mean().item()
            opt_d.step()
            net_g.zero_grad()
            label.fill_(1.0)
            output = net_d(fake).view(-1)
            err_g = criterion(output, label)
            err_g.backward()
            d_g_z2 = output.mean().item()
            opt_g.step()
            _ = ((err_real + err_fake).item(), err_g.item(), d_x, d_g_z1, d_g_z2)  # its per-step log line
            done += 1
            if done == steps + 2:
                break
    return {"img_per_s": steps * BATCH / (time.perf_counter() - t0), "threads": torch.get_num_threads()}


def studio(folder: str, steps: int, out: str) -> dict:
    from ganstudio.core.config import DataConfig, ModelConfig, TrainConfig
    from ganstudio.train import events as ev
    from ganstudio.train.loop import train

    model = ModelConfig(arch="dcgan", z_dim=NZ, img_size=64, channels=NC, base_ch=NGF)
    cfg = TrainConfig(model=model, data=DataConfig(kind="folder", path=folder), loss="bce", steps=steps + 10,
                      batch=BATCH, log_every=10, sample_every=10**9, ckpt_every=10**9, device="cpu", out_dir=out)
    events = list(train(cfg))
    if not isinstance(events[-1], ev.Finished):
        raise SystemExit(f"the studio loop failed: {events[-1]}")
    stats = [e.values for e in events if isinstance(e, ev.StepStats)]
    first = events[0]
    logged = [json.loads(line) for line in (Path(out) / "stats.jsonl").read_text().splitlines() if line.strip()]
    return {"img_per_s": statistics.fmean(s["img_per_s"] for s in stats[1:]), "threads": logged[-1]["threads"],
            "precision": f"{first.precision} ({first.precision_reason})"}


def busy() -> None:
    while True:
        pass


def prepare(tmp: Path) -> tuple[Path, Path, str]:
    """The same 512 paintings as a PNG folder (studio) and a uint8 tensor file (peer)."""
    import torch
    from PIL import Image

    from ganstudio.data.folder import load_folder

    src = load_folder(SHARED / "monet2photo" / "trainA", 64, 3, torch.device("cpu"), limit=512)
    x, _ = src.batch(src.size, torch.Generator().manual_seed(0))
    images = ((x + 1) * 127.5).round().to(torch.uint8)
    folder = tmp / "imgs"
    folder.mkdir()
    for i, img in enumerate(images.permute(0, 2, 3, 1).numpy()):
        Image.fromarray(img).save(folder / f"{i:04d}.png")
    torch.save(images, tmp / "images.pt")
    return folder, tmp / "images.pt", f"{src.size} Monet paintings"


def run_child(side: str, args: argparse.Namespace, data: Path, env: dict, out: Path) -> dict:
    cmd = [sys.executable, __file__, "--child", side, str(data), "--steps", str(args.steps), "--out", str(out)]
    res = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if res.returncode:
        raise SystemExit(f"{side} failed:\n{res.stderr[-2000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--steps", type=int, default=40)
    ap.add_argument("--busy", type=int, default=1, help="busy-loop processes beside the runs when loaded")
    ap.add_argument("--modes", nargs="+", default=["quiet", "loaded"],
                    help="quiet | loaded | one-thread (both sides pinned to OMP_NUM_THREADS=1: per-core speed)")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--out", default="", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        side, data = args.child
        print(json.dumps(peer(data, args.steps) if side == "peer" else studio(data, args.steps, args.out)))
        return 0
    from common import machine

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        folder, tensor_file, what = prepare(tmp)
        env = {k: v for k, v in os.environ.items() if k not in ("OMP_NUM_THREADS", "GANSTUDIO_TUNING")}
        env["GANSTUDIO_HOME"] = str(tmp / "home")  # the first studio run measures its precision, the others reuse it
        print(f"{machine()}; DCGAN 64 px, batch {BATCH}, data: {what}", flush=True)
        table = []
        for mode in args.modes:
            n_hogs = args.busy if mode == "loaded" else 0
            hogs = [multiprocessing.Process(target=busy, daemon=True) for _ in range(n_hogs)]
            for h in hogs:
                h.start()
            rates: dict[str, list[float]] = {"peer": [], "studio": []}
            loads: list[float] = []
            last: dict[str, dict] = {}
            for r in range(args.rounds):
                for side in (("peer", "studio") if r % 2 == 0 else ("studio", "peer")):
                    data = tensor_file if side == "peer" else folder
                    side_env = {**env, "OMP_NUM_THREADS": "1"} if mode == "one-thread" else env
                    last[side] = run_child(side, args, data, side_env, tmp / f"run-{mode}-{r}-{side}")
                    rates[side].append(last[side]["img_per_s"])
                    loads.append(os.getloadavg()[0])
                print(f"{mode} round {r + 1}: peer {rates['peer'][-1]:.1f} img/s ({last['peer']['threads']} threads), "
                      f"GAN Studio {rates['studio'][-1]:.1f} img/s ({last['studio']['threads']:.0f} thread(s), "
                      f"{last['studio']['precision']}); load {loads[-1]:.1f}", flush=True)
            for h in hogs:
                h.terminate()
            p, s = statistics.median(rates["peer"]), statistics.median(rates["studio"])
            table.append((mode, p, s, min(loads), max(loads), last["studio"]))
        print("\n| machine state | examples/dcgan | GAN Studio | ratio | load average | studio's choice |")
        print("|---|---|---|---|---|---|")
        for mode, p, s, lo, hi, st in table:
            state = {"quiet": "no busy loop", "one-thread": "both pinned to 1 thread"}.get(
                mode, f"{args.busy} busy-loop process(es) beside")
            print(f"| {state} | {p:.1f} img/s | {s:.1f} img/s | **{s / p:.2f}×** | {lo:.1f}–{hi:.1f} | "
                  f"{st['precision']}, {st['threads']:.0f} thread(s) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
