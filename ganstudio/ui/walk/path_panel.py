"""The Latent Walk page's path settings: morph or noise loop, interpolation, easing, loop, noise."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel, QWidget

from ganstudio.ui.common.spin import spin_box
from ganstudio.ui.walk.controls import combo, dspin
from ganstudio.walk.timeline import Walk


class PathPanel(QWidget):
    """Emits `changed` whenever a setting changes; `values()` are `Walk` fields."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.mode = combo([("Morph through the keyframes", "keyframes"),
                           ("Noise loop around the selected keyframe", "noise")],
                          "Morph from keyframe to keyframe, or wander in a smooth random loop around one")
        self.interp = combo([("slerp (great circle)", "slerp"), ("lerp (straight line)", "lerp"),
                             ("smooth curve through all keyframes", "smooth")],
                            "slerp keeps latents at a typical length (no washed-out middle); the smooth curve "
                            "(Catmull-Rom) passes every keyframe without a jolt")
        self.easing = combo([("linear", "linear"), ("ease in-out", "ease-in-out")],
                            "ease in-out slows down at each keyframe so it lingers there")
        self.loop = QCheckBox("Loop (return to the first keyframe)")
        self.loop.setChecked(True)
        self.loop.setToolTip("Close the walk so the animation repeats seamlessly")
        for w in (self.mode, self.interp):  # long item texts must not widen the page past a 1366 px screen
            w.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            w.setMinimumContentsLength(12)
        form.addRow("Mode", self.mode)
        row = QHBoxLayout()
        row.addWidget(self.interp, 1)
        row.addWidget(self.easing)
        row.addWidget(self.loop)
        form.addRow("Path", row)
        form.addRow("Noise", self._noise_row())
        for w in (self.mode, self.interp, self.easing):
            w.currentIndexChanged.connect(self.changed)
        self.loop.toggled.connect(self.changed)

    def _noise_row(self) -> QHBoxLayout:
        noise = QHBoxLayout()
        self.noise_radius = dspin(0.0, 10.0, 0.6, 0.1, "How far the loop wanders from the keyframe (in units of z)")
        self.noise_speed = spin_box(1, 32, 1, "Wiggles per loop: higher is busier")
        self.noise_frames = spin_box(2, 5000, 48, "Frames in the noise loop")
        self.noise_seed = spin_box(0, 2**31 - 1, 0, "Which random loop")
        for label, w in (("radius", self.noise_radius), ("speed", self.noise_speed),
                         ("frames", self.noise_frames), ("seed", self.noise_seed)):
            noise.addWidget(QLabel(label))
            noise.addWidget(w)
            w.setKeyboardTracking(False)
            w.valueChanged.connect(self.changed)
        return noise

    def _widgets(self) -> tuple[QWidget, ...]:
        return (self.mode, self.interp, self.easing, self.loop, self.noise_radius, self.noise_speed,
                self.noise_frames, self.noise_seed)

    def values(self) -> dict[str, Any]:
        return {"mode": self.mode.currentData(), "interp": self.interp.currentData(),
                "easing": self.easing.currentData(), "loop": self.loop.isChecked(),
                "noise_radius": self.noise_radius.value(), "noise_speed": self.noise_speed.value(),
                "noise_frames": self.noise_frames.value(), "noise_seed": self.noise_seed.value()}

    def show_walk(self, walk: Walk) -> None:
        """Set every control from a walk without firing `changed`."""
        for w in self._widgets():
            w.blockSignals(True)
        self.mode.setCurrentIndex(self.mode.findData(walk.mode))
        self.interp.setCurrentIndex(self.interp.findData(walk.interp))
        self.easing.setCurrentIndex(self.easing.findData(walk.easing))
        self.loop.setChecked(walk.loop)
        self.noise_radius.setValue(walk.noise_radius)
        self.noise_speed.setValue(walk.noise_speed)
        self.noise_frames.setValue(walk.noise_frames)
        self.noise_seed.setValue(walk.noise_seed)
        for w in self._widgets():
            w.blockSignals(False)
