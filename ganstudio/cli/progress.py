"""The CLI's progress bar: tqdm underneath, for its rate, ETA and terminal handling."""

from __future__ import annotations

import sys
import time

from tqdm import tqdm

DELAY_S = 0.3


class ProgressBar:
    """A one-line progress bar on stderr, moved to an absolute count (training resumes mid-way,
    tiles report done/total), with a free-text tail for losses and speeds."""

    def __init__(self, total: int, label: str = "", stream=None, start: int = 0) -> None:
        self._delay = DELAY_S
        # `start`: a resumed run's first step, so the rate and time left count only this session's steps
        # `delay`: a job that fails at once prints its one-line error without a bar before it
        self._bar = tqdm(total=max(total, 1), initial=start, desc=label, file=stream or sys.stderr, mininterval=0.2,
                         delay=self._delay, dynamic_ncols=True, ascii=" #",
                         bar_format="{desc} [{bar:30}] {n_fmt}/{total_fmt} [{elapsed}<{remaining}{postfix}]")
        self._t0 = time.monotonic()

    @property
    def total(self) -> int:
        return int(self._bar.total)

    @total.setter
    def total(self, value: int) -> None:  # stylize learns its tile count once the photo is cut
        self._bar.total = max(value, 1)

    def update(self, done: int, extra: str | None = None, force: bool = False) -> None:
        """Move to `done`; `extra` replaces the tail (None keeps the last one, so the final line
        still shows the run's last losses and speed)."""
        self._bar.n = min(max(done, 0), self._bar.total)
        if extra is not None:
            self._bar.set_postfix_str(extra, refresh=False)
        if force and time.monotonic() - self._t0 >= self._delay:
            self._bar.refresh()
        else:
            self._bar.update(0)  # redraws when mininterval has passed

    def close(self) -> None:
        self._bar.close()
