"""Time register parsing against a bare pandas.read_csv of the same file.

Usage::

    .venv/bin/python benchmarks/bench_register_parse.py             # 530,000 rows
    .venv/bin/python benchmarks/bench_register_parse.py --rows 100000
    .venv/bin/python benchmarks/bench_register_parse.py --chunked   # 6,800,000 rows, chunked

Targets: 530k rows parsed and validated well under 10 s (full import <= 20 s, peak <= 1.5 GB);
6.8M rows chunked with peak RSS <= 2 GB. Peak RSS is the process maximum so far, so the
generator, the ``read_csv`` baseline and the parser each run in a fresh child process (Linux
keeps ``ru_maxrss`` across ``exec``, so the parent must stay small).
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_register import generate_register_csv  # noqa: E402

REFERENCE = dt.date(2026, 1, 1)


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


def _register(path: str, chunked: bool, queue) -> None:
    from sampling.register import iter_register_chunks, read_register

    started = time.perf_counter()
    if chunked:
        rows = errors = 0
        for part in iter_register_chunks(path, reference_date=REFERENCE):
            rows += len(part.frame)
            errors += part.error_rows
    else:
        result = read_register(path, reference_date=REFERENCE)
        rows, errors = len(result.frame), result.error_rows
    queue.put((rows, time.perf_counter() - started, _peak_megabytes(), errors))


def _in_child(target, *arguments):
    queue = multiprocessing.get_context("spawn").Queue()
    process = multiprocessing.get_context("spawn").Process(target=target, args=(*arguments, queue))
    process.start()
    answer = queue.get()
    process.join()
    return answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--chunked", action="store_true")
    parser.add_argument("--seed", type=int, default=20260101)
    arguments = parser.parse_args()
    rows = arguments.rows or (6_800_000 if arguments.chunked else 530_000)
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "register.csv")
        started = time.perf_counter()
        _in_child(_generate, path, rows, arguments.seed)  # keeps this process small
        size = Path(path).stat().st_size / 2**20
        print(f"generated {rows:,} rows ({size:.0f} MB) in {time.perf_counter() - started:.1f} s")
        base_rows, base_seconds, base_peak = _in_child(_bare_pandas, path)
        print(f"pandas.read_csv : {base_rows:,} rows {base_seconds:6.2f} s "
              f"{base_rows / base_seconds:10,.0f} rows/s  peak RSS {base_peak:6.0f} MB")
        mode = "iter_register_chunks" if arguments.chunked else "read_register"
        kept, seconds, peak, errors = _in_child(_register, path, arguments.chunked)
        print(f"{mode:16s}: {kept:,} rows {seconds:6.2f} s {rows / seconds:10,.0f} rows/s  "
              f"peak RSS {peak:6.0f} MB  rejected rows {errors}")
        print(f"ratio register / bare pandas: {seconds / base_seconds:.1f}x")


if __name__ == "__main__":
    main()
