"""Scaling of `ganstudio train` over processes (torchrun + DDP): images/s at 1 process and at N.

On GPUs each process drives one GPU: the figure to read is the scaling efficiency, img/s(N) /
(N × img/s(1)). On a CPU the processes share the cores: the comparison is 1 process × T threads
against N processes × T/N threads on the same T cores. Each configuration runs the real command
(`python -m ganstudio train`, or `python -m torch.distributed.run --nproc_per_node N -m ganstudio
train`), configurations alternate round by round so background load hits all alike, and the
figure is rank 0's logged img/s (the global batch per second) with the first log interval (start-up,
first passes) left out.

    python bench/ddp_scaling.py                          # CPU: 1 × 2 threads vs 2 × 1 thread
    python bench/ddp_scaling.py --device cuda --procs 1,2,4,8 --model stylegan
    python bench/ddp_scaling.py --device cuda --procs 1,8 --weak   # batch grows with the processes
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import SHARED, machine

ROOT = Path(__file__).resolve().parents[1]
LOG_EVERY = 10  # the presets' log interval for DCGAN and StyleGAN


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _command(procs: int, train_args: list[str]) -> list[str]:
    if procs == 1:
        return [sys.executable, "-m", "ganstudio", *train_args]
    return [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", str(procs), "--master_addr",
            "127.0.0.1", "--master_port", str(_port()), "-m", "ganstudio", *train_args]


def _load() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def run_once(args: argparse.Namespace, procs: int, threads: int) -> float:
    """Rank 0's median logged img/s of one run, its first interval left out."""
    batch = args.batch * procs if args.weak else args.batch
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "run"
        train_args = ["train", "--model", args.model, "--data", args.data, "--limit", str(args.limit),
                      "--img-size", str(args.img_size), "--channels", "3", "--batch", str(batch),
                      "--steps", str(args.steps), "--device", args.device, "--sample-every", "100000",
                      "--ckpt-every", "100000", "-o", str(out)]
        env = {**os.environ, "OMP_NUM_THREADS": str(threads)}
        done = subprocess.run(_command(procs, train_args), cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"{procs} process(es) failed:\n{done.stderr[-3000:]}")
        rates = [json.loads(line)["img_per_s"] for line in (out / "stats.jsonl").read_text().splitlines()]
    return statistics.median(rates[1:] or rates)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--procs", default="1,2", help="process counts to compare (default 1,2)")
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    p.add_argument("--model", default="dcgan", choices=["dcgan", "stylegan"])
    p.add_argument("--data", default=str(SHARED / "monet2photo" / "trainA"), help="an image folder")
    p.add_argument("--limit", type=int, default=512)
    p.add_argument("--img-size", type=int, default=64)
    p.add_argument("--batch", type=int, default=64, help="the global batch (per process with --weak)")
    p.add_argument("--weak", action="store_true", help="batch × processes: the same per-process batch")
    p.add_argument("--steps", type=int, default=60, help=f"steps per run (logged every {LOG_EVERY})")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="CPU: threads of all processes together")
    args = p.parse_args()
    counts = [int(n) for n in args.procs.split(",")]
    results: dict[int, list[float]] = {n: [] for n in counts}
    print(f"{machine()}; {args.model} {args.img_size} px, batch {args.batch}{' per process' if args.weak else ''}, "
          f"{args.steps} steps, {args.rounds} rounds")
    for r in range(args.rounds):
        for n in counts:
            threads = max(args.threads // n, 1) if args.device == "cpu" else 1
            before = _load()
            rate = run_once(args, n, threads)
            results[n].append(rate)
            print(f"round {r + 1}: {n} process(es) × {threads} thread(s): {rate:.1f} img/s "
                  f"(load average {before} → {_load()})", flush=True)
    base = statistics.median(results[counts[0]])
    for n in counts:
        med = statistics.median(results[n])
        eff = med / (base * n / counts[0]) if args.device == "cuda" else med / base
        label = "scaling efficiency" if args.device == "cuda" else f"vs {counts[0]} process(es)"
        rounds = ", ".join(f"{x:.0f}" for x in results[n])
        print(f"{n} process(es): {med:.1f} img/s ({rounds}); {label} {eff:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
