"""The lab's settings as a form: every field of `LabSettings`, each change starting a new run.

Each network's optimiser and learning rate share a row, so that they read as that network's own."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QLabel, QSpinBox, QWidget

from ganstudio.lab.settings import LAB_LOSSES, NOISES, OPTIMISERS, SHAPE_NAMES, SHAPES, LabSettings
from ganstudio.ui.common.spin import spin_box

INTS = {"z_dim": (1, 16, "noise dimensions", "G's manifold is drawn for 1 or 2 (the first two beyond)"),
        "layers": (1, 6, "hidden layers", "of each network"), "neurons": (2, 512, "neurons", "per hidden layer"),
        "d_steps": (1, 20, "D steps / iteration", ""), "g_steps": (1, 20, "G steps / iteration", ""),
        "batch": (2, 4096, "batch", "points per update"),
        "latent_codes": (0, 64, "latent codes", "the first noise coordinate picks one of this many codes (0 = none)"),
        "seed": (0, 2**31 - 1, "seed", "the same seed and settings give the same run")}
FLOATS = {"lr_d": (1e-5, 1.0, "D learning rate"), "lr_g": (1e-5, 1.0, "G learning rate"),
          "r1": (0.0, 100.0, "R1 weight (γ)"), "gp_weight": (0.0, 100.0, "gradient penalty")}
CHOICES = {"shape": ("data", SHAPES), "loss": ("loss", LAB_LOSSES), "opt_d": ("D optimiser", OPTIMISERS),
           "opt_g": ("G optimiser", OPTIMISERS), "noise": ("noise", NOISES)}
NETWORKS = (("D", "opt_d", "lr_d"), ("G", "opt_g", "lr_g"))  # a row each: optimiser, then learning rate
PAIRED = {key for _, opt, lr in NETWORKS for key in (opt, lr)}


class SettingsForm(QWidget):
    """`changed` fires after the user edits any field (not after `set_settings`)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.combos: dict[str, QComboBox] = {}
        self.ints: dict[str, QSpinBox] = {}
        self.floats: dict[str, QDoubleSpinBox] = {}
        for key, (label, options) in CHOICES.items():
            box = self.combos[key] = QComboBox()
            for value in options:
                box.addItem(SHAPE_NAMES.get(value, value) if key == "shape" else value, value)
            box.currentIndexChanged.connect(self._edited)
            if key not in PAIRED:
                form.addRow(label, box)
        for key, (lo, hi, label) in FLOATS.items():
            spin = self.floats[key] = QDoubleSpinBox()
            spin.setRange(lo, hi)
            spin.setDecimals(5 if key.startswith("lr") else 2)
            spin.setSingleStep(1e-4 if key.startswith("lr") else 0.5)
            spin.valueChanged.connect(self._edited)
            if key not in PAIRED:
                form.addRow(label, spin)
        for net, opt, lr in NETWORKS:
            row = QHBoxLayout()
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(self.combos[opt], 1)
            row.addWidget(QLabel("rate"))
            row.addWidget(self.floats[lr], 1)
            self.floats[lr].setToolTip(f"{net}'s learning rate")
            form.addRow(f"{net} optimiser", row)
        for key, (lo, hi, label, tip) in INTS.items():
            box_i = self.ints[key] = spin_box(lo, hi, lo, tip)
            box_i.valueChanged.connect(self._edited)
            form.addRow(label, box_i)
        self.spectral_norm = QCheckBox("spectral norm in D")
        self.spectral_norm.toggled.connect(self._edited)
        form.addRow("", self.spectral_norm)
        self._quiet = False
        self.set_settings(LabSettings())

    def _edited(self, *_args) -> None:
        if not self._quiet:
            self.changed.emit()

    def settings(self) -> LabSettings:
        values: dict = {k: b.currentData() for k, b in self.combos.items()}
        values.update({k: s.value() for k, s in self.ints.items()})
        values.update({k: s.value() for k, s in self.floats.items()})
        return LabSettings(**values, spectral_norm=self.spectral_norm.isChecked())

    def set_settings(self, s: LabSettings) -> None:
        self._quiet = True
        try:
            for key, box in self.combos.items():
                box.setCurrentIndex(box.findData(getattr(s, key)))
            for key, box_i in self.ints.items():
                box_i.setValue(getattr(s, key))
            for key, spin in self.floats.items():
                spin.setValue(getattr(s, key))
            self.spectral_norm.setChecked(s.spectral_norm)
        finally:
            self._quiet = False
