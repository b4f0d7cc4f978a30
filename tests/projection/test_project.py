"""The projection loop on tiny models: it recovers what the model drew, W+ beats W, the pull works,
a stop keeps the best so far, classes are found, a DCGAN goes through z, and a seed repeats a run."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from ganstudio.core.errors import UserError
from ganstudio.modelfiles.generator import load_generator
from ganstudio.projection.events import Finished, Preview, Projection, Started, Step
from ganstudio.projection.optimise import project
from ganstudio.projection.settings import ProjectionControl, ProjectionSettings
from ganstudio.projection.views import psnr
from tests.projection.models import photo_of, write_projection_model
from tests.walk.test_walk import tiny_generator_file


@pytest.fixture(scope="module")
def g(tmp_path_factory):
    return load_generator(write_projection_model(tmp_path_factory.mktemp("m") / "sg.pt"))


def run(g, photo, **settings) -> tuple[Projection, list]:
    events = list(project(g, photo, ProjectionSettings(**settings)))
    assert isinstance(events[0], Started) and isinstance(events[-1], Finished)
    return events[-1].result, events


def test_a_picture_the_model_drew_is_recovered(g):
    target = g.generate(g.latents([5]))[0]
    w_true = g.mapping(g.latents([5]))[0]
    result, events = run(g, photo_of(target), steps=60)
    assert psnr(result.image, target) > 30
    w = torch.from_numpy(result.ws)
    assert result.ws.shape == (g.num_ws, g.z_dim) and torch.equal(w[0], w[-1])  # W: one style for every layer
    assert float((w[0] - w_true).norm()) < 0.15 * float((g.w_avg()[0] - w_true).norm())
    steps = [e for e in events if isinstance(e, Step)]
    assert [e.step for e in steps] == list(range(1, events[0].total + 1))
    assert {"pixels", "ssim", "features", "pull", "noise"} <= set(steps[-1].parts)  # D travels in this file
    assert steps[-1].loss < steps[0].loss
    assert any(isinstance(e, Preview) and e.image.shape == target.shape for e in events)
    assert len(result.noise) == len(g.const_noise()) and not result.stopped


def test_w_plus_never_does_worse_than_w_with_the_same_steps(g):
    for seed in (7, 11):
        target = g.generate(g.latents([seed]), psi=1.5)[0]  # off the beaten track: W alone cannot fit it exactly
        w, _ = run(g, photo_of(target), steps=40)
        wplus, _ = run(g, photo_of(target), steps=40, space="w+")
        assert wplus.loss <= w.loss
        assert not np.allclose(wplus.ws[0], wplus.ws[-1])  # the layers went their own ways


def test_the_pull_toward_w_avg_moves_the_result_toward_it(g):
    target = g.generate(g.latents([3]))[0]
    avg = g.w_avg()[0].numpy()

    def distance(pull: float) -> float:
        result, _ = run(g, photo_of(target), steps=40, pull=pull)
        return float(np.linalg.norm(result.ws - avg, axis=1).mean())
    assert distance(1.0) < 0.9 * distance(0.0)


def test_a_stop_keeps_the_best_latent_so_far(g):
    target = g.generate(g.latents([9]))[0]
    control = ProjectionControl()
    events = []
    for e in project(g, photo_of(target), ProjectionSettings(steps=200), control):
        events.append(e)
        if isinstance(e, Step) and e.step == 30:
            control.stop()
    result = events[-1].result
    losses = [e.loss for e in events if isinstance(e, Step)]
    assert result.stopped and result.steps == 30 == len(losses)
    assert result.loss == pytest.approx(min(losses))
    assert result.image.shape == target.shape


def test_the_model_is_left_as_it_was(g):
    before = {k: v.clone() for k, v in g.net.state_dict().items()}
    run(g, photo_of(g.generate(g.latents([2]))[0]), steps=5, space="w+")
    after = g.net.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)  # noise buffers included
    assert all(p.grad is None for p in g.net.parameters())


def test_the_same_seed_repeats_a_run_and_another_seed_does_not(g):
    target = g.generate(g.latents([4]))[0]
    a, _ = run(g, photo_of(target), steps=8, seed=1)
    b, _ = run(g, photo_of(target), steps=8, seed=1)
    c, _ = run(g, photo_of(target), steps=8, seed=2)
    assert np.array_equal(a.ws, b.ws) and np.array_equal(a.image, b.image)
    assert not np.array_equal(a.ws, c.ws)


def test_without_a_class_each_is_tried_and_the_drawn_one_is_found(tmp_path):
    g = load_generator(write_projection_model(tmp_path / "c.pt", num_classes=3))
    for cls in (0, 2):
        target = g.generate(g.latents([5]), torch.tensor([cls]))[0]
        result, events = run(g, photo_of(target), steps=10, restarts=2, search_steps=10)
        assert events[0].candidates == 6 and result.cls == cls
    given, events = run(g, photo_of(target), steps=4, restarts=2, search_steps=2, cls=1)
    assert events[0].candidates == 2 and given.cls == 1


def test_a_file_without_d_skips_feature_matching_and_says_so(tmp_path):
    g = load_generator(write_projection_model(tmp_path / "nod.pt", with_d=False))
    result, events = run(g, photo_of(g.generate(g.latents([1]))[0]), steps=3, restarts=1)
    assert any("feature matching is skipped" in n for n in events[0].notes + result.notes)
    assert "features" not in [e for e in events if isinstance(e, Step)][-1].parts


def test_a_dcgan_is_projected_in_z_with_an_honest_note(tmp_path):
    g = load_generator(tiny_generator_file(tmp_path / "dc.pt"))
    target = g.generate(g.latents([3]))[0]
    result, _ = run(g, photo_of(target), space="z", steps=60)
    assert result.ws is None and result.z.shape == (g.z_dim,) and result.noise == ()
    assert psnr(result.image, target) > 25
    assert any("no W space" in n for n in result.notes)
    for space in ("w", "w+"):
        with pytest.raises(UserError, match="no W space"):
            list(project(g, photo_of(target), ProjectionSettings(space=space)))


def test_bad_settings_are_refused_before_any_work(g):
    target = photo_of(g.generate(g.latents([1]))[0])
    for settings, words in ((ProjectionSettings(space="z"), "StyleGAN"), (ProjectionSettings(steps=0), "steps"),
                            (ProjectionSettings(cls=1), "not a conditional"),
                            (ProjectionSettings(pixel=0, ssim=0, features=0), "switched off")):
        with pytest.raises(UserError, match=words):
            next(project(g, target, settings))
    with pytest.raises(UserError, match="prepared at 16 px"):
        next(project(g, photo_of(np.zeros((16, 16, 3), np.uint8))))
