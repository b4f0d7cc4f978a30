"""The Latent Walk page's StyleGAN panel: how the walk travels (styles or z, noise, which layers move)
and style mixing (a picture whose layout, features and colours come from different seeds, live,
a mixing grid to export, and the mix held during the walk). Shown only for models with a style space.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ganstudio.core.errors import UserError
from ganstudio.ui.common.image_grid import ImageGrid
from ganstudio.ui.common.jobs import Job, JobRunner
from ganstudio.ui.common.spin import spin_box
from ganstudio.ui.walk.controls import combo
from ganstudio.walk.session import Request, WalkSession
from ganstudio.walk.stylemix import GROUPS, Mix
from ganstudio.walk.styles import Styles
from ganstudio.walk.timeline import Keyframe, Walk

SPIN_MAX = 2**31 - 1  # a Qt spin box holds 32-bit numbers
GROUP_TEXT = {"coarse": ("Layout", "coarse layers (4–8 px): pose, composition, large shapes"),
              "middle": ("Features", "middle layers (16–32 px): smaller shapes and features"),
              "fine": ("Colours", "fine layers (64 px and up): colour scheme, texture, brushwork")}


class StylePanel(QGroupBox):
    """`changed`: a walk setting changed (`values()` are `Walk` fields). The panel draws its mixed
    picture through the page's `submit` (session requests) and writes the mixing grid on `runner`."""

    changed = Signal()

    def __init__(self, studio, session: WalkSession, submit: Callable[[Request | None], None], runner: JobRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__("Style (StyleGAN)", parent)
        self.studio, self.session, self.submit, self.runner = studio, session, submit, runner
        v = QVBoxLayout(self)
        form = QFormLayout()
        self.space = combo([("styles (w): smoothest", "w"), ("random numbers (z)", "z")],
                           "Travel between keyframes through the styles the mapping network makes (smooth, as in "
                           "the StyleGAN paper), or through the random numbers before it")
        self.noise = combo([("fixed", "const"), ("new each frame (shimmer)", "random"), ("off", "none")],
                           "StyleGAN adds fine random detail (hair, grain, brush texture). Fixed keeps it still; "
                           "new each frame makes it shimmer; off leaves it out (smoother, flatter)")
        moving: list[tuple[str, object]] = [("all layers", "all")]
        self.moving = combo(moving + [(f"only {GROUP_TEXT[g][0].lower()}", g) for g in GROUPS],
                            "Move only some layers along the walk; the others keep keyframe 1's style. "
                            "'Only colours' keeps the layout and changes the palette")
        form.addRow("Travel through", self.space)
        form.addRow("Fine detail noise", self.noise)
        form.addRow("Moving", self.moving)
        v.addLayout(form)
        v.addWidget(self._mix_box())
        for w in (self.space, self.noise, self.moving):
            w.currentIndexChanged.connect(self.changed)

    def _mix_box(self) -> QGroupBox:
        box = QGroupBox("Style mixing")
        grid = QGridLayout(box)
        self.base = spin_box(0, SPIN_MAX, 0, "The seed whose style the unchecked layers keep (selecting a sample in "
                                                "the grid sets it)")
        self.base_source = combo([("Base seed", None)], "What the unchecked layers keep: a seed's style, or a photo "
                                 "found with “Find a photo…” (its layout with another seed's colours, say)")
        self.photos: list[Styles] = []
        grid.addWidget(self.base_source, 0, 0)
        grid.addWidget(self.base, 0, 1)
        self.use: dict[str, QCheckBox] = {}
        self.seed: dict[str, QSpinBox] = {}
        for row, (group, start) in enumerate(zip(GROUPS, (11, 22, 33), strict=True), start=1):
            text, tip = GROUP_TEXT[group]
            self.use[group] = QCheckBox(f"{text} from seed")
            self.use[group].setToolTip(f"Take the {tip} from another seed")
            self.seed[group] = spin_box(0, SPIN_MAX, start, f"The seed that gives the {tip}")
            grid.addWidget(self.use[group], row, 0)
            grid.addWidget(self.seed[group], row, 1)
        self.preview = ImageGrid(clickable=False, min_side=160)
        grid.addWidget(self.preview, 0, 2, 5, 1)
        self.hold = QCheckBox("Hold the checked layers during the walk")
        self.hold.setToolTip("The walk keeps the checked layers at their seeds' styles: e.g. a morph of layouts "
                             "that all share one seed's colours")
        grid.addWidget(self.hold, 4, 0, 1, 2)
        line = QHBoxLayout()
        self.rows = QLineEdit("0-3")
        self.cols = QLineEdit("10-14")
        self.grid_group = combo([(GROUP_TEXT[g][0].lower(), g) for g in GROUPS],
                                "What each column gives the rows, as in the StyleGAN paper's figure")
        self.grid_button = QPushButton("Export mixing grid…")
        self.grid_button.setToolTip("A PNG: the rows' pictures with the chosen layers taken from each column's seed")
        for label, w in (("rows", self.rows), ("columns", self.cols), ("take", self.grid_group)):
            line.addWidget(QLabel(label))
            line.addWidget(w)
        line.addWidget(self.grid_button)
        grid.addLayout(line, 5, 0, 1, 3)
        for group in GROUPS:
            self.use[group].toggled.connect(self._mix_edited)
            self.seed[group].valueChanged.connect(self._mix_edited)
            self.seed[group].setKeyboardTracking(False)
        self.base.setKeyboardTracking(False)
        self.base.valueChanged.connect(self._mix_edited)
        self.base_source.currentIndexChanged.connect(self._source_chosen)
        self.hold.toggled.connect(self.changed)
        self.grid_button.clicked.connect(self._ask_grid_path)
        return box

    def _mix_edited(self) -> None:
        self.redraw()
        if self.hold.isChecked():
            self.changed.emit()

    def set_model(self, g) -> None:
        """Show the panel only for models with a style space, and draw the mix of the new model."""
        self.setVisible(bool(g is not None and g.has_w))
        self.show_mix(None)
        self.redraw()

    def redraw(self) -> None:
        """Ask for the mixed picture (after any change of seeds, ψ, class or noise)."""
        s = self.session
        if s.g is None or not s.g.has_w:
            return
        try:
            self.submit(s.mix_request(self.mix(s.walk.psi, s.grid_class), self.photo()))
        except UserError as exc:
            self.studio.show_error(exc.message, exc.hint)

    def _ask_grid_path(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getSaveFileName(self, "Export mixing grid", "mixing-grid.png", "PNG (*.png)")
        if name:
            self.export_grid(Path(name))

    def export_grid(self, path: Path) -> bool:
        """Write the mixing grid the row / column fields describe; False (with a banner) if they do not parse."""
        from ganstudio.walk.exports import mixing_grid_job
        from ganstudio.walk.timeline import parse_seeds

        try:
            fn = mixing_grid_job(self.session, parse_seeds(self.rows.text()), parse_seeds(self.cols.text()),
                                 self.grid_group.currentData(), path)
        except UserError as exc:
            self.studio.show_error(exc.message, exc.hint)
            return False
        self.runner.submit(Job("mixing-grid", fn, on_done=lambda written: self.studio.show_status(f"wrote {written}"),
                               on_failed=self.studio.show_error))
        return True

    def mix(self, psi: float, cls: int | None) -> Mix:
        """The picture the mixing controls describe."""
        chosen = {g: self.seed[g].value() for g in GROUPS if self.use[g].isChecked()}
        return Mix(base=self.base.value(), psi=psi, cls=cls, **chosen)

    def values(self) -> dict[str, Any]:
        """`Walk` fields."""
        held = ",".join(f"{g}={self.seed[g].value()}" for g in GROUPS if self.use[g].isChecked())
        return {"space": self.space.currentData(), "noise": self.noise.currentData(),
                "moving": self.moving.currentData(), "mix": held if self.hold.isChecked() else ""}

    def set_base(self, seed: int) -> None:
        self.base.setValue(seed)

    def photo(self) -> Styles | None:
        """The projected photo chosen as the mix's base (None: the base seed)."""
        index = self.base_source.currentData()
        return self.photos[index] if index is not None and index < len(self.photos) else None

    def set_photos(self, keys: list[Keyframe]) -> None:
        """Offer the walk's projected photos as bases, keeping the chosen one while it is still there."""
        chosen = self.photo()
        found = [(kf.label(), kf.styles) for kf in keys if kf.styles is not None]
        self.photos = [styles for _, styles in found]
        self.base_source.blockSignals(True)
        self.base_source.clear()
        self.base_source.addItem("Base seed", None)
        for i, (label, _) in enumerate(found):
            self.base_source.addItem(label[0].upper() + label[1:], i)
        keep = self.photos.index(chosen) if chosen in self.photos else None
        self.base_source.setCurrentIndex(self.base_source.findData(keep))
        self.base_source.blockSignals(False)
        self.base.setEnabled(keep is None)
        if chosen is not None and keep is None:
            self.redraw()

    def _source_chosen(self) -> None:
        self.base.setEnabled(self.photo() is None)
        self.redraw()

    def show_mix(self, image: np.ndarray | None) -> None:
        if image is None:
            self.preview.clear_images("")
        else:
            self.preview.set_images(image[None], 1)

    def show_walk(self, walk: Walk) -> None:
        """Set the walk controls (not the mixing seeds) from a saved walk without firing signals."""
        from ganstudio.walk.stylemix import parse_mix

        widgets = (self.space, self.noise, self.moving, self.hold, *self.use.values(), *self.seed.values())
        for w in widgets:
            w.blockSignals(True)
        self.space.setCurrentIndex(self.space.findData(walk.space))
        self.noise.setCurrentIndex(self.noise.findData(walk.noise))
        self.moving.setCurrentIndex(self.moving.findData(walk.moving))
        held = parse_mix(walk.mix)
        self.hold.setChecked(bool(held))
        for group, seed in held.items():
            self.use[group].setChecked(True)
            self.seed[group].setValue(seed)
        for w in widgets:
            w.blockSignals(False)
