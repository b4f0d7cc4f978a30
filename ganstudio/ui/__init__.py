"""The desktop window: the only package that imports PySide6 or pyqtgraph."""

import os

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")  # never let pyqtgraph pick another installed binding
