"""What every long job shares, whatever thread runs it: progress reports, cancel checks, and
the one exception that means "the user cancelled, nothing was written".

A job is a plain function `job(progress, cancelled)`: it calls `progress(done, total)` as it
goes and raises `Cancelled` as soon as `cancelled()` turns true. The CLI passes a progress bar
and a Ctrl-C flag, the window passes its worker thread's signal and cancel button.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int], None]  # (done, total)
CancelCheck = Callable[[], bool]  # True → stop as soon as possible

MAX_SEED = 2**63 - 1  # seeds are non-negative 64-bit integers, as torch.Generator takes them


class Cancelled(Exception):  # noqa: N818  (a cancel is not an error; the name is used everywhere)
    """The user cancelled a job; whatever it was writing was removed."""


def no_progress(done: int, total: int) -> None:
    """The `progress` of a job nobody watches."""


def never_cancelled() -> bool:
    """The `cancelled` of a job nobody can cancel."""
    return False


def check_cancel(cancelled: CancelCheck) -> None:
    """Raise `Cancelled` if the user asked to stop."""
    if cancelled():
        raise Cancelled()
