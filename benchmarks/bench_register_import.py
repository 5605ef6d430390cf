"""Time the full register import (parse, validate, pseudonymise, store, margins) into a database.

Usage::

    .venv/bin/python benchmarks/bench_register_import.py               # 530,000 rows, whole
    .venv/bin/python benchmarks/bench_register_import.py --rows 100000
    .venv/bin/python benchmarks/bench_register_import.py --flanders    # 6,800,000 rows, chunked

Targets: 530k rows imported in at most 20 s with peak RSS at most 1.5 GB; 6.8M rows chunked with
peak RSS at most 2 GB. Each step runs in a fresh child process, so ``ru_maxrss`` (the process
maximum) measures that step alone. Files and the default SQLite database live in a temporary
folder under /tmp that is removed afterwards; ``--database-url`` picks another database.
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

from benchmarks.common import Targets, add_database_option, database_label, database_url  # noqa: E402
from benchmarks.synthetic_register import generate_register_csv  # noqa: E402

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


def _import(path: str, url: str, chunked: bool, fresh: bool, queue) -> None:
    from app import create_app
    from app.extensions import db
    from app.register import services

    app = create_app({"SECRET_KEY": "benchmark", "PERSON_KEY_SECRET": "benchmark-person-key-0",
                      "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        if fresh:
            db.drop_all()
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--flanders", action="store_true", help="6.8M rows, chunked")
    parser.add_argument("--seed", type=int, default=20260101)
    add_database_option(parser)
    arguments = parser.parse_args()
    rows = arguments.rows or (6_800_000 if arguments.flanders else 530_000)
    targets = Targets("bench_register_import")
    with tempfile.TemporaryDirectory(dir="/tmp", prefix="bench-register-") as folder:
        path, url = str(Path(folder) / "register.csv"), database_url(arguments, folder, "import.db")
        print(f"database: {database_label(url)}")
        started = time.perf_counter()
        _in_child(_generate, path, rows, arguments.seed)
        size = Path(path).stat().st_size / 2**20
        print(f"generated {rows:,} rows ({size:.0f} MB) in {time.perf_counter() - started:.1f} s")
        base_rows, base, base_peak = _in_child(_bare_pandas, path)
        print(f"pandas.read_csv   : {base:6.2f} s  peak RSS {base_peak:6.0f} MB")
        first = _in_child(_import, path, url, arguments.flanders, True)
        _report("import (new)", *first, base)
        if arguments.flanders:
            targets.check("peak RSS of the chunked import", first[2], 2048, unit="MB")
        else:
            targets.check("full import", first[0], 20.0)
            targets.check("peak RSS of the import", first[2], 1536, unit="MB")
            again = _in_child(_import, path, url, False, False)
            _report("re-import (update)", *again, base)
    return targets.finish()


if __name__ == "__main__":
    sys.exit(main())
