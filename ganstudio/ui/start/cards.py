"""The start page's cards, without Qt: what each page does, its button, and the model its picture comes from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ganstudio.modelfiles.library import ModelEntry
from ganstudio.ui.common.featured import can_restyle, can_walk, draws_points, has_classes


@dataclass(frozen=True)
class Card:
    """One card of the start page: what the page does, and the button that goes there."""

    key: str
    title: str
    blurb: str
    button: str
    page: str  # the page title the button opens
    fits: Callable[[ModelEntry], bool]  # the bundled model the card's picture comes from
    hands_model: bool  # the button hands that model to the page


CARDS = (
    Card("walk", "Latent Walk", "Morph smoothly between samples of a trained model; export a GIF, a video or a "
         "sprite sheet.", "Morph a bundled model", "Latent Walk", can_walk, True),
    Card("style", "Style Transfer", "Repaint your photos in a painter's style, at their full resolution.",
         "Restyle a photo", "Style Transfer", can_restyle, True),
    Card("train", "Train", "Train a GAN on a folder of your own images and watch it learn, step by step.",
         "Train on your folder", "Train", draws_points, False),
    Card("classes", "Classes", "Ask a model trained on labelled images for any class, or morph one class into "
         "another.", "Classes", "Classes", has_classes, True),
)
