"""`LabSession`: the state of one lab run and every view of it, stepped one phase at a time.

`step("d")` runs the D updates of one iteration only, `step("g")` the G updates only and
`step("both")` one whole iteration. After each step a `Snapshot` (plain numpy arrays and
floats) is recorded, so the page can scrub back to any earlier step while training goes on in
another thread: snapshots are never changed once made. The session itself is used by one
thread at a time (the page's job runner).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ganstudio.core.errors import UserError
from ganstudio.data.coverage import N_EVAL, mode_coverage
from ganstudio.lab import nets
from ganstudio.lab.density import divergences
from ganstudio.lab.settings import PHASES, LabSettings, check
from ganstudio.lab.shapes import real_points, view_bounds
from ganstudio.models import losses
from ganstudio.models.mlp import latent_code

HEAT_RES = 48  # cells per side of D's heat map
N_SHOWN = 300  # fake points drawn (and given arrows) in the view
MANIFOLD_1D, MANIFOLD_2D = 61, 15  # latent grid points: a curve, or lines of a square grid
MAX_HISTORY = 600  # snapshots kept; past this every other one is dropped and recording thins out
PREDICTION_BINS = 20  # bins of D's verdict (0 … 1) in the histogram of its predictions


@dataclass(frozen=True)
class Snapshot:
    """The view of a run after one step; never modified, safe to hand to another thread."""

    step: int
    phase: str  # the phase just run: d | g | both | init
    fake: np.ndarray  # (N_SHOWN, 2) G of the fixed noise
    arrows: np.ndarray  # (N_SHOWN, 2) the direction G's loss pushes each fake point
    heat: np.ndarray  # (HEAT_RES, HEAT_RES) how real D finds each cell (0 … 1), rows are y
    manifold: np.ndarray  # G of the latent grid: (L, 2) for 1D noise, (L, L, 2) otherwise
    manifold_code: np.ndarray | None  # the latent code of each grid point, (L,) or (L, L); None without codes
    predictions: np.ndarray  # (2, PREDICTION_BINS) share of the real and of the generated points per verdict
    stats: dict[str, float]


class LabSession:
    """Data, networks, optimisers, the step and the recorded history of one run."""

    def __init__(self, settings: LabSettings, drawn: np.ndarray | None = None) -> None:
        self.settings = s = check(settings)
        self.drawn = None if drawn is None else np.asarray(drawn, np.float32)
        self.real, self.modes = real_points(s.shape, s.seed, self.drawn)
        self.bounds = view_bounds(self.real)
        self.gen = torch.Generator().manual_seed(s.seed)
        self._real_t = torch.from_numpy(self.real)
        self.G, self.D = nets.build_nets(s, self._real_t, self.gen)
        wgan = s.loss == "wgan-gp"
        self.opt_g = nets.optimiser(s.opt_g, self.G.parameters(), s.lr_g, wgan)
        self.opt_d = nets.optimiser(s.opt_d, self.D.parameters(), s.lr_d, wgan)
        fixed = torch.Generator().manual_seed(s.seed + 1)
        self.z_eval = nets.noise(s, N_EVAL, fixed)  # the first N_SHOWN are the points on view
        self.step_count = 0
        self.history: list[Snapshot] = []
        self._stride = 1
        self._last: dict[str, float] = {"loss_d": float("nan"), "loss_g": float("nan"),
                                        "grad_d": 0.0, "grad_g": 0.0}
        self.latest = self.snapshot("init")  # the newest snapshot, recorded or not
        self._record(self.latest)

    # -- training ------------------------------------------------------------------------
    def step(self, phase: str = "both", view: bool = True) -> Snapshot:
        """D's updates, G's updates or both (one iteration), then a recorded snapshot
        (`view=False`, for runs nobody watches: the snapshot stays that of the last viewed step)."""
        if phase not in PHASES:
            raise UserError(f"unknown phase '{phase}'", "step d, g or both")
        s = self.settings
        if phase in ("d", "both"):
            for _ in range(s.d_steps):
                self._d_update()
        if phase in ("g", "both"):
            for _ in range(s.g_steps):
                self._g_update()
        self.step_count += 1
        if not view:
            return self.latest
        self.latest = self.snapshot(phase)
        self._record(self.latest)
        return self.latest

    def run(self, steps: int, phase: str = "both", view_every: int = 1) -> Snapshot:
        """`steps` steps, viewing every `view_every`-th and the last."""
        for i in range(1, steps + 1):
            self.step(phase, view=i % view_every == 0 or i == steps)
        return self.latest

    def _real_batch(self) -> torch.Tensor:
        idx = torch.randint(len(self._real_t), (self.settings.batch,), generator=self.gen)
        return self._real_t[idx]

    def _d_update(self) -> None:
        s = self.settings
        real = self._real_batch()
        with torch.no_grad():
            fake = self.G(nets.noise(s, s.batch, self.gen))
        loss, _, _ = nets.d_loss(s, self.D, real, fake, self.gen)
        self.opt_d.zero_grad(set_to_none=True)
        loss.backward()
        self._last.update(loss_d=float(loss.detach()), grad_d=nets.grad_norm(self.D))
        self.opt_d.step()

    def _g_update(self) -> None:
        s = self.settings
        self.D.requires_grad_(False)  # D's weights are constants here: G's step never moves them
        try:
            loss = nets.g_loss(s, self.D(self.G(nets.noise(s, s.batch, self.gen))))
            self.opt_g.zero_grad(set_to_none=True)
            loss.backward()
            self._last.update(loss_g=float(loss.detach()), grad_g=nets.grad_norm(self.G))
            self.opt_g.step()
        finally:
            self.D.requires_grad_(True)

    def _record(self, snap: Snapshot) -> None:
        if snap.step % self._stride:
            return
        self.history.append(snap)
        if len(self.history) > MAX_HISTORY:
            self.history = self.history[::2]
            self._stride *= 2

    # -- views ---------------------------------------------------------------------------
    def latent_grid(self) -> torch.Tensor:
        """The noise G's manifold is drawn from: a line (1D) or a square grid over the first two coordinates."""
        s = self.settings
        lim = 1.0 if s.noise == "uniform" else 2.0
        if s.z_dim == 1:
            return torch.linspace(-lim, lim, MANIFOLD_1D)[:, None]
        axis = torch.linspace(-lim, lim, MANIFOLD_2D)
        yy, xx = torch.meshgrid(axis, axis, indexing="ij")
        z = torch.zeros(MANIFOLD_2D * MANIFOLD_2D, s.z_dim)
        z[:, 0], z[:, 1] = xx.reshape(-1), yy.reshape(-1)
        return z

    @torch.no_grad()
    def manifold(self) -> np.ndarray:
        out = self.G(self.latent_grid()).numpy()
        return out if self.settings.z_dim == 1 else out.reshape(MANIFOLD_2D, MANIFOLD_2D, 2)

    def manifold_code(self) -> np.ndarray | None:
        """Which latent code each point of the grid picks, so the view joins only points of one code:
        G jumps between codes, and a line across a jump would cross empty space."""
        codes = self.settings.latent_codes
        if not codes:
            return None
        index = latent_code(self.latent_grid()[:, 0], codes).argmax(1).numpy()
        return index if self.settings.z_dim == 1 else index.reshape(MANIFOLD_2D, MANIFOLD_2D)

    def cell_centres(self, res: int = HEAT_RES) -> torch.Tensor:
        """(res², 2) points at the centres of the view's cells, row by row from the bottom."""
        xmin, xmax, ymin, ymax = self.bounds
        xs = xmin + (torch.arange(res) + 0.5) * (xmax - xmin) / res
        ys = ymin + (torch.arange(res) + 0.5) * (ymax - ymin) / res
        yy, xx = torch.meshgrid(ys, xs, indexing="ij")
        return torch.stack([xx.reshape(-1), yy.reshape(-1)], 1)

    @torch.no_grad()
    def heat(self) -> np.ndarray:
        return nets.probability(self.settings, self.D(self.cell_centres())).reshape(HEAT_RES, HEAT_RES).numpy()

    def arrows(self) -> tuple[np.ndarray, np.ndarray]:
        """Fake points on view and the negative gradient of G's loss at each: where G will move them."""
        with torch.no_grad():
            fake = self.G(self.z_eval[:N_SHOWN])
        fake.requires_grad_(True)
        (grad,) = torch.autograd.grad(nets.g_loss(self.settings, self.D(fake)) * N_SHOWN, fake)
        return fake.detach().numpy(), (-grad).numpy()

    @torch.no_grad()
    def generated(self) -> np.ndarray:
        """G of the fixed evaluation noise (N_EVAL points)."""
        return self.G(self.z_eval).numpy()

    def figures(self, fake: np.ndarray) -> dict[str, float]:
        """KL/JS of the densities, D's mean verdicts and, for mixtures, mode coverage."""
        out = dict(self._last)
        out.update(divergences(self.real, fake, self.bounds))
        with torch.no_grad():
            out["d_real"] = float(losses.d_probability(self._loss_kind(), self.D(self._real_t[:N_EVAL])))
            out["d_fake"] = float(losses.d_probability(self._loss_kind(), self.D(torch.from_numpy(fake))))
        if self.modes is not None:
            out.update(mode_coverage(fake, self.modes))
        return out

    @torch.no_grad()
    def predictions(self, fake: np.ndarray) -> np.ndarray:
        """(2, PREDICTION_BINS): the share of the real and of the generated evaluation points in each bin of
        D's verdict, a probability (a critic's score is centred on its mean over both sets first)."""
        real = self._real_t[:N_EVAL]
        verdict = nets.probability(self.settings, self.D(torch.cat([real, torch.from_numpy(fake)]))).reshape(-1)
        parts = verdict[: len(real)].numpy(), verdict[len(real):].numpy()
        return np.stack([np.histogram(p, bins=PREDICTION_BINS, range=(0.0, 1.0))[0] / max(len(p), 1) for p in parts])

    def _loss_kind(self) -> str:
        return "bce" if self.settings.loss.startswith("bce") else self.settings.loss

    def snapshot(self, phase: str) -> Snapshot:
        fake, push = self.arrows()
        generated = self.generated()
        return Snapshot(step=self.step_count, phase=phase, fake=fake, arrows=push, heat=self.heat(),
                        manifold=self.manifold(), manifold_code=self.manifold_code(),
                        predictions=self.predictions(generated), stats=self.figures(generated))
