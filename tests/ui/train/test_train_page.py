"""The Train page driven through its buttons, with a real training thread on tiny settings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent

from ganstudio.modelfiles.checkpoint import latest_checkpoint, load_checkpoint
from tests.conftest import write_images
from tests.ui.conftest import tiny_dcgan, tiny_toy

WAIT = 60_000  # ms; generous because CI machines may be slow, never a timing assertion


def _drop(widget, path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPoint(10, 10), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    widget.dropEvent(event)


def test_train_starts_with_the_toy_preset_ready(window, page):
    window.show_page("Train")
    assert window.stack.currentWidget() is page
    assert page.form.data_kind() == "toy" and page.form.toy.currentData() == "ring8"
    assert page.form.arch.currentData() == "mlp"
    assert page.start_button.isEnabled() and not page.stop_button.isEnabled()
    assert page.preview.currentWidget() is page.points
    assert window.device_label.text().strip()


def test_start_pause_lr_resume_stop_through_the_buttons(qtbot, window, page):
    tiny_toy(page.form)
    page.form.name.setText("buttons")
    page.start_button.click()
    qtbot.waitUntil(lambda: page.state == "running" and page.plots.point_count() >= 3, timeout=WAIT)
    qtbot.waitUntil(lambda: page.points.step >= 5 and bool(page.points.metric_steps), timeout=WAIT)

    page.pause_button.click()
    qtbot.waitUntil(lambda: page.state == "paused", timeout=WAIT)
    assert page.pause_button.text() == "Resume"
    paused_at = page.step
    control, polls = page.worker.control, []
    wait = control.wait_while_paused
    control.wait_while_paused = lambda timeout=0.1: polls.append(1) or wait(0.01)  # count the paused loop's polls
    qtbot.waitUntil(lambda: len(polls) >= 5, timeout=WAIT)  # it has gone round its pause wait several times…
    page.drain()
    assert page.step == paused_at  # no training while paused

    page.live_lr_g.setValue(0.0005)
    page.live_lr_d.setValue(0.0003)
    page.lr_button.click()
    page.pause_button.click()
    qtbot.waitUntil(lambda: page.state == "running", timeout=WAIT)
    qtbot.waitUntil(lambda: page.plots.values["lr_g"][-1] == 0.0005, timeout=WAIT)
    assert page.plots.values["lr_d"][-1] == 0.0003

    page.stop_button.click()
    qtbot.waitUntil(lambda: page.state == "idle", timeout=WAIT)
    run = Path(page.run_dir)
    assert run.parent.name == "runs" and run.name == "buttons"
    assert load_checkpoint(run)["step"] == page.step > paused_at
    assert (run / "generator.pt").is_file()
    assert "run:buttons" in [e.id for e in window.library.entries()]  # the library refreshed itself
    assert page.recent_runs() == [run]
    assert page.progress.format() == f"step {page.step} of 100000 · stopped"


def test_dropped_folder_becomes_the_dataset_and_samples_update(qtbot, window, page, tmp_path):
    folder = tmp_path / "flowers"
    write_images(folder, 6, size=28)
    _drop(page, folder)
    form = page.form
    assert form.data_kind() == "folder" and form.folder.text() == str(folder)
    assert form.arch.currentData() == "dcgan"
    assert "6 images" in form.scan_label.text()
    assert form.thumbs.count() > 1  # thumbnails plus the stretch
    assert page.preview.currentWidget() is page.samples

    tiny_dcgan(form, steps=4)
    page.start_button.click()
    qtbot.waitUntil(lambda: page.state == "idle" and page.worker is None, timeout=WAIT)
    assert page.run_label.text().startswith("Finished at step 4"), page.run_label.text()
    assert page.progress.format() == "step 4 of 4 · finished"
    assert [s for s, _ in page.samples.history] == [0, 2, 4]
    assert page.samples.shown_step == 4
    assert page.plots.point_count() == 4
    page.samples.slider.setValue(0)  # scrub back to the first grid
    assert page.samples.shown_step == 0 and not page.samples.follow.isChecked()


def test_class_subfolders_choose_the_conditional_model(page, class_folder):
    page.drop_path(class_folder)
    assert page.form.arch.currentData() == "cdcgan"
    assert "3 classes" in page.form.scan_label.text()


def test_dropping_a_file_or_an_empty_folder_explains_what_is_expected(window, page, tmp_path):
    note = tmp_path / "notes.txt"
    note.write_text("hello")
    _drop(page, note)
    assert window.banner.isVisible()
    assert "notes.txt is not a folder of images" in window.banner.message.text()
    assert "folder of images" in window.banner.hint.text()
    window.banner.hide()
    (tmp_path / "empty").mkdir()
    _drop(page, tmp_path / "empty")
    assert window.banner.isVisible() and "holds no images" in window.banner.message.text()
    assert page.form.data_kind() == "toy"  # the dataset did not change


def test_failed_run_shows_the_banner_and_the_app_keeps_running(qtbot, window, page, tmp_path):
    folder = tmp_path / "gone"
    write_images(folder, 3, size=28)
    page.drop_path(folder)
    tiny_dcgan(page.form, steps=3)
    for f in folder.iterdir():
        f.write_bytes(b"not an image")  # every file is now corrupt
    page.start_button.click()
    qtbot.waitUntil(lambda: page.state == "idle" and page.worker is None, timeout=WAIT)
    assert window.banner.isVisible()
    assert "could be read as images" in window.banner.message.text()
    assert page.start_button.isEnabled()
    assert page.progress.format().endswith("· failed")


def test_an_engine_crash_becomes_a_banner(qtbot, window, page, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")
        yield

    monkeypatch.setattr("ganstudio.train.loop.train", broken)
    page.start_button.click()
    qtbot.waitUntil(lambda: page.state == "idle" and page.worker is None, timeout=WAIT)
    assert window.banner.isVisible() and "boom" in window.banner.message.text()
    said = " ".join((window.banner.message.text(), window.banner.hint.text(), page.run_label.text()))
    assert said.count("unexpectedly") == 1 and "training failed unexpectedly: boom" in said, said
    assert page.run_label.text() == "Stopped by an error at step 0."  # not the preparing line of before


def test_closing_while_training_leaves_a_loadable_checkpoint(qtbot, window, page, monkeypatch):
    tiny_toy(page.form)
    page.form.name.setText("closing")
    page.start_button.click()
    qtbot.waitUntil(lambda: page.state == "running" and page.step >= 3, timeout=WAIT)
    asked = []
    monkeypatch.setattr(window, "confirm_close", lambda busy: asked.append(busy) or True)
    assert window.close()
    assert asked and "closing" in asked[0]["Train"]
    assert page.worker is None and page.state == "idle"
    ckpt = load_checkpoint(latest_checkpoint(page.run_dir))
    assert ckpt["step"] >= 3 and ckpt["state"]["nets"]["G"]


def test_cancelling_the_close_keeps_training(qtbot, window, page, monkeypatch):
    tiny_toy(page.form)
    page.start_button.click()
    qtbot.waitUntil(lambda: page.state == "running", timeout=WAIT)
    monkeypatch.setattr(window, "confirm_close", lambda busy: False)
    assert not window.close()
    assert page.state == "running" and window.isVisible()


def test_a_finished_run_continues_from_the_library(qtbot, window, page):
    tiny_toy(page.form, steps=6)
    page.form.name.setText("again")
    page.start_button.click()
    qtbot.waitUntil(lambda: page.state == "idle" and page.worker is None, timeout=WAIT)
    entry = next(e for e in window.library.entries() if e.id == "run:again")
    window.studio.open_in_page(entry, "Train")
    assert page.resume_path is not None and page.start_button.text() == "Continue training"
    assert page.form.steps.value() == 6
    page.form.steps.setValue(9)
    page.start_button.click()
    qtbot.waitUntil(lambda: page.state == "idle" and page.worker is None, timeout=WAIT)
    assert page.run_label.text().startswith("Finished at step 9"), page.run_label.text()
    assert load_checkpoint(page.run_dir)["step"] == 9
    assert page.plots.steps == list(range(1, 10))  # continued, not restarted: the history, then steps 7-9


def test_the_resume_menu_offers_recent_runs_and_a_new_run(qtbot, page):
    tiny_toy(page.form, steps=3)
    page.form.name.setText("recent")
    page.start_button.click()
    qtbot.waitUntil(lambda: page.state == "idle" and page.worker is None, timeout=WAIT)
    page.resume_menu.aboutToShow.emit()
    titles = [a.text() for a in page.resume_menu.actions() if not a.isSeparator()]
    assert titles == ["recent", "Choose a checkpoint file…"]
    page.resume_menu.actions()[0].trigger()
    assert page.resume_path is not None and page.start_button.text() == "Continue training"
    page.resume_menu.aboutToShow.emit()
    page.resume_menu.actions()[-1].trigger()  # "Start a new run instead"
    assert page.resume_path is None and page.start_button.text() == "Start training"


def test_a_generator_file_cannot_be_resumed(window, page, tmp_path):
    fake = tmp_path / "model.pt"
    fake.write_bytes(b"x")
    page.open_model(fake)
    assert window.banner.isVisible() and "no training checkpoint" in window.banner.message.text()
    assert page.resume_path is None


def test_save_checkpoint_now_while_paused(qtbot, page):
    tiny_toy(page.form)
    page.start_button.click()
    qtbot.waitUntil(lambda: page.state == "running" and page.step >= 2, timeout=WAIT)
    page.pause_button.click()
    qtbot.waitUntil(lambda: page.state == "paused", timeout=WAIT)
    page.save_button.click()
    qtbot.waitUntil(lambda: bool(page.last_checkpoint), timeout=WAIT)
    assert load_checkpoint(page.last_checkpoint)["step"] == page.step
    page.stop_button.click()
    qtbot.waitUntil(lambda: page.state == "idle", timeout=WAIT)


CYCLE_PANELS = ("CycleGAN adversarial", "CycleGAN cycle · identity")
GAN_PANELS = ("D(x) real · D(G(z)) fake", "Gradient norm")


def _shown(page, titles) -> list[bool]:
    """Whether each panel is on screen and has room in the plots' layout (not merely flagged visible)."""
    plots = page.plots
    return [plots.panel(t).isVisible() and plots.panel(t) in plots.ci.items and plots.panel(t).height() > 20
            for t in titles]


def test_only_the_chosen_models_plots_and_preview_are_shown(qtbot, page):
    form = page.form
    assert form.arch.currentData() == "mlp"
    qtbot.waitUntil(lambda: page.plots.panel("Loss").height() > 20)
    assert _shown(page, CYCLE_PANELS) == [False, False]
    assert _shown(page, GAN_PANELS) == [True, True]
    assert page.points.isVisibleTo(page) and page.points.modes_plot.isVisibleTo(page)
    assert not page.samples.isVisibleTo(page)

    form.kind.setCurrentIndex(form.kind.findData("mnist"))  # image data: a DCGAN and its sample grid
    assert form.arch.currentData() == "dcgan"
    qtbot.waitUntil(lambda: page.plots.panel("Gradient norm").height() > 20)
    assert _shown(page, CYCLE_PANELS) == [False, False] and _shown(page, GAN_PANELS) == [True, True]
    assert page.samples.isVisibleTo(page)
    assert not page.points.isVisibleTo(page) and not page.points.modes_plot.isVisibleTo(page)

    form.arch.setCurrentIndex(form.arch.findData("cyclegan"))
    assert form.data_kind() == "unpaired"
    qtbot.waitUntil(lambda: page.plots.panel(CYCLE_PANELS[0]).height() > 20)
    assert _shown(page, CYCLE_PANELS) == [True, True]
    assert _shown(page, GAN_PANELS) == [False, False]
    assert page.samples.isVisibleTo(page) and not page.points.isVisibleTo(page)
    assert page.plots.shown_titles() == ["Loss", *CYCLE_PANELS, "Images / s", "Learning rate"]


def test_resuming_a_run_shows_that_runs_plots(qtbot, window, page):
    tiny_toy(page.form, steps=4)
    page.form.name.setText("toy-run")
    page.start_button.click()
    qtbot.waitUntil(lambda: page.state == "idle" and page.worker is None, timeout=WAIT)
    page.form.kind.setCurrentIndex(page.form.kind.findData("unpaired"))  # the user looks at CycleGAN…
    assert _shown(page, CYCLE_PANELS) == [True, True]
    entry = next(e for e in window.library.entries() if e.id == "run:toy-run")
    window.studio.open_in_page(entry, "Train")  # …then continues the toy run from the library
    assert page.form.arch.currentData() == "mlp"
    qtbot.waitUntil(lambda: page.plots.panel("Gradient norm").height() > 20)
    assert _shown(page, CYCLE_PANELS) == [False, False] and _shown(page, GAN_PANELS) == [True, True]
    assert page.points.isVisibleTo(page) and not page.samples.isVisibleTo(page)


def test_minibatch_std_is_offered_for_image_gans_only(page, tmp_path):
    form = page.form
    assert not form.minibatch_std.isVisibleTo(page)  # the MLP preset
    form.kind.setCurrentIndex(form.kind.findData("mnist"))
    assert form.arch.currentData() == "dcgan" and form.minibatch_std.isVisibleTo(page)
    form.minibatch_std.setChecked(True)
    assert form.config(str(tmp_path)).model.minibatch_std
    form.arch.setCurrentIndex(form.arch.findData("cyclegan"))
    assert not form.minibatch_std.isVisibleTo(page)


def test_discrete_codes_are_offered_for_the_mlp_only(page, tmp_path):
    form = page.form
    assert form.arch.currentData() == "mlp" and form.latent_codes.isVisibleTo(page)
    assert form.config(str(tmp_path)).model.latent_codes == 50  # the MLP preset
    form.latent_codes.setValue(7)
    assert form.config(str(tmp_path)).model.latent_codes == 7
    form.kind.setCurrentIndex(form.kind.findData("mnist"))
    assert not form.latent_codes.isVisibleTo(page) and form.config(str(tmp_path)).model.latent_codes == 0


def test_the_precision_choice_reaches_the_run_and_is_shown(qtbot, page, tmp_path, monkeypatch):
    form = page.form
    write_images(tmp_path / "tiles", 6, size=28)
    form.set_folder(str(tmp_path / "tiles"))
    tiny_dcgan(form, steps=2)
    assert form.config(str(tmp_path)).precision == "auto"
    form.precision.setCurrentIndex(form.precision.findData("bf16"))
    cfg = form.config(str(tmp_path))
    assert cfg.precision == "bf16"
    form.precision.setCurrentIndex(form.precision.findData("fp32"))
    form.set_config(cfg)  # resuming a run shows its settings
    assert form.precision.currentData() == "bf16"
    shown, apply = [], page.run.apply  # the status line after each event, however they are batched
    monkeypatch.setattr(page.run, "apply", lambda e: (apply(e), shown.append(page.run.status)))
    page.start_button.click()
    qtbot.waitUntil(lambda: page.state == "idle" and page.worker is None, timeout=WAIT)
    assert any("bf16 mixed precision" in text for text in shown), shown


def test_the_form_is_the_settings_table(page, tmp_path):
    """Each row's tooltip is its setting's tip, and showing a config shows it back unchanged."""
    from ganstudio.train.fields import form_fields

    form = page.form
    for section in ("data", "model", "run"):
        for f in form_fields(section):
            widget = form.widgets[f.name]
            assert (getattr(widget, "edit", widget)).toolTip() == f.tip, f.name
    for kind in ("toy", "mnist", "unpaired"):
        form.kind.setCurrentIndex(form.kind.findData(kind))
        form.folder.set_text(str(tmp_path))
        form.folder_b.set_text(str(tmp_path))
        cfg = form.config(str(tmp_path / "run"))
        form.preset.setCurrentIndex(0)  # other numbers on screen…
        form.set_config(cfg)  # …until the run is shown again
        assert form.config(str(tmp_path / "run")) == cfg, kind


def test_a_stylegan_run_from_the_form_shows_its_settings_plots_and_samples(qtbot, page, tmp_path):
    form = page.form
    write_images(tmp_path / "paintings", 6, size=40)
    form.set_folder(str(tmp_path / "paintings"))
    form.arch.setCurrentIndex(form.arch.findData("stylegan"))
    for name in ("max_ch", "mapping_layers", "augment", "mirror", "r1_gamma", "mixing_prob", "init", "freeze_d"):
        assert form.widgets[name].isVisibleTo(page), name
    assert not form.loss.isVisibleTo(page) and not form.minibatch_std.isVisibleTo(page)
    assert form.config(str(tmp_path)).model.img_size == 64  # the balanced preset
    form.img_size.setCurrentIndex(form.img_size.findData(32))
    form.base_ch.setValue(4)
    form.max_ch.setValue(8)
    form.z_dim.setValue(8)
    form.batch.setValue(2)
    form.n_samples.setValue(4)
    form.steps.setValue(3)
    form.log_every.setValue(1)
    form.sample_every.setValue(3)
    form.device.setCurrentIndex(form.device.findData("cpu"))
    cfg = form.config(str(tmp_path / "run"))
    assert cfg.model.arch == "stylegan" and cfg.augment == "ada" and cfg.loss == "bce" and cfg.init == ""
    form.preset.setCurrentIndex(0)
    form.set_config(cfg)  # showing the run's settings shows them back unchanged
    assert form.config(str(tmp_path / "run")) == cfg
    qtbot.waitUntil(lambda: page.plots.panel("Augmentation strength p").height() > 20)
    page.start_button.click()
    qtbot.waitUntil(lambda: page.state == "idle" and page.worker is None, timeout=WAIT)
    assert page.samples.isVisibleTo(page)
    assert page.plots.point_count() > 0


def test_choosing_a_folder_keeps_the_form_inside_its_scroll_area(qtbot, window, page, tmp_path):
    window.resize(1280, 720)
    window.show_page("Train")  # a hidden page is not laid out
    page.splitter.setSizes([0, 2000])  # the form's column as narrow as it may go
    qtbot.wait(20)
    folder = tmp_path / ("a folder with a very long name for an artist's paintings " * 3).strip()
    write_images(folder, 8, size=28)
    assert page.form.set_folder(str(folder))
    qtbot.wait(50)
    scroll = page.form_scroll
    assert page.form.minimumSizeHint().width() <= scroll.viewport().width()
    qtbot.waitUntil(lambda: page.form.width() <= scroll.viewport().width(), timeout=5_000)  # laid out to fit


def test_start_waits_for_a_usable_folder(window, page, tmp_path):
    form = page.form
    form.kind.setCurrentIndex(form.kind.findData("folder"))
    (tmp_path / "empty").mkdir()
    form.folder.set_text(str(tmp_path / "empty"))  # what Browse… does
    form.folder.chosen.emit(str(tmp_path / "empty"))
    assert window.banner.isVisible() and "holds no images" in window.banner.message.text()
    assert not page.start_button.isEnabled() and "holds no images" in page.start_button.toolTip()
    write_images(tmp_path / "good", 3, size=28)
    assert form.set_folder(str(tmp_path / "good"))
    assert page.start_button.isEnabled()
    form.set_folder(str(tmp_path / "empty"))
    form.kind.setCurrentIndex(form.kind.findData("toy"))  # another dataset: nothing in the way
    assert page.start_button.isEnabled()


def test_a_run_name_is_used_once(qtbot, page):
    tiny_toy(page.form, steps=2)
    page.form.name.setText("monet64")
    page.start_button.click()
    qtbot.waitUntil(lambda: page.state == "idle" and page.worker is None, timeout=WAIT)
    assert Path(page.run_dir).name == "monet64" and page.form.name.text() == ""
    page.start_button.click()
    qtbot.waitUntil(lambda: page.state == "idle" and page.worker is None, timeout=WAIT)
    assert Path(page.run_dir).name.startswith("mlp-ring8-")


def test_opening_a_run_shows_its_own_history_and_continuing_extends_it(qtbot, window, page):
    tiny_toy(page.form, steps=6)
    page.form.name.setText("first")
    page.start_button.click()
    qtbot.waitUntil(lambda: page.state == "idle" and page.worker is None, timeout=WAIT)
    tiny_toy(page.form, steps=12)
    page.form.name.setText("second")
    page.start_button.click()
    qtbot.waitUntil(lambda: page.state == "idle" and page.worker is None, timeout=WAIT)
    entry = next(e for e in window.library.entries() if e.id == "run:first")
    window.studio.open_in_page(entry, "Train")
    assert page.progress.format() == "step 6 of 6 · ready to continue"  # not "12 of 12 · finished"
    assert page.plots.steps == [1, 2, 3, 4, 5, 6]  # the opened run's curves, not the last run's
    assert page.run_label.text().startswith("Will continue first from step 6")
    page.form.steps.setValue(8)
    page.start_button.click()
    qtbot.waitUntil(lambda: page.state == "idle" and page.worker is None, timeout=WAIT)
    assert page.plots.steps == list(range(1, 9))  # the history and the new steps


def test_a_fixed_cause_clears_the_banner_and_the_failed_attempts_samples(qtbot, window, page, tmp_path):
    folder = tmp_path / "flowers"
    write_images(folder, 4, size=28)
    page.drop_path(folder)
    tiny_dcgan(page.form, steps=2)
    page.start_button.click()
    qtbot.waitUntil(lambda: page.state == "idle" and page.worker is None, timeout=WAIT)
    assert len(page.samples.image.images) == 1  # the finished run's grid
    page.views.clear()
    assert len(page.samples.image.images) == 0  # a cleared view draws nothing from before
    (tmp_path / "empty").mkdir()
    _drop(page, tmp_path / "empty")
    assert window.banner.isVisible()
    page.drop_path(folder)  # the cause is fixed
    assert not window.banner.isVisible()


def test_a_run_shows_its_speed_and_time_left_on_the_page_and_in_the_status_bar(qtbot, window, page):
    tiny_toy(page.form)
    page.start_button.click()
    qtbot.waitUntil(lambda: "left" in window.activity_label.text(), timeout=WAIT)
    assert "steps/s" in window.activity_label.text()
    assert "images/s" in page.progress.format() and "left" in page.progress.format()
    page.stop_button.click()
    qtbot.waitUntil(lambda: page.state == "idle", timeout=WAIT)
