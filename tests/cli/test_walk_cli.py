"""`ganstudio walk`: the issue's command line, every extra output, replay, and bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from ganstudio.cli.main import main
from tests.walk.test_walk import decoded_frames, tiny_generator_file


@pytest.fixture
def model(tmp_path):
    return tiny_generator_file(tmp_path / "g.pt")


def test_issue_example_and_extra_outputs(model, tmp_path):
    out = tmp_path / "morph.gif"
    assert main([ "walk", str(model), "--seeds", "3,17,42", "--frames", "48", "--interp", "slerp", "--loop",
                 "-o", str(out), "--sprite-sheet", "--webp", "--scale", "2"]) == 0
    gif = decoded_frames(out)
    assert len(gif) == 48 and gif[0].shape == (56, 56, 3)
    assert Image.open(out).info["loop"] == 0
    assert len(decoded_frames(tmp_path / "morph.webp")) == 48
    sheet = json.loads((tmp_path / "morph_sheet.json").read_text())
    assert len(sheet["frames"]) == 48 and Image.open(tmp_path / "morph_sheet.png").size == (
        sheet["meta"]["size"]["w"], sheet["meta"]["size"]["h"])
    side = json.loads((tmp_path / "morph.gif.json").read_text())
    assert [k["seed"] for k in side["walk"]["keyframes"]] == [3, 17, 42] and side["walk"]["interp"] == "slerp"


def test_project_replay_gives_identical_file(model, tmp_path):
    first = tmp_path / "a.png"
    assert main(["walk", str(model), "--seeds", "1,2", "--frames", "9", "--interp", "smooth",
                 "--easing", "ease-in-out", "-o", str(first)]) == 0
    again = tmp_path / "b.png"
    assert main(["walk", "--project", str(tmp_path / "a.png.json"), "-o", str(again)]) == 0
    a, b = decoded_frames(first), decoded_frames(again)
    assert len(a) == 9 and all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    assert Image.open(first).info["loop"] == 1  # no --loop: plays once


def test_sprite_sheet_frame_map_replays(model, tmp_path):
    assert main(["walk", str(model), "--seeds", "4,8", "--frames", "6", "--loop", "-o", str(tmp_path / "a.gif"),
                 "--sprite-sheet", str(tmp_path / "s.png")]) == 0
    assert main(["walk", "--project", str(tmp_path / "s.json"), "-o", str(tmp_path / "b.gif")]) == 0
    pairs = zip(decoded_frames(tmp_path / "a.gif"), decoded_frames(tmp_path / "b.gif"), strict=True)
    assert all(np.array_equal(x, y) for x, y in pairs)
    assert len(decoded_frames(tmp_path / "b.gif")) == 6


def test_changed_model_is_noted(model, tmp_path, capsys):
    assert main(["walk", str(model), "--seeds", "1,2", "--frames", "4", "-o", str(tmp_path / "a.gif")]) == 0
    tiny_generator_file(model, classes=2)
    capsys.readouterr()
    assert main(["walk", "--project", str(tmp_path / "a.gif.json"), "-o", str(tmp_path / "b.gif")]) == 0
    assert "differs" in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    (["--seeds", "3,x"], "not a seed"),
    (["--seeds", "1,2", "--frames", "0"], "--frames: 0 is out of range (use 2–5000)"),
    (["--seeds", "1,2", "--frames", "100000"], "out of range"),
    (["--seeds", "1,2", "--scale", "1000"], "--scale: 1000 is out of range"),
    (["--seeds", "1,2", "--fps", "500"], "--fps: 500 is out of range (use 1 to 60)"),
    (["--seeds", "5"], "at least two seeds"),
    (["--seeds", "1,2", "--classes", "cats"], "not a conditional model"),
    (["--seeds", "1,2,3", "--loop", "--sprite-sheet", "--frames", "2700", "--scale", "14"], "too large"),
])
def test_bad_input_exit_2_and_nothing_written(model, tmp_path, capsys, args, message):
    out = tmp_path / "out"
    assert main(["walk", str(model), *args, "-o", str(out / "x.gif")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert message in err[-1] and "Traceback" not in "".join(err)
    assert not out.exists() or list(out.iterdir()) == []


def test_unloadable_model_and_unwritable_path(tmp_path, model, capsys):
    junk = tmp_path / "junk.pt"
    junk.write_bytes(b"not a model")
    assert main(["walk", str(junk), "--seeds", "1,2", "-o", str(tmp_path / "x.gif")]) == 2
    assert "not a PyTorch file" in capsys.readouterr().err
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["walk", str(model), "--seeds", "1,2", "-o", str(blocker / "x.gif")]) == 2
    assert "cannot write" in capsys.readouterr().err
    assert main(["walk", str(model), "--seeds", "1,2", "-o", str(tmp_path / "x.avi")]) == 2
    assert "format" in capsys.readouterr().err


def test_noise_loop_and_frame_folder(model, tmp_path):
    out = tmp_path / "wander.png"
    assert main(["walk", str(model), "--seeds", "5", "--noise", "0.4", "--noise-speed", "2", "--frames", "12",
                 "-o", str(out), "--frames-dir", str(tmp_path / "frames")]) == 0
    apng = decoded_frames(out)
    pngs = sorted((tmp_path / "frames").glob("frame_*.png"))
    assert len(apng) == len(pngs) == 12
    assert all(np.array_equal(a, np.asarray(Image.open(p).convert("RGB"))) for a, p in zip(apng, pngs, strict=True))
    side = json.loads((tmp_path / "wander.png.json").read_text())
    assert side["walk"]["mode"] == "noise" and side["walk"]["noise_radius"] == 0.4
