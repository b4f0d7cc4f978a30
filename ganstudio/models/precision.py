"""bf16 autocast for the networks, and the measured choice of it for inference (stylize, walks, samples, eval).

Weights stay fp32; inside an autocast region the convolutions and matrix products run in bf16, and
everything leaving a network is cast back to fp32, so callers never see a bf16 tensor. Whether bf16
is faster is measured once per machine, device and model shape (`core.tuning`); whether its output
is good enough is known per architecture, below, with the reason. `tests/models/test_inference_precision.py`
holds bf16 output within a stated tolerance of fp32's.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import torch
from torch import nn

from ganstudio.core import tuning
from ganstudio.core.config import ModelConfig
from ganstudio.core.device import device_key, use_threads

# Architectures whose bf16 forward pass is close enough to fp32's to draw with, and why (0–255 levels,
# the bundled models, 64 samples or one BSDS500 photo; tests/models/test_inference_precision.py holds the bounds).
INFERENCE_BF16 = {
    "dcgan": "mnist-dcgan's bf16 samples differ from fp32's by 0.12 levels on average, 8 at most",
    "cdcgan": "fashion-cdcgan's bf16 samples differ from fp32's by 0.20 levels on average, 8 at most",
    "stylegan": "monet-stylegan's bf16 samples differ from fp32's by 0.29 levels on average, 8 at most",
    "cyclegan": "photo2monet's bf16 photo differs from fp32's by 0.15 levels on average, 2 at most",
}
# Why the others stay fp32.
INFERENCE_FP32 = {"mlp": "2D points need fp32's resolution to sit inside a mode"}
PROBE_SIDE = 256  # CycleGAN's probe image: big enough to time like a tile, small enough to take a second


def dtype_of(choice: str) -> torch.dtype | None:
    """"bf16" → torch.bfloat16; "fp32" → None (no autocast)."""
    return torch.bfloat16 if choice == "bf16" else None


def autocast(device: torch.device, dtype: torch.dtype | None) -> contextlib.AbstractContextManager:
    """Autocast to `dtype`, or nothing for fp32."""
    if dtype is None:
        return contextlib.nullcontext()
    return torch.autocast(device.type, dtype=dtype)


def measured_bf16(device: torch.device, what: str, step: Callable[[str], object] | None,
                  timer: tuning.Timer | None = None) -> tuning.Verdict:
    """The cached or freshly measured verdict of `what` (family and shape) on `device`; MPS stays fp32."""
    if device.type not in ("cpu", "cuda"):
        return tuning.Verdict("fp32", 0.0, f"bf16 autocast is not used on {device.type.upper()}")
    key, where = device_key(device)
    with _one_thread(device):
        return tuning.choose_bf16(f"{key} | {what}", where, step, timer)


@contextlib.contextmanager
def _one_thread(device: torch.device) -> Iterator[None]:
    """A CPU measures on one thread: with other work on the cores, two threads' steps swing by several times
    (OpenMP's threads wait for a descheduled one), which drowns the fp32 / bf16 difference; one thread's
    steps stay steady, and both precisions' convolutions scale alike with threads."""
    n = torch.get_num_threads()
    if device.type == "cpu":
        use_threads(1)
    try:
        yield
    finally:
        use_threads(n)


def heavy_part(net: nn.Module) -> nn.Module:
    """The module doing nearly all the arithmetic: StyleGAN's synthesis, the others' layer stack."""
    for name in ("synthesis", "net"):
        part = getattr(net, name, None)
        if isinstance(part, nn.Module):
            return part
    return net


def run_in_bf16(module: nn.Module, device: torch.device) -> None:
    """Every later call of `module` runs under bf16 autocast and returns fp32 (hooks, so code that calls
    it directly, a method that calls it, or a copy of it all get the same)."""
    entered: list[contextlib.AbstractContextManager] = []

    def enter(mod: nn.Module, args: tuple) -> None:
        ctx = torch.autocast(device.type, dtype=torch.bfloat16)
        ctx.__enter__()
        entered.append(ctx)

    def leave(mod: nn.Module, args: tuple, out: object) -> object:
        entered.pop().__exit__(None, None, None)
        return out.float() if isinstance(out, torch.Tensor) else out

    module.register_forward_pre_hook(enter)
    module.register_forward_hook(leave, always_call=True)


def _probe(cfg: ModelConfig, device: torch.device) -> tuple[torch.Tensor, ...]:
    """A typical input: a batch of latents (a walk's preview batch) or a photo-sized image."""
    gen = torch.Generator().manual_seed(0)
    if cfg.arch == "cyclegan":
        return (torch.rand(1, cfg.channels, PROBE_SIDE, PROBE_SIDE, generator=gen).to(device) * 2 - 1,)
    z = torch.randn(16, cfg.z_dim, generator=gen).to(device)
    return (z, torch.zeros(16, dtype=torch.long, device=device)) if cfg.num_classes and cfg.arch == "cdcgan" else (z,)


def tune_inference(net: nn.Module, cfg: ModelConfig, device: torch.device,
                   timer: tuning.Timer | None = None) -> tuning.Verdict:
    """The one call each inference path makes on a loaded network: bf16 from now on where its quality holds
    and it measured faster here (cached per machine), else fp32 as before."""
    if cfg.arch not in INFERENCE_BF16:
        return tuning.Verdict("fp32", 0.0, INFERENCE_FP32.get(cfg.arch, "bf16 output not checked for this model"))
    args = _probe(cfg, device)

    def forward(choice: str) -> None:
        with torch.inference_mode(), autocast(device, dtype_of(choice)):
            net(*args)
        if device.type == "cuda":
            torch.cuda.synchronize(device)

    verdict = measured_bf16(device, f"infer {cfg.arch} {cfg.img_size}px {cfg.base_ch}ch", forward, timer)
    if verdict.choice == "bf16":
        run_in_bf16(heavy_part(net), device)
    return verdict
