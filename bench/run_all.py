"""Run every benchmark in turn with its default settings and print their figures (`make bench`).

Each script measures its own plain baseline in the same run; copy the figures you want to keep
into bench/RESULTS.md together with the machine line each one prints. The whole set takes
about 20 minutes on a 2-core CPU.

    python bench/run_all.py [NAME ...]    (names: see BENCHES; default all)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES: dict[str, str] = {
    "throughput": "train_throughput.py",
    "modes": "mode_coverage.py",
    "lag": "event_loop_lag.py",
    "walk": "walk_bench.py",
    "poster": "class_poster_bench.py",
    "stylize": "stylize_bench.py",
    "stylegan": "stylegan_step.py",
    "cyclegan": "cyclegan_step.py",
}


def main(names: list[str]) -> int:
    unknown = [n for n in names if n not in BENCHES]
    if unknown:
        print(f"error: unknown benchmark {', '.join(unknown)} (choose from {', '.join(BENCHES)})", file=sys.stderr)
        return 2
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    failed = []
    for name in names or list(BENCHES):
        print(f"\n=== {name} ===", flush=True)
        if subprocess.run([sys.executable, str(HERE / BENCHES[name])], env=env).returncode:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
