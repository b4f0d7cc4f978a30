"""The lab's run: steps of one network only, its views, its divergences, its settings and its file."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from ganstudio.core.errors import UserError
from ganstudio.lab.density import divergences
from ganstudio.lab.files import load_lab, save_lab
from ganstudio.lab.session import MANIFOLD_2D, PREDICTION_BINS, LabSession
from ganstudio.lab.settings import LabSettings, replace
from ganstudio.models.mlp import latent_code

TINY = LabSettings(shape="ring", neurons=16, batch=32)


def _weights(net: torch.nn.Module) -> list[torch.Tensor]:
    return [p.detach().clone() for p in net.parameters()]


def _same(a: list[torch.Tensor], b: list[torch.Tensor]) -> bool:
    return all(torch.equal(x, y) for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize("loss", ["bce", "bce-saturating", "lsgan", "hinge", "wgan-gp"])
def test_d_step_leaves_g_unchanged_and_g_step_leaves_d_unchanged(loss):
    s = LabSession(replace(TINY, loss=loss, r1=1.0 if loss == "bce" else 0.0))
    g0, d0 = _weights(s.G), _weights(s.D)
    s.step("d")
    assert _same(_weights(s.G), g0) and not _same(_weights(s.D), d0)
    g1, d1 = _weights(s.G), _weights(s.D)
    s.step("g")
    assert _same(_weights(s.D), d1) and not _same(_weights(s.G), g1)


def test_steps_per_iteration_count_updates():
    """d_steps D updates per iteration: 3 Adam steps on D, 2 on G after one 'both'."""
    s = LabSession(replace(TINY, d_steps=3, g_steps=2))
    s.step("both")
    adam_steps = [int(next(iter(o.state.values()))["step"]) for o in (s.opt_d, s.opt_g)]
    assert adam_steps == [3, 2]


def test_manifold_is_g_of_the_latent_grid():
    s = LabSession(TINY)
    s.run(3)
    grid = s.latent_grid()
    assert grid.shape == (MANIFOLD_2D * MANIFOLD_2D, 2)
    with torch.no_grad():
        expected = s.G(grid).numpy().reshape(MANIFOLD_2D, MANIFOLD_2D, 2)
    np.testing.assert_allclose(s.latest.manifold, expected, rtol=0, atol=0)
    one = LabSession(replace(TINY, z_dim=1))
    with torch.no_grad():
        np.testing.assert_array_equal(one.manifold(), one.G(one.latent_grid()).numpy())
    assert one.latent_grid()[:, 0].tolist() == sorted(one.latent_grid()[:, 0].tolist())


def test_uniform_noise_stays_in_the_unit_box():
    s = LabSession(replace(TINY, noise="uniform"))
    assert float(s.z_eval.abs().max()) <= 1.0 and float(s.z_eval.std()) < 0.7  # U(-1, 1): std ≈ 0.58
    assert float(LabSession(TINY).z_eval.std()) > 0.9


def test_kl_js_of_data_against_itself_is_zero_and_against_a_shifted_copy_larger():
    s = LabSession(TINY)
    same = divergences(s.real, s.real, s.bounds)
    shifted = divergences(s.real, s.real + np.array([0.5, 0.0], np.float32), s.bounds)
    assert same["kl"] == pytest.approx(0, abs=1e-9) and same["js"] == pytest.approx(0, abs=1e-9)
    assert shifted["kl"] > 0.5 and shifted["js"] > 0.1
    assert shifted["js"] <= np.log(2) + 1e-9


def test_heat_map_arrows_and_history():
    s = LabSession(TINY)
    snap = s.run(4)
    assert snap.heat.shape == (48, 48) and snap.heat.min() >= 0 and snap.heat.max() <= 1
    assert snap.arrows.shape == snap.fake.shape and np.isfinite(snap.arrows).all()
    assert [h.step for h in s.history] == [0, 1, 2, 3, 4] and s.history[-1] is snap
    with torch.no_grad():
        assert snap.heat[0, 0] == pytest.approx(float(torch.sigmoid(s.D(s.cell_centres()[:1]))), abs=1e-6)


def test_history_thins_out_past_its_cap(monkeypatch):
    monkeypatch.setattr("ganstudio.lab.session.MAX_HISTORY", 8)
    s = LabSession(TINY)
    s.run(20)
    steps = [h.step for h in s.history]
    assert len(steps) <= 8 and steps == sorted(steps) and all(k % 4 == 0 for k in steps)
    assert s.latest.step == 20


def test_same_seed_same_run_other_seed_other_run():
    a, b, c = (LabSession(replace(TINY, seed=k)) for k in (1, 1, 2))
    for s in (a, b, c):
        s.run(3)
    np.testing.assert_array_equal(a.latest.fake, b.latest.fake)
    assert not np.array_equal(a.latest.fake, c.latest.fake)


def test_drawn_distribution_is_the_training_data():
    drawn = np.array([[-1.0, -1.0], [-1.1, -0.9], [1.0, 1.0], [0.9, 1.1]], np.float32)
    s = LabSession(replace(TINY, shape="drawn"), drawn)
    near = np.linalg.norm(s.real[:, None] - drawn[None], axis=2).min(1)
    assert len(s.real) == 2000 and np.quantile(near, 0.99) < 0.4
    with pytest.raises(UserError, match="draw a distribution"):
        LabSession(replace(TINY, shape="drawn"), drawn[:1])


@pytest.mark.parametrize(("change", "message"), [
    ({"loss": "nope"}, "unknown loss"), ({"neurons": 0}, "neurons"), ({"lr_g": 0.0}, "learning rate"),
    ({"latent_codes": 4, "noise": "uniform"}, "Gaussian noise"), ({"shape": "cube"}, "unknown shape"),
])
def test_bad_settings_are_refused_plainly(change, message):
    with pytest.raises(UserError, match=message):
        LabSession(replace(TINY, **change))
    with pytest.raises(UserError, match="unknown phase"):
        LabSession(TINY).step("x")


def test_save_and_load_continue_the_run(tmp_path):
    s = LabSession(replace(TINY, shape="drawn"), np.array([[0, 0], [1, 1], [2, 0]], np.float32))
    s.run(5)
    path = save_lab(s, tmp_path / "run.lab")
    t = load_lab(path)
    assert t.step_count == 5 and t.settings == s.settings
    np.testing.assert_array_equal(t.real, s.real)
    np.testing.assert_array_equal(t.latest.fake, s.latest.fake)
    s.run(2)
    t.run(2)
    np.testing.assert_array_equal(t.latest.fake, s.latest.fake)  # same batches: the random state travels too
    np.testing.assert_array_equal(t.latest.heat, s.latest.heat)


def test_foreign_and_truncated_lab_files_are_refused(tmp_path):
    bad = tmp_path / "x.lab"
    bad.write_bytes(b"not a torch file")
    with pytest.raises(UserError, match="truncated or not a PyTorch"):
        load_lab(bad)
    torch.save({"format": "ganstudio-generator", "version": 1}, bad)
    with pytest.raises(UserError, match="not a GAN Studio lab file"):
        load_lab(bad)
    torch.save({"format": "ganstudio-lab", "version": 1, "settings": {"shape": "ring"}, "G": {}}, bad)
    with pytest.raises(UserError, match="damaged lab file"):
        load_lab(bad)


def test_d_s_predictions_when_d_wins():
    """Trained alone, D finds the real points more real than the generated ones: in its mean verdicts and
    in where each set falls in the histogram of its predictions."""
    s = LabSession(TINY)
    first = s.latest
    snap = s.run(60, "d")
    assert snap.predictions.shape == (2, PREDICTION_BINS)
    np.testing.assert_allclose(snap.predictions.sum(1), [1.0, 1.0])
    centres = (np.arange(PREDICTION_BINS) + 0.5) / PREDICTION_BINS
    mean_real, mean_fake = snap.predictions @ centres
    assert snap.stats["d_real"] > snap.stats["d_fake"] + 0.1 and mean_real > mean_fake + 0.1
    assert abs(first.stats["d_real"] - first.stats["d_fake"]) < snap.stats["d_real"] - snap.stats["d_fake"]


def test_each_network_has_its_own_optimiser_and_rate():
    s = LabSession(replace(TINY, opt_d="rmsprop", lr_d=3e-3, opt_g="sgd", lr_g=2e-2))
    assert isinstance(s.opt_d, torch.optim.RMSprop) and s.opt_d.param_groups[0]["lr"] == 3e-3
    assert isinstance(s.opt_g, torch.optim.SGD) and s.opt_g.param_groups[0]["lr"] == 2e-2
    d0 = _weights(s.D)
    s.step("d")
    assert not _same(_weights(s.D), d0) and int(s.opt_d.state[next(iter(s.D.parameters()))]["step"]) == 1


def test_manifold_codes_say_which_code_each_grid_point_picks():
    s = LabSession(replace(TINY, latent_codes=4, z_dim=3))
    code = s.latest.manifold_code
    assert code is not None and code.shape == (MANIFOLD_2D, MANIFOLD_2D)
    np.testing.assert_array_equal(code.reshape(-1), latent_code(s.latent_grid()[:, 0], 4).argmax(1).numpy())
    assert set(np.unique(code)) == {0, 1, 2, 3} and (code == code[:1]).all()  # the code follows the first coordinate
    assert LabSession(TINY).latest.manifold_code is None
