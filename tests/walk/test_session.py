"""The Latent Walk page's model, driven without Qt: keyframes, versions, stale results, prefetch, exports."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ganstudio.core.errors import UserError
from ganstudio.export.dispatch import ExportSettings
from ganstudio.modelfiles.generator import load_generator
from ganstudio.walk.exports import export_job
from ganstudio.walk.session import PLAY_BATCH, Request, WalkSession
from ganstudio.walk.timeline import Keyframe
from tests.walk.test_walk import tiny_generator_file


@pytest.fixture
def session(tmp_path) -> WalkSession:
    s = WalkSession()
    s.open(load_generator(tiny_generator_file(tmp_path / "g.pt")))
    return s


def run(s: WalkSession, req: Request | None) -> bool:
    """Render a request the way the page's job runner would, and hand the result back."""
    assert req is not None
    return s.accept(req, req.fn())


def pin(s: WalkSession, *seeds: int, frames: int = 24) -> None:
    for seed in seeds:
        s.add_keyframe(Keyframe(seed=seed, frames=frames))


def test_add_move_remove_and_edit_keyframes(session):
    pin(session, 3, 0, 7)
    assert [k.seed for k in session.keyframes()] == [3, 0, 7] and session.selected == 2
    assert session.frame_count() == 72
    session.select(0)
    session.move_selected(1)
    assert [k.seed for k in session.keyframes()] == [0, 3, 7] and session.selected == 1
    session.move_selected(5)  # past the end: nothing moves
    assert [k.seed for k in session.keyframes()] == [0, 3, 7]
    session.edit_selected(10, None)
    assert [k.frames for k in session.keyframes()] == [24, 10, 24] and session.frame_count() == 58
    session.update(loop=False)
    assert session.frame_count() == 35
    session.select(2)
    session.remove_selected()
    assert [k.seed for k in session.keyframes()] == [0, 3] and session.selected == 1
    assert session.frame_count() == 25


def test_one_keyframe_plays_only_as_a_noise_loop(session):
    pin(session, 4)
    assert session.frame_count() == 0 and session.renderer is None
    session.update(mode="noise", noise_frames=20)
    assert session.frame_count() == 20 and session.current_walk().noise_center == 0


def test_a_keyframe_for_another_model_is_refused(session):
    with pytest.raises(UserError, match="expects 8"):
        session.add_keyframe(Keyframe(z=(0.0, 1.0)))
    assert session.keyframes() == []


def test_every_change_to_the_walk_empties_the_cache(session):
    pin(session, 0, 1, frames=4)
    assert run(session, session.seek(2)) and 2 in session.cache
    version = session.version
    session.update(fps=12.0)  # timing only: the frames stay
    assert session.version == version and 2 in session.cache
    session.update(psi=0.5)
    assert session.version == version + 1 and session.cache == {}


def test_frames_for_an_old_walk_are_dropped(session):
    pin(session, 0, 1, frames=4)
    old = session.seek(3)
    assert old is not None and session.inflight == [3]
    session.update(interp="lerp")
    assert not session.accept(old, old.fn()) and session.cache == {}


def test_superseded_frames_of_the_same_walk_are_kept(session):
    pin(session, 0, 1, frames=4)
    first, second = session.seek(1), session.seek(5)
    assert run(session, first) and session.inflight == [5]  # the newest is still out
    assert run(session, second) and session.inflight == []
    assert np.array_equal(session.cache[5], session.renderer.render([5])[0])
    assert session.seek(1) is None and session.frame_index == 1  # cached: nothing to render


def test_stale_grid_and_free_vector_results_are_dropped(session):
    old = session.grid_request()
    session.seed_start = 100
    new = session.grid_request()
    assert not run(session, old) and session.grid_seeds_shown == []
    assert run(session, new) and session.grid_seeds_shown[:2] == [100, 101]
    first = session.edit_as_free(5)
    second = session.nudge(0.3)
    assert not run(session, first) and session.free_image is None
    assert run(session, second) and session.free_image.shape == (28, 28, 3)


def test_results_from_before_a_new_model_are_dropped(session, tmp_path):
    pin(session, 0, 1, frames=4)
    thumbs, frames = session.thumbs_request(), session.seek(0)
    session.open(load_generator(tiny_generator_file(tmp_path / "other.pt")))
    assert not run(session, thumbs) and not run(session, frames) and session.thumbs == {}


def test_nudge_moves_a_fixed_distance(session):
    session.edit_as_free(5)
    start = session.free_z.clone()
    session.nudge(0.3)
    assert (session.free_z - start).norm().item() == pytest.approx(0.3 * 8 ** 0.5)
    kf = session.free_keyframe(12)
    assert kf.seed is None and kf.frames == 12 and np.allclose(kf.z, session.free_z.float().numpy())


def test_prefetch_asks_for_the_next_missing_frames(session):
    pin(session, 0, 1, frames=20)
    assert session.frame_count() == 40
    assert run(session, session.seek(38))
    req = session.set_playing(True)
    assert req is not None and req.tag[1] == [39, *range(PLAY_BATCH - 1)]  # wraps round the loop
    assert session.prefetch() is None  # still out: asking again would render the same frames twice
    assert run(session, req)
    moved, nxt = session.tick()
    assert moved and session.frame_index == 39 and nxt is not None
    assert nxt.tag[1] == list(range(PLAY_BATCH - 1, 2 * PLAY_BATCH - 1))


def test_play_waits_for_a_missing_frame(session):
    pin(session, 0, 1, frames=3)
    run(session, session.seek(0))
    req = session.set_playing(True)
    moved, again = session.tick()
    assert not moved and again is None and session.frame_index == 0  # frame 1 is still being rendered
    run(session, req)
    assert session.tick()[0] and session.frame_index == 1


def test_thumbnails_render_only_what_is_missing(session):
    pin(session, 1, 2)
    req = session.thumbs_request()
    assert [t[0] for t in req.tag] == [1, 2] and run(session, req)
    assert session.thumbs_request() is None and session.thumb(session.keyframes()[0]).shape == (28, 28, 3)
    session.update(psi=0.2)
    assert session.thumb(session.keyframes()[0]) is None and len(session.thumbs_request().tag) == 2


def test_export_jobs_check_up_front_and_write(session, tmp_path):
    with pytest.raises(UserError, match="no walk"):
        export_job(session, "gif", tmp_path / "w.gif", ExportSettings())
    pin(session, 0, 1, frames=3)
    session.update(fps=70.0)
    with pytest.raises(UserError, match="fps"):
        export_job(session, "gif", tmp_path / "w.gif", ExportSettings())
    session.update(fps=24.0)
    steps: list[tuple[int, int]] = []
    written = export_job(session, "gif", tmp_path / "w.gif", ExportSettings())(
        lambda d, t: steps.append((d, t)), lambda: False)
    assert "w.gif" in written and steps[-1] == (12, 12)
    side = json.loads((tmp_path / "w.gif.json").read_text())
    assert [k["seed"] for k in side["walk"]["keyframes"]] == [0, 1]
    run(session, session.grid_request())
    export_job(session, "grid", tmp_path / "grid.png", ExportSettings())(lambda d, t: None, lambda: False)
    assert (tmp_path / "grid.png").is_file()


def test_a_model_of_the_same_latent_size_keeps_the_keyframes(session, tmp_path):
    pin(session, 3, 7)
    session.add_keyframe(Keyframe(z=(0.5,) * 8))
    other = load_generator(tiny_generator_file(tmp_path / "other.pt", classes=3))
    assert session.switch_question(other) == ""  # nothing is lost: no need to ask
    session.open(other)
    assert [(k.seed, k.cls) for k in session.keyframes()] == [(3, 0), (7, 0), (None, 0)]  # classes given
    assert session.frame_count() > 0 and session.thumbs == {}


def test_another_latent_size_asks_and_keeps_only_seeds_if_told(session, tmp_path):
    pin(session, 3, 7)
    session.add_keyframe(Keyframe(z=(0.5,) * 8))
    wide = load_generator(tiny_generator_file(tmp_path / "wide.pt", z_dim=16))
    question = session.switch_question(wide)
    assert "latent size" in question and "1 free-vector" in question
    session.open(wide, keep=True)
    assert [k.seed for k in session.keyframes()] == [3, 7]
    session.open(load_generator(tiny_generator_file(tmp_path / "g2.pt")), keep=False)
    assert session.keyframes() == []
