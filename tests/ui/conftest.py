"""Window fixtures: a main window with its own settings file, and tiny training settings."""

from __future__ import annotations

import gc

import pytest
from PySide6.QtCore import QSettings

from ganstudio.ui.main_window import MainWindow
from ganstudio.ui.train.form import TrainForm
from ganstudio.ui.train.page import TrainPage


@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)


@pytest.fixture
def window(qtbot, settings):
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.show()
    yield win
    page = win.pages["Train"]
    if isinstance(page, TrainPage):
        page.shutdown()  # never leave a training thread running past a test
    win.close()
    win.deleteLater()
    qtbot.wait(10)
    gc.collect()  # collect this window's garbage now, in the GUI thread, not at interpreter exit


@pytest.fixture
def page(window) -> TrainPage:
    return window.pages["Train"]


def tiny_toy(form: TrainForm, steps: int = 100_000) -> None:
    """An MLP small enough that steps take milliseconds; statistics every step."""
    form.kind.setCurrentIndex(form.kind.findData("toy"))
    form.hidden.setValue(16)
    form.layers.setValue(1)
    form.batch.setValue(16)
    form.steps.setValue(steps)
    form.log_every.setValue(1)
    form.sample_every.setValue(5)
    form.ckpt_every.setValue(100_000)
    form.device.setCurrentIndex(form.device.findData("cpu"))


def tiny_dcgan(form: TrainForm, steps: int) -> None:
    """A DCGAN at 28 px with 8 base channels: a few steps take well under a second."""
    form.img_size.setCurrentIndex(form.img_size.findData(28))
    form.channels.setCurrentIndex(form.channels.findData(1))
    form.base_ch.setValue(8)
    form.z_dim.setValue(8)
    form.batch.setValue(4)
    form.n_samples.setValue(4)
    form.steps.setValue(steps)
    form.log_every.setValue(1)
    form.sample_every.setValue(2)
    form.ckpt_every.setValue(100_000)
    form.ema.setChecked(False)
    form.device.setCurrentIndex(form.device.findData("cpu"))
