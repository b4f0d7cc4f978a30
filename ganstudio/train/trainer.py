"""What the loop asks of a trainer, in code: the `Trainer` protocol every model family satisfies.

A trainer owns one run's networks and optimisers. It also declares, as `STATS`, the statistics its
`step` reports and the plot panel each belongs to, so the window builds its plots from the
declaration instead of knowing the model families.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable

if TYPE_CHECKING:
    import numpy as np
    import torch

    from ganstudio.core.config import TrainConfig
    from ganstudio.data.source import Source

StatPanel = tuple[str, str]  # (statistic name, title of the plot panel that shows it)

# What the loop adds to every trainer's statistics at each log step.
LOOP_STATS: tuple[StatPanel, ...] = (("img_per_s", "Images / s"), ("lr_g", "Learning rate"), ("lr_d", "Learning rate"))


class Trainer(Protocol):
    """One run's networks: take a step, draw the preview, save and restore, describe the generator."""

    STATS: ClassVar[tuple[StatPanel, ...]]

    @classmethod
    def for_run(cls, cfg: TrainConfig, device: torch.device) -> Trainer:
        """The trainer of a run, with the data its config names."""
        ...

    @property
    def cfg(self) -> TrainConfig: ...

    @property
    def source(self) -> Source: ...

    @property
    def class_names(self) -> list[str]: ...

    @property
    def device(self) -> torch.device: ...

    amp: torch.dtype | None  # the step's autocast dtype (None: fp32); the loop sets it for precision 'auto'

    def step(self, gen: torch.Generator) -> dict[str, torch.Tensor]:
        """One update; 0-dim tensors keyed by the names in `STATS`."""
        ...

    def set_lr(self, lr_g: float | None = None, lr_d: float | None = None) -> None: ...

    def lrs(self) -> dict[str, float]: ...

    def sample_grid(self) -> np.ndarray: ...

    def state_dict(self) -> dict: ...

    def load_state_dict(self, state: dict) -> None: ...

    def generator_weights(self) -> dict: ...

    def extra_weights(self) -> dict[str, dict]:
        """Other networks the generator file carries by name (StyleGAN's D, for fine-tuning); {} for none."""
        ...

    def generator_meta(self, step: int) -> dict: ...


@runtime_checkable
class PointsTrainer(Trainer, Protocol):
    """A trainer of 2D points, which also draws the GAN Lab view and measures mode coverage."""

    def points_view(self, gen: torch.Generator, bounds: tuple[float, float, float, float]) -> dict: ...

    def coverage(self, gen: torch.Generator) -> dict[str, float] | None: ...


def panels(stats: tuple[StatPanel, ...]) -> list[tuple[str, list[str]]]:
    """Panel titles in order of first mention, each with its statistics."""
    grouped: dict[str, list[str]] = {}
    for name, title in stats:
        grouped.setdefault(title, []).append(name)
    return list(grouped.items())
