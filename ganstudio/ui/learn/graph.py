"""The model graph: noise → G → samples → D → prediction → loss → gradients, lit by the phase being run.

A D step lights D's path and sends the gradients back to D; a G step lights the whole chain and
sends them back to G, whose samples are what moves.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

NODES = ("noise", "G", "samples", "D", "prediction", "loss", "gradients")
SHORT = {"samples": "points", "prediction": "D(x)", "gradients": "grads"}  # what fits a narrow box
LIT = {"d": {"samples", "D", "prediction", "loss", "gradients"},
       "g": {"noise", "G", "samples", "D", "prediction", "loss", "gradients"}}
D_COLOUR, G_COLOUR, IDLE = QColor(31, 119, 180), QColor(214, 96, 20), QColor(225, 225, 225)


class ModelGraph(QWidget):
    """`set_phase("d" | "g" | "both" | "")`: which path is lit ('' = none, both = G's colours then D's)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.phase = ""
        self.setMinimumHeight(64)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_phase(self, phase: str) -> None:
        if phase != self.phase:
            self.phase = phase
            self.update()

    def lit(self) -> set[str]:
        return LIT["g"] if self.phase == "both" else LIT.get(self.phase, set())

    def updated(self) -> str:
        """The network whose weights the lit phase changes."""
        return {"d": "D", "g": "G", "both": "D and G"}.get(self.phase, "")

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        step = w / len(NODES)
        font = p.font()
        font.setPointSizeF(8)
        p.setFont(font)
        colour = D_COLOUR if self.phase == "d" else G_COLOUR
        lit = self.lit()
        boxes = {}
        for i, name in enumerate(NODES):
            r = QRectF(i * step + 3, 6, step - 12, 24)
            boxes[name] = r
            p.setPen(QPen(Qt.GlobalColor.darkGray, 1))
            p.setBrush(colour.lighter(150) if name in lit else IDLE)
            p.drawRoundedRect(r, 5, 5)
            p.setPen(Qt.GlobalColor.black)
            fits = p.fontMetrics().horizontalAdvance(name) < r.width() - 4
            p.drawText(r, Qt.AlignmentFlag.AlignCenter, name if fits else SHORT.get(name, name))
            if i:
                p.drawLine(QPointF(r.left() - 9, r.center().y()), QPointF(r.left() - 1, r.center().y()))
        target = self.updated()
        if target:
            back = boxes["D" if self.phase == "d" else "G"]
            y = h - 12
            p.setPen(QPen(colour, 2, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(boxes["gradients"].center().x(), 30), QPointF(boxes["gradients"].center().x(), y))
            p.drawLine(QPointF(boxes["gradients"].center().x(), y), QPointF(back.center().x(), y))
            p.drawLine(QPointF(back.center().x(), y), QPointF(back.center().x(), 30))
            p.setPen(Qt.GlobalColor.black)
            p.drawText(QRectF(back.center().x() + 4, y - 14, w, 14), f"update {target}")
        p.end()
