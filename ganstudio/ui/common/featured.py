"""Which library models a page can use, and the bundled one it starts with (no Qt).

Models are picked by what they can do (draw images, have classes, restyle photos), never by a
fixed id, so a model added to the manifest later shows up by itself; `PREFERRED` goes first
when it is bundled and fits.
"""

from __future__ import annotations

from collections.abc import Callable

from ganstudio.modelfiles.library import ModelEntry

PREFERRED = "monet-stylegan"  # shown first wherever it fits, once it is bundled


def can_walk(e: ModelEntry) -> bool:
    """A sampler of images: the Latent Walk can morph it."""
    return e.kind != "cyclegan" and e.draws_images


def has_classes(e: ModelEntry) -> bool:
    return can_walk(e) and e.conditional


def can_restyle(e: ModelEntry) -> bool:
    return e.kind == "cyclegan"


def draws_points(e: ModelEntry) -> bool:
    """A 2D toy model: it shows, in one picture, what a GAN learns."""
    return e.kind != "cyclegan" and not e.draws_images


def featured(entries: list[ModelEntry], fits: Callable[[ModelEntry], bool]) -> ModelEntry | None:
    """The bundled model a card or a page starts with: `PREFERRED` if it fits, else the first that fits."""
    found = [e for e in entries if e.source == "bundled" and fits(e)]
    return next((e for e in found if e.id == PREFERRED), found[0] if found else None)
