"""Which bundled model each page starts with: by what it can do, the preferred one first (no Qt)."""

from __future__ import annotations

from pathlib import Path

from ganstudio.modelfiles.library import ModelEntry
from ganstudio.ui.common.featured import PREFERRED, can_restyle, can_walk, draws_points, featured, has_classes
from ganstudio.ui.start.cards import CARDS


def entry(ident: str, source: str = "bundled", kind: str = "gan", **info) -> ModelEntry:
    return ModelEntry(ident, ident, Path(f"{ident}.pt"), source, kind, info)


LIBRARY = [entry("mine", "run", arch="dcgan"), entry("digits", resolution=28), entry("ring", resolution=None),
           entry("fashion", resolution=28, classes=["a", "b"]), entry("monet", kind="cyclegan", resolution=128)]


def test_each_page_starts_with_the_first_bundled_model_that_fits():
    pick = {f.__name__: featured(LIBRARY, f).id for f in (can_walk, has_classes, can_restyle, draws_points)}
    assert pick == {"can_walk": "digits", "has_classes": "fashion", "can_restyle": "monet", "draws_points": "ring"}


def test_the_preferred_model_goes_first_where_it_fits():
    library = [*LIBRARY, entry(PREFERRED, resolution=256)]
    assert featured(library, can_walk).id == PREFERRED
    assert featured(library, has_classes).id == "fashion"  # it has no classes
    assert featured([entry("mine", "run", arch="dcgan")], can_walk) is None  # runs are never featured


def test_every_card_has_a_page_and_a_button():
    assert [c.page for c in CARDS] == ["Latent Walk", "Style Transfer", "Train", "Classes"]
    assert [c.button for c in CARDS][:2] == ["Morph a bundled model", "Restyle a photo"]
