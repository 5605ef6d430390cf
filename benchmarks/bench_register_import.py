"""Time the full register import (parse, validate, pseudonymise, store, margins) into SQLite.

Usage::

    .venv/bin/python benchmarks/bench_register_import.py               # 530,000 rows, whole
    .venv/bin/python benchmarks/bench_register_import.py --rows 100000
    .venv/bin/python benchmarks/bench_register_import.py --flanders    # 6,800,000 rows, chunked

Targets: 530k rows imported in at most 20 s with peak RSS at most 1.5 GB; 6.8M rows chunked with
peak RSS at most 2 GB. Each step runs in a fresh child process, so ``ru_maxrss`` (the process
maximum) measures that step alone. Files and the database live in a temporary folder under /tmp
that is removed afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import queue as queue_module
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_register import generate_register_csv  # noqa: E402

REFERENCE = dt.date(2026, 1, 1)
LEGAL = "Benchmark — collegebesluit 2026/001"


def _peak_megabytes() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _generate(path: str, rows: int, seed: int, queue) -> None:
    generate_register_csv(path, rows, seed=seed)
    queue.put(None)


def _bare_pandas(path: str, queue) -> None:
    import pandas as pd

    started = time.perf_counter()
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    queue.put((len(frame), time.perf_counter() - started, _peak_megabytes()))


def _import(path: str, database: str, chunked: bool, queue) -> None:
    from app import create_app
    from app.extensions import db
    from app.register import services

    app = create_app({"SECRET_KEY": "benchmark", "PERSON_KEY_SECRET": "benchmark-person-key-0",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})
    with app.app_context():
        db.create_all()
        started, cpu = time.perf_counter(), time.process_time()
        record = services.import_register_bytes(
            Path(path), filename="register.csv", reference_date=REFERENCE, legal_basis=LEGAL,
            chunked=chunked)
        db.session.commit()
        counts = (record.status, record.total_rows, record.new_count, record.updated_count,
                  record.unchanged_count)
        queue.put((time.perf_counter() - started, time.process_time() - cpu, _peak_megabytes(),
                   counts))


def _in_child(target, *arguments):
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=(*arguments, queue))
    process.start()
    while True:
        try:
            answer = queue.get(timeout=5)
            break
        except queue_module.Empty:
            if not process.is_alive():
                raise SystemExit(f"{target.__name__} failed ({process.exitcode})") from None
    process.join()
    return answer


def _report(label: str, seconds: float, cpu: float, peak: float, counts: tuple,
            base: float) -> None:
    status, rows, new, updated, unchanged = counts
    print(f"{label:18s}: {seconds:6.2f} s (CPU {cpu:6.2f} s)  peak RSS {peak:6.0f} MB  ratio "
          f"to read_csv "
          f"{seconds / base:5.1f}x  [{status}: {rows:,} rows, new {new:,}, "
          f"updated {updated:,}, unchanged {unchanged:,}]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--flanders", action="store_true", help="6.8M rows, chunked")
    parser.add_argument("--seed", type=int, default=20260101)
    arguments = parser.parse_args()
    rows = arguments.rows or (6_800_000 if arguments.flanders else 530_000)
    with tempfile.TemporaryDirectory(dir="/tmp", prefix="bench-register-") as folder:
        path, database = str(Path(folder) / "register.csv"), str(Path(folder) / "import.db")
        started = time.perf_counter()
        _in_child(_generate, path, rows, arguments.seed)
        size = Path(path).stat().st_size / 2**20
        print(f"generated {rows:,} rows ({size:.0f} MB) in {time.perf_counter() - started:.1f} s")
        base_rows, base, base_peak = _in_child(_bare_pandas, path)
        print(f"pandas.read_csv   : {base:6.2f} s  peak RSS {base_peak:6.0f} MB")
        first = _in_child(_import, path, database, arguments.flanders)
        _report("import (new)", *first, base)
        if not arguments.flanders:
            again = _in_child(_import, path, database, False)
            _report("re-import (update)", *again, base)


if __name__ == "__main__":
    main()
