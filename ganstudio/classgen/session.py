"""The Classes page's state without Qt: the chosen model, the grid, the enlarged sample, the morph.

The page renders a `ClassSession` and runs the forward passes it describes in a job thread; tests
drive it directly. Sample i of every class uses seed `seed + i`, so the grid's columns share a
latent and differ only in class.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ganstudio.classgen.generate import MAX_PER_CLASS, class_names, require_conditional
from ganstudio.core.errors import UserError
from ganstudio.core.jobs import MAX_SEED
from ganstudio.modelfiles.generator import Generator

ALL = -1  # the selected "class" of the poster: every class, one row each
MAX_COLUMNS = 16
MAX_MORPH_FRAMES = 600


@dataclass(frozen=True)
class MorphSettings:
    """From one class to another in `frames` frames; `end_seed` None keeps the start latent."""

    start: int = 0
    end: int = 1
    frames: int = 24
    fps: int = 12
    end_seed: int | None = None


def check_range(value: int, low: int, high: int, what: str) -> int:
    if not low <= value <= high:
        raise UserError(f"{what} {value} is out of range", f"use {low}–{high}")
    return value


class ClassSession:
    """What the Classes page shows and exports, and the rules for changing it."""

    def __init__(self) -> None:
        self.g: Generator | None = None
        self.path: Path | None = None
        self.names: list[str] = []
        self.selected = ALL
        self.per_class = 8
        self.seed = 0
        self.batch_per_class = 100
        self.morph_settings = MorphSettings()
        self.morph: np.ndarray | None = None  # the frames of the last morph made
        self.enlarged: tuple[int, int] | None = None  # (class, seed) of the enlarged sample
        self.enlarged_image: np.ndarray | None = None

    # -- model ---------------------------------------------------------------------------
    def open(self, g: Generator, path: Path) -> None:
        """Use a conditional model (UserError if it is not one): poster, first two classes morphed."""
        self.g = require_conditional(g)
        self.path, self.names = path, class_names(g)
        self.selected, self.morph, self.enlarged, self.enlarged_image = ALL, None, None, None
        self.morph_settings = MorphSettings(0, min(1, len(self.names) - 1), self.morph_settings.frames,
                                            self.morph_settings.fps, self.morph_settings.end_seed)

    def model(self) -> Generator:
        if self.g is None:
            raise UserError("open a conditional model first")
        return self.g

    # -- grid ----------------------------------------------------------------------------
    def select(self, name_or_index: str | int) -> int:
        """Show one class (by name or index; UserError if it does not exist) or ALL."""
        self.selected = ALL if name_or_index == ALL else self.model().class_index(name_or_index)
        return self.selected

    def set_per_class(self, n: int) -> None:
        self.per_class = check_range(n, 1, MAX_COLUMNS, "samples per class")

    def set_seed(self, seed: int) -> None:
        self.seed = check_range(seed, 0, MAX_SEED, "seed")

    def reroll(self, limit: int = MAX_SEED) -> int:
        """A new random first seed below `limit` (leaving room for a row of seeds after it)."""
        self.set_seed(random.randrange(0, limit - MAX_COLUMNS))
        return self.seed

    def grid_classes(self) -> list[int]:
        return list(range(len(self.names))) if self.selected == ALL else [self.selected]

    def grid_seeds(self) -> list[int]:
        return list(range(self.seed, self.seed + self.per_class))

    def sample_at(self, index: int) -> tuple[int, int]:
        """(class, seed) of the grid's sample `index` (row-major)."""
        classes = self.grid_classes()
        row, col = divmod(index, self.per_class)
        if not 0 <= row < len(classes):
            raise UserError(f"there is no sample {index} in the grid")
        return classes[row], self.seed + col

    def grid_provenance(self) -> dict:
        return {"model": str(self.path), "grid": {"classes": self.grid_classes(), "seed": self.seed,
                                                  "per_class": self.per_class}}

    def set_enlarged(self, k: int, seed: int, image: np.ndarray) -> None:
        self.enlarged, self.enlarged_image = (k, seed), image

    def enlarged_caption(self) -> str:
        if self.enlarged is None:
            return "Click a sample to enlarge it."
        k, seed = self.enlarged
        return f"{self.names[k]}, seed {seed}\n(ganstudio sample MODEL --class {k} --seed {seed} -n 1)"

    def enlarged_or_refuse(self) -> tuple[np.ndarray, dict]:
        """The enlarged sample and its provenance, for an export."""
        if self.enlarged is None or self.enlarged_image is None:
            raise UserError("no sample is enlarged", "click a sample in the grid first")
        k, seed = self.enlarged
        return self.enlarged_image, {"model": str(self.path), "class": k, "seed": seed}

    # -- morph ---------------------------------------------------------------------------
    def set_morph(self, settings: MorphSettings) -> MorphSettings:
        """Check and keep the morph settings (UserError names what is wrong)."""
        g = self.model()
        for k in (settings.start, settings.end):
            g.class_index(k)
        check_range(settings.frames, 2, MAX_MORPH_FRAMES, "frames")
        check_range(settings.fps, 1, 60, "fps")
        if settings.end_seed is not None:
            check_range(settings.end_seed, 0, MAX_SEED, "end seed")
        self.morph_settings = settings
        return settings

    def morph_info(self) -> dict:
        m = self.morph_settings
        return {"model": str(self.path), "from": self.names[m.start], "to": self.names[m.end], "frames": m.frames,
                "seed": self.seed, "end_seed": -1 if m.end_seed is None else m.end_seed, "fps": m.fps}

    def morph_or_refuse(self) -> np.ndarray:
        if self.morph is None:
            raise UserError("there is no morph to export yet", "choose two classes and press Morph")
        return self.morph

    # -- batch export --------------------------------------------------------------------
    def set_batch_per_class(self, n: int) -> None:
        self.batch_per_class = check_range(n, 1, MAX_PER_CLASS, "samples per class")
