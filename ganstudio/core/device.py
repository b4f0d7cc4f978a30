"""Choose the compute device once: CUDA, then Apple MPS, then the CPU.

torch is imported inside the functions, so the torch-free core stays cheap to import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch

from ganstudio.core.errors import UserError


def pick_device(preference: str = "auto") -> torch.device:
    """Resolve 'auto' | 'cpu' | 'cuda' | 'cuda:N' | 'mps' to an available device."""
    import torch

    if preference == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    if preference.startswith("cuda") and not torch.cuda.is_available():
        raise UserError("CUDA was requested but no CUDA GPU is available", "use --device cpu or auto")
    if preference == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
        raise UserError("MPS was requested but is not available on this machine", "use --device cpu or auto")
    try:
        return torch.device(preference)
    except RuntimeError as exc:
        raise UserError(f"unknown device '{preference}'", "use auto, cpu, cuda or mps") from exc


def describe(device: torch.device) -> str:
    """Human name for the status bar: the GPU's name, or 'CPU'."""
    import torch

    if device.type == "cuda":
        return f"GPU: {torch.cuda.get_device_name(device)}"
    if device.type == "mps":
        return "GPU: Apple MPS"
    n = torch.get_num_threads()
    return f"CPU ({n} thread{'' if n == 1 else 's'})"
