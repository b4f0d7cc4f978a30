"""Everything outside ganstudio.ui imports with Qt unavailable: the CLI and the capabilities run headless."""

from __future__ import annotations

import json
import subprocess
import sys

BLOCKED_IMPORTS = r'''
import importlib, json, pkgutil, sys

BLOCKED = ("PySide6", "shiboken6", "pyqtgraph")


class NoQt:
    """Refuse every Qt package, as on a machine where none is installed."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{name} is blocked")
        return None


sys.meta_path.insert(0, NoQt())
import ganstudio

# ganstudio.__main__ is the entry script: importing it runs the app
names = [m.name for m in pkgutil.walk_packages(ganstudio.__path__, "ganstudio.")
         if m.name != "ganstudio.__main__" and not (m.name == "ganstudio.ui" or m.name.startswith("ganstudio.ui."))]
failed = {}
for name in names:
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed[name] = f"{type(exc).__name__}: {exc}"
from ganstudio.cli.main import build_parser

commands = sorted(build_parser()._subparsers._group_actions[0].choices)  # every command's arguments, built
print(json.dumps({"imported": names, "failed": failed, "commands": commands,
                  "qt": sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)}))
'''


def test_every_non_ui_module_imports_without_qt():
    out = subprocess.run([sys.executable, "-c", BLOCKED_IMPORTS], capture_output=True, text=True, check=True).stdout
    result = json.loads(out)
    assert {"ganstudio.cli.main", "ganstudio.modelfiles.resolve", "ganstudio.core.jobs"} <= set(result["imported"])
    assert result["failed"] == {} and result["qt"] == []
    assert {"sample", "info", "eval", "walk", "stylize"} <= set(result["commands"])


def test_the_blocker_does_block_qt():
    code = BLOCKED_IMPORTS.split("import ganstudio\n")[0] + "import PySide6\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode != 0 and "PySide6 is blocked" in done.stderr
