"""What the scripts that train and package bundled models share: where the datasets are."""

from __future__ import annotations

from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"
