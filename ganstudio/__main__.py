"""`python -m ganstudio` and the frozen app: the desktop app, or a CLI command when arguments are given."""

import multiprocessing
import sys

from ganstudio.cli.main import main

if __name__ == "__main__":
    # A frozen build starts worker processes (spawn, DataLoader workers) by re-running this
    # executable; freeze_support makes such a run do the worker's job and exit, not open a window.
    multiprocessing.freeze_support()
    sys.exit(main())
