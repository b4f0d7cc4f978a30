"""The Latent Walk page's bottom strip: the keyframe timeline and the selected keyframe's editor."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QWidget

from ganstudio.ui.common.spin import spin_box
from ganstudio.ui.walk.controls import combo, fill_classes
from ganstudio.ui.walk.widgets import Timeline
from ganstudio.walk.timeline import Keyframe


class KeyframePanel(QGroupBox):
    """Thumbnails in play order (drag to reorder); frames to the next keyframe, class, move, remove."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Keyframes", parent)
        h = QHBoxLayout(self)
        self.timeline = Timeline()
        h.addWidget(self.timeline, 1)
        form = QFormLayout()
        self.key_frames = spin_box(1, 1000, 24, "Frames from this keyframe to the next")
        self.key_frames.setKeyboardTracking(False)
        self.key_class = combo([], "The class shown at this keyframe: the morph blends classes between keyframes")
        form.addRow("Frames to next", self.key_frames)
        self.key_class_label = QLabel("Class")
        form.addRow(self.key_class_label, self.key_class)
        row = QHBoxLayout()
        self.left_button, self.right_button = QPushButton("◀"), QPushButton("▶")
        self.left_button.setToolTip("Move the selected keyframe earlier")
        self.right_button.setToolTip("Move the selected keyframe later")
        self.remove_button = QPushButton("Remove")
        for w in (self.left_button, self.right_button, self.remove_button):
            row.addWidget(w)
        form.addRow(row)
        self.key_editor = QWidget()
        self.key_editor.setLayout(form)
        h.addWidget(self.key_editor)

    def show_keyframe(self, frames: int, cls: int | None) -> None:
        """Put a keyframe's values in the editor without firing its signals."""
        for w in (self.key_frames, self.key_class):
            w.blockSignals(True)
        self.key_frames.setValue(frames)
        if cls is not None:
            self.key_class.setCurrentIndex(self.key_class.findData(cls))
        for w in (self.key_frames, self.key_class):
            w.blockSignals(False)

    def set_classes(self, names: list[str], n: int) -> None:
        """Offer the model's n classes (none: hide the class box)."""
        fill_classes(self.key_class, names, n)
        for w in (self.key_class, self.key_class_label):
            w.setVisible(n > 0)


PHOTO_CHARS = 13  # a photo's file name in a timeline caption, at most (one line under its thumbnail)


def key_text(index: int, kf: Keyframe, class_names: list[str] | None) -> str:
    """A keyframe's caption in the timeline: number, seed, free vector or photo name, class, segment length."""
    cls = ""
    if class_names is not None and kf.cls is not None:
        cls = f"{class_names[kf.cls] if kf.cls < len(class_names) else kf.cls} · "
    name = kf.label()
    if kf.photo is not None:
        name = kf.photo if len(kf.photo) <= PHOTO_CHARS else kf.photo[:PHOTO_CHARS - 1] + "…"
    return f"{index + 1}. {name}\n{cls}{kf.frames} f"
