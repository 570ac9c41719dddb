"""Run every benchmark (each in its own process, so peak memory is per process) and print one table.

Options are passed to every script (each takes what it knows), e.g.::

    .venv/bin/python bench/run_all.py --docs 200 --sizes 1000,2000,4000
    make bench BENCH_ARGS="--docs 434 --sizes 1000,5000,10000,16756"

Writes out/bench/<bench>.json per script and out/bench/summary.json (all rows) for DVC plots.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import asdict

from benchlib import OUT, ROOT, Result, load_average, print_table, write_json

SCRIPTS = ("extraction_speed", "parallel", "store", "noop_rerun", "scaling")


def main() -> int:
    """Run the scripts in order, collect their JSON, print the table; exit 1 if a script failed."""
    results, failed = [], []
    started = time.time()
    for name in SCRIPTS:
        print(f"== {name}", flush=True)
        done = subprocess.run([sys.executable, str(ROOT / "bench" / f"{name}.py"), *sys.argv[1:]], cwd=ROOT)
        if done.returncode:
            failed.append(name)
            continue
        data = json.loads((OUT / f"{name}.json").read_text(encoding="utf-8"))
        results += [Result(**r) for r in data["results"]]
    write_json("summary", {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "load_average_end": round(load_average(), 2), "minutes": round((time.time() - started) / 60, 1),
        "results": [asdict(r) for r in results],
        "failed": failed,
    })
    print()
    print_table(results)
    for r in results:
        if r.note:
            print(f"  {r.bench} / {r.metric}: {r.note}")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
