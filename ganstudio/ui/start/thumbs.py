"""The start page's live pictures, made by the bundled models when the page is shown (no Qt).

Each function is a job body run on the page's `JobRunner` thread and returns uint8 frames
(N, H, W, 3): an animated morph for the Latent Walk card, one still for the others.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

MORPH_SEEDS = (0, 1, 2)
MORPH_FRAMES = 16  # per segment


def walk_frames(path: Path) -> np.ndarray:
    """A looping morph through three seeds (through three classes for a conditional model)."""
    from ganstudio.modelfiles.generator import load_generator
    from ganstudio.walk.render import Renderer, plan
    from ganstudio.walk.timeline import Keyframe, Walk

    g = load_generator(path)
    keys = tuple(Keyframe(seed=s, cls=i % g.num_classes if g.num_classes else None, frames=MORPH_FRAMES)
                 for i, s in enumerate(MORPH_SEEDS))
    renderer = Renderer(g, plan(g, Walk(keyframes=keys)))
    return renderer.render(range(len(renderer)))


def class_poster(path: Path) -> np.ndarray:
    """One row per class, four samples each."""
    from ganstudio.classgen.generate import poster
    from ganstudio.core.render import image_grid
    from ganstudio.modelfiles.generator import load_generator

    g = load_generator(path)
    return image_grid(poster(g, 4, 0), 4)[None]


def learned_points(path: Path) -> np.ndarray:
    """What a 2D toy GAN learned: its samples as a scatter plot."""
    from ganstudio.core.render import scatter
    from ganstudio.modelfiles.generator import load_generator

    g = load_generator(path)
    return scatter(g.generate(g.latents(list(range(600)))), size=240)[None]


def landscape(width: int = 192, height: int = 128) -> np.ndarray:
    """A made-up photo (sky, sun, hills, a lake) for the style card: the app ships no photos."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    sky = np.stack([110 + 0.5 * y, 160 + 0.4 * y, 235 - 0.2 * y], -1)
    img = sky.copy()
    sun = (x - width * 0.72) ** 2 + (y - height * 0.25) ** 2 < (height * 0.1) ** 2
    img[sun] = (255, 230, 150)
    hills = y > height * 0.55 + 10 * np.sin(x / width * 7)
    img[hills] = np.stack([60 + 0.2 * x, 120 + 0.3 * y, 60 + 0.1 * x], -1)[hills]
    lake = y > height * 0.82
    img[lake] = np.stack([70 + 0 * x, 110 + 0.2 * x, 170 + 0 * x], -1)[lake]
    return np.clip(img, 0, 255).astype(np.uint8)


def restyled(path: Path) -> np.ndarray:
    """The made-up photo before and after the style, side by side."""
    from ganstudio.style.tiles import load_style_model, stylize_array

    model = load_style_model(path)
    before = landscape()
    after = stylize_array(model.nets["AB"], before)
    return np.concatenate([before, np.full((before.shape[0], 4, 3), 255, np.uint8), after], axis=1)[None]


PICTURES = {"walk": walk_frames, "style": restyled, "train": learned_points, "classes": class_poster}
