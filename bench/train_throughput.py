"""DCGAN 64 px training throughput: GAN Studio's loop vs the textbook PyTorch DCGAN loop.

Same network (3 channels, batch 64, z 100, 64 base channels), same data, same device, measured
in the same run, alternating the runs so background load hits all alike. The baseline has the
shape of the well-known PyTorch DCGAN example: fp32, eager, a Sigmoid-terminated D with
nn.BCELoss, a DataLoader over CPU tensors, `.item()` on every step. GAN Studio runs twice: as a
user gets it (precision 'auto': bf16 mixed precision where it measures faster on this machine) and
pinned to fp32, which separates what the loop saves from what the arithmetic saves.

    python bench/train_throughput.py [--steps 30] [--rounds 3] [--device auto]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import SHARED, machine

from ganstudio.core.config import DataConfig, ModelConfig, TrainConfig
from ganstudio.core.device import pick_device
from ganstudio.data.folder import load_folder
from ganstudio.models import build_discriminator, build_generator
from ganstudio.train import events as ev
from ganstudio.train.loop import train

MODEL = ModelConfig(arch="dcgan", z_dim=100, img_size=64, channels=3, base_ch=64)
BATCH = 64


def real_images(device: torch.device) -> tuple[torch.Tensor, str]:
    """uint8 (N, 3, 64, 64): Monet paintings from the shared data, or noise when it is absent."""
    folder = SHARED / "monet2photo" / "trainA"
    if folder.is_dir():
        src = load_folder(folder, 64, 3, torch.device("cpu"), limit=512)
        x, _ = src.batch(src.size, torch.Generator().manual_seed(0))
        return ((x + 1) * 127.5).round().to(torch.uint8), f"{src.size} Monet paintings"
    return torch.randint(0, 256, (512, 3, 64, 64), dtype=torch.uint8), "512 random images (shared data absent)"


def textbook(images: torch.Tensor, steps: int, device: torch.device) -> float:
    """images/s of the plain loop."""
    torch.manual_seed(0)
    net_g = build_generator(MODEL).to(device)
    net_d = nn.Sequential(build_discriminator(MODEL), nn.Sigmoid()).to(device)
    criterion = nn.BCELoss()
    opt_d = torch.optim.Adam(net_d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_g = torch.optim.Adam(net_g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    data = TensorDataset(images.float() / 127.5 - 1)
    loader = DataLoader(data, batch_size=BATCH, shuffle=True, drop_last=True)
    done, t0 = 0, 0.0
    while done < steps + 2:
        for (real,) in loader:
            if done == 2:  # two warm-up steps
                t0 = time.perf_counter()
            real = real.to(device)
            net_d.zero_grad()
            label = torch.full((BATCH,), 1.0, device=device)
            err_real = criterion(net_d(real).view(-1), label)
            err_real.backward()
            fake = net_g(torch.randn(BATCH, MODEL.z_dim, device=device))
            label.fill_(0.0)
            err_fake = criterion(net_d(fake.detach()).view(-1), label)
            err_fake.backward()
            opt_d.step()
            net_g.zero_grad()
            label.fill_(1.0)
            out = net_d(fake).view(-1)
            err_g = criterion(out, label)
            err_g.backward()
            opt_g.step()
            _ = (err_real + err_fake).item(), err_g.item(), out.mean().item()
            done += 1
            if done == steps + 2:
                break
    if device.type == "cuda":
        torch.cuda.synchronize()
    return steps * BATCH / (time.perf_counter() - t0)


def studio(folder: Path, steps: int, device: torch.device, precision: str) -> tuple[float, str]:
    """images/s of GAN Studio's own loop (the product path: events, stats, no samples/ckpts mid-run),
    and the precision it ran in."""
    threads = torch.get_num_threads()  # the loop picks its own count; the textbook loop keeps torch's default
    with tempfile.TemporaryDirectory() as out:
        cfg = TrainConfig(model=MODEL, data=DataConfig(kind="folder", path=str(folder)), loss="bce", steps=steps + 10,
                          batch=BATCH, log_every=10, sample_every=10**9, ckpt_every=10**9, device=str(device),
                          precision=precision, out_dir=out)
        events = list(train(cfg))
    torch.set_num_threads(threads)
    if not isinstance(events[-1], ev.Finished):
        raise SystemExit(f"the studio loop failed: {events[-1]}")
    rates = [e.values["img_per_s"] for e in events if isinstance(e, ev.StepStats)]
    return statistics.fmean(rates[1:]), events[0].precision  # the first window holds warm-up


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--device", default="auto")
    args = parser.parse_args()
    device = pick_device(args.device)
    images, what = real_images(torch.device("cpu"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "imgs"
        folder.mkdir()
        from PIL import Image

        for i, img in enumerate(images.permute(0, 2, 3, 1).numpy()):
            Image.fromarray(img).save(folder / f"{i:04d}.png")
        base, ours, ours32 = [], [], []
        for r in range(args.rounds):
            base.append(textbook(images, args.steps, device))
            rate, used = studio(folder, args.steps, device, "auto")
            ours.append(rate)
            ours32.append(studio(folder, args.steps, device, "fp32")[0])
            print(f"round {r + 1}: textbook {base[-1]:.0f} img/s, GAN Studio {ours[-1]:.0f} img/s ({used}), "
                  f"GAN Studio fp32 {ours32[-1]:.0f} img/s", flush=True)
    b, o, o32 = statistics.median(base), statistics.median(ours), statistics.median(ours32)
    print(f"\nDCGAN 64 px, batch {BATCH}, z 100, 64 base channels, data: {what}")
    print(f"machine: {machine()}, threads {torch.get_num_threads()}")
    print(f"textbook loop: {b:.1f} img/s   GAN Studio ({used}): {o:.1f} img/s   ratio: {o / b:.2f}x")
    print(f"GAN Studio pinned to fp32: {o32:.1f} img/s   ratio: {o32 / b:.2f}x")


if __name__ == "__main__":
    main()
