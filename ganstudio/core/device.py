"""Choose the compute device once: CUDA, then Apple MPS, then the CPU; name it for the tuning cache;
set the calling thread's share of the cores.

torch is imported inside the functions, so the torch-free core stays cheap to import.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch

from ganstudio.core import threads, tuning
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


def device_key(device: torch.device) -> tuple[str, str]:
    """(what a speed verdict is cached under, what the status line calls it): the GPU's name and compute
    capability, or the CPU's model and flags; with torch's version, whose kernels decide the speed too."""
    import torch

    if device.type == "cuda":
        name = torch.cuda.get_device_name(device)
        major, minor = torch.cuda.get_device_capability(device)
        return f"cuda {name} sm{major}{minor} torch {torch.__version__}", name
    if device.type == "cpu":
        return f"cpu {tuning.cpu_signature()} torch {torch.__version__}", "this CPU"
    return f"{device.type} torch {torch.__version__}", device.type.upper()


def use_threads(n: int) -> None:
    """Set the calling thread's intra-op thread count (OpenMP keeps one per thread)."""
    import torch

    if torch.get_num_threads() != n:
        torch.set_num_threads(n)


def share_threads() -> None:
    """A worker thread of the window takes what a training run leaves of the cores; nothing before torch
    is loaded (the thread's first torch job then starts with torch's default), when the user pinned the
    count, or with tuning off."""
    if "torch" in sys.modules and not threads.pinned() and tuning.enabled():
        use_threads(threads.worker_share())
