"""Training statistics averaged over each log interval, not just the last step's values.

One step's losses are noisy; the mean over the `log_every` steps since the last point says
what the interval was like. The values are summed as 0-dim tensors on the training device, so
the loop still waits for the device only when it logs.
"""

from __future__ import annotations

import torch


class StatsWindow:
    """Per-step statistics since the last `reset`, and their mean."""

    def __init__(self) -> None:
        self._sums: dict[str, torch.Tensor] = {}
        self.count = 0

    def add(self, values: dict[str, torch.Tensor]) -> None:
        for key, value in values.items():
            v = value.detach().float()
            self._sums[key] = self._sums[key] + v if key in self._sums else v.clone()
        self.count += 1

    def mean(self) -> dict[str, float]:
        """The mean of every statistic over the steps added (a NaN in any step stays NaN)."""
        return {key: float(total) / self.count for key, total in self._sums.items()} if self.count else {}

    def reset(self) -> None:
        self._sums, self.count = {}, 0
