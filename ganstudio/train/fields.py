"""Every setting of a training run, once: the Train form and `ganstudio train` are built from this table.

A `Field` names the config attribute it sets, how it is edited (its type, range or choices),
the plain-words tip the form shows as a tooltip and the CLI as its help, and which models,
losses and data it applies to. Adding a setting is one line here. No Qt, no torch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ganstudio.core.config import AUGMENTS, CONDITIONAL_ARCHS, DCGAN_SIZES, MODEL_LIMITS, STYLEGAN_SIZES, TOY_SETS

IMAGE_GANS = frozenset({"dcgan", "cdcgan"})
STYLE = frozenset({"stylegan"})
GENERATORS = IMAGE_GANS | STYLE  # image models sampled from a latent
IMAGES = GENERATORS | {"cyclegan"}
NOT_CYCLE = frozenset({"mlp"}) | GENERATORS
OWN_LOSS = frozenset({"mlp", "cyclegan"}) | IMAGE_GANS  # every model but StyleGAN, which has its own loss
PLAIN = frozenset({"mlp"}) | IMAGE_GANS  # the models one GAN trainer runs: D steps, spectral norm
CYCLE = frozenset({"cyclegan"})
IMAGE_SIZES = tuple(sorted(set(DCGAN_SIZES) | set(STYLEGAN_SIZES)))
TV = frozenset({"mnist", "fashion-mnist", "cifar10"})

DATA_KINDS = (
    ("2D toy set", "toy"), ("MNIST digits", "mnist"), ("Fashion-MNIST", "fashion-mnist"), ("CIFAR-10", "cifar10"),
    ("My image folder", "folder"), ("CSV of 2D points", "csv"), ("CycleGAN: folder A ↔ folder B", "unpaired"),
)
ARCHS = (("MLP GAN (2D points)", "mlp"), ("DCGAN (images)", "dcgan"),
         ("Conditional DCGAN (images with classes)", "cdcgan"),
         ("CycleGAN (style transfer between two folders)", "cyclegan"),
         ("StyleGAN (images; mix styles in Latent Walk)", "stylegan"))
AUGMENT_CHOICES = tuple(zip(("adaptive (ADA)", "always on (DiffAugment)", "off"), AUGMENTS, strict=True))
INIT_CHOICES = (("random weights (from scratch)", ""), ("Monet paintings (bundled)", "monet-stylegan"))
STYLE_INIT_CHOICES = (("random weights (from scratch)", ""), ("Photo → Monet (bundled)", "photo2monet"),
                      ("Photo → Sisley (bundled)", "photo2sisley"))
LOSSES = (("Standard (BCE)", "bce"), ("Least squares (LSGAN)", "lsgan"), ("Hinge", "hinge"),
          ("Wasserstein (WGAN-GP)", "wgan-gp"))
PRESETS = (("Quick CPU preview", "quick"), ("Balanced", "balanced"), ("GPU quality", "quality"))
DEVICES = (("auto", "auto"), ("CPU", "cpu"), ("CUDA GPU", "cuda"), ("Apple MPS", "mps"))
PRECISION_CHOICES = (("auto", "auto"), ("fp32", "fp32"), ("bf16 mixed", "bf16"))


@dataclass(frozen=True)
class Field:
    """One setting. `part` is where it lives: "model" (ModelConfig), "run" (TrainConfig), "data"
    (DataConfig) or "form" (the form's own, such as the preset)."""

    name: str
    section: str  # the form's group: data | model | run
    part: str
    label: str  # the form's row label; a check box's own text
    kind: str  # int | float | bool | choice | folder | file | text
    tip: str
    lo: float = 0
    hi: float = 0
    step: float = 1
    decimals: int = 0
    choices: tuple[tuple[str, Any], ...] = ()
    archs: frozenset[str] | None = None  # the models it applies to; None: every model
    losses: frozenset[str] | None = None
    kinds: frozenset[str] | None = None  # the data kinds it applies to (data fields)
    needs: str = ""  # a check box that must be on for it to apply
    off: Any = None  # the config value where it does not apply (None: the widget's value)
    off_for: frozenset[str] | None = None  # the models `off` is for (None: every model it does not apply to)
    attr: str = ""  # the config attribute, when it is not `name`
    preset: bool = False  # filled from the preset
    cli: str = ""  # "" | "opt": `--name VALUE` (a bool: --name / --no-name) | "on": `--name` sets True
    cli_choices: bool = True  # the CLI checks the value against `choices`
    cli_default: Any = None
    cli_note: str = ""  # appended to the tip in the CLI's help
    metavar: str = ""
    form: bool = True  # a row of the Train form (some settings exist only on the command line)
    placeholder: str = ""
    special: str = ""  # a spin box's text for its minimum

    @property
    def key(self) -> str:
        return self.attr or self.name

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    def applies(self, arch: str, loss: str = "", kind: str = "", on: frozenset[str] = frozenset()) -> bool:
        """Whether the setting means something for this model, loss, data kind and check boxes."""
        return ((self.archs is None or arch in self.archs) and (self.losses is None or loss in self.losses)
                and (self.kinds is None or kind in self.kinds) and (not self.needs or self.needs in on))


F = Field
FIELDS: tuple[Field, ...] = (
    # -- data ---------------------------------------------------------------------------------------------
    F("kind", "data", "data", "Data", "choice", "What the networks learn to imitate: a 2D toy shape (fast, great "
      "for seeing how GANs behave), a classic image set, your own folder of pictures, or your own 2D points.",
      choices=DATA_KINDS),
    F("toy", "data", "data", "Shape", "choice", "The shape of the 2D data. ring8 and grid25 are mixtures of separate "
      "blobs, so you can see whether the generator covers every blob or collapses onto a few.",
      choices=tuple((n, n) for n in TOY_SETS), kinds=frozenset({"toy"}), attr="name"),
    F("root", "data", "data", "Dataset folder", "folder", "The folder that holds (or will hold) the dataset's files. "
      "Leave empty to use your GAN Studio data folder.", kinds=TV, placeholder="your GAN Studio data folder"),
    F("download", "data", "data", "Download if missing", "bool",
      "Allow downloading the dataset from the internet when it is not found in the folder.", kinds=TV),
    F("folder", "data", "data", "Image folder", "folder", "A folder of images. Put pictures straight in it for a "
      "plain model, or one subfolder per class (cats/, dogs/, …) for a conditional model. You can also drag a folder "
      "onto this page.", kinds=frozenset({"folder", "unpaired"}), attr="path",
      placeholder="drag a folder onto the page, or Browse…"),
    F("folder_b", "data", "data", "Folder B", "folder", "CycleGAN: the second folder of images (e.g. paintings). The "
      "model learns to turn pictures of folder A into pictures like folder B and back; the two folders need no "
      "matching pairs.", kinds=frozenset({"unpaired"}), attr="path_b",
      placeholder="the second folder (e.g. paintings)"),
    F("csv", "data", "data", "Points file", "file", "A text file with one 2D point per line: x,y.",
      kinds=frozenset({"csv"}), attr="path"),
    F("limit", "data", "data", "Use at most", "int", "Train on at most this many images (0 = all). Fewer images load "
      "faster and suit a quick test.", 0, 10_000_000, 1000, kinds=TV | {"folder", "unpaired"}, cli="opt",
      special="all images"),
    F("load_size", "data", "data", "Load size", "int", "cyclegan: images are resized to this square before cropping",
      0, 4096, kinds=frozenset({"unpaired"}), cli="opt", form=False),
    # -- model --------------------------------------------------------------------------------------------
    F("arch", "model", "model", "Model", "choice", "The kind of networks. MLP GAN learns 2D points; DCGAN learns "
      "images; the conditional DCGAN also learns which class each image belongs to, so you can ask it for a class "
      "later. StyleGAN draws the finest pictures and lets you mix the layout of one picture with the colours of "
      "another.", choices=ARCHS),
    F("loss", "model", "run", "Loss", "choice", "How the two networks score each other. Standard is the original GAN; "
      "least squares and hinge are often steadier; WGAN-GP is slowest but hardest to break. (StyleGAN always uses "
      "its own.)", choices=LOSSES, archs=OWN_LOSS, off="bce", off_for=STYLE, preset=True, cli="opt"),
    F("preset", "model", "form", "Preset", "choice", "A starting point for all the numbers below: a quick preview "
      "that runs on a laptop CPU, a balanced run, or a long high-quality run meant for a GPU. CycleGAN: quick (16 "
      "channels, 4 blocks, 96 px crops) shows within minutes that training works; balanced (32 channels, 9 blocks, "
      "256 px crops) learns painted strokes on a CPU over days of resumed sessions, about 20× quick's time a step; "
      "quality is the paper's size (64 channels), about 4× balanced's time a step: a GPU's.", choices=PRESETS),
    F("z_dim", "model", "model", "Latent size", "int", "How many random numbers the generator starts each sample "
      "from. More gives it more room for variety.", *MODEL_LIMITS["z_dim"], archs=NOT_CYCLE, cli="opt"),
    F("img_size", "model", "model", "Image size", "choice", "Width and height, in pixels, of the images the model "
      "makes. Bigger is slower. DCGANs make 28–128 px, StyleGAN 32–256 px.",
      choices=tuple((f"{s} px", s) for s in IMAGE_SIZES), archs=GENERATORS, cli="opt",
      cli_choices=False, cli_note="(cyclegan: the training crop, a multiple of 4)"),
    F("crop", "model", "model", "Crop size", "int", "CycleGAN: size of the random square crops trained on (from "
      "images loaded at 9/8 of it, flipped at random). The finished model works on photos of any size, and paints "
      "brush strokes at the scale it learnt them: 256 px, the paper's, shows strokes; 128 px gives a texture. A step "
      "costs about in proportion to the crop's area: 256 px is 4–5× 128 px.", 32, 1024, 16, archs=CYCLE,
      attr="img_size"),
    F("res_blocks", "model", "model", "Residual blocks", "int", "CycleGAN: residual blocks in each generator. More "
      "blocks see more context but are slower: 9 (the paper's) costs about 1.3× 5 a step.",
      *MODEL_LIMITS["res_blocks"], archs=CYCLE, cli="opt"),
    F("upsample", "model", "model", "Upsampling", "choice", "CycleGAN: how the generator doubles the picture's size "
      "on the way out. Resize + convolution draws no checkerboard; the paper's transposed convolution leaves a faint "
      "2–4 px lattice over every result and is here to continue runs made with it. Resize costs about 10 % more "
      "per step.", choices=(("resize + convolution", "resize"), ("transposed (older runs)", "transposed")),
      archs=CYCLE, cli="opt"),
    F("channels", "model", "model", "Channels", "choice", "1 for greyscale images, 3 for colour.",
      choices=(("grey (1)", 1), ("colour (3)", 3)), archs=GENERATORS, off=3, off_for=frozenset({"cyclegan"}),
      cli="opt"),
    F("base_ch", "model", "model", "Width", "int", "How wide the convolutional networks are. Wider learns more "
      "detail but is slower and needs more memory. StyleGAN: the width at full size; it doubles at each smaller "
      "size up to the widest. CycleGAN: 64 (the paper's) costs about 4× 32 a step.", *MODEL_LIMITS["base_ch"], 8,
      archs=IMAGES, cli="opt"),
    F("max_ch", "model", "model", "Widest", "int", "StyleGAN: the most feature maps any size gets (the small sizes "
      "near 4×4). The paper uses 512; 256 suits a CPU.", *MODEL_LIMITS["max_ch"], 32, archs=STYLE, cli="opt"),
    F("mapping_layers", "model", "model", "Mapping layers", "int", "StyleGAN: layers that turn the random numbers "
      "into a style (w). The paper uses 8; 2 learn faster on small folders.", *MODEL_LIMITS["mapping_layers"],
      archs=STYLE,
      cli="opt"),
    F("hidden", "model", "model", "Hidden units", "int", "Neurons in each hidden layer of the MLP networks.",
      *MODEL_LIMITS["hidden"], 32, archs=frozenset({"mlp"}), cli="opt"),
    F("layers", "model", "model", "Hidden layers", "int", "Number of hidden layers in the MLP networks.",
      *MODEL_LIMITS["layers"], archs=frozenset({"mlp"}), cli="opt"),
    F("latent_codes", "model", "model", "Discrete codes", "int", "The first latent number picks one of this many "
      "discrete codes, so the generator can jump between separate clusters instead of smearing points along bridges "
      "between them. Each code starts on its own part of the data. 0 = off.", *MODEL_LIMITS["latent_codes"],
      archs=frozenset({"mlp"}), off=0, cli="opt"),
    F("cond_d", "model", "model", "Class input to D", "choice", "How the discriminator is told the class: "
      "'projection' (usually better) or 'concat' (simpler).", choices=(("projection", "projection"),
      ("concat", "concat")), archs=frozenset({"cdcgan"}), cli="opt"),
    F("spectral_norm", "model", "model", "Steady the discriminator", "bool", "Limits how sharply the discriminator (D) "
      "can react, which often keeps training stable (spectral normalisation).", archs=PLAIN, off=False,
      cli="opt"),
    F("minibatch_std", "model", "model", "Check batch variety", "bool", "Lets the discriminator see how varied a "
      "whole batch is, so a generator that makes the same picture for every latent is caught. Try it when samples "
      "look alike (minibatch standard deviation).", archs=IMAGE_GANS, off=False, cli="on"),
    F("num_classes", "model", "model", "Classes", "int", "how many classes a conditional model draws (0 = none)",
      archs=frozenset(CONDITIONAL_ARCHS), form=False),
    F("base_ch_d", "model", "model", "Width of D", "int", "cyclegan: width of the PatchGAN discriminators",
      archs=CYCLE, form=False),
    # -- training -----------------------------------------------------------------------------------------
    F("steps", "run", "run", "Steps", "int", "How many times the generator is updated in total. More steps, better "
      "results, longer wait.", 1, 10_000_000, 100, preset=True, cli="opt"),
    F("batch", "run", "run", "Batch size", "int", "How many examples each step looks at. Larger is smoother but uses "
      "more memory.", 1, 65536, 16, preset=True, cli="opt"),
    F("lr_g", "run", "run", "G learning rate", "float", "Generator learning rate: how big a change it makes at each "
      "step. Too high and training goes wild; too low and it crawls.", 1e-6, 0.99, 1e-4, 6, preset=True, cli="opt"),
    F("lr_d", "run", "run", "D learning rate", "float", "Discriminator learning rate. If the discriminator wins too "
      "easily, lower this one.", 1e-6, 0.99, 1e-4, 6, preset=True, cli="opt"),
    F("lr_decay", "run", "run", "LR decay (final share)", "float", "Share of the run, at its end, over which both "
      "learning rates fall steadily to 0. A cool-down often settles a long run into cleaner results: the image "
      "presets past the quick preview use 0.25 (the last quarter), CycleGAN's paper 0.5 (the last half).",
      0.0, 1.0, 0.05, 2, preset=True, cli="opt",
      metavar="SHARE", cli_note="(default: 0.5 for cyclegan, as in its paper; 0 otherwise)"),
    F("beta1", "run", "run", "Adam β1", "float", "Adam momentum: how much each update remembers of the previous ones. "
      "GANs like 0.5 (or 0 for WGAN-GP).", 0.0, 0.999, 0.1, 3, preset=True),
    F("beta2", "run", "run", "Adam β2", "float", "Adam's memory of how large updates have been. 0.999 is the usual "
      "choice.", 0.0, 0.9999, 0.001, 4, preset=True),
    F("n_critic", "run", "run", "Discriminator steps", "int", "Discriminator (D) updates for every generator (G) "
      "update: more lets the discriminator judge better before the generator moves. WGAN-GP usually uses 5.",
      1, 20, archs=PLAIN, off=1, preset=True, cli="opt"),
    F("gp_weight", "run", "run", "Gradient penalty", "float", "WGAN-GP only: how strongly the discriminator is kept "
      "smooth.", 0.0, 1000.0, 1.0, 2, losses=frozenset({"wgan-gp"}), preset=True),
    F("lambda_cycle", "run", "run", "Cycle weight", "float", "cyclegan: cycle-consistency weight (default 10)",
      0.0, 1000.0, archs=CYCLE, cli="opt", form=False),
    F("lambda_identity", "run", "run", "Identity weight", "float",
      "cyclegan: identity weight relative to --lambda-cycle (0.5)", 0.0, 100.0, archs=CYCLE,
      cli="opt", form=False),
    F("pool_size", "run", "run", "Image pool", "int", "cyclegan: generated images remembered for D (50)", 0, 1000,
      archs=CYCLE, cli="opt", form=False),
    F("init", "run", "run", "Start from", "choice", "StyleGAN: begin from a trained model instead of random "
      "weights. Starting from the bundled Monet model, a folder of 100–200 of your own images changes the samples "
      "within minutes on a laptop CPU.", choices=INIT_CHOICES, archs=STYLE, off="", cli="opt", cli_choices=False,
      metavar="MODEL", cli_note="(a bundled id such as monet-stylegan, a generator file or a run folder; cyclegan: "
      "a style such as photo2monet, with photos as --data and your paintings as --data-b)"),
    F("init_style", "run", "run", "Start from", "choice", "CycleGAN: begin from a trained style instead of random "
      "weights. Its generators already paint; a folder of a few hundred of your own paintings as domain B moves "
      "them toward your style in far fewer steps than from scratch. Domain A must be photos. The discriminators "
      "start afresh.", choices=STYLE_INIT_CHOICES, archs=CYCLE, off="", attr="init"),
    F("freeze_d", "run", "run", "Keep D's first blocks", "int", "StyleGAN fine-tuning: how many of the "
      "discriminator's first (finest) blocks stay as the starting model had them. 0–2 usually helps a small folder.",
      0, 8, archs=STYLE, off=0, cli="opt"),
    F("augment", "run", "run", "Augmentation", "choice", "StyleGAN: before the discriminator sees any picture, real "
      "or generated, its colours are shifted, it is moved a little and a square is blanked out, so the "
      "discriminator cannot memorise a small folder. 'Adaptive' does this only as much as needed (its strength p "
      "is plotted); 'always on' does it to every picture.", choices=AUGMENT_CHOICES, archs=STYLE, preset=True,
      cli="opt"),
    F("mirror", "run", "run", "Mirror images", "bool", "StyleGAN: also show the discriminator each real picture "
      "flipped left to right, which doubles a small folder. Turn off for pictures with writing in them.",
      archs=STYLE, preset=True, cli="opt"),
    F("r1_gamma", "run", "run", "Smoothness penalty (R1 γ)", "float", "StyleGAN: how strongly the discriminator is "
      "kept smooth around real pictures. Higher is steadier but blurrier; 0.1 suits 64 px, 1–10 larger sizes.",
      0.0, 1000.0, 0.05, 3, archs=STYLE, preset=True, cli="opt"),
    F("mixing_prob", "run", "run", "Style mixing", "float", "StyleGAN: share of training pictures drawn from two "
      "styles at once, which teaches the layers to work apart: what lets you mix layout and colour later.",
      0.0, 1.0, 0.1, 2, archs=STYLE, preset=True, cli="opt"),
    F("pl_weight", "run", "run", "Path-length penalty", "float", "StyleGAN: keeps equal steps in style space giving "
      "equal changes in the picture, so walks move smoothly. 0 = off (faster); the paper uses 2.",
      0.0, 100.0, 0.5, 2, archs=STYLE, preset=True, cli="opt"),
    F("r1_interval", "run", "run", "R1 interval", "int", "stylegan: D updates between R1 penalties (16)", archs=STYLE,
      cli="opt", form=False),
    F("ada_target", "run", "run", "ADA target", "float", "stylegan: share of real images D may call real before "
      "augmentation rises (0.6)", archs=STYLE, cli="opt", form=False),
    F("ada_kimg", "run", "run", "ADA speed", "int", "stylegan: thousands of images for augmentation to go 0→1 "
      "(100)", archs=STYLE, cli="opt", form=False),
    F("ema", "run", "run", "Average the generator over time", "bool", "Keep a slowly-moving average of the "
      "generator's weights for samples and the saved model: usually cleaner pictures at no cost in speed "
      "(an exponential moving average, EMA).", archs=NOT_CYCLE, off=False, preset=True, cli="opt"),
    F("ema_half_life", "run", "run", "Average half-life (images)", "int", "How slowly the averaged generator follows "
      "the real one: after this many training images, half of the average is new. Larger = smoother, slower to "
      "catch up; the same at every batch size.", 100, 10_000_000, 1000, archs=NOT_CYCLE, needs="ema", preset=True,
      cli="opt"),
    F("ema_rampup", "run", "run", "Average ramp-up", "float", "early in a run the half-life is at most this share "
      "of the images seen so far", archs=NOT_CYCLE, needs="ema", form=False),
    F("seed", "run", "run", "Seed", "int", "Starting point of the random numbers. The same seed and settings give the "
      "same run again.", 0, 2**31 - 1, cli="opt"),
    F("device", "run", "run", "Device", "choice", "Where to compute: auto picks the GPU when there is one, otherwise "
      "the CPU.", choices=DEVICES, cli="opt", cli_choices=False, cli_default="auto"),
    F("precision", "run", "run", "Precision", "choice", "Arithmetic of the training step. Auto times a few steps "
      "in each and keeps bf16 mixed precision where it is faster on this machine, for the models whose bf16 quality "
      "is known to hold (DCGANs, CycleGAN), and fp32 elsewhere. Weights and saved files stay fp32 either way.",
      choices=PRECISION_CHOICES, cli="opt"),
    F("sample_every", "run", "run", "Samples every", "int", "Steps between new sample pictures (and 2D views).",
      1, 1_000_000, 10, preset=True, cli="opt"),
    F("ckpt_every", "run", "run", "Checkpoint every", "int", "Steps between checkpoints saved to disk, so a run can "
      "be resumed later.", 1, 10_000_000, 100, preset=True, cli="opt"),
    F("keep_last", "run", "run", "Keep checkpoints", "int", "How many of the newest checkpoints to keep; older ones "
      "are deleted to save space.", 1, 1000, preset=True, cli="opt"),
    F("log_every", "run", "run", "Plot every", "int", "Steps between points on the live plots.", 1, 100_000,
      preset=True),
    F("n_samples", "run", "run", "Samples shown", "int", "How many images the live sample grid shows.", 1, 1024, 8,
      archs=IMAGES, preset=True),
    F("name", "run", "form", "Run name", "text", "The run's folder name in your runs folder. Leave empty for an "
      "automatic name.", placeholder="automatic"),
)
BY_NAME = {f.name: f for f in FIELDS}


def config_value(f: Field, shown: Any, arch: str) -> Any:
    """What a setting puts in the config for this model: the value shown, or its `off` value."""
    if f.off is not None and not f.applies(arch) and (f.off_for is None or arch in f.off_for):
        return f.off
    return shown


def table_kind(arch: str, data_kind: str) -> str:
    """The table's data kind of a config: a CycleGAN's two folders are its own kind, 'unpaired'."""
    return "unpaired" if arch == "cyclegan" else data_kind


_ROWS: dict[tuple[str, str], list[Field]] = {}
for _f in FIELDS:
    _ROWS.setdefault((_f.part, _f.key), []).append(_f)


def applicable(config: dict[str, Any]) -> dict[str, Any]:
    """A config dict (TrainConfig's shape: `model`, `data` and the run's keys) with only the settings that apply
    to its model, loss, data and check boxes, by the same `Field.applies` the Train form shows its rows by.
    A key the table has no row for always applies."""
    model, data = config.get("model", {}), config.get("data", {})
    arch, loss = str(model.get("arch", "")), str(config.get("loss", ""))
    kind = table_kind(arch, str(data.get("kind", "")))
    on = frozenset(k for part in (config, model, data) for k, v in part.items() if v is True)

    def keep(part: str, key: str) -> bool:
        rows = _ROWS.get((part, key))
        return rows is None or any(f.applies(arch, loss, kind, on) for f in rows)

    out = {k: v for k, v in config.items() if k in ("model", "data") or keep("run", k)}
    for part in ("model", "data"):
        if part in config:
            out[part] = {k: v for k, v in config[part].items() if keep(part, k)}
    return out


def tip(name: str) -> str:
    return BY_NAME[name].tip


def form_fields(section: str) -> list[Field]:
    """The form's rows of one section, in order."""
    return [f for f in FIELDS if f.section == section and f.form]


def cli_fields() -> list[Field]:
    return [f for f in FIELDS if f.cli]
