"""After a divergence the Train page offers to roll back to the last good checkpoint with lower rates."""

from __future__ import annotations

import json
from pathlib import Path

from ganstudio.train.gan import GANTrainer
from tests.ui.conftest import tiny_toy

WAIT = 60_000


def test_a_diverged_run_rolls_back_with_half_the_learning_rates(qtbot, window, page, monkeypatch):
    original = GANTrainer.step

    def step(self, gen):  # step 13 of a run whose G rate is above 6e-4 reports a NaN loss
        out = original(self, gen)
        if self.g_updates == 13 and self.lrs()["lr_g"] > 6e-4:
            out = {**out, "loss_d": out["loss_d"] * float("nan")}
        return out

    monkeypatch.setattr(GANTrainer, "step", step)
    tiny_toy(page.form, steps=20)
    page.form.ckpt_every.setValue(10)
    page.form.lr_g.setValue(1e-3)
    page.form.lr_d.setValue(1e-3)
    assert page.controls.rollback_button.isHidden()
    page.start_button.click()
    qtbot.waitUntil(lambda: page.state == "idle" and page.worker is None, timeout=WAIT)
    assert page.run.outcome == "failed" and "diverged at step 13" in window.banner.message.text()
    assert page.controls.rollback_button.isVisibleTo(page)
    texts = [window.banner.message.text(), window.banner.hint.text(), page.run_label.text(),
             page.controls.hint_box.text()]
    said = " ".join(texts)
    assert said.count("diverged at step 13") == 1 and said.count("checkpoint is kept") == 1, texts
    assert page.run_label.text() == "Failed at step 13. The last good checkpoint is kept: ckpt_00000010.pt."
    run = Path(page.run.run_dir)
    page.controls.rollback_button.click()
    qtbot.waitUntil(lambda: page.state == "idle" and page.worker is None, timeout=WAIT)
    assert page.run.outcome == "finished" and (run / "checkpoints" / "ckpt_00000020.pt").is_file()
    stats = [json.loads(line) for line in (run / "stats.jsonl").read_text().splitlines()]
    assert stats[-1]["step"] == 20 and stats[-1]["lr_g"] == 5e-4 and stats[-1]["lr_d"] == 5e-4
    assert page.controls.rollback_button.isHidden()
