"""PyInstaller hook for the ganstudio package: every submodule, the bundled models and the assets.

The CLI imports its command modules by name (`importlib.import_module`), which the import
analysis cannot see, so every submodule is listed. `pretrained/` and `assets/` go where a
wheel puts them (`ganstudio/_pretrained`, `ganstudio/_assets`), which `core.paths` finds.
"""

from pathlib import Path

from PyInstaller.utils.hooks import collect_submodules, get_package_paths

hiddenimports = collect_submodules("ganstudio")

_root = Path(get_package_paths("ganstudio")[1]).parent
datas = [(str(_root / "pretrained"), "ganstudio/_pretrained"), (str(_root / "assets"), "ganstudio/_assets")]

# torchvision 0.29 renamed its compiled operators to _C_stable and image_stable, which the
# torchvision hook of pyinstaller-hooks-contrib 2026.9 still looks for as _C and image; without
# them `import torchvision` (the MNIST / CIFAR-10 sources) fails in the frozen app with
# "operator torchvision::nms does not exist".
_tv = Path(get_package_paths("torchvision")[1])
hiddenimports += [f"torchvision.{name}" for name in ("_C_stable", "image_stable") if any(_tv.glob(f"{name}.*"))]
