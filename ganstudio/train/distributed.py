"""Training on several processes or machines under `torchrun`: PyTorch's DistributedDataParallel.

    torchrun --nproc_per_node 2 -m ganstudio train --model dcgan --data mnist --batch 64

What a run on N processes means:
- The config's `batch` is the global batch: each process draws `batch / N` of it (a batch that does
  not split evenly is refused), so a run's learning rate, EMA half-life and ADA speed mean the same on
  any number of processes.
- Each network is wrapped in DDP with `broadcast_buffers=False`: BatchNorm normalises over each
  process's share, and the running statistics a file keeps are rank 0's. Broadcasting buffers is one
  more collective per forward pass (D runs twice per update) for statistics D never uses (it always runs
  in training mode); SyncBatchNorm refuses CPU modules, so a gloo run cannot use it (bench/RESULTS.md).
- Rank 0 keeps the run's seed for its data stream (so rank 0 of any world size draws what a
  one-process run draws); rank r > 0 draws from a seed derived from (seed, rank, step).
- Rank 0 alone writes the run folder; statistics are averaged over processes when they are logged,
  and the processes agree on a stop or a divergence at each log or checkpoint step.
- A process that fails leaves its message in the rendezvous store; the others' next collective fails
  and they end with that message (or with "process k ended unexpectedly" when it was killed).

Without torchrun's variables (or with WORLD_SIZE 1) `detect()` is None and every helper here is the
identity: a one-process run has no wrapper and no process group.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import inspect
import os
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel

from ganstudio.core.errors import UserError

FAILURE_KEY = "ganstudio/failure"
TIMEOUT = datetime.timedelta(minutes=10)  # a collective that waits longer than this ends the run
NEVER = 2**62  # "no bad step" in the min-reduction of `agree`


@dataclass(frozen=True)
class Dist:
    """This process's place in a distributed run."""

    rank: int
    world: int
    local_rank: int
    device: torch.device

    @property
    def main(self) -> bool:
        return self.rank == 0


_current: Dist | None = None
# Buffers synced once at the start (identical anyway), never per forward; newer PyTorch renames the flag.
_NO_BUFFER_SYNC: dict[str, Any] = {"forward_sync_buffers": False} \
    if "forward_sync_buffers" in inspect.signature(DistributedDataParallel).parameters else {"broadcast_buffers": False}


class PeerStoppedError(Exception):
    """The launcher ended this process (another process failed), or a collective found a peer gone."""


def detect() -> tuple[int, int, int] | None:
    """(rank, world size, local rank) from torchrun's environment; None for a one-process run."""
    world = int(os.environ.get("WORLD_SIZE", "1") or 1)
    if world <= 1 or "RANK" not in os.environ:
        return None
    return int(os.environ["RANK"]), world, int(os.environ.get("LOCAL_RANK", "0"))


def current() -> Dist | None:
    return _current


def is_main() -> bool:
    return _current is None or _current.main


def start(device: torch.device, batch: int) -> torch.device:
    """Join the process group when torchrun started this process; the device this rank trains on."""
    global _current
    found = detect()
    if found is None:
        return device
    rank, world, local = found
    if batch % world:
        raise UserError(f"a batch of {batch} does not split evenly over {world} processes",
                        f"the batch is the global batch: choose a multiple of {world}")
    if device.type == "cuda":
        torch.cuda.set_device(local)
        device, backend = torch.device("cuda", local), "nccl"
    elif device.type == "cpu":
        backend = "gloo"
    else:
        raise UserError(f"training on several processes needs CUDA or the CPU, not {device.type}",
                        "use --device cuda or --device cpu")
    if not dist.is_initialized():
        dist.init_process_group(backend, timeout=TIMEOUT, device_id=device if device.type == "cuda" else None)
    _current = Dist(rank, world, local, device)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminated)
    return device


def _terminated(signum: int, frame: object) -> None:
    raise PeerStoppedError("the launcher stopped this process")


def finish() -> None:
    """Leave the process group (after a run, whatever its end)."""
    global _current
    if _current is not None and dist.is_initialized():
        dist.destroy_process_group()
    _current = None


def share(batch: int) -> int:
    """This process's share of the global batch."""
    return batch // _current.world if _current is not None else batch


def rank_seed(seed: int, step: int = 0) -> int:
    """The seed of this rank's data stream: the run's seed on rank 0, one derived from (seed, rank, step) on
    the others (step > 0 when a run resumes, so a resumed rank does not replay its first batches)."""
    if _current is None or _current.rank == 0:
        return seed
    digest = hashlib.sha256(f"{seed}:{_current.rank}:{step}".encode()).digest()
    return int.from_bytes(digest[:8], "little") >> 1


def wrap(net: nn.Module) -> nn.Module:
    """`net` itself in a one-process run; else `net` in DDP, with buffers left per process (module doc)."""
    if _current is None:
        return net
    ids = [_current.device.index] if _current.device.type == "cuda" else None
    return DistributedDataParallel(net, device_ids=ids, **_NO_BUFFER_SYNC)


class _LossNet(nn.Module):
    """A loss computed inside one forward, so DDP sees every pass through `net` that the loss makes."""

    def __init__(self, net: nn.Module, fn: Callable[..., torch.Tensor]) -> None:
        super().__init__()
        self.net, self.fn = net, fn

    def forward(self, *args: Any) -> torch.Tensor:
        return self.fn(*args)


def wrap_loss(net: nn.Module, fn: Callable[..., torch.Tensor]) -> Callable[..., torch.Tensor]:
    """`fn` itself in a one-process run; else `fn` run as the forward of a DDP module holding `net`.

    For a loss that calls `net`'s parts rather than `net` (StyleGAN's mapping, synthesis and the
    path-length `autograd.grad`): DDP syncs gradients only after a forward of its own wrapper.
    """
    return fn if _current is None else wrap(_LossNet(net, fn))


def mean(values: dict[str, float]) -> dict[str, float]:
    """Each statistic averaged over the processes (one collective)."""
    if _current is None or not values:
        return values
    t = torch.tensor(list(values.values()), dtype=torch.float64, device=_current.device)
    _collective(dist.all_reduce, t)
    return dict(zip(values, (t / _current.world).tolist(), strict=True))


def agree(bad_step: int, stop: bool) -> tuple[int, bool]:
    """The first bad step any process saw (0: none) and whether any process was asked to stop."""
    if _current is None:
        return bad_step, stop
    t = torch.tensor([bad_step or NEVER, 0 if stop else 1], dtype=torch.long, device=_current.device)
    _collective(dist.all_reduce, t, op=dist.ReduceOp.MIN)
    first, go_on = t.tolist()
    return (0 if first == NEVER else first), not go_on


def _collective(fn: Callable[..., Any], *args: Any, **kw: Any) -> None:
    try:
        fn(*args, **kw)
    except RuntimeError as exc:
        raise PeerStoppedError(str(exc)) from None


def report(message: str) -> None:
    """Leave this process's failure where the other processes find it."""
    if _current is None:
        return
    with contextlib.suppress(RuntimeError, ValueError):  # without a store the others stop with the general message
        dist.distributed_c10d._get_default_store().set(FAILURE_KEY, f"process {_current.rank}: {message}")


def peer_failure(exc: BaseException) -> tuple[str, str]:
    """(message, hint) for this process after another one failed or was killed."""
    reported = ""
    try:
        store = dist.distributed_c10d._get_default_store()
        if store.check([FAILURE_KEY]):
            reported = store.get(FAILURE_KEY).decode()
    except (RuntimeError, ValueError):
        pass
    message = f"another training process failed ({reported})" if reported else \
        f"another training process ended unexpectedly ({str(exc).splitlines()[0][:160] if str(exc) else 'stopped'})"
    return message, "every process has stopped; resume from the last good checkpoint with --resume"
