"""End to end: draw 3,000 from a 530,000-resident frame in the app and store the selections.

Run with ``.venv/bin/python benchmarks/bench_draw_app.py [--residents N]``. It imports a
synthetic register (timed too) into a fresh SQLite file database (or ``--database-url``), then
times ``app.draws.services.run_draw`` (load frame, exclusions, allocation, draw, snapshot,
selections, audit) plus the commit, three times with different seeds.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from app.draws import services  # noqa: E402
from app.draws.frame import Exclusions  # noqa: E402
from app.extensions import db  # noqa: E402
from app.register.services import import_register_bytes  # noqa: E402
from benchmarks.common import Targets, add_database_option, database_label, database_url  # noqa: E402
from benchmarks.synthetic_register import generate_register_csv  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=530_000)
    parser.add_argument("--sample", type=int, default=3_000)
    add_database_option(parser)
    options = parser.parse_args()
    targets = Targets("bench_draw_app")
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "register.csv"
        generate_register_csv(csv_path, options.residents, seed=11)
        url = database_url(options, folder)
        print(f"database: {database_label(url)}")
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                          "PERSON_KEY_SECRET": "benchmark-person-key-0123"})
        with app.app_context():
            db.drop_all()
            db.create_all()
            started = time.perf_counter()
            import_register_bytes(csv_path.read_bytes(), filename="register.csv",
                                  reference_date=date(2026, 1, 1), legal_basis="Benchmark")
            db.session.commit()
            print(f"import of {options.residents:,} residents: "
                  f"{time.perf_counter() - started:.1f} s")
            for seed in (1, 2, 3):
                started = time.perf_counter()
                draw = services.run_draw(
                    purpose="recruitment", strata=["age_band", "sex", "district"],
                    n=options.sample, method="proportional", seed=seed,
                    rules=Exclusions(minimum_age=18), one_per_household=True)
                db.session.commit()
                seconds = time.perf_counter() - started
                print(f"draw {draw.id}: {draw.sample_size} of {options.residents:,} selected "
                      f"and stored in {seconds:.2f} s")
                targets.check(f"draw with seed {seed}, end to end", seconds, 5.0)
            db.session.remove()
            db.engine.dispose()
    return targets.finish()


if __name__ == "__main__":
    sys.exit(main())
