"""The Train page's settings form, built from the settings table (`ganstudio.train.fields`).

Every row, its tooltip and when it shows come from the table, and one generic mapping turns the
widgets into a `TrainConfig` and back. Only the data section is hand-written: a folder is scanned
and previewed, and the data choice becomes a `DataConfig` of a different shape for each kind.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ganstudio.core.config import INIT_ADOPTED, DataConfig, ModelConfig, TrainConfig, model_from_dict, preset
from ganstudio.core.errors import UserError
from ganstudio.data.folder import FolderScan, scan_folder
from ganstudio.train.fields import BY_NAME, Field, config_value, form_fields
from ganstudio.ui.train.folder_view import FolderView
from ganstudio.ui.train.widgets import PathField, changed_signal, get_value, make_widget, set_value

SECTIONS = (("data", "Data"), ("model", "Model"), ("run", "Training"))
ADOPTED_TIP = "Taken from the model this run starts from (Start from, under Training)."
MAPPED = [f for section, _ in SECTIONS for f in form_fields(section) if f.part in ("model", "run")]


class TrainForm(QWidget):
    """All settings of a run. `config(out_dir)` builds the TrainConfig; UserError for impossible input.

    Each setting's widget is also an attribute named after it (`form.steps`, `form.arch`, …).
    """

    error = Signal(str, str)  # message, hint (a bad folder, …)
    folder_scanned = Signal(object)  # FolderScan
    data_changed = Signal()  # the data choice changed: what may block Start may have too
    changed = Signal()  # any setting changed (the time estimate listens)

    kind: QComboBox
    arch: QComboBox
    preset: QComboBox
    toy: QComboBox
    root: PathField
    folder: PathField
    folder_b: PathField
    csv: PathField
    download: QCheckBox
    lr_g: QDoubleSpinBox
    lr_d: QDoubleSpinBox
    name: QLineEdit

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scan: FolderScan | None = None
        self._folder_problem = ""  # why the folder in the folder field cannot be trained on
        self._applying = False
        self.widgets: dict[str, QWidget] = {}
        self._layouts: dict[str, QFormLayout] = {}
        self.folder_view = FolderView()
        self.estimate_label = QLabel()  # under Steps: how long they take here (filled by the page's StepEstimate)
        self.estimate_label.setWordWrap(True)
        self.estimate_label.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        for section, title in SECTIONS:
            box = QGroupBox(title)
            box.setLayout(self._section(section))
            layout.addWidget(box)
        layout.addStretch(1)
        self.preset.setCurrentIndex(1)
        self.download.setChecked(True)
        self.folder.chosen.connect(self.set_folder)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.kind.currentIndexChanged.connect(lambda _index: self.data_changed.emit())
        self.arch.currentIndexChanged.connect(self._arch_changed)
        self.preset.currentIndexChanged.connect(self.apply_preset)
        cast(QComboBox, self.widgets["loss"]).currentIndexChanged.connect(self._update_visibility)
        cast(QCheckBox, self.widgets["ema"]).toggled.connect(self._update_visibility)
        for name in ("init", "init_style"):
            cast(QComboBox, self.widgets[name]).currentIndexChanged.connect(self._show_starting_model)
        self.apply_preset()

    def _section(self, section: str) -> QFormLayout:
        form = QFormLayout()
        for f in form_fields(section):
            widget = make_widget(f)
            changed_signal(widget).connect(self.changed)
            self.widgets[f.name] = widget
            setattr(self, f.name, widget)
            if f.kind == "bool":  # a check box carries its own label: across the row, not in the field column
                form.addRow(widget)
            else:
                form.addRow(f.label, widget)
            self._layouts[f.name] = form
            if f.name == "folder":  # the scan's summary and thumbnails sit under the folder, full width
                form.addRow(self.folder_view.summary)
                form.addRow(self.folder_view.thumbs_box)
            elif f.name == "steps":
                form.addRow(self.estimate_label)
        return form

    @property
    def scan_label(self):  # the folder's summary line
        return self.folder_view.summary

    @property
    def thumbs(self):  # the thumbnails' row
        return self.folder_view.thumbs

    # -- reactions ----------------------------------------------------------------------------
    def data_kind(self) -> str:
        return str(self.kind.currentData())

    def _choose(self, name: str, value: object) -> None:
        set_value(self.widgets[name], value)

    def _kind_changed(self) -> None:
        if self._applying:
            return
        kind = self.data_kind()
        self._applying = True
        if kind in ("toy", "csv"):
            self._choose("arch", "mlp")
        elif kind == "unpaired":
            self._choose("arch", "cyclegan")
        elif self.arch.currentData() == "cyclegan":
            self._choose("arch", "dcgan")
        elif self.arch.currentData() == "mlp":
            conditional = kind == "folder" and self.scan is not None and self.scan.conditional
            self._choose("arch", "cdcgan" if conditional else "dcgan")
        self._applying = False
        self.apply_preset()

    def _arch_changed(self) -> None:
        if self._applying:
            return
        arch, kind = self.arch.currentData(), self.data_kind()
        self._applying = True
        if arch == "mlp" and kind not in ("toy", "csv"):
            self._choose("kind", "toy")
        elif arch != "mlp" and kind in ("toy", "csv"):
            self._choose("kind", "mnist")
        elif (arch == "cyclegan") != (kind == "unpaired"):
            self._choose("kind", "unpaired" if arch == "cyclegan" else "folder")
        self._applying = False
        self.apply_preset()

    def apply_preset(self) -> None:
        """Fill every number from the preset for the chosen model and data."""
        if self._applying:
            return
        p = preset(self.arch.currentData(), self.data_kind(), self.preset.currentData())
        model = ModelConfig(**p.pop("model"))
        defaults = TrainConfig()
        self._applying = True
        self._show(model, {f.key: p.get(f.key, getattr(defaults, f.key)) for f in MAPPED if f.preset})
        self._applying = False
        if self._starting_model():  # a fine-tune keeps showing its starting model's widths
            self._show_starting_model()
        else:
            self._update_visibility()

    def _show(self, model: ModelConfig, run: dict[str, Any]) -> None:
        """Show a model config and run values; a second field of an attribute (the crop) only where it applies."""
        for f in MAPPED:
            source: dict[str, Any] = run if f.part == "run" else vars(model)
            if f.key in source and (not f.attr or f.applies(model.arch)):
                set_value(self.widgets[f.name], source[f.key])

    def _checked(self) -> frozenset[str]:
        return frozenset(name for name, w in self.widgets.items() if isinstance(w, QCheckBox) and w.isChecked())

    def _applies(self, f: Field) -> bool:
        loss = cast(QComboBox, self.widgets["loss"]).currentData()
        return f.applies(self.arch.currentData(), loss, self.data_kind(), self._checked())

    def _starting_model(self) -> str:
        """The model a fine-tuning run starts from ('' when it starts afresh)."""
        shown = [get_value(self.widgets[n]) for n in ("init", "init_style") if self._applies(BY_NAME[n])]
        return str(shown[0]) if shown and shown[0] else ""

    def _adopted(self) -> tuple[str, ...]:
        """The model settings a fine-tuning run takes from its starting model (none when it starts afresh)."""
        return INIT_ADOPTED.get(self.arch.currentData(), ()) if self._starting_model() else ()

    def _show_starting_model(self) -> None:
        """Grey the settings the starting model decides and show its values in them (the preset's when none)."""
        adopted, start = INIT_ADOPTED.get(self.arch.currentData(), ()), self._starting_model()
        if start:
            from ganstudio.modelfiles.resolve import resolve_model
            from ganstudio.modelfiles.transfer import model_meta

            try:  # a bundled id reads its file's metadata (milliseconds); a bad file is refused at Start
                values = vars(model_from_dict(model_meta(resolve_model(start))["model"]))
            except (UserError, KeyError, TypeError):
                values = {}
        else:
            values = preset(self.arch.currentData(), self.data_kind(), self.preset.currentData())["model"]
        for f in MAPPED:
            if f.part == "model" and f.key in adopted and f.key in values and f.applies(self.arch.currentData()):
                set_value(self.widgets[f.name], values[f.key])
        self._update_visibility()

    def _update_visibility(self) -> None:
        adopted = self._adopted()
        for name, widget in self.widgets.items():
            f = BY_NAME[name]
            self._layouts[name].setRowVisible(widget, self._applies(f))
            taken = f.part == "model" and f.key in adopted  # greyed: the starting model's value is used
            widget.setEnabled(not taken)
            widget.setToolTip(f"{f.tip}\n\n{ADOPTED_TIP}" if taken else f.tip)
        shown = self.data_kind() == "folder"
        self._layouts["folder"].setRowVisible(self.folder_view.summary, shown)
        self._layouts["folder"].setRowVisible(self.folder_view.thumbs_box, shown)

    # -- the user's folder --------------------------------------------------------------------
    def set_folder(self, path: str) -> bool:
        """Scan a folder and make it the dataset; False (and an error signal) when it is not usable."""
        if not path:
            return False
        try:
            scan = scan_folder(path)
        except UserError as exc:
            if self.folder.text() == path:  # the field shows the refused folder: Start must not use it
                self._folder_problem = exc.message
            self.error.emit(exc.message, exc.hint or "choose a folder of PNG or JPEG images, with one subfolder "
                            "per class for a conditional model")
            self.data_changed.emit()
            return False
        self.scan, self._folder_problem = scan, ""
        self.folder.set_text(str(scan.root))
        self._applying = True
        self._choose("kind", "folder")
        self._choose("arch", "cdcgan" if scan.conditional else "dcgan")
        self._applying = False
        self.apply_preset()
        self.folder_view.show_scan(scan)
        self.folder_scanned.emit(scan)
        self.data_changed.emit()
        return True

    def blocker(self) -> str:
        """Why Start cannot run with the data chosen ('' when it can): a folder the page already refused."""
        return self._folder_problem if self.data_kind() == "folder" else ""

    # -- config in and out ---------------------------------------------------------------------
    def data_config(self) -> DataConfig:
        kind, limit = self.data_kind(), int(get_value(self.widgets["limit"]))
        if kind == "toy":
            return DataConfig(kind="toy", name=self.toy.currentData())
        if kind == "csv":
            if not self.csv.text():
                raise UserError("no points file chosen", "choose a CSV file with one x,y point per line")
            return DataConfig(kind="csv", path=self.csv.text())
        if kind == "folder":
            if not self.folder.text():
                raise UserError("no image folder chosen", "choose a folder of images, or drag one onto the page")
            return DataConfig(kind="folder", path=self.folder.text(), limit=limit)
        if kind == "unpaired":
            if not self.folder.text() or not self.folder_b.text():
                raise UserError("CycleGAN needs two image folders",
                                "choose folder A (e.g. photos) and folder B (e.g. paintings)")
            return DataConfig(kind="folder", path=self.folder.text(), path_b=self.folder_b.text(), limit=limit)
        return DataConfig(kind=kind, root=self.root.text(), download=self.download.isChecked(), limit=limit)

    def data_label(self) -> str:
        d = self.data_config()
        if d.path_b:
            return f"{Path(d.path).stem}-{Path(d.path_b).stem}"
        return d.name if d.kind == "toy" else Path(d.path).stem if d.kind in ("csv", "folder") else d.kind

    def config(self, out_dir: str) -> TrainConfig:
        """The settings as a config: the applying field of an attribute wins over one that does not apply."""
        arch = self.arch.currentData()
        parts: dict[str, dict[str, Any]] = {"model": {}, "run": {}}
        for f in sorted(MAPPED, key=lambda f: f.applies(arch)):  # stable: the table's order within each group
            if f.applies(arch) or f.key not in parts[f.part]:
                parts[f.part][f.key] = config_value(f, get_value(self.widgets[f.name]), arch)
        return TrainConfig(model=ModelConfig(**parts["model"]), data=self.data_config(), out_dir=out_dir,
                           **parts["run"])

    def set_config(self, cfg: TrainConfig) -> None:
        """Show a run's settings (resuming from a checkpoint)."""
        self._applying = True
        d = cfg.data
        self._choose("kind", "unpaired" if cfg.model.arch == "cyclegan" else d.kind)
        self._choose("toy", d.name)
        self.folder_b.set_text(d.path_b)
        self.root.set_text(d.root)
        self.download.setChecked(d.download)
        self.folder.set_text(d.path if d.kind == "folder" else "")
        self.csv.set_text(d.path if d.kind == "csv" else "")
        self._choose("limit", d.limit)
        self._show(cfg.model, {f.key: getattr(cfg, f.key) for f in MAPPED if f.part == "run"})
        self.name.setText(Path(cfg.out_dir).name)
        matching = self._preset_of(cfg)
        if matching is not None:
            self._choose("preset", matching)
        self._applying = False
        self._update_visibility()

    def _preset_of(self, cfg: TrainConfig) -> str | None:
        """The preset whose numbers the run has (None keeps the box as it is: the run was tuned by hand)."""
        for i in range(self.preset.count()):
            p = preset(cfg.model.arch, cfg.data.kind, self.preset.itemData(i))
            model = p.pop("model")
            if all(getattr(cfg.model, k) == v for k, v in model.items()) and \
                    all(getattr(cfg, k) == v for k, v in p.items() if hasattr(cfg, k)):
                return str(self.preset.itemData(i))
        return None

    # -- the last datasets, between launches ---------------------------------------------------
    def save_settings(self, settings: QSettings) -> None:
        settings.setValue("train/data_kind", self.data_kind())
        settings.setValue("train/toy", self.toy.currentData())
        settings.setValue("train/root", self.root.text())
        settings.setValue("train/download", self.download.isChecked())
        settings.setValue("train/folder", self.folder.text())
        settings.setValue("train/csv", self.csv.text())
        settings.setValue("train/limit", get_value(self.widgets["limit"]))

    def restore_settings(self, settings: QSettings) -> None:
        """Bring back the last data choice; a folder that has gone missing is shown but not scanned."""
        self.root.set_text(str(settings.value("train/root", "")))
        self.download.setChecked(str(settings.value("train/download", "true")).lower() == "true")
        self.csv.set_text(str(settings.value("train/csv", "")))
        self._choose("limit", int(str(settings.value("train/limit", 0))))
        self._choose("toy", settings.value("train/toy", "ring8"))
        folder = str(settings.value("train/folder", ""))
        self.folder.set_text(folder)
        kind = str(settings.value("train/data_kind", "toy"))
        if kind == "folder" and Path(folder).is_dir():
            self.set_folder(folder)
        elif kind != "folder":
            self._choose("kind", kind)
