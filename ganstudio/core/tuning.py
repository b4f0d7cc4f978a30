"""Choices made by measurement on this machine, and the cache that keeps them: bf16 or fp32.

Whether bf16 beats fp32 depends on the chip, not on its name: an AVX-512 BF16 CPU without AMX runs
bf16 convolutions slower than fp32 ones on one machine and faster on another, so a rule on CPU
flags is wrong somewhere. The first time a model family runs on a device, a few steps are timed in
each precision (interleaved, medians) and the verdict is kept in the user data folder, keyed by the
CPU model and the flags that matter (or the GPU's name), the device, the family and the run's shape.

Torch-free: the caller passes the steps to time as plain callables (and tests pass a fake timer).
`GANSTUDIO_TUNING=off` measures nothing: every choice falls back to fp32 and the thread count torch has.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ganstudio.core import paths
from ganstudio.core.atomic import atomic_write
from ganstudio.core.errors import UserError

CACHE_FILE = "tuning.json"
VERSION = 1
# The instruction sets that decide how fast bf16 and fp32 arithmetic run (x86 and Arm names).
SPEED_FLAGS = frozenset({"avx2", "fma", "avx512f", "avx512_bf16", "avx512_fp16", "amx_bf16", "amx_tile",
                         "asimd", "sve", "bf16", "i8mm"})
Timer = Callable[[], float]
clock: Timer = time.perf_counter  # what times the steps when the caller passes no timer (tests replace it)


def enabled() -> bool:
    """False when GANSTUDIO_TUNING is off / 0 / no: nothing is measured (tests, reproducible benchmarks)."""
    return os.environ.get("GANSTUDIO_TUNING", "on").strip().lower() not in ("off", "0", "no", "false")


def cpu_signature(cpuinfo: str | None = None) -> str:
    """The CPU's model name, family / model numbers and speed-relevant flags, as one string."""
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text(errors="replace")
        except OSError:
            cpuinfo = ""
    fields: dict[str, str] = {}
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        fields.setdefault(key.strip(), value.strip())  # the first processor's entry
    name = fields.get("model name") or platform.processor() or platform.machine()
    family = f" (family {fields['cpu family']} model {fields.get('model', '?')})" if "cpu family" in fields else ""
    flags = sorted(SPEED_FLAGS & set((fields.get("flags") or fields.get("Features") or "").split()))
    return f"{name}{family} [{' '.join(flags)}] × {os.cpu_count()}"


@dataclass(frozen=True)
class Verdict:
    """bf16 or fp32, the measured speed of bf16 relative to fp32 (0: not measured), and why."""

    choice: str  # "bf16" | "fp32"
    speedup: float  # fp32 step time / bf16 step time
    reason: str  # for the status line, e.g. "measured 1.4× faster than fp32 on this CPU"


def cache_path() -> Path:
    return paths.user_data_dir() / CACHE_FILE


def load_cache() -> dict[str, dict]:
    """Every cached verdict; a missing, unreadable or corrupt cache is empty (and rewritten on the next store)."""
    try:
        data = json.loads(cache_path().read_text())
    except (OSError, ValueError):
        return {}
    verdicts = data.get("verdicts") if isinstance(data, dict) and data.get("version") == VERSION else None
    if not isinstance(verdicts, dict):
        return {}
    return {k: v for k, v in verdicts.items() if _valid(v)}


def _valid(entry: object) -> bool:
    return (isinstance(entry, dict) and entry.get("choice") in ("bf16", "fp32")
            and isinstance(entry.get("speedup"), int | float) and entry["speedup"] > 0)


def store(key: str, verdict: Verdict) -> None:
    """Add one verdict, atomically; a data folder that cannot be written only means measuring again next time."""
    verdicts = load_cache()
    verdicts[key] = {"choice": verdict.choice, "speedup": round(verdict.speedup, 3), "measured": time.time()}
    text = json.dumps({"version": VERSION, "verdicts": verdicts}, indent=1).encode()

    def write(fh: BinaryIO) -> None:
        fh.write(text)

    with contextlib.suppress(UserError):
        atomic_write(cache_path(), write)


def measure(variants: dict[str, Callable[[], object]], rounds: int = 3, warmup: int = 1,
            timer: Timer | None = None) -> dict[str, float]:
    """Median seconds per call of each variant: `warmup` untimed calls each, then `rounds` timed calls each,
    interleaved and in alternating order, so load that comes and goes hits every variant alike."""
    names, timer = list(variants), timer or clock
    for _ in range(warmup):
        for name in names:
            variants[name]()
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        for name in names if r % 2 == 0 else names[::-1]:
            t0 = timer()
            variants[name]()
            times[name].append(timer() - t0)
    return {name: statistics.median(ts) for name, ts in times.items()}


def bf16_verdict(speedup: float, where: str) -> Verdict:
    """The faster of the two; `speedup` is fp32 time / bf16 time, `where` "this CPU" or a GPU's name."""
    if speedup > 1:
        return Verdict("bf16", speedup, f"measured {speedup:.2f}× faster than fp32 on {where}")
    return Verdict("fp32", speedup, f"bf16 measured {speedup:.2f}× on {where}")


def choose_bf16(key: str, where: str, step: Callable[[str], object] | None, timer: Timer | None = None,
                rounds: int = 3) -> Verdict:
    """The cached verdict for `key`, else time `step("fp32")` against `step("bf16")`, keep the faster and
    cache it. `step` None: this run cannot measure (several processes) and nothing is cached: fp32.
    With tuning off, fp32 and nothing read or written."""
    if not enabled():
        return Verdict("fp32", 0.0, "GANSTUDIO_TUNING is off")
    cached = load_cache().get(key)
    if cached is not None:
        v = bf16_verdict(float(cached["speedup"]), where)
        return Verdict(cached["choice"], v.speedup, f"{v.reason}, earlier")
    if step is None:
        return Verdict("fp32", 0.0, "bf16 not measured: several processes train together")
    times = measure({"fp32": lambda: step("fp32"), "bf16": lambda: step("bf16")}, rounds=rounds, timer=timer)
    verdict = bf16_verdict(times["fp32"] / max(times["bf16"], 1e-12), where)
    store(key, verdict)
    return verdict
