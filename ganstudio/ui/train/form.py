"""The Train page's settings form: data, model, loss, preset and every hyperparameter, each with a
plain-words tooltip. It turns the widgets into a `TrainConfig` and back."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ganstudio.core.config import DCGAN_SIZES, TOY_SETS, DataConfig, ModelConfig, TrainConfig, preset
from ganstudio.core.errors import UserError
from ganstudio.core.images import fit_square, open_image
from ganstudio.data.folder import FolderScan, scan_folder
from ganstudio.ui.common.qimage import to_pixmap

DATA_KINDS = [
    ("2D toy set", "toy"), ("MNIST digits", "mnist"), ("Fashion-MNIST", "fashion-mnist"), ("CIFAR-10", "cifar10"),
    ("My image folder", "folder"), ("CSV of 2D points", "csv"), ("CycleGAN: folder A ↔ folder B", "unpaired"),
]
ARCHS = [("MLP GAN (2D points)", "mlp"), ("DCGAN (images)", "dcgan"), ("Conditional DCGAN (images with classes)", "cdcgan"),
         ("CycleGAN (style transfer between two folders)", "cyclegan")]
LOSSES = [("Standard (BCE)", "bce"), ("Least squares (LSGAN)", "lsgan"), ("Hinge", "hinge"), ("Wasserstein (WGAN-GP)", "wgan-gp")]
PRESETS = [("Quick CPU preview", "quick"), ("Balanced", "balanced"), ("GPU quality", "quality")]
THUMBS = 8

TIPS = {
    "kind": "What the networks learn to imitate: a 2D toy shape (fast, great for seeing how GANs behave), "
            "a classic image set, your own folder of pictures, or your own 2D points.",
    "toy": "The shape of the 2D data. ring8 and grid25 are mixtures of separate blobs, so you can see "
           "whether the generator covers every blob or collapses onto a few.",
    "root": "The folder that holds (or will hold) the dataset's files. Leave empty to use your GAN Studio data folder.",
    "download": "Allow downloading the dataset from the internet when it is not found in the folder.",
    "limit": "Train on at most this many images (0 = all). Fewer images load faster and suit a quick test.",
    "folder": "A folder of images. Put pictures straight in it for a plain model, or one subfolder per class "
              "(cats/, dogs/, …) for a conditional model. You can also drag a folder onto this page.",
    "csv": "A text file with one 2D point per line: x,y.",
    "folder_b": "CycleGAN: the second folder of images (e.g. paintings). The model learns to turn pictures of "
                "folder A into pictures like folder B and back; the two folders need no matching pairs.",
    "res_blocks": "CycleGAN: residual blocks in each generator. More blocks see more context but are slower.",
    "crop": "CycleGAN: size of the random square crops trained on. The finished model works on photos of any size.",
    "arch": "The kind of networks. MLP GAN learns 2D points; DCGAN learns images; the conditional DCGAN also "
            "learns which class each image belongs to, so you can ask it for a class later.",
    "loss": "How the two networks score each other. Standard is the original GAN; least squares and hinge are "
            "often steadier; WGAN-GP is slowest but hardest to break.",
    "preset": "A starting point for all the numbers below: a quick preview that runs on a laptop CPU, a balanced "
              "run, or a long high-quality run meant for a GPU.",
    "z_dim": "How many random numbers the generator starts each sample from. More gives it more room for variety.",
    "img_size": "Width and height, in pixels, of the images the model makes. Bigger is slower.",
    "channels": "1 for greyscale images, 3 for colour.",
    "base_ch": "How wide the convolutional networks are. Wider learns more detail but is slower and needs more memory.",
    "hidden": "Neurons in each hidden layer of the MLP networks.",
    "layers": "Number of hidden layers in the MLP networks.",
    "latent_codes": "The first latent number picks one of this many discrete codes, so the generator can jump "
                    "between separate clusters instead of smearing points along bridges between them. Each code "
                    "starts on its own part of the data. 0 = off.",
    "cond_d": "How the discriminator is told the class: 'projection' (usually better) or 'concat' (simpler).",
    "spectral_norm": "Limits how sharply the discriminator can react, which often keeps training stable.",
    "minibatch_std": "Lets the discriminator see how varied a whole batch is, so a generator that makes the same "
                     "picture for every latent is caught. Try it when samples look alike.",
    "steps": "How many times the generator is updated in total. More steps, better results, longer wait.",
    "batch": "How many examples each step looks at. Larger is smoother but uses more memory.",
    "lr_g": "Generator learning rate: how big a change it makes at each step. Too high and training goes wild; "
            "too low and it crawls.",
    "lr_d": "Discriminator learning rate. If the discriminator wins too easily, lower this one.",
    "lr_decay": "Share of the run, at its end, over which both learning rates fall steadily to 0. A cool-down "
                "often settles a long run into cleaner results: the image presets past the quick preview use 0.25 (the last "
                "quarter), CycleGAN's paper 0.5 (the last half).",
    "beta1": "Adam momentum: how much each update remembers of the previous ones. GANs like 0.5 (or 0 for WGAN-GP).",
    "beta2": "Adam's memory of how large updates have been. 0.999 is the usual choice.",
    "n_critic": "Discriminator updates for every generator update. WGAN-GP usually uses 5.",
    "gp_weight": "WGAN-GP only: how strongly the discriminator is kept smooth.",
    "ema": "Keep a slowly-moving average of the generator for samples: usually cleaner pictures at no cost in speed.",
    "ema_decay": "How slowly the averaged generator follows the real one (closer to 1 = slower, smoother).",
    "seed": "Starting point of the random numbers. The same seed and settings give the same run again.",
    "device": "Where to compute: auto picks the GPU when there is one, otherwise the CPU.",
    "precision": "Arithmetic of the training step. Auto uses bf16 mixed precision for DCGANs where the CPU "
                 "or GPU computes bf16 natively (about twice as fast on such CPUs), and fp32 elsewhere. "
                 "Weights and saved files stay fp32 either way.",
    "sample_every": "Steps between new sample pictures (and 2D views).",
    "ckpt_every": "Steps between checkpoints saved to disk, so a run can be resumed later.",
    "keep_last": "How many of the newest checkpoints to keep; older ones are deleted to save space.",
    "log_every": "Steps between points on the live plots.",
    "n_samples": "How many images the live sample grid shows.",
    "name": "The run's folder name in your runs folder. Leave empty for an automatic name.",
}


# TrainConfig fields shown in the Training section, filled from a preset or a saved run
RUN_FIELDS = ("loss", "steps", "batch", "lr_g", "lr_d", "lr_decay", "beta1", "beta2", "n_critic", "gp_weight", "ema",
              "ema_decay", "sample_every", "ckpt_every", "keep_last", "log_every", "n_samples")


def _tip(widget: QWidget, key: str) -> QWidget:
    widget.setToolTip(TIPS[key])
    return widget


def _combo(items: list[tuple[str, str]], key: str) -> QComboBox:
    box = QComboBox()
    box.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(10)  # long labels must not widen the whole form
    for label, value in items:
        box.addItem(label, value)
    return _tip(box, key)


def _int(lo: int, hi: int, key: str, step: int = 1) -> QSpinBox:
    box = QSpinBox()
    box.setRange(lo, hi)
    box.setSingleStep(step)
    return _tip(box, key)


def _float(lo: float, hi: float, decimals: int, step: float, key: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(lo, hi)
    box.setDecimals(decimals)
    box.setSingleStep(step)
    return _tip(box, key)


def _set_combo(box: QComboBox, value: object) -> None:
    index = box.findData(value)
    if index >= 0:
        box.setCurrentIndex(index)


class PathField(QWidget):
    """A line edit with a Browse… button (folder or file)."""

    chosen = Signal(str)

    def __init__(self, key: str, pick_folder: bool, file_filter: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.pick_folder, self.file_filter = pick_folder, file_filter
        self.edit = _tip(QLineEdit(), key)
        self.edit.setPlaceholderText(placeholder)
        self.edit.editingFinished.connect(lambda: self.chosen.emit(self.edit.text().strip()))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(browse)

    def text(self) -> str:
        return self.edit.text().strip()

    def set_text(self, text: str) -> None:
        self.edit.setText(text)

    def _browse(self) -> None:
        start = self.text() or str(Path.home())
        if self.pick_folder:
            path = QFileDialog.getExistingDirectory(self, "Choose a folder", start)
        else:
            path = QFileDialog.getOpenFileName(self, "Choose a file", start, self.file_filter)[0]
        if path:
            self.edit.setText(path)
            self.chosen.emit(path)


class TrainForm(QWidget):
    """All settings of a run. `config(out_dir)` builds the TrainConfig; UserError for impossible input."""

    error = Signal(str, str)  # message, hint (a bad folder, …)
    folder_scanned = Signal(object)  # FolderScan

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scan: FolderScan | None = None
        self._applying = False

        # -- data -------------------------------------------------------------------------
        self.kind = _combo(DATA_KINDS, "kind")
        self.toy = _combo([(n, n) for n in TOY_SETS], "toy")
        self.root = PathField("root", True, placeholder="your GAN Studio data folder")
        self.download = _tip(QCheckBox("Download if missing"), "download")
        self.download.setChecked(True)
        self.folder = PathField("folder", True, placeholder="drag a folder onto the page, or Browse…")
        self.folder.chosen.connect(self.set_folder)
        self.csv = PathField("csv", False, "CSV files (*.csv);;All files (*)")
        self.folder_b = PathField("folder_b", True, placeholder="the second folder (e.g. paintings)")
        self.limit = _int(0, 10_000_000, "limit", 1000)
        self.scan_label = QLabel("")
        self.scan_label.setWordWrap(True)
        self.thumbs = QHBoxLayout()
        self.thumbs.setSpacing(2)
        self.thumbs.addStretch(1)
        thumb_box = QWidget()
        thumb_box.setLayout(self.thumbs)
        data_form = QFormLayout()
        data_form.addRow("Data", self.kind)
        data_form.addRow("Shape", self.toy)
        data_form.addRow("Dataset folder", self.root)
        data_form.addRow("", self.download)
        data_form.addRow("Image folder", self.folder)
        data_form.addRow("", self.scan_label)
        data_form.addRow("", thumb_box)
        data_form.addRow("Folder B", self.folder_b)
        data_form.addRow("Points file", self.csv)
        data_form.addRow("Use at most", self.limit)
        self.limit.setSpecialValueText("all images")
        self._data_form = data_form

        # -- model ------------------------------------------------------------------------
        self.arch = _combo(ARCHS, "arch")
        self.loss = _combo(LOSSES, "loss")
        self.preset = _combo(PRESETS, "preset")
        self.preset.setCurrentIndex(1)
        self.z_dim = _int(1, 1024, "z_dim")
        self.img_size = _combo([(f"{s} px", s) for s in DCGAN_SIZES], "img_size")
        self.channels = _combo([("grey (1)", 1), ("colour (3)", 3)], "channels")
        self.base_ch = _int(4, 1024, "base_ch", 8)
        self.hidden = _int(4, 4096, "hidden", 32)
        self.layers = _int(1, 16, "layers")
        self.latent_codes = _int(0, 1024, "latent_codes")
        self.cond_d = _combo([("projection", "projection"), ("concat", "concat")], "cond_d")
        self.spectral_norm = _tip(QCheckBox("Spectral norm in D"), "spectral_norm")
        self.minibatch_std = _tip(QCheckBox("Batch variety in D (minibatch std)"), "minibatch_std")
        self.res_blocks = _int(1, 32, "res_blocks")
        self.crop = _int(32, 1024, "crop", 16)
        model_form = QFormLayout()
        model_form.addRow("Model", self.arch)
        model_form.addRow("Loss", self.loss)
        model_form.addRow("Preset", self.preset)
        model_form.addRow("Latent size", self.z_dim)
        model_form.addRow("Image size", self.img_size)
        model_form.addRow("Crop size", self.crop)
        model_form.addRow("Residual blocks", self.res_blocks)
        model_form.addRow("Channels", self.channels)
        model_form.addRow("Width", self.base_ch)
        model_form.addRow("Hidden units", self.hidden)
        model_form.addRow("Hidden layers", self.layers)
        model_form.addRow("Discrete codes", self.latent_codes)
        model_form.addRow("Class input to D", self.cond_d)
        model_form.addRow("", self.spectral_norm)
        model_form.addRow("", self.minibatch_std)
        self._model_form = model_form

        # -- training ---------------------------------------------------------------------
        self.steps = _int(1, 10_000_000, "steps", 100)
        self.batch = _int(1, 65536, "batch", 16)
        self.lr_g = _float(1e-6, 0.99, 6, 1e-4, "lr_g")
        self.lr_d = _float(1e-6, 0.99, 6, 1e-4, "lr_d")
        self.lr_decay = _float(0.0, 1.0, 2, 0.05, "lr_decay")
        self.beta1 = _float(0.0, 0.999, 3, 0.1, "beta1")
        self.beta2 = _float(0.0, 0.9999, 4, 0.001, "beta2")
        self.n_critic = _int(1, 20, "n_critic")
        self.gp_weight = _float(0.0, 1000.0, 2, 1.0, "gp_weight")
        self.ema = _tip(QCheckBox("Average the generator (EMA)"), "ema")
        self.ema_decay = _float(0.0, 0.99999, 5, 0.0005, "ema_decay")
        self.seed = _int(0, 2**31 - 1, "seed")
        self.device = _combo([("auto", "auto"), ("CPU", "cpu"), ("CUDA GPU", "cuda"), ("Apple MPS", "mps")], "device")
        self.precision = _combo([("auto", "auto"), ("fp32", "fp32"), ("bf16 mixed", "bf16")], "precision")
        self.sample_every = _int(1, 1_000_000, "sample_every", 10)
        self.ckpt_every = _int(1, 10_000_000, "ckpt_every", 100)
        self.keep_last = _int(1, 1000, "keep_last")
        self.log_every = _int(1, 100_000, "log_every")
        self.n_samples = _int(1, 1024, "n_samples", 8)
        self.name = _tip(QLineEdit(), "name")
        self.name.setPlaceholderText("automatic")
        run_form = QFormLayout()
        for label, widget in (
            ("Steps", self.steps), ("Batch size", self.batch), ("G learning rate", self.lr_g),
            ("D learning rate", self.lr_d), ("LR decay (final share)", self.lr_decay),
            ("Adam β1", self.beta1), ("Adam β2", self.beta2),
            ("D steps per G step", self.n_critic), ("Gradient penalty", self.gp_weight), ("", self.ema),
            ("EMA decay", self.ema_decay), ("Seed", self.seed), ("Device", self.device),
            ("Precision", self.precision),
            ("Samples every", self.sample_every), ("Checkpoint every", self.ckpt_every),
            ("Keep checkpoints", self.keep_last), ("Plot every", self.log_every), ("Samples shown", self.n_samples),
            ("Run name", self.name),
        ):
            run_form.addRow(label, widget)
        self._run_form = run_form

        layout = QVBoxLayout(self)
        for title, form in (("Data", data_form), ("Model", model_form), ("Training", run_form)):
            box = QGroupBox(title)
            box.setLayout(form)
            layout.addWidget(box)
        layout.addStretch(1)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.arch.currentIndexChanged.connect(self._arch_changed)
        self.preset.currentIndexChanged.connect(self.apply_preset)
        self.loss.currentIndexChanged.connect(self._update_visibility)
        self.ema.toggled.connect(self._update_visibility)
        self.apply_preset()

    # -- reactions ----------------------------------------------------------------------------
    def data_kind(self) -> str:
        return self.kind.currentData()

    def _kind_changed(self) -> None:
        if self._applying:
            return
        kind = self.data_kind()
        self._applying = True
        if kind in ("toy", "csv"):
            _set_combo(self.arch, "mlp")
        elif kind == "unpaired":
            _set_combo(self.arch, "cyclegan")
        elif self.arch.currentData() == "cyclegan":
            _set_combo(self.arch, "dcgan")
        elif self.arch.currentData() == "mlp":
            conditional = kind == "folder" and self.scan is not None and self.scan.conditional
            _set_combo(self.arch, "cdcgan" if conditional else "dcgan")
        self._applying = False
        self.apply_preset()

    def _arch_changed(self) -> None:
        if self._applying:
            return
        arch, kind = self.arch.currentData(), self.data_kind()
        self._applying = True
        if arch == "mlp" and kind not in ("toy", "csv"):
            _set_combo(self.kind, "toy")
        elif arch != "mlp" and kind in ("toy", "csv"):
            _set_combo(self.kind, "mnist")
        elif (arch == "cyclegan") != (kind == "unpaired"):
            _set_combo(self.kind, "unpaired" if arch == "cyclegan" else "folder")
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
        self._set_model(model)
        self._set_run({name: p.get(name, getattr(defaults, name)) for name in RUN_FIELDS})
        self._applying = False
        self._update_visibility()

    def _set_model(self, m: ModelConfig) -> None:
        _set_combo(self.arch, m.arch)
        self.z_dim.setValue(m.z_dim)
        _set_combo(self.img_size, m.img_size)
        _set_combo(self.channels, m.channels)
        self.base_ch.setValue(m.base_ch)
        self.hidden.setValue(m.hidden)
        self.layers.setValue(m.layers)
        self.latent_codes.setValue(m.latent_codes)
        _set_combo(self.cond_d, m.cond_d)
        self.spectral_norm.setChecked(m.spectral_norm)
        self.minibatch_std.setChecked(m.minibatch_std)
        self.res_blocks.setValue(m.res_blocks)
        if m.arch == "cyclegan":
            self.crop.setValue(m.img_size)

    def _set_run(self, values: dict) -> None:
        _set_combo(self.loss, values["loss"])
        for name in ("steps", "batch", "n_critic", "sample_every", "ckpt_every", "keep_last", "log_every", "n_samples"):
            getattr(self, name).setValue(int(values[name]))
        for name in ("lr_g", "lr_d", "lr_decay", "beta1", "beta2", "gp_weight", "ema_decay"):
            getattr(self, name).setValue(float(values[name]))
        self.ema.setChecked(bool(values["ema"]))

    def _update_visibility(self) -> None:
        kind, arch = self.data_kind(), self.arch.currentData()
        tv = kind in ("mnist", "fashion-mnist", "cifar10")
        for widget, visible in (
            (self.toy, kind == "toy"), (self.root, tv), (self.download, tv), (self.folder, kind in ("folder", "unpaired")),
            (self.scan_label, kind == "folder"), (self.thumbs.parentWidget(), kind == "folder"),
            (self.csv, kind == "csv"), (self.limit, tv or kind in ("folder", "unpaired")), (self.folder_b, kind == "unpaired"),
        ):
            self._data_form.setRowVisible(widget, visible)
        images, cycle = arch != "mlp", arch == "cyclegan"
        for widget, visible in (
            (self.img_size, images and not cycle), (self.channels, images and not cycle), (self.base_ch, images),
            (self.hidden, not images), (self.layers, not images), (self.latent_codes, not images),
            (self.cond_d, arch == "cdcgan"),
            (self.minibatch_std, images and not cycle),
            (self.z_dim, not cycle), (self.crop, cycle), (self.res_blocks, cycle),
        ):
            self._model_form.setRowVisible(widget, visible)
        self._run_form.setRowVisible(self.gp_weight, self.loss.currentData() == "wgan-gp")
        self._run_form.setRowVisible(self.ema_decay, self.ema.isChecked())
        self._run_form.setRowVisible(self.n_samples, images)

    # -- the user's folder --------------------------------------------------------------------
    def set_folder(self, path: str) -> bool:
        """Scan a folder and make it the dataset; False (and an error signal) when it is not usable."""
        if not path:
            return False
        try:
            scan = scan_folder(path)
        except UserError as exc:
            self.error.emit(exc.message, exc.hint or "choose a folder of PNG or JPEG images, with one subfolder "
                            "per class for a conditional model")
            return False
        self.scan = scan
        self.folder.set_text(str(scan.root))
        self._applying = True
        _set_combo(self.kind, "folder")
        _set_combo(self.arch, "cdcgan" if scan.conditional else "dcgan")
        self._applying = False
        self.apply_preset()
        self._show_scan(scan)
        self.folder_scanned.emit(scan)
        return True

    def _show_scan(self, scan: FolderScan) -> None:
        text = f"{len(scan.files)} images"
        if scan.conditional:
            names = ", ".join(scan.class_names[:6]) + (" …" if len(scan.class_names) > 6 else "")
            text += f" in {len(scan.class_names)} classes ({names}) → conditional model"
        else:
            text += ", no class subfolders → plain model"
        if scan.ignored:
            text += f"; {scan.ignored} other file(s) ignored"
        self.scan_label.setText(text)
        while self.thumbs.count() > 1:
            item = self.thumbs.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        picks = scan.files[:: max(1, len(scan.files) // THUMBS)][:THUMBS]
        for i, path in enumerate(picks):
            thumb = QLabel()
            thumb.setFixedSize(36, 36)
            thumb.setToolTip(path.name)
            try:
                thumb.setPixmap(to_pixmap(np.asarray(fit_square(open_image(path), 36).convert("RGB"))))
            except UserError:
                thumb.setText("?")
                thumb.setAlignment(Qt.AlignCenter)
            self.thumbs.insertWidget(i, thumb)

    # -- config in and out ---------------------------------------------------------------------
    def data_config(self) -> DataConfig:
        kind = self.data_kind()
        if kind == "toy":
            return DataConfig(kind="toy", name=self.toy.currentData())
        if kind == "csv":
            if not self.csv.text():
                raise UserError("no points file chosen", "choose a CSV file with one x,y point per line")
            return DataConfig(kind="csv", path=self.csv.text())
        if kind == "folder":
            if not self.folder.text():
                raise UserError("no image folder chosen", "choose a folder of images, or drag one onto the page")
            return DataConfig(kind="folder", path=self.folder.text(), limit=self.limit.value())
        if kind == "unpaired":
            if not self.folder.text() or not self.folder_b.text():
                raise UserError("CycleGAN needs two image folders", "choose folder A (e.g. photos) and folder B (e.g. paintings)")
            return DataConfig(kind="folder", path=self.folder.text(), path_b=self.folder_b.text(), limit=self.limit.value())
        return DataConfig(kind=kind, root=self.root.text(), download=self.download.isChecked(), limit=self.limit.value())

    def data_label(self) -> str:
        d = self.data_config()
        if d.path_b:
            return f"{Path(d.path).stem}-{Path(d.path_b).stem}"
        return d.name if d.kind == "toy" else Path(d.path).stem if d.kind in ("csv", "folder") else d.kind

    def config(self, out_dir: str) -> TrainConfig:
        arch = self.arch.currentData()
        cycle = arch == "cyclegan"
        model = ModelConfig(
            arch=arch, z_dim=self.z_dim.value(), img_size=self.crop.value() if cycle else self.img_size.currentData(),
            channels=3 if cycle else self.channels.currentData(), base_ch=self.base_ch.value(), hidden=self.hidden.value(),
            layers=self.layers.value(), latent_codes=self.latent_codes.value() if arch == "mlp" else 0,
            cond_d=self.cond_d.currentData(), spectral_norm=self.spectral_norm.isChecked(),
            minibatch_std=self.minibatch_std.isChecked() and arch in ("dcgan", "cdcgan"),
            res_blocks=self.res_blocks.value(),
        )
        return TrainConfig(
            model=model, data=self.data_config(), loss=self.loss.currentData(), steps=self.steps.value(),
            batch=self.batch.value(), lr_g=self.lr_g.value(), lr_d=self.lr_d.value(), lr_decay=self.lr_decay.value(),
            beta1=self.beta1.value(),
            beta2=self.beta2.value(), n_critic=self.n_critic.value(), gp_weight=self.gp_weight.value(),
            ema=self.ema.isChecked(), ema_decay=self.ema_decay.value(), seed=self.seed.value(),
            device=self.device.currentData(), precision=self.precision.currentData(), out_dir=out_dir,
            sample_every=self.sample_every.value(),
            ckpt_every=self.ckpt_every.value(), keep_last=self.keep_last.value(), log_every=self.log_every.value(),
            n_samples=self.n_samples.value(),
        )

    def set_config(self, cfg: TrainConfig) -> None:
        """Show a run's settings (resuming from a checkpoint)."""
        self._applying = True
        _set_combo(self.kind, "unpaired" if cfg.model.arch == "cyclegan" else cfg.data.kind)
        _set_combo(self.toy, cfg.data.name)
        self.folder_b.set_text(cfg.data.path_b)
        self.root.set_text(cfg.data.root)
        self.download.setChecked(cfg.data.download)
        self.folder.set_text(cfg.data.path if cfg.data.kind == "folder" else "")
        self.csv.set_text(cfg.data.path if cfg.data.kind == "csv" else "")
        self.limit.setValue(cfg.data.limit)
        self._set_model(cfg.model)
        self._set_run({name: getattr(cfg, name) for name in RUN_FIELDS})
        self.seed.setValue(cfg.seed)
        _set_combo(self.device, cfg.device)
        _set_combo(self.precision, cfg.precision)
        self.name.setText(Path(cfg.out_dir).name)
        self._applying = False
        self._update_visibility()

    # -- the last datasets, between launches ---------------------------------------------------
    def save_settings(self, settings: QSettings) -> None:
        settings.setValue("train/data_kind", self.data_kind())
        settings.setValue("train/toy", self.toy.currentData())
        settings.setValue("train/root", self.root.text())
        settings.setValue("train/download", self.download.isChecked())
        settings.setValue("train/folder", self.folder.text())
        settings.setValue("train/csv", self.csv.text())
        settings.setValue("train/limit", self.limit.value())

    def restore_settings(self, settings: QSettings) -> None:
        """Bring back the last data choice; a folder that has gone missing is shown but not scanned."""
        self.root.set_text(str(settings.value("train/root", "")))
        self.download.setChecked(str(settings.value("train/download", "true")).lower() == "true")
        self.csv.set_text(str(settings.value("train/csv", "")))
        self.limit.setValue(int(settings.value("train/limit", 0)))
        _set_combo(self.toy, settings.value("train/toy", "ring8"))
        folder = str(settings.value("train/folder", ""))
        self.folder.set_text(folder)
        kind = str(settings.value("train/data_kind", "toy"))
        if kind == "folder" and Path(folder).is_dir():
            self.set_folder(folder)
        elif kind != "folder":
            _set_combo(self.kind, kind)
