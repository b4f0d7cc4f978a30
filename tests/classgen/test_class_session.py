"""The Classes page's model without Qt: opening, the grid's classes and seeds, sample lookup, morph rules."""

from __future__ import annotations

import numpy as np
import pytest

from ganstudio.classgen.session import ALL, ClassSession, MorphSettings
from ganstudio.core.errors import UserError
from ganstudio.modelfiles.generator import load_generator
from tests.walk.test_walk import tiny_generator_file


@pytest.fixture
def session(tmp_path):
    path = tiny_generator_file(tmp_path / "cg.pt", classes=3)
    g = load_generator(path)
    g.meta["class_names"] = ["cat", "dog", "owl"]
    s = ClassSession()
    s.open(g, path)
    return s


def test_open_starts_on_the_poster_and_refuses_unconditional_models(session, tmp_path):
    assert session.selected == ALL and session.grid_classes() == [0, 1, 2]
    assert (session.morph_settings.start, session.morph_settings.end) == (0, 1)
    plain = tiny_generator_file(tmp_path / "plain.pt")
    with pytest.raises(UserError, match="not a conditional model"):
        session.open(load_generator(plain), plain)
    assert session.names == ["cat", "dog", "owl"]  # the open model is kept


def test_grid_classes_seeds_and_the_sample_under_a_click(session):
    session.select("Owl")
    session.set_per_class(4)
    session.set_seed(10)
    assert session.grid_classes() == [2] and session.grid_seeds() == [10, 11, 12, 13]
    assert session.sample_at(3) == (2, 13)
    session.select(ALL)
    assert session.sample_at(5) == (1, 11)
    with pytest.raises(UserError, match="no sample 12"):
        session.sample_at(12)
    with pytest.raises(UserError, match="class 'Hat' does not exist"):
        session.select("Hat")
    with pytest.raises(UserError, match="samples per class 17 is out of range"):
        session.set_per_class(17)


def test_enlarged_caption_and_provenance(session):
    with pytest.raises(UserError, match="no sample is enlarged"):
        session.enlarged_or_refuse()
    image = np.zeros((28, 28, 3), np.uint8)
    session.set_enlarged(1, 7, image)
    assert session.enlarged_caption().startswith("dog, seed 7\n")
    assert session.enlarged_or_refuse() == (image, {"model": str(session.path), "class": 1, "seed": 7})


def test_morph_settings_are_checked_and_described(session, monkeypatch):
    with pytest.raises(UserError, match="frames 1 is out of range"):
        session.set_morph(MorphSettings(0, 2, frames=1))
    with pytest.raises(UserError, match="class '5' does not exist"):
        session.set_morph(MorphSettings(0, 5))
    session.set_morph(MorphSettings(0, 2, frames=6, fps=8))
    monkeypatch.setattr("random.randrange", lambda a, b: 99)
    assert session.reroll() == 99
    info = session.morph_info()
    assert info == {"model": str(session.path), "from": "cat", "to": "owl", "frames": 6, "seed": 99,
                    "end_seed": -1, "fps": 8}
    with pytest.raises(UserError, match="no morph to export"):
        session.morph_or_refuse()
