"""The frozen build in dist/ runs its CLI, finds its bundled models and paints its window.

Slow and needing `make package` first, so the normal suite skips it; run it with
    make package && python -m pytest -m slow tests/packaging
GANSTUDIO_FROZEN names another build's executable (default dist/ganstudio/ganstudio).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def frozen(request) -> Path:
    expr = request.config.getoption("markexpr") or ""
    if "slow" not in expr or "not slow" in expr:
        pytest.skip("slow: run with `python -m pytest -m slow tests/packaging` after `make package`")
    exe = Path(os.environ.get("GANSTUDIO_FROZEN", ROOT / "dist" / "ganstudio" / "ganstudio"))
    assert exe.is_file(), f"{exe} is missing: run `make package` first"
    return exe


def _run(exe: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # Run outside the repo, as on a machine without it: the app must find everything in its folder.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GANSTUDIO_HOME")}
    return subprocess.run([str(exe), *args], cwd=cwd, env=env | {"HOME": str(cwd)},
                          capture_output=True, text=True, timeout=300)


def test_help_lists_every_command(frozen, tmp_path):
    result = _run(frozen, "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for command in ("train", "sample", "info", "eval", "walk", "stylize"):
        assert command in result.stdout


def test_info_reads_a_bundled_model_from_the_app_folder(frozen, tmp_path):
    result = _run(frozen, "info", "mnist-dcgan", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"{frozen.parent}{os.sep}" in result.stdout  # the file inside the frozen folder
    assert '"type": "generator"' in result.stdout


def test_sample_draws_a_bundled_model(frozen, tmp_path):
    result = _run(frozen, "sample", "mnist-cdcgan", "--class", "7", "-n", "16", "-o", "sevens.png", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with Image.open(tmp_path / "sevens.png") as grid:
        assert grid.size[0] >= 4 * 28
        assert len(grid.convert("L").getcolors(maxcolors=256) or []) > 16  # drawn digits, not a flat field


def test_trains_a_2d_gan_and_a_dcgan_on_mnist(frozen, tmp_path, shared_datasets):
    # autograd and the optimisers in the frozen torch, then torchvision's MNIST source
    result = _run(frozen, "train", "--model", "mlp", "--data", "ring8", "--steps", "20", "-o", "ring8", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "ring8" / "generator.pt").is_file()
    result = _run(frozen, "train", "--model", "dcgan", "--data", "mnist", "--data-root", str(shared_datasets),
                  "--offline", "--preset", "quick", "--steps", "3", "-o", "mnist", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "mnist" / "generator.pt").is_file()


def test_a_mistake_is_one_line_and_exit_code_2(frozen, tmp_path):
    result = _run(frozen, "sample", "no-such-model", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1


def test_the_build_leaves_out_triton_and_the_dev_tools(frozen):
    internal = frozen.parent / "_internal"
    for name in ("triton", "pytest", "mypy", "PyInstaller"):
        assert not (internal / name).exists(), f"{name} was bundled"
    assert (internal / "ganstudio" / "_pretrained" / "manifest.json").is_file()


def test_window_paints_under_xvfb_and_writes_nothing_into_the_app_folder(frozen, tmp_path):
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb; .ci/run lists the Qt packages)")
    before = sorted(str(p) for p in frozen.parent.rglob("*"))
    display = f":{90 + os.getpid() % 9}"
    server = subprocess.Popen([xvfb, display, "-screen", "0", "1600x1000x24"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GANSTUDIO_HOME", "XDG_DATA_HOME")}
    env |= {"DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "HOME": str(tmp_path)}
    app = None
    try:
        time.sleep(2)  # let the X server come up before a client connects
        app = subprocess.Popen([str(frozen)], cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)
        shot = tmp_path / "window.png"
        painted = False
        for _ in range(30):  # up to ~60 s on a loaded machine; stops as soon as it painted
            time.sleep(2)
            assert app.poll() is None, f"the app exited: {app.stderr.read() if app.stderr else ''}"
            check = subprocess.run([sys.executable, str(ROOT / ".ci" / "window_check.py"), str(shot)],
                                   env=env, capture_output=True, text=True, timeout=60)
            if check.returncode == 0:
                painted = True
                break
        assert painted, check.stdout + check.stderr
    finally:
        if app is not None:
            app.kill()
            app.wait()
        server.kill()
        server.wait()
    assert sorted(str(p) for p in frozen.parent.rglob("*")) == before
