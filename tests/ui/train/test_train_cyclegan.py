"""Training a CycleGAN from the Train page: two folders, every loss plotted, A→B→A / B→A→B triplets."""

from __future__ import annotations

import numpy as np

from tests.conftest import write_images

WAIT = 60_000  # ms; generous for slow CI machines, never a timing assertion
CYCLE_KEYS = ("loss_g", "loss_d", "g_AB", "g_BA", "d_A", "d_B", "cycle_A", "cycle_B", "idt_A", "idt_B")


def test_cyclegan_run_from_the_train_page(qtbot, window, page, tmp_path):
    write_images(tmp_path / "photos", 4, size=40)
    write_images(tmp_path / "paintings", 4, size=40, seed=1)
    form = page.form
    form.kind.setCurrentIndex(form.kind.findData("unpaired"))
    assert form.arch.currentData() == "cyclegan"
    assert form.crop.isVisibleTo(form) and not form.z_dim.isVisibleTo(form)
    form.folder.set_text(str(tmp_path / "photos"))
    form.folder_b.set_text(str(tmp_path / "paintings"))
    form.crop.setValue(32)
    form.base_ch.setValue(4)
    form.res_blocks.setValue(1)
    form.batch.setValue(1)
    form.steps.setValue(4)
    form.log_every.setValue(1)
    form.sample_every.setValue(2)
    form.device.setCurrentIndex(form.device.findData("cpu"))
    cfg = form.config("unused")
    assert cfg.data.path_b == str(tmp_path / "paintings") and cfg.model.img_size == 32 and cfg.model.res_blocks == 1

    page.start_button.click()
    qtbot.waitUntil(lambda: page.state == "idle" and page.worker is None, timeout=WAIT)
    assert not window.banner.isVisible(), window.banner.message.text()
    assert page.plots.point_count() == 4, page.run_label.text()
    for key in CYCLE_KEYS:
        assert np.isfinite(page.plots.values[key]).all(), key
    page.plots.redraw()
    titles = page.plots.shown_titles()
    assert "CycleGAN cycle · identity" in titles and "Gradient norm" not in titles
    assert page.plots.panel("CycleGAN cycle · identity").isVisible()
    step, grid = page.samples.history[-1]
    assert step == 4 and grid.shape == (8 * 34 + 2, 3 * 34 + 2, 3)  # 8 triplets of 32 px crops
    page.grab().save(str(tmp_path / "train_cyclegan.png"))
