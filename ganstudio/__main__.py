"""`python -m ganstudio`: the desktop app, or a CLI command when arguments are given."""

import sys

from ganstudio.cli.main import main

sys.exit(main())
