"""The projection loop: a generator of plain-data events, driven alike by the CLI and the window.

    for event in project(g, photo, settings, control):
        ...  # Started, Step (every step), Preview (every `preview_every`), Finished (the best latent)

1. Search: every candidate (w_avg and mapped seeds; per class when no class is given) gets a few
   steps at once, in one batch; the one with the lowest loss is kept.
2. W: one w for every layer (a DCGAN: its z). For W+, the second half of the steps gives every
   layer its own w, starting from the W result.
Noise maps are optimised beside the styles (StyleGAN2's projector: a penalty on their
autocorrelation, renormalised after every step). The best latent seen, by the loss it was measured
with, is the result — so a stop at any step returns the best so far, and W+ can only improve on W.
"""

from __future__ import annotations

import math
from collections import abc
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import torch

from ganstudio.core.errors import UserError
from ganstudio.modelfiles.generator import Generator, to_uint8
from ganstudio.projection import losses as L
from ganstudio.projection.events import Event, Finished, Preview, Projection, Started, Step
from ganstudio.projection.photo import Photo
from ganstudio.projection.settings import ProjectionControl, ProjectionSettings
from ganstudio.projection.subject import StyleSubject, Subject, ZSubject, d_features, target_tensor

SEARCH_BATCH = 16  # candidates per batch in the search


@dataclass
class _Best:
    loss: float
    latent: torch.Tensor  # (1, L, D)
    label: torch.Tensor | None  # (1,)
    noise: list[torch.Tensor] | None


class _Run:
    """One projection's state: the target, the losses, the best latent so far."""

    def __init__(self, g: Generator, photo: Photo, s: ProjectionSettings, control: ProjectionControl,
                 cancelled: Callable[[], bool] | None) -> None:
        self.g, self.s, self.control, self.cancelled = g, s, control, cancelled
        self.subject: Subject = StyleSubject(g, s.space) if g.has_w else ZSubject(g)
        self.target = target_tensor(photo.pixels, g.config.channels, g.device)
        self.target_pyr = L.pyramid(self.target)
        self.d = self.subject.discriminator() if s.features > 0 else None
        with torch.no_grad():
            self.target_feats = d_features(self.d, self.target) if self.d is not None else None
        self.gen = torch.Generator().manual_seed(int(s.seed))
        self.best: _Best | None = None
        self.step = 0
        self.total = 0

    def halted(self) -> bool:
        """Wait while paused; True once a stop (or the window's cancel) is asked for."""
        cancelled = self.cancelled or (lambda: False)
        while self.control.paused and not self.control.stopped and not cancelled():
            self.control.wait_while_paused(0.1)
        return self.control.stopped or cancelled()

    def loss(self, img: torch.Tensor, latent: torch.Tensor, labels: torch.Tensor | None,
             noise: list[torch.Tensor] | None) -> dict[str, torch.Tensor]:
        """Each weighted part per image (B,)."""
        s = self.s
        l1, l2 = L.pixel_losses(img, self.target_pyr)
        parts = {"pixels": s.pixel * (l1 + l2), "ssim": s.ssim * (1 - L.multiscale_ssim(img, self.target))}
        if self.d is not None and self.target_feats is not None:
            parts["features"] = s.features * L.feature_loss(d_features(self.d, img), self.target_feats)
        parts["pull"] = s.pull * self.subject.pull(latent, labels)
        if noise is not None:
            parts["noise"] = s.noise_reg * L.noise_penalty(noise).expand(len(img))
        return parts

    def keep(self, score: torch.Tensor, latent: torch.Tensor, labels: torch.Tensor | None,
             noise: list[torch.Tensor] | None) -> None:
        """Remember the lowest-scoring latent of the batch if it beats the best so far."""
        score = score.detach()
        i = int(score.argmin())
        if self.best is None or float(score[i]) < self.best.loss:
            self.best = _Best(float(score[i]), latent[i:i + 1].detach().clone(),
                              None if labels is None else labels[i:i + 1].clone(),
                              None if noise is None else [n.detach().clone() for n in noise])


def _schedule(t: float, base: float) -> float:
    """StyleGAN2's projector: a 5 % warm-up and a cosine fall over the last quarter."""
    ramp = min(1.0, (1.0 - t) / 0.25)
    return base * (0.5 - 0.5 * math.cos(math.pi * ramp)) * min(1.0, t / 0.05)


@dataclass
class _End:
    """Where a phase stopped: its latent, its noise maps and Adam's state of each (latent first)."""

    latent: torch.Tensor
    noise: list[torch.Tensor] | None
    state: list[dict]


def _phase(run: _Run, phase: str, latent: torch.Tensor, labels: torch.Tensor | None,
           noise: list[torch.Tensor] | None, steps: int, offset: int = 0, span: int | None = None,
           state: list[dict] | None = None) -> abc.Generator[Event, None, _End]:
    """`steps` Adam steps on `latent` (and `noise`), yielding Step / Preview events; stops when halted.
    The learning rate and the jitter follow one schedule over `span` steps, of which this phase starts at
    `offset`, and Adam starts from `state` when given: so W+ carries on where W stopped."""
    s, subject = run.s, run.subject
    span = span or steps
    latent = latent.detach().clone().requires_grad_(True)
    params = [latent] + (noise or [])
    for n in noise or []:
        n.requires_grad_(True)
    opt = torch.optim.Adam(params, lr=s.lr, betas=(0.9, 0.999))
    for p, st in zip(params, state or [], strict=False):
        if st:
            opt.state[p] = st
    spread = subject.spread() * s.w_noise
    for i in range(steps):
        if run.halted():
            break
        t = (offset + i + 0.5) / span
        for group in opt.param_groups:
            group["lr"] = _schedule(t, s.lr)
        jitter = spread * max(0.0, 1 - t / 0.75) ** 2
        shaken = latent + torch.randn(latent.shape, generator=run.gen).to(latent.device) * jitter \
            if jitter > 0 else latent
        img = subject.render(shaken, labels, noise)
        parts = run.loss(img, shaken, labels, noise)
        score = torch.stack([v for k, v in parts.items() if k != "noise"]).sum(0)  # (B,): what "best" means
        run.keep(score, shaken, labels, noise)
        grads = torch.autograd.grad(score.sum() + parts.get("noise", score.new_zeros(1))[0], params)
        for p, grad in zip(params, grads, strict=True):
            p.grad = grad
        opt.step()
        if noise is not None:
            L.renormalise(noise)
        run.step += 1
        i_best = int(score.detach().argmin())
        yield Step(run.step, run.total, phase, float(score[i_best].detach()),
                   {k: float(v[i_best].detach()) for k, v in parts.items()})
        if run.step % s.preview_every == 0:
            yield Preview(run.step, to_uint8(img[i_best:i_best + 1].detach())[0])
    return _End(latent.detach(), noise, [opt.state[p] for p in params])


def _per_layer(state: dict, layers: int) -> dict:
    """Adam's state of one shared w as that of `layers` copies: each layer took 1/layers of its gradient,
    so its moments are the shared ones over layers and layers² (Adam's step is the same for both)."""
    if not state:
        return {}
    return {"step": state["step"].clone(), "exp_avg": state["exp_avg"].repeat(1, layers, 1) / layers,
            "exp_avg_sq": state["exp_avg_sq"].repeat(1, layers, 1) / layers ** 2}


def _checked(g: Generator, photo: Photo, s: ProjectionSettings) -> ProjectionSettings:
    """The settings, refused with a sentence when they do not fit the model or the photo."""
    s.validate()
    if not g.is_image_model:
        raise UserError(f"{g.path.name} makes 2D points, not images", "project photos into an image model")
    if g.has_w and s.space == "z":
        raise UserError(f"{g.path.name} is a StyleGAN: it is projected in w or w+, not z")
    if not g.has_w and s.space != "z":
        raise UserError(f"{g.path.name} has no W space, so {s.space.upper()} does not apply",
                        "a DCGAN is projected in its z space (--space z, or leave --space out)")
    if photo.pixels.shape[:2] != (g.config.img_size,) * 2:
        raise UserError(f"the photo was prepared at {photo.pixels.shape[0]} px, not the model's {g.config.img_size}")
    if s.cls is not None:
        g.class_index(s.cls)  # a class of an unconditional model, or one that does not exist: a sentence
    return s


def _candidates(run: _Run) -> tuple[torch.Tensor, torch.Tensor | None]:
    """(N, 1, D) starting latents and their classes: `restarts` per class tried."""
    g, s = run.g, run.s
    if not g.num_classes:
        return run.subject.starts(None, s.restarts, run.gen), None
    classes = torch.tensor([s.cls] if s.cls is not None else list(range(g.num_classes)))
    starts = run.subject.starts(classes, s.restarts, run.gen)
    return starts, classes.repeat_interleave(s.restarts).to(g.device)


def _search(run: _Run, starts: torch.Tensor, labels: torch.Tensor | None) -> Iterator[Event]:
    """A few steps for every candidate, a batch at a time (no steps: judged as they start)."""
    for lo in range(0, len(starts), SEARCH_BATCH):
        chunk, lab = starts[lo:lo + SEARCH_BATCH], None if labels is None else labels[lo:lo + SEARCH_BATCH]
        if run.s.search_steps and len(starts) > 1:
            yield from _phase(run, "search", chunk, lab, None, run.s.search_steps)
        else:
            _judge(run, chunk, lab)
        if run.halted():
            return


def _judge(run: _Run, latents: torch.Tensor, labels: torch.Tensor | None) -> None:
    """Score latents as they are (no step) and keep the best."""
    with torch.no_grad():
        parts = run.loss(run.subject.render(latents, labels, None), latents, labels, None)
    run.keep(torch.stack(list(parts.values())).sum(0), latents, labels, None)


def _main(run: _Run) -> Iterator[Event]:
    """W (or z) from the best candidate; for W+, its second half with one w per layer."""
    s, subject = run.s, run.subject
    assert run.best is not None
    noise = subject.start_noise() if s.noise else None
    first = s.steps // 2 if s.space == "w+" else s.steps
    label = run.best.label
    end = yield from _phase(run, "z" if s.space == "z" else "w", run.best.latent, label, noise, first,
                            span=s.steps)
    if s.space != "w+" or run.halted():
        return
    n = run.g.num_ws
    yield from _phase(run, "w+", end.latent.expand(-1, n, -1), label, end.noise, s.steps - first, offset=first,
                      span=s.steps, state=[_per_layer(end.state[0], n), *end.state[1:]])


def _result(run: _Run) -> Projection:
    """The best latent, drawn without the search's jitter."""
    b, g = run.best, run.g
    assert b is not None
    with torch.no_grad():
        image = to_uint8(run.subject.render(b.latent, b.label, b.noise))[0]
    if g.has_w:
        ws = b.latent.expand(-1, g.num_ws, -1)[0] if b.latent.shape[1] == 1 else b.latent[0]
        ws_np, z_np = ws.float().cpu().numpy().copy(), None
    else:
        ws_np, z_np = None, b.latent[0, 0].float().cpu().numpy().copy()
    noise = tuple(n[0, 0].float().cpu().numpy().copy() for n in b.noise) if b.noise is not None else ()
    target = to_uint8(run.target)[0]
    return Projection(run.s.space, ws_np, z_np, noise, None if b.label is None else int(b.label[0]), image, target,
                      b.loss, run.step, run.step < run.total, tuple(run.subject.notes))


def project(g: Generator, photo: Photo, settings: ProjectionSettings | None = None,
            control: ProjectionControl | None = None,
            cancelled: Callable[[], bool] | None = None) -> Iterator[Event]:
    """Find the latent of `photo` in `g`; see the module docstring. Deterministic for a seed on one device."""
    s = _checked(g, photo, settings or ProjectionSettings(space="w" if g.has_w else "z"))
    run = _Run(g, photo, s, control or ProjectionControl(), cancelled)
    starts, labels = _candidates(run)
    searched = math.ceil(len(starts) / SEARCH_BATCH) * s.search_steps if len(starts) > 1 else 0
    run.total = searched + s.steps
    yield Started(s.space, run.total, len(starts), tuple(run.subject.notes), to_uint8(run.target)[0])
    yield from _search(run, starts, labels)
    if run.best is None:  # stopped before the first step: the safest start is the answer
        _judge(run, starts[:1], None if labels is None else labels[:1])
    if not run.halted():
        yield from _main(run)
    yield Finished(_result(run))
