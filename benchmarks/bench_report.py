"""Report benchmark: 1,000 raked respondents, 40 questions, 3 breakdowns; target ≤ 30 s.

Run: ``.venv/bin/python benchmarks/bench_report.py``. Prints seconds and bytes per part.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import Targets  # noqa: E402
from reports.content.data import build_report_data  # noqa: E402
from reports.render.pdf import render_report_pdf  # noqa: E402
from reports.render.pptx import render_slides_pptx  # noqa: E402
from reports.render.slides import render_slides_pdf  # noqa: E402
from reports.render.spss import render_sav  # noqa: E402
from reports.render.xlsx import render_xlsx  # noqa: E402
from tests.reports.synthetic import make_report_input  # noqa: E402

TARGET_SECONDS = 30.0


def _timed(label: str, function, *arguments):
    start = time.perf_counter()
    result = function(*arguments)
    seconds = time.perf_counter() - start
    size = f"{len(result) / 1024:8.0f} KiB" if isinstance(result, bytes) else ""
    print(f"{label:<22} {seconds:6.2f} s {size}")
    return result, seconds


def main() -> int:
    report_input = make_report_input(1000, 40, seed=0, n_text=2)
    print("1,000 respondents, 40 questions (2 open), breakdowns: district 8, age 7, sex 2")
    data, total = _timed("build_report_data", build_report_data, report_input)
    for label, renderer in (("PDF report", render_report_pdf), ("slides", render_slides_pdf),
                            ("slides PowerPoint", render_slides_pptx), ("XLSX", render_xlsx),
                            ("SPSS .sav", render_sav)):
        _, seconds = _timed(label, renderer, data)
        total += seconds
    print(f"{'total':<22} {total:6.2f} s")
    targets = Targets("bench_report")
    targets.check("full report", total, TARGET_SECONDS)
    return targets.finish()


if __name__ == "__main__":
    sys.exit(main())
