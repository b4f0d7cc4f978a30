"""A corpus of bad inputs (images, folders, CSVs, model files, output paths, numbers) and a runner that
puts each through the CLI in-process and classifies the outcome.

    python -m tests.sweep.corpus      # print the figures for docs/reliability.md

An outcome is *clear* when the command exits non-zero with exactly one `error:` line in plain words
(no Python exception name such as "(KeyError)"), no traceback, within the time limit, and leaves no
file behind; *silent* when it exits 0;
*traceback* when an exception escapes; *hang* when it runs past the limit; *unclear* otherwise
(more than one error line, or a file left behind).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import struct
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

HANG_S = 30
EXCEPTION_NAME = re.compile(r"\b[A-Z]\w*(Error|Exception)\b")  # KeyError, JSONDecodeError, …: not for the user
MNIST = "mnist-dcgan"  # a bundled model: small, so every case that gets as far as loading it stays quick


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # image | folder | csv | model | output | number
    argv: tuple[str, ...]
    expect: str = ""  # text the error line must hold, where a wrong message would be easy to give


@dataclass(frozen=True)
class Outcome:
    verdict: str  # clear | silent | traceback | hang | unclear
    code: int
    errors: tuple[str, ...]  # the `error:` lines
    left: tuple[str, ...]  # files left in the case's output folder


# -- building the corpus -------------------------------------------------------------------------
def _png_header(path: Path, width: int, height: int) -> Path:
    """A PNG whose header claims width×height and whose pixels are missing: opening it costs nothing."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
                     + chunk(b"IEND", b""))
    return path


def _image(path: Path, size: tuple[int, int] = (64, 48), fmt: str | None = None) -> Path:
    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)).save(path, format=fmt)
    return path


EXPECT = {"over the size limit": "safety limit", "fifo": "not a regular file", "device": "not a regular file"}


def usable_photo(d: Path) -> Path:
    return _image(d / "usable.png", (96, 64))


def bad_images(d: Path) -> dict[str, Path]:
    """Files that are given as photos and are not usable ones."""
    d.mkdir(parents=True, exist_ok=True)
    good = _image(d / "good.png").read_bytes()
    jpeg = _image(d / "good.jpg").read_bytes()
    (d / "good.png").unlink()
    (d / "good.jpg").unlink()
    files = {
        "text as jpg": (d / "text.jpg", b"hello, not a picture"),
        "empty png": (d / "empty.png", b""),
        "truncated png": (d / "cut.png", good[: len(good) // 2]),
        "truncated jpeg": (d / "cut.jpg", jpeg[: len(jpeg) // 3]),
        "png signature only": (d / "sig.png", good[:8]),
        "gif junk": (d / "junk.gif", b"GIF89a" + bytes(range(256))),
        "tiff junk": (d / "junk.tif", b"II*\x00" + b"\xff" * 64),
        "webp junk": (d / "junk.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 16),
        "bmp junk": (d / "junk.bmp", b"BM" + b"\x00" * 30),
        "not utf-8 name, not an image": (d / os.fsdecode(b"x_\xe9\xff.jpg"), b"junk"),
        "corrupt png body": (d / "flipped.png", good[:40] + bytes(b ^ 0xFF for b in good[40:80]) + good[80:]),
    }
    out = {}
    for name, (path, data) in files.items():
        path.write_bytes(data)
        out[name] = path
    out["tiny 8x8"] = _image(d / "tiny.png", (8, 8))
    out["thin 1000x4"] = _image(d / "thin.png", (1000, 4))
    out["over the size limit"] = _png_header(d / "bomb.png", 20_000, 10_000)
    os.mkfifo(d / "pipe.jpg")
    out["fifo"] = d / "pipe.jpg"
    out["missing"] = d / "missing.png"
    (d / "dangling.png").symlink_to(d / "nowhere.png")
    out["dangling symlink"] = d / "dangling.png"
    out["device"] = Path("/dev/zero")
    (d / "folder.jpg").mkdir()
    out["folder named .jpg"] = d / "folder.jpg"
    return out


def _folders(d: Path, images: dict[str, Path]) -> dict[str, Path]:
    d.mkdir(parents=True, exist_ok=True)
    (d / "empty").mkdir()
    (d / "text").mkdir()
    (d / "text" / "a.txt").write_text("x")
    (d / "corrupt").mkdir()
    for i in range(3):
        (d / "corrupt" / f"{i}.png").write_bytes(b"not an image")
    (d / "tiny").mkdir()
    _image(d / "tiny" / "a.png", (4, 4))
    (d / "file").write_text("a file, not a folder")
    (d / "points.csv").mkdir()
    (d / "good").mkdir()
    for i in range(2):
        _image(d / "good" / f"{i}.png")
    return {"good": d / "good", "empty": d / "empty", "only text": d / "text", "only corrupt": d / "corrupt",
            "missing": d / "nope", "a file": d / "file", "folder named .csv": d / "points.csv"}


def _csvs(d: Path) -> dict[str, Path]:
    d.mkdir(parents=True, exist_ok=True)
    texts = {"all nan": "x,y\nnan,nan\ninf,1\nnan,2\n", "one row": "1,2\n", "words": "a,b\nc,d\n",
             "one column": "1\n2\n3\n", "empty": "", "header only": "x,y\n", "all inf": "inf,inf\n-inf,1\n1,inf\n"}
    out = {name: d / f"{name.replace(' ', '_')}.csv" for name in texts}
    for name, text in texts.items():
        out[name].write_text(text)
    out["binary"] = d / "binary.csv"
    out["binary"].write_bytes(bytes(range(256)) * 4)
    os.mkfifo(d / "pipe.csv")
    out["fifo"] = d / "pipe.csv"
    return out


def _models(d: Path) -> dict[str, Path]:
    import argparse

    import torch

    from ganstudio.core import paths

    d.mkdir(parents=True, exist_ok=True)
    real = (paths.pretrained_dir() / f"{MNIST}.pt").read_bytes()
    out = {"text": d / "text.pt", "empty": d / "empty.pt", "truncated": d / "cut.pt", "zip not torch": d / "z.pt",
           "pickled code": d / "code.pt", "foreign format": d / "foreign.pt", "newer version": d / "newer.pt",
           "no checkpoints": d / "run", "fifo": d / "pipe.pt", "no metadata": d / "nometa.pt",
           "damaged checkpoint": d / "ckpt_00000003.pt"}
    out["text"].write_text("not a model")
    out["empty"].write_bytes(b"")
    out["truncated"].write_bytes(real[: len(real) // 2])
    with zipfile.ZipFile(out["zip not torch"], "w") as z:
        z.writestr("hello.txt", "hi")
    torch.save({"format": "ganstudio-generator", "version": 1, "x": argparse.Namespace(a=1)}, out["pickled code"])
    torch.save({"format": "something-else", "version": 1}, out["foreign format"])
    torch.save({"format": "ganstudio-generator", "version": 99}, out["newer version"])
    torch.save({"format": "ganstudio-generator", "version": 1, "weights": {}}, out["no metadata"])
    torch.save({"format": "ganstudio-checkpoint", "version": 1, "step": 3}, out["damaged checkpoint"])
    out["no checkpoints"].mkdir()
    os.mkfifo(out["fifo"])
    return out


def build(root: Path) -> list[Case]:
    """Every case, with its files under `root` (an empty folder)."""
    images = bad_images(root / "images")
    photo = usable_photo(root)
    folders, csvs, models = _folders(root / "folders", images), _csvs(root / "csv"), _models(root / "models")
    out = root / "out"
    cases: list[Case] = []

    def add(name: str, kind: str, *argv: str | Path, expect: str = "") -> None:
        cases.append(Case(name, kind, tuple(str(a).replace("{out}", str(out / _slug(name))) for a in argv), expect))

    for name, path in images.items():
        add(f"stylize {name}", "image", "stylize", path, "-o", "{out}", expect=EXPECT.get(name, ""))
    add("stylize over the limit, limit lifted", "image", "stylize", images["over the size limit"],
        "--max-megapixels", "300", "-o", "{out}", expect="truncated")
    tiny_train = ("--steps", "2", "--batch", "2", "--base-ch", "4", "--z-dim", "4", "--device", "cpu",
                  "--img-size", "28", "-o", "{out}/run")
    for name, path in folders.items():
        if name == "good":
            continue
        add(f"train folder {name}", "folder", "train", "--model", "dcgan", "--data", path, *tiny_train)
    add("train cdcgan without classes", "folder", "train", "--model", "cdcgan", "--data", "ring8", *tiny_train)
    add("cyclegan without folder B", "folder", "train", "--model", "cyclegan", "--data", folders["empty"],
        "--steps", "1", "-o", "{out}/run")
    add("cyclegan folder B missing", "folder", "train", "--model", "cyclegan", "--data", folders["good"],
        "--data-b", folders["missing"], "--steps", "1", "-o", "{out}/run")
    add("stylize a folder without photos", "folder", "stylize", folders["only text"], "-o", "{out}")
    for name, path in csvs.items():
        add(f"train csv {name}", "csv", "train", "--model", "mlp", "--data", path, "--steps", "2", "--device", "cpu",
            "-o", "{out}/run")
    for name, path in models.items():
        add(f"sample model {name}", "model", "sample", path, "-o", "{out}/s.png")
    add("info model truncated", "model", "info", models["truncated"])
    add("walk model pickled code", "model", "walk", models["pickled code"], "--seeds", "1,2", "-o", "{out}/w.gif")
    add("eval model foreign", "model", "eval", models["foreign format"])
    add("sample a style model", "model", "sample", "photo2monet", "-o", "{out}/s.png")
    add("stylize with a GAN", "model", "stylize", images["tiny 8x8"], "--model", MNIST, "-o", "{out}")
    add("sample unknown id", "model", "sample", "no-such-model", "-o", "{out}/s.png")
    add("walk project text", "model", "walk", "--project", csvs["words"], "-o", "{out}/w.gif")
    add("walk project fifo", "model", "walk", "--project", csvs["fifo"], "-o", "{out}/w.gif")
    add("resume missing", "model", "train", "--resume", models["no checkpoints"] / "nope")
    add("resume folder without checkpoints", "model", "train", "--resume", models["no checkpoints"])
    _outputs(add, folders, root)
    _numbers(add, {**images, "usable photo": photo})
    return cases


def _outputs(add, folders: dict[str, Path], root: Path) -> None:
    blocker = folders["a file"]
    full = root / "frames-full"
    full.mkdir()
    (full / "keep.png").write_bytes(b"x")
    add("sample -o existing folder", "output", "sample", MNIST, "-o", root / "folders", expect="is a folder")
    add("sample -o .xyz", "output", "sample", MNIST, "-o", "{out}/s.xyz")
    add("sample -o under a file", "output", "sample", MNIST, "-o", blocker / "s.png")
    add("walk -o .avi", "output", "walk", MNIST, "--seeds", "1,2", "-o", "{out}/w.avi")
    add("walk -o under a file", "output", "walk", MNIST, "--seeds", "1,2", "-o", blocker / "w.gif")
    add("walk --frames-dir not empty", "output", "walk", MNIST, "--seeds", "1,2", "--frames-dir", full,
        "-o", "{out}/w.gif")
    add("walk --sprite-sheet .jpg", "output", "walk", MNIST, "--seeds", "1,2", "--sprite-sheet", "{out}/s.jpg",
        "-o", "{out}/w.gif")
    add("stylize -o a file", "output", "stylize", "x.png", "-o", blocker)
    add("train -o a file", "output", "train", "--model", "mlp", "--data", "ring8", "-o", blocker)
    add("train -o under a file", "output", "train", "--model", "mlp", "--data", "ring8", "--steps", "1",
        "-o", blocker / "run")


NUMBERS = {
    "sample": [("--cols", "-2"), ("--cols", "0"), ("-n", "0"), ("-n", "5000"), ("--seed", "-1"), ("-n", "x")],
    "stylize": [("--max-megapixels", "nan"), ("--max-megapixels", "0"), ("--strength", "2"), ("--tile", "10"),
                ("--overlap", "3"), ("--tile", "66"), ("--device", "cuda"), ("--device", "tpu")],
    "walk": [("--fps", "0"), ("--frames", "1"), ("--psi", "5"), ("--scale", "0"), ("--colors", "1"),
             ("--quality", "0"), ("--device", "cuda"), ("--seeds", "1,x"), ("--noise", "-1"), ("--fps", "inf")],
    "train": [("--base-ch", "0"), ("--latent-codes", "100000"), ("--hidden", "100000000"), ("--hidden", "0"),
              ("--layers", "-1"), ("--limit", "-1"), ("--steps", "0"), ("--batch", "0"), ("--lr", "5"),
              ("--lr", "nan"), ("--lr-decay", "2"), ("--device", "cuda"), ("--img-size", "33"),
              ("--channels", "2"), ("--z-dim", "0"), ("--seed", "-5"), ("--bogus", "1")],
    "eval": [("-n", "5")],
}


def _numbers(add, images: dict[str, Path]) -> None:
    for command, flags in NUMBERS.items():
        for flag, value in flags:
            base = {"sample": (MNIST, "-o", "{out}/s.png"),
                    "stylize": (images["usable photo"], "-o", "{out}"),
                    "walk": (MNIST, "--seeds", "1,2", "-o", "{out}/w.gif") if flag != "--seeds" else
                    (MNIST, "-o", "{out}/w.gif"),
                    "train": ("--model", "mlp" if flag in ("--hidden", "--layers", "--latent-codes") else "dcgan",
                              "--data", "ring8" if flag in ("--hidden", "--layers", "--latent-codes") else "mnist",
                              "--offline", "-o", "{out}/run"),
                    "eval": (MNIST,)}[command]
            add(f"{command} {flag} {value}", "number", command, *base, flag, value)


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in name)


# -- running a case ------------------------------------------------------------------------------
class Hang(BaseException):
    """Raised by the alarm; not an OSError (as TimeoutError is), so no handler of the app can catch it."""


def _alarm(signum: int, frame: object) -> None:
    raise Hang()


def run_case(case: Case, root: Path) -> Outcome:
    """Run one case through `ganstudio.cli.main.main` in this process (main thread) and classify it."""
    from ganstudio.cli.main import main

    out = root / "out" / _slug(case.name)
    err = io.StringIO()
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(HANG_S)
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(list(case.argv))
    except SystemExit as exc:  # argparse's own exit, outside main()'s handling (an older CLI)
        code = exc.code if isinstance(exc.code, int) else 1
    except Hang:
        return Outcome("hang", -1, (), ())
    except BaseException as exc:  # any escape is what the sweep counts
        return Outcome("traceback", -1, (f"{type(exc).__name__}: {exc}",), ())
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    text = err.getvalue()
    errors = tuple(line for line in text.splitlines() if line.startswith("error:"))
    left = tuple(sorted(str(p.relative_to(out)) for p in out.rglob("*"))) if out.exists() else ()
    if "Traceback" in text:
        verdict = "traceback"
    elif code == 0:
        verdict = "silent"
    elif len(errors) == 1 and not left and case.expect in errors[0] and not EXCEPTION_NAME.search(errors[0]):
        verdict = "clear"
    else:
        verdict = "unclear"
    return Outcome(verdict, code, errors, left)


def sweep(root: Path) -> dict[str, int]:
    """Run the whole corpus; figures by verdict (plus 'tried'), and each non-clear case printed."""
    import tempfile

    cwd = os.getcwd()
    os.environ.setdefault("GANSTUDIO_HOME", tempfile.mkdtemp())
    counts = {"tried": 0, "clear": 0, "silent": 0, "traceback": 0, "hang": 0, "unclear": 0}
    cases = build(root)
    os.chdir(root)  # a command that writes a default name writes it here
    try:
        for case in cases:
            outcome = run_case(case, root)
            counts["tried"] += 1
            counts[outcome.verdict] += 1
            if outcome.verdict != "clear":
                print(f"{outcome.verdict:9} {case.name}: {outcome.errors} {outcome.left}", file=sys.__stdout__)
    finally:
        os.chdir(cwd)
    return counts


if __name__ == "__main__":
    import tempfile

    print(sweep(Path(tempfile.mkdtemp())))
