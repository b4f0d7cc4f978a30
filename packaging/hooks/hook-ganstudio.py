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
