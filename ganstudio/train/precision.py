"""Mixed precision: bf16 autocast for the DCGANs where the hardware computes bf16 natively, fp32
everywhere else.

Weights, optimiser state and the saved files stay fp32; only the convolutions and matrix
products inside a step run in bf16. bf16 keeps fp32's exponent range, so no loss scaling is
needed and a NaN guard sees the same failures as in fp32. The MLP GAN stays fp32: its tiny
layers gain nothing, and its 2D points need fp32's resolution to sit inside a mode. CycleGAN runs
in bf16 only when asked: its quality in bf16 has not been measured yet, while the DCGANs' has
(docs/models.md: the same seed and recipe trained in fp32 and in bf16 give the same figures).
"""

from __future__ import annotations

import contextlib

import torch

AUTO_BF16_ARCHS = ("dcgan", "cdcgan")


def cpu_has_native_bf16() -> bool:
    """AVX-512 BF16 or AMX: the CPUs whose bf16 convolutions are faster than fp32 ones."""
    probes = [getattr(torch.cpu, name, None) for name in ("_is_avx512_bf16_supported", "_is_amx_tile_supported")]
    return any(probe() for probe in probes if probe is not None)


def native_bf16(device: torch.device) -> bool:
    if device.type == "cuda":
        return torch.cuda.is_bf16_supported(including_emulation=False)
    if device.type == "cpu":
        return cpu_has_native_bf16()
    return False  # MPS: its bf16 autocast is not faster on the GPUs it runs on


def compute_dtype(precision: str, arch: str, device: torch.device) -> torch.dtype | None:
    """bf16 when asked for, or for 'auto' on a DCGAN with native bf16; None means fp32."""
    if precision == "fp32":
        return None
    if precision == "bf16":
        return torch.bfloat16
    return torch.bfloat16 if arch in AUTO_BF16_ARCHS and native_bf16(device) else None


def autocast(device: torch.device, dtype: torch.dtype | None) -> contextlib.AbstractContextManager:
    """The forward-pass context of a training step: autocast to `dtype`, or nothing for fp32."""
    if dtype is None:
        return contextlib.nullcontext()
    return torch.autocast(device.type, dtype=dtype)


def label(dtype: torch.dtype | None) -> str:
    """What the status line and the CLI say about a run's arithmetic."""
    return "bf16 mixed precision" if dtype == torch.bfloat16 else "fp32"
