"""What every benchmark shares: one way to pick the database, and targets that report misses.

Every script that touches a database takes ``--database-url`` (default: a fresh SQLite file in a
temporary folder) and ignores ``DATABASE_URL`` in the environment, so a figure always says which
database it was measured on. A PostgreSQL URL must name a database the benchmark may empty: the
scripts drop and create all tables.

Each target is checked with ``Targets.check``; ``Targets.finish`` prints the date, the load
average and the misses, and returns the exit code (1 when a target was missed), which
``make bench`` collects over all scripts.
"""

from __future__ import annotations

import argparse
import os
from datetime import UTC, datetime
from pathlib import Path


def add_database_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database-url", metavar="URL",
        help="SQLAlchemy URL of a database the benchmark may empty "
             "(default: a fresh SQLite file in a temporary folder; DATABASE_URL is ignored)")


def database_url(options: argparse.Namespace, folder: str | Path, name: str = "bench.db") -> str:
    return options.database_url or f"sqlite:///{Path(folder) / name}"


def database_label(url: str) -> str:
    return "SQLite (file)" if url.startswith("sqlite") else url.split("://", 1)[0]


def machine_line() -> str:
    one, five, fifteen = os.getloadavg()
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (f"measured {stamp} on {os.cpu_count()} cores, "
            f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min)")


class Targets:
    """Collects target checks of one script and prints a verdict per check and at the end."""

    def __init__(self, script: str) -> None:
        self.script = script
        self.misses: list[str] = []

    def check(self, label: str, value: float, target: float, *, unit: str = "s",
              at_most: bool = True) -> bool:
        met = value <= target if at_most else value >= target
        sign = "<=" if at_most else ">="
        suffix = f" {unit}" if unit else ""
        line = f"{label}: {value:.4g}{suffix} (target {sign} {target:g}{suffix})"
        print(f"  {'met   ' if met else 'MISSED'} {line}")
        if not met:
            self.misses.append(line)
        return met

    def finish(self) -> int:
        print(machine_line())
        if self.misses:
            print(f"{self.script}: {len(self.misses)} target(s) missed")
            for miss in self.misses:
                print(f"  MISSED {miss}")
            return 1
        print(f"{self.script}: every target met")
        return 0
