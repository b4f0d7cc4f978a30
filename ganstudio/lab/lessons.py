"""The lessons: each a preset, a few plain sentences, one question, and a claim about its run.

Every claim is checked by running the lesson headless (`check(lesson)`), so the words a learner
reads are true of the run the lesson starts. A lesson with a `fix` compares two runs that
differ in one setting: the same data, the same seed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np

from ganstudio.lab.images import IMAGES, ImageLesson
from ganstudio.lab.session import LabSession
from ganstudio.lab.settings import LabSettings, replace

Figures = dict[str, float]


@dataclass(frozen=True)
class Lesson:
    key: str
    title: str
    preset: LabSettings
    steps: int  # iterations the lesson plays before it pauses
    text: str  # two or three sentences for a learner
    question: str  # one thing to look at
    claim: str  # what `check` verifies, in words
    measure: Callable[[Lesson], Figures] = field(repr=False)  # runs the lesson headless
    holds: Callable[[Figures], bool] = field(repr=False)  # the claim, on those figures
    fix: LabSettings | None = None  # the same run with the one setting the lesson is about changed
    fix_label: str = ""
    phase: str = "both"  # what the lesson's steps run: both networks, or D alone


def check(lesson: Lesson) -> tuple[bool, Figures]:
    """Run the lesson headless; whether its claim holds, and the figures it was judged on."""
    figures = lesson.measure(lesson)
    return lesson.holds(figures), figures


def _minimax(lesson: Lesson) -> Figures:
    s = LabSession(lesson.preset)
    before = s.run(lesson.steps, view_every=lesson.steps)
    after_d = s.run(5, "d")
    after_g = s.run(5, "g")
    return {"heat_change": float(np.abs(after_d.heat - before.heat).mean()),
            "fake_moved_by_d": float(np.abs(after_d.fake - before.fake).max()),
            "fake_moved_by_g": float(np.abs(after_g.fake - after_d.fake).mean()),
            "d_fake_before_g": after_d.stats["d_fake"], "d_fake_after_g": after_g.stats["d_fake"]}


def _vanishing(lesson: Lesson) -> Figures:
    out: Figures = {}
    assert lesson.fix is not None
    for name, settings in (("saturating", lesson.preset), ("non_saturating", lesson.fix)):
        s = LabSession(settings)
        s.run(lesson.steps, lesson.phase, view_every=lesson.steps)  # D alone: it wins
        snap = s.step("g")
        out[f"grad_g_{name}"] = snap.stats["grad_g"]
        out[f"d_fake_{name}"] = snap.stats["d_fake"]
    return out


def _collapse(lesson: Lesson) -> Figures:
    out: Figures = {}
    assert lesson.fix is not None
    for name, settings in (("plain", lesson.preset), ("fix", lesson.fix)):
        st = LabSession(settings).run(lesson.steps, view_every=lesson.steps).stats
        out.update({f"modes_{name}": st["modes"], f"loss_d_{name}": st["loss_d"], f"kl_{name}": st["kl"]})
    return out


def _instability(lesson: Lesson) -> Figures:
    out: Figures = {}
    assert lesson.fix is not None
    for name, settings in (("high", lesson.preset), ("low", lesson.fix)):
        s = LabSession(settings)
        s.run(lesson.steps - 30, view_every=lesson.steps)
        h = [s.step() for _ in range(30)]
        out[f"jump_{name}"] = float(np.mean([np.abs(b.fake - a.fake).mean() for a, b in pairwise(h)]))
    return out


RING = LabSettings(shape="ring")
RING8 = LabSettings(shape="ring8", neurons=64, batch=256)
RING8_CODES = replace(RING8, latent_codes=16, z_dim=3)
TWO_BLOBS_FAST = LabSettings(shape="gaussians", lr_g=0.03, lr_d=0.03)

LESSONS: tuple[Lesson, ...] = (
    Lesson("minimax", "1 · The minimax game", RING, 100,
           "D learns to tell real points from generated ones; G learns to fool D. They take turns. "
           "The background is D's belief: green where it says real, purple where it says fake.",
           "Step D alone a few times, then G alone: which one moves the background, and which the purple points?",
           "Stepping D changes the heat map and leaves every generated point where it was; stepping G "
           "moves the points, and D then finds them more real.",
           _minimax,
           lambda f: f["heat_change"] > 0.005 and f["fake_moved_by_d"] == 0.0 and f["fake_moved_by_g"] > 0.01
           and f["d_fake_after_g"] > f["d_fake_before_g"]),
    Lesson("vanishing", "2 · Vanishing gradients", replace(RING, loss="bce-saturating"), 150,
           "Here D trains alone until it is sure every generated point is fake. With the original "
           "minimax loss, log(1 − D(G(z))), G then gets almost no gradient: it cannot learn from a D that wins. "
           "The non-saturating loss, −log D(G(z)), keeps a strong gradient in the same place.",
           "When it pauses, step G once, here and after the fix: how strong is G's gradient in the line of figures?",
           "After the same 150 D steps, G's gradient with the saturating loss is under a fifth of its "
           "gradient with the non-saturating loss.",
           _vanishing,
           lambda f: f["grad_g_saturating"] < 0.2 * f["grad_g_non_saturating"],
           fix=RING, fix_label="Use the non-saturating loss", phase="d"),
    Lesson("collapse", "3 · Mode collapse", RING8, 500,
           "The data are 8 separate clusters. G is a smooth function of smooth noise, so it cannot jump "
           "between clusters: it smears its points over the gaps. Discrete latent codes let G pick "
           "a cluster first, then place the point.",
           "How many of the 8 clusters does G reach, and how many after the fix?",
           "After 500 steps the plain run covers at most 3 of the 8 modes and the run with 16 latent codes "
           "at least 6.",
           _collapse,
           lambda f: f["modes_plain"] <= 3 and f["modes_fix"] >= 6,
           fix=RING8_CODES, fix_label="Add 16 latent codes"),
    Lesson("instability", "4 · Instability", TWO_BLOBS_FAST, 230,
           "With learning rates too high, each player overshoots its answer to the other, and the game "
           "never settles: the generated points jump around from step to step. Lower rates take smaller, "
           "steadier steps.",
           "Watch the purple points at rate 0.03, then at 0.001. Do spectral norm or WGAN-GP calm the fast run?",
           "Over the last 30 steps the generated points move more than three times as far per step at "
           "rate 0.03 as at 0.001.",
           _instability,
           lambda f: f["jump_high"] > 3 * f["jump_low"],
           fix=replace(TWO_BLOBS_FAST, lr_g=1e-3, lr_d=1e-3), fix_label="Lower both rates to 0.001"),
    Lesson("evaluation", "5 · A low loss is not a good generator", RING8, 500,
           "The losses of a collapsed run and a healthy run look alike: in both, D ends up unsure (near "
           "ln 4 ≈ 1.39 for D's loss). Counting modes and the share of good samples tells them apart.",
           "D's loss is nearly the same with and without the latent codes: are the modes captured?",
           "After 500 steps D's losses of the two runs are both within 0.15 of ln 4 and differ by less than 0.25, "
           "while the run with codes covers at least 3 more modes.",
           _collapse,
           lambda f: abs(f["loss_d_plain"] - f["loss_d_fix"]) < 0.25 and f["modes_fix"] - f["modes_plain"] >= 3
           and all(abs(f[k] - math.log(4)) < 0.15 for k in ("loss_d_plain", "loss_d_fix")),
           fix=RING8_CODES, fix_label="Add 16 latent codes"),
)


COURSE: tuple[Lesson | ImageLesson, ...] = (*LESSONS, IMAGES)  # the 2D lessons, then the step to images


def lesson(key: str) -> Lesson:
    return next(x for x in LESSONS if x.key == key)
