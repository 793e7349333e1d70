"""Run every benchmark in this folder (each ``bench/*.py`` other than this one).

``python bench/run.py`` runs them all; ``python bench/run.py exchange`` only those whose
file name contains "exchange". Every benchmark uses the database of
``BENCH_DATABASE_URL`` (default ``var/bench.sqlite3``, see ``_common.py``). Each runs
in its own process, so one cannot warm the caches of another.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    wanted = argv[1:]
    scripts = [
        path
        for path in sorted(HERE.glob("*.py"))
        if path.name != "run.py"
        and not path.name.startswith("_")
        and (not wanted or any(w in path.stem for w in wanted))
    ]
    failed = 0
    for script in scripts:
        print(f"== {script.stem}", flush=True)
        failed += (
            subprocess.run([sys.executable, str(script)], cwd=HERE.parent, check=False).returncode
            != 0
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
