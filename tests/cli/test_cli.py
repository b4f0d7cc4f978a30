import argparse
import json

import pytest
from PIL import Image

from ganstudio.cli.main import build_parser, main


def run_cli(*args: str) -> int:
    return main(list(args))


@pytest.fixture
def toy_run(tmp_path):
    out = tmp_path / "toy"
    assert run_cli("train", "--model", "mlp", "--data", "ring8", "--steps", "20", "--batch", "32", "--device", "cpu",
                   "--sample-every", "10", "--ckpt-every", "10", "--latent-codes", "12", "-o", str(out)) == 0
    return out


def test_train_sample_info_eval(toy_run, tmp_path, capsys):
    assert (toy_run / "generator.pt").is_file() and (toy_run / "stats.jsonl").is_file()
    assert json.loads((toy_run / "config.json").read_text())["model"]["latent_codes"] == 12
    assert run_cli("sample", str(toy_run), "-n", "50", "-o", str(tmp_path / "pts.png")) == 0
    assert Image.open(tmp_path / "pts.png").size == (512, 512)
    capsys.readouterr()
    assert run_cli("info", str(toy_run / "generator.pt"), "--json") == 0
    info = json.loads(capsys.readouterr().out)
    assert info["arch"] == "mlp" and info["steps"] == 20
    assert run_cli("eval", str(toy_run)) == 0
    assert "modes captured:" in capsys.readouterr().out


def test_resume_from_cli(toy_run):
    assert run_cli("train", "--resume", str(toy_run), "--steps", "30", "--lr-decay", "0.5", "--device", "cpu") == 0
    assert (toy_run / "checkpoints" / "ckpt_00000030.pt").is_file()
    config = json.loads((toy_run / "config.json").read_text())
    assert config["steps"] == 30 and config["lr_decay"] == 0.5
    last = json.loads((toy_run / "stats.jsonl").read_text().splitlines()[-1])
    assert last["step"] == 30 and last["lr_g"] < 0.2 * config["lr_g"]  # cooled down over steps 15–30


def test_conditional_sample_by_class(tmp_path, class_folder, capsys):
    out = tmp_path / "cond"
    assert run_cli("train", "--model", "cdcgan", "--data", str(class_folder), "--img-size", "28", "--channels", "3",
                   "--base-ch", "4", "--z-dim", "8", "--steps", "2", "--batch", "4", "--device", "cpu",
                   "--minibatch-std", "-o", str(out)) == 0
    assert json.loads((out / "config.json").read_text())["model"]["minibatch_std"] is True
    model = str(out / "generator.pt")
    assert run_cli("sample", model, "--class", "owls", "-n", "4", "-o", str(tmp_path / "g.png")) == 0
    assert run_cli("sample", str(out / "generator.pt"), "--class", "zebras", "-o", str(tmp_path / "h.png")) == 2
    err = capsys.readouterr().err
    assert "class 'zebras' does not exist" in err and "cats" in err
    assert not (tmp_path / "h.png").exists()


@pytest.mark.parametrize("args, message", [
    (["train", "--model", "dcgan", "--data", "/no/such/folder", "--steps", "1"], "does not exist"),
    (["train", "--model", "mlp", "--data", "ring8", "--steps", "0"], "--steps: 0 is out of range (use 1–10000000)"),
    (["sample", "/no/such/model.pt"], "does not exist"),
    (["info", "README.md"], "not a PyTorch file"),
])
def test_bad_input_is_one_line_and_exit_2(args, message, capsys, tmp_path):
    assert run_cli(*args, *(["-o", str(tmp_path / "x")] if args[0] == "train" else [])) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1 and "Traceback" not in err


def test_output_not_overwritten_on_error(tmp_path):
    target = tmp_path / "keep.png"
    target.write_bytes(b"precious")
    assert run_cli("sample", str(tmp_path / "missing.pt"), "-o", str(target)) == 2
    assert target.read_bytes() == b"precious"


def test_spectral_norm_follows_the_preset_unless_turned_off():
    from ganstudio.cli.main import build_parser, build_train_config

    def model(*flags: str) -> dict:
        args = build_parser().parse_args(["train", "--model", "cdcgan", "--data", "fashion-mnist", *flags])
        return build_train_config(args).model

    assert model().spectral_norm is True  # the conditional preset
    assert model("--no-spectral-norm").spectral_norm is False


def test_longer_image_presets_end_with_a_cool_down():
    from ganstudio.cli.main import build_parser, build_train_config

    def decay(*flags: str) -> float:
        return build_train_config(build_parser().parse_args(["train", *flags])).lr_decay

    assert decay("--model", "cdcgan", "--data", "fashion-mnist") == 0.25
    assert decay("--model", "dcgan", "--data", "mnist", "--preset", "quality") == 0.25
    assert decay("--model", "dcgan", "--data", "mnist", "--preset", "quick") == 0.0  # a preview, often continued
    assert decay("--model", "cdcgan", "--data", "fashion-mnist", "--lr-decay", "0") == 0.0
    assert decay("--model", "mlp", "--data", "grid25") == 0.0


def test_sample_enlarges_the_grid_by_a_whole_factor(tmp_path):
    import numpy as np

    grid = ("sample", "mnist-dcgan", "-n", "4", "--cols", "2")
    assert run_cli(*grid, "-o", str(tmp_path / "one.png")) == 0
    assert run_cli(*grid, "--scale", "4", "-o", str(tmp_path / "four.png")) == 0
    with Image.open(tmp_path / "one.png") as one, Image.open(tmp_path / "four.png") as four:
        assert one.size == (62, 62) and four.size == (248, 248)
        small, big = np.asarray(one.convert("RGB")), np.asarray(four.convert("RGB"))
    assert (big == small.repeat(4, 0).repeat(4, 1)).all()  # crisp by default: every pixel a 4×4 square
    assert run_cli("sample", "mnist-dcgan", "--scale", "3", "-o", str(tmp_path / "three.png")) == 2


def test_every_command_prints_its_help():
    """argparse formats help with %: one stray "10 %" in a tooltip turned `train --help` into a traceback."""
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in commands.choices.items():
        text = sub.format_help()
        assert name in text and "--" in text
    train = commands.choices["train"].format_help()
    assert "10 % more" in " ".join(train.split())
