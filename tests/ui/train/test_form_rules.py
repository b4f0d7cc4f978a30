"""The Train form shows a row exactly where `ganstudio info` would show its setting: one rule for both."""

from __future__ import annotations

import pytest

from ganstudio.core.config import to_dict
from ganstudio.train.fields import FIELDS, applicable
from ganstudio.ui.train.form import TrainForm

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
