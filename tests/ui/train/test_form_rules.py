"""The Train form shows a row exactly where `ganstudio info` would show its setting: one rule for both."""

from __future__ import annotations

import pytest

from ganstudio.core.config import INIT_ADOPTED, model_from_dict, preset, to_dict
from ganstudio.modelfiles.resolve import resolve_model
from ganstudio.modelfiles.transfer import model_meta
from ganstudio.train.fields import BY_NAME, FIELDS, applicable
from ganstudio.ui.train.form import TrainForm
from ganstudio.ui.train.widgets import get_value

CASES = (("toy", "mlp"), ("csv", "mlp"), ("mnist", "dcgan"), ("mnist", "cdcgan"), ("folder", "stylegan"),
         ("unpaired", "cyclegan"))


@pytest.mark.parametrize(("kind", "arch"), CASES)
def test_the_rows_shown_are_the_settings_that_apply(qtbot, tmp_path, kind, arch) -> None:
    form = TrainForm()
    qtbot.addWidget(form)
    form.kind.setCurrentIndex(form.kind.findData(kind))
    form.arch.setCurrentIndex(form.arch.findData(arch))
    form.folder.set_text(str(tmp_path))
    form.folder_b.set_text(str(tmp_path))
    form.csv.set_text(str(tmp_path / "points.csv"))
    config = to_dict(form.config(str(tmp_path / "run")))
    kept = applicable(config)
    rows = [f for f in FIELDS if f.form and f.part != "form"]
    shown = {(f.part, f.key) for f in rows if form.widgets[f.name].isVisibleTo(form)}
    keys = {(part, k) for part in ("model", "data") for k in kept[part]} | {("run", k) for k in kept}
    assert shown == keys & {(f.part, f.key) for f in rows}, arch


def test_cyclegan_hides_what_its_trainer_never_uses(qtbot, tmp_path) -> None:
    form = TrainForm()
    qtbot.addWidget(form)
    form.kind.setCurrentIndex(form.kind.findData("unpaired"))
    assert form.arch.currentData() == "cyclegan"
    for name in ("n_critic", "spectral_norm", "ema", "ema_half_life", "z_dim", "channels"):
        assert not form.widgets[name].isVisibleTo(form), name
    form.folder.set_text(str(tmp_path))
    form.folder_b.set_text(str(tmp_path))
    cfg = form.config(str(tmp_path / "run"))
    assert cfg.n_critic == 1 and not cfg.ema and not cfg.model.spectral_norm


def test_start_from_offers_styles_for_cyclegan_and_models_for_stylegan(qtbot, tmp_path) -> None:
    """Two rows set `init`: each model sees only its own choices, and the one shown is the one used."""
    form = TrainForm()
    qtbot.addWidget(form)
    form.kind.setCurrentIndex(form.kind.findData("unpaired"))
    form.folder.set_text(str(tmp_path))
    form.folder_b.set_text(str(tmp_path))
    styles, models = form.widgets["init_style"], form.widgets["init"]
    assert styles.isVisibleTo(form) and not models.isVisibleTo(form)
    styles.setCurrentIndex(styles.findData("photo2monet"))
    models.setCurrentIndex(models.findData("monet-stylegan"))
    assert form.config(str(tmp_path / "run")).init == "photo2monet"
    form.kind.setCurrentIndex(form.kind.findData("folder"))
    form.arch.setCurrentIndex(form.arch.findData("stylegan"))
    assert models.isVisibleTo(form) and not styles.isVisibleTo(form)
    assert form.config(str(tmp_path / "run")).init == "monet-stylegan"


@pytest.mark.parametrize(("kind", "arch", "init_row", "start"),
                         (("unpaired", "cyclegan", "init_style", "photo2monet"),
                          ("folder", "stylegan", "init", "monet-stylegan")))
def test_a_fine_tune_greys_the_settings_it_takes_from_its_starting_model(qtbot, kind, arch, init_row, start) -> None:
    """Widths and depths come from the starting model: the form must not offer them as if they counted."""
    form = TrainForm()
    qtbot.addWidget(form)
    form.kind.setCurrentIndex(form.kind.findData(kind))
    form.arch.setCurrentIndex(form.arch.findData(arch))
    rows = {name: w for name, w in form.widgets.items() if BY_NAME[name].part == "model" and w.isVisibleTo(form)}
    adopted = {name for name in rows if BY_NAME[name].key in INIT_ADOPTED[arch]}
    assert adopted and all(w.isEnabled() for w in rows.values())
    box = form.widgets[init_row]
    box.setCurrentIndex(box.findData(start))
    assert {name for name, w in rows.items() if not w.isEnabled()} == adopted
    assert "starts from" in rows[min(adopted)].toolTip()
    started = model_from_dict(model_meta(resolve_model(start))["model"])  # the greyed rows show its values
    assert {n: get_value(rows[n]) for n in adopted} == {n: getattr(started, BY_NAME[n].key) for n in adopted}
    form.preset.setCurrentIndex(form.preset.findData("quick"))  # another preset leaves the starting model's
    assert {n: get_value(rows[n]) for n in adopted} == {n: getattr(started, BY_NAME[n].key) for n in adopted}
    form.preset.setCurrentIndex(form.preset.findData("balanced"))
    box.setCurrentIndex(box.findData(""))
    assert all(w.isEnabled() for w in rows.values())
    assert get_value(form.widgets["base_ch"]) == preset(arch, kind)["model"]["base_ch"]  # the preset's again
