"""The Learn page: each control changes the run as it says, and training stays off the GUI thread."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import torch
from PIL import Image
from PySide6.QtCore import QPoint, QPointF, Qt

from ganstudio.lab.images import IMAGES
from ganstudio.lab.session import LabSession
from ganstudio.lab.settings import replace
from ganstudio.ui.learn import page as learn_page
from ganstudio.ui.learn.page import LearnPage
from ganstudio.ui.learn.view import manifold_lines
from tests.ui.fake_studio import FakeStudio


def settle(page: LearnPage, qtbot) -> None:
    qtbot.waitUntil(lambda: not page.runner.busy(), timeout=20_000)
    page.runner.deliver()
    page._redraw()


@pytest.fixture
def page(qtbot, tmp_path):
    p = LearnPage(FakeStudio([], tmp_path))
    qtbot.addWidget(p)
    p.resize(1200, 800)
    p.show()
    p.form.ints["neurons"].setValue(16)  # a tiny run: steps take milliseconds
    p.form.ints["batch"].setValue(32)
    settle(p, qtbot)
    yield p
    p.shutdown()


def _weights(net: torch.nn.Module) -> list[torch.Tensor]:
    return [q.detach().clone() for q in net.parameters()]


def _same(a, b) -> bool:
    return all(torch.equal(x, y) for x, y in zip(a, b, strict=True))


def test_step_d_moves_the_heat_map_not_the_fakes_and_step_g_the_reverse(page, qtbot):
    s = page.session
    assert isinstance(s, LabSession) and s.settings.neurons == 16
    before, g0 = s.latest, _weights(s.G)
    qtbot.mouseClick(page.step_buttons["d"], Qt.LeftButton)
    settle(page, qtbot)
    after_d = page.view.shown
    assert after_d is not before and after_d.phase == "d" and _same(_weights(s.G), g0)
    np.testing.assert_array_equal(after_d.fake, before.fake)
    assert np.abs(after_d.heat - before.heat).max() > 0
    d1 = _weights(s.D)
    qtbot.mouseClick(page.step_buttons["g"], Qt.LeftButton)
    qtbot.mouseClick(page.step_buttons["g"], Qt.LeftButton)
    settle(page, qtbot)
    assert _same(_weights(s.D), d1) and not _same(_weights(s.G), g0)
    assert s.step_count == 3  # every click counted
    assert np.abs(page.view.shown.fake - after_d.fake).max() > 0


def test_play_and_pause(page, qtbot):
    qtbot.mouseClick(page.play_button, Qt.LeftButton)
    assert page.playing and page.play_button.text() == "Pause"
    qtbot.waitUntil(lambda: page.session.step_count >= 5, timeout=20_000)
    qtbot.mouseClick(page.play_button, Qt.LeftButton)
    settle(page, qtbot)
    assert not page.playing and page.play_button.text() == "Play"
    steps = page.session.step_count
    qtbot.wait(100)
    assert page.session.step_count == steps


def test_slow_motion_runs_the_two_halves_apart(page, qtbot, monkeypatch):
    monkeypatch.setattr(learn_page, "SLOW_S", 0.0)
    page.slow.setChecked(True)
    page.play(until=4)
    qtbot.waitUntil(lambda: not page.playing, timeout=20_000)
    phases = [h.phase for h in page.history()]
    assert phases == ["init", "d", "g", "d", "g"]


@pytest.mark.parametrize(("control", "value", "holds"), [
    ("neurons", 24, lambda s: s.G.net[0].out_features == 24),
    ("layers", 3, lambda s: len([m for m in s.D.net if isinstance(m, torch.nn.Linear)]) == 4),
    ("z_dim", 1, lambda s: s.G.net[0].in_features == 1 and s.latest.manifold.shape == (61, 2)),
    ("d_steps", 3, lambda s: s.run(1) and int(next(iter(s.opt_d.state.values()))["step"]) == 3),
    ("g_steps", 2, lambda s: s.run(1) and int(next(iter(s.opt_g.state.values()))["step"]) == 2),
    ("batch", 8, lambda s: s._real_batch().shape == (8, 2)),
    ("latent_codes", 4, lambda s: s.G.codes == 4),
    ("seed", 5, lambda s: not np.array_equal(s.latest.fake, LabSession(s.settings.__class__(neurons=16)).latest.fake)),
])
def test_each_number_changes_the_run(page, qtbot, control, value, holds):
    page.form.ints[control].setValue(value)
    settle(page, qtbot)
    assert getattr(page.session.settings, control) == value and holds(page.session)


@pytest.mark.parametrize(("control", "value", "holds"), [
    ("loss", "wgan-gp", lambda s: s.opt_d.param_groups[0]["betas"] == (0.0, 0.9)),
    ("opt_g", "sgd", lambda s: isinstance(s.opt_g, torch.optim.SGD) and isinstance(s.opt_d, torch.optim.Adam)),
    ("opt_d", "rmsprop", lambda s: isinstance(s.opt_d, torch.optim.RMSprop) and isinstance(s.opt_g, torch.optim.Adam)),
    ("noise", "uniform", lambda s: float(s.z_eval.abs().max()) <= 1.0),
    ("shape", "grid25", lambda s: s.modes is not None and len(s.modes.centers) == 25),
])
def test_each_choice_changes_the_run(page, qtbot, control, value, holds):
    box = page.form.combos[control]
    box.setCurrentIndex(box.findData(value))
    settle(page, qtbot)
    assert getattr(page.session.settings, control) == value and holds(page.session)


def test_rates_and_spectral_norm_change_the_run(page, qtbot):
    page.form.floats["lr_d"].setValue(0.005)
    settle(page, qtbot)
    assert page.session.opt_d.param_groups[0]["lr"] == 0.005 and page.session.opt_g.param_groups[0]["lr"] == 1e-3
    page.form.floats["lr_g"].setValue(0.02)
    settle(page, qtbot)
    assert page.session.opt_g.param_groups[0]["lr"] == 0.02 and page.session.opt_d.param_groups[0]["lr"] == 0.005
    page.form.spectral_norm.setChecked(True)
    settle(page, qtbot)
    assert hasattr(page.session.D.net[0], "parametrizations")


def test_bad_setting_is_a_banner_not_a_run(page, qtbot):
    old = page.session
    page.form.ints["latent_codes"].setValue(1)
    settle(page, qtbot)
    assert page.session is old and "one latent code" in page.studio.errors[-1][0]


def test_layers_toggle_in_both_views(page):
    page.twin_box.show()
    for name, box in page.view.toggles.items():
        box.setChecked(False)
        assert not page.view.items[name].isVisible() and not page.twin_view.items[name].isVisible()
        box.setChecked(True)
        assert page.view.items[name].isVisible() and page.twin_view.items[name].isVisible()


def test_draw_two_clusters_with_the_mouse_and_train_on_them(page, qtbot):
    page.draw_button.setChecked(True)
    vb = page.view.box
    widget = page.view.plot.viewport()
    for cx, cy in ((-1.0, 0.0), (1.0, 0.0)):
        for k in range(4):
            scene = vb.mapViewToScene(_pt(cx + 0.1 * (k % 2), cy + 0.1 * (k // 2)))
            pos = page.view.plot.mapFromScene(scene)
            qtbot.mouseClick(widget, Qt.LeftButton, pos=QPoint(int(pos.x()), int(pos.y())))
    assert len(page.view.drawn) >= 6
    drawn = np.array(page.view.drawn)
    assert (drawn[:, 0] < -0.5).any() and (drawn[:, 0] > 0.5).any()
    assert page.train_on_drawing()
    settle(page, qtbot)
    s = page.session
    assert s.settings.shape == "drawn" and page.form.combos["shape"].currentData() == "drawn"
    near = np.linalg.norm(s.real[:, None] - drawn[None], axis=2).min(1)
    assert np.quantile(near, 0.99) < 0.4 and not page.draw_button.isChecked()


def _pt(x: float, y: float) -> QPointF:
    return QPointF(x, y)


def test_nothing_drawn_is_refused(page, qtbot):
    page.view.clear_drawing()
    assert page.train_on_drawing()  # the settings are valid: the session build refuses it
    settle(page, qtbot)
    assert "draw a distribution first" in page.studio.errors[-1][0]


def test_lesson_plays_its_steps_and_pauses(page, qtbot):
    page.start_lesson(page.lessons.lesson())  # the first: the minimax game, 100 steps
    qtbot.waitUntil(lambda: page.session is not None and page.session.step_count == 100 and not page.playing,
                    timeout=60_000)
    assert page.session.settings.shape == "ring" and page.form.combos["shape"].currentData() == "ring"


def test_lesson_fix_starts_the_changed_run(page, qtbot):
    page.lessons.select("vanishing")
    assert page.lessons.fix_button.isVisible() and page.lessons.fix_button.text() == "Use the non-saturating loss"
    qtbot.mouseClick(page.lessons.fix_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: page.session.settings.loss == "bce" and page.session.step_count == 150
                    and not page.playing, timeout=60_000)
    assert {h.phase for h in page.history()} <= {"init", "d"}  # this lesson steps D alone


def test_scrub_back_shows_an_earlier_step(page, qtbot):
    for _ in range(4):
        page.step("both")
    settle(page, qtbot)
    assert page.scrub.maximum() == 4 and page.view.shown.step == 4
    page.scrub.setValue(1)
    assert page.view.shown.step == 1 and page.scrub_label.text() == "step 1"
    page.scrub.setValue(4)
    assert page.view.shown.step == 4


def test_export_the_evolution_as_a_gif(page, qtbot, tmp_path):
    for _ in range(3):
        page.step("both")
    settle(page, qtbot)
    target = tmp_path / "evolution.gif"
    assert page.export_panel.start("gif", target)
    qtbot.waitUntil(lambda: not page.export_panel.exporting, timeout=20_000)
    with Image.open(target) as im:
        assert im.n_frames == 4
    offered = [page.export_panel.kind.itemData(i) for i in range(page.export_panel.kind.count())]
    assert offered == ["gif", "webp", "apng", "mp4", "sheet", "frames"]  # no seed grid or walk frame here
    assert not page.export_panel.start("frame", tmp_path / "x.png")
    assert "not an export of this page" in page.studio.errors[-1][0]


def test_save_and_load_a_run(page, qtbot, tmp_path):
    page.step("both")
    settle(page, qtbot)
    page.save_to(tmp_path / "run.ganlab")
    settle(page, qtbot)
    saved = page.session
    page.form.ints["neurons"].setValue(20)
    settle(page, qtbot)
    page.load_from(tmp_path / "run.ganlab")
    settle(page, qtbot)
    assert page.session is not saved and page.session.step_count == 1 and page.form.ints["neurons"].value() == 16
    np.testing.assert_array_equal(page.session.latest.fake, saved.latest.fake)
    (tmp_path / "bad.ganlab").write_bytes(b"junk")
    page.load_from(tmp_path / "bad.ganlab")
    settle(page, qtbot)
    assert "truncated or not a PyTorch file" in page.studio.errors[-1][0]


def test_training_runs_off_the_gui_thread(page, qtbot):
    threads = set()
    page.session.G.register_forward_hook(lambda *a: threads.add(threading.get_ident()))
    page.session.D.register_forward_hook(lambda *a: threads.add(threading.get_ident()))
    page.step("d")
    page.step("g")
    page.play(until=5)
    qtbot.waitUntil(lambda: not page.playing, timeout=20_000)
    assert threads and threading.get_ident() not in threads


def test_a_drag_adds_a_point_each_time_it_has_moved_a_little(page):
    page.view.clear_drawing()
    for i in range(50):
        page.view.add_point(0.002 * i, 0.0, dragging=True)  # 0.1 in all: less than one spacing
    assert len(page.view.drawn) == 1
    page.view.add_point(1.0, 0.0, dragging=True)
    assert len(page.view.drawn) == 2


def test_side_by_side_runs_the_lesson_and_its_fix_on_the_same_data(page, qtbot):
    page.lessons.select("vanishing")
    qtbot.mouseClick(page.lessons.side_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: page.twin is not None and page.session.step_count == 150 and not page.playing,
                    timeout=60_000)
    settle(page, qtbot)
    a, b = page.session, page.twin
    assert a.settings.loss == "bce-saturating" and b.settings.loss == "bce" and b.step_count == 150
    np.testing.assert_array_equal(a.real, b.real)
    assert page.twin_box.isVisible() and page.twin_view.shown is b.latest
    page.step("g")
    settle(page, qtbot)
    assert b.latest.stats["grad_g"] > 5 * a.latest.stats["grad_g"]  # the lesson's point, seen side by side
    for view, run in ((page.view, a), (page.twin_view, b)):
        assert f"G's gradient {run.latest.stats['grad_g']:.3g}" in view.caption.text()
        assert view.caption.geometry().top() > view.plot.geometry().bottom()  # under the plot, not over it
    page.scrub.setValue(0)
    assert page.twin_view.shown.step == 0 and page.view.shown.step == 0
    page.form.ints["neurons"].setValue(20)  # any change of the settings is one new run
    settle(page, qtbot)
    assert page.twin is None and not page.twin_box.isVisible()


@pytest.mark.parametrize(("loss", "control", "value"), [("bce", "r1", 10.0), ("wgan-gp", "gp_weight", 50.0)])
def test_penalty_weights_change_d_s_loss(page, qtbot, loss, control, value):
    box = page.form.combos["loss"]
    box.setCurrentIndex(box.findData(loss))
    page.form.floats[control].setValue(value)
    settle(page, qtbot)
    page.step("d")
    settle(page, qtbot)
    s = page.session
    assert getattr(s.settings, control) == value
    default = LabSession(replace(s.settings, **{control: 0.0 if control == "r1" else 10.0}))
    default.step("d")
    np.testing.assert_array_equal(default.real, s.real)
    assert s.latest.stats["loss_d"] != pytest.approx(default.latest.stats["loss_d"], abs=1e-6)


def test_d_s_predictions_chart_follows_the_run_and_the_history(page, qtbot):
    for _ in range(20):
        page.step("d")
    settle(page, qtbot)
    history = page.history()
    steps, values = page.charts.curves["d_real"].getData()
    assert list(steps) == [h.step for h in history]
    np.testing.assert_allclose(values, [h.stats["d_real"] for h in history])
    shown = page.view.shown
    assert shown.stats["d_real"] > shown.stats["d_fake"]  # D alone for 20 steps: it wins
    np.testing.assert_allclose(page.charts.shown_predictions(), shown.predictions)
    page.scrub.setValue(0)
    np.testing.assert_allclose(page.charts.shown_predictions(), history[0].predictions)


def test_the_images_lesson_hands_its_run_to_the_train_page(page, qtbot):
    page.lessons.select("images")
    assert page.lessons.run_button.text() == IMAGES.button
    assert not page.lessons.fix_button.isVisible() and not page.lessons.side_button.isVisible()
    assert "From points to pictures" in page.lessons.list.currentItem().text()
    qtbot.mouseClick(page.lessons.run_button, Qt.LeftButton)
    cfg, title = page.studio.opened[-1]
    assert title == "Train" and cfg == IMAGES.config() and not page.playing
    page.lessons.select("minimax")
    assert page.lessons.run_button.text() == "Start lesson"


def test_the_drawing_shows_while_drawing_and_while_the_run_trains_on_it(page, qtbot):
    page.draw_button.setChecked(True)
    for x, y in ((-1.0, 0.0), (-0.9, 0.1), (1.0, 0.0), (1.1, 0.1)):
        page.view.add_point(x, y)
    assert page.view.drawn_item.isVisible()
    assert page.train_on_drawing()
    settle(page, qtbot)
    assert page.view.drawn_item.isVisible()
    page.draw_button.setChecked(False)
    box = page.form.combos["shape"]
    box.setCurrentIndex(box.findData("ring8"))  # another shape: the drawing stays, out of sight
    settle(page, qtbot)
    assert page.session.settings.shape == "ring8" and not page.view.drawn_item.isVisible() and page.view.drawn


def test_the_view_is_a_square_the_heat_map_fills(page):
    plot = page.view.plot
    assert abs(plot.width() - plot.height()) <= 1 and plot.width() == min(page.view.width(), page.view.height())
    (x0, x1), (y0, y1) = page.view.box.viewRange()
    xmin, xmax, ymin, ymax = page.session.bounds
    assert x0 == pytest.approx(xmin, abs=0.05 * (xmax - xmin)) and x1 == pytest.approx(xmax, abs=0.05 * (xmax - xmin))
    assert y0 == pytest.approx(ymin, abs=0.05 * (ymax - ymin)) and y1 == pytest.approx(ymax, abs=0.05 * (ymax - ymin))


def test_manifold_lines_join_only_points_of_one_latent_code():
    m = np.arange(3 * 3 * 2, dtype=float).reshape(3, 3, 2)
    assert len(manifold_lines(m)) == 2 * 12  # 6 segments along each of the two directions
    code = np.array([[0, 0, 1], [0, 0, 1], [0, 0, 1]])  # the code follows the column (the first coordinate)
    pairs = manifold_lines(m, code).reshape(-1, 2, 2)
    assert len(pairs) == 3 + 6  # 3 along the rows inside code 0, all 6 along the columns
    cell = {tuple(m[r, c]): code[r, c] for r in range(3) for c in range(3)}
    assert all(cell[tuple(a)] == cell[tuple(b)] for a, b in pairs)
