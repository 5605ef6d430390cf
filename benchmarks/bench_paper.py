"""Benchmark: 500 paper questionnaires (the 12-question example survey) in one PDF.

Run with ``.venv/bin/python benchmarks/bench_paper.py`` (optionally ``--respondents N``,
``--large-print``, ``--french-share 0.2``).
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.surveys.definition import load_definition  # noqa: E402
from app.surveys.paper import render_paper_batch  # noqa: E402

EXAMPLE = Path(__file__).resolve().parents[1] / "tests" / "data" / "surveys" / \
    "leven_in_zennegem.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--respondents", type=int, default=500)
    parser.add_argument("--large-print", action="store_true")
    parser.add_argument("--french-share", type=float, default=0.1)
    arguments = parser.parse_args()
    definition = load_definition(EXAMPLE.read_bytes())
    every = max(1, round(1 / arguments.french_share)) if arguments.french_share > 0 else 0
    respondents = [(f"ZNG-{index:06d}", "fr" if every and index % every == 0 else "nl")
                   for index in range(1, arguments.respondents + 1)]
    start = time.perf_counter()
    data = render_paper_batch(definition, respondents, large_print=arguments.large_print)
    seconds = time.perf_counter() - start
    print(f"{len(respondents)} questionnaires ({'large' if arguments.large_print else 'normal'} "
          f"print): {seconds:.2f} s, {len(data) / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
