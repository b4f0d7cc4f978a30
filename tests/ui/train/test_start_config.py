"""A run another page prepares (the Learn page's last lesson) opens on the Train page, filled in and started."""

from __future__ import annotations

from dataclasses import replace

from ganstudio.core.config import DataConfig, ModelConfig, TrainConfig

WAIT = 60_000  # ms; generous because CI machines may be slow, never a timing assertion


def _tiny(steps: int) -> TrainConfig:
    return TrainConfig(model=ModelConfig(arch="mlp", z_dim=2, hidden=16, layers=1), data=DataConfig(kind="toy",
                       name="moons"), steps=steps, batch=16, log_every=1, sample_every=5, ckpt_every=100_000,
                       device="cpu", out_dir="")


def test_a_prepared_run_is_filled_in_and_started_keeping_the_data_root(qtbot, window, page, tmp_path):
    page.form.root.set_text(str(tmp_path / "my-datasets"))
    page.form.download.setChecked(False)
    window.studio.open_in_page(_tiny(6), "Train")
    assert window.stack.currentWidget() is page
    assert page.form.toy.currentData() == "moons" and page.form.steps.value() == 6
    assert page.form.root.text() == str(tmp_path / "my-datasets") and not page.form.download.isChecked()
    qtbot.waitUntil(lambda: page.state == "idle" and page.worker is None, timeout=WAIT)
    assert page.run_label.text().startswith("Finished at step 6"), page.run_label.text()
    assert page.run_dir is not None and page.run_dir.name.startswith("mlp-moons-")


def test_a_prepared_run_waits_for_the_running_one(qtbot, window, page):
    window.studio.open_in_page(_tiny(100_000), "Train")
    qtbot.waitUntil(lambda: page.state == "running", timeout=WAIT)
    window.studio.open_in_page(_tiny(5), "Train")
    assert "already running" in window.banner.message.text() and page.form.steps.value() == 100_000
    page.stop()
    qtbot.waitUntil(lambda: page.worker is None, timeout=WAIT)


def test_a_shown_run_names_the_preset_its_numbers_come_from(window, page, tmp_path):
    form = page.form
    form.preset.setCurrentIndex(form.preset.findData("balanced"))
    form.set_folder("")  # nothing: the form stays as it is
    form.kind.setCurrentIndex(form.kind.findData("mnist"))
    form.preset.setCurrentIndex(form.preset.findData("quick"))
    quick = form.config(str(tmp_path / "run"))
    form.preset.setCurrentIndex(form.preset.findData("balanced"))
    form.set_config(quick)
    assert form.preset.currentData() == "quick"  # the box says what the numbers are
    form.set_config(replace(quick, steps=quick.steps + 1))  # tuned by hand: the box is left alone
    assert form.preset.currentData() == "quick" and form.steps.value() == quick.steps + 1
