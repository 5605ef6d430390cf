"""Benchmark raking and calibrated standard errors against R's survey package.

100,000 respondents, three margins with 100 categories in total (district 40, age × sex 50,
education 10), a 4-category answer with missing values and a numeric answer, generated with a
fixed seed. Times our ``rake`` and ``weighted_proportions`` + ``weighted_means`` with the
raking-aware standard errors, then the same in R (``rake`` + ``svymean``), timed inside R with
``system.time`` (reading the CSV excluded). Both sides are timed the same way: best of 5 runs.
Run from the repository root: ``.venv/bin/python -m benchmarks.bench_weighting``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.common import Targets
from reports.estimates import make_design, weighted_means, weighted_proportions
from reports.weighting import rake

RESPONDENTS = 100_000
POPULATION = 250_000
SIZES = {"district": 40, "age_sex": 50, "education": 10}
R_SCRIPT = r"""
suppressPackageStartupMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(file.path(args[1], "respondents.csv"), na.strings = "")
m <- read.csv(file.path(args[1], "margins.csv"))
pop <- lapply(c("district", "age_sex", "education"), function(v) {
  rows <- m[m$variable == v, ]
  out <- data.frame(rows$category, Freq = rows$total); names(out)[1] <- v; out })
base <- svydesign(ids = ~1, weights = ~1, data = d)
best_of <- function(repeats, expression) {
  code <- substitute(expression); env <- parent.frame(); times <- numeric(repeats)
  for (i in seq_len(repeats)) times[i] <- system.time(eval(code, env))[["elapsed"]]
  min(times) }
rake_seconds <- best_of(5, raked <- rake(base, list(~district, ~age_sex, ~education), pop,
                                         control = list(maxit = 100, epsilon = 1e-10)))
estimate_seconds <- best_of(5, {
  p <- svymean(~factor(answer), raked, na.rm = TRUE)
  s <- svymean(~score, raked, na.rm = TRUE) })
cat(sprintf("rake_seconds=%.4f\nestimate_seconds=%.4f\n", rake_seconds, estimate_seconds))
cat(sprintf("se_first=%.17g\nse_score=%.17g\n", SE(p)[1], SE(s)))
write.csv(data.frame(weight = weights(raked)), file.path(args[1], "r_weights.csv"),
          row.names = FALSE)
"""


def build(seed: int = 2024) -> tuple[pd.DataFrame, dict[str, dict[int, float]]]:
    generator = np.random.default_rng(seed)
    data, margins = {}, {}
    for variable, size in SIZES.items():
        population_share = generator.dirichlet(np.full(size, 5.0))
        response = population_share * generator.uniform(0.5, 1.5, size)
        data[variable] = generator.choice(size, RESPONDENTS, p=response / response.sum())
        margins[variable] = dict(enumerate(population_share * POPULATION))
    frame = pd.DataFrame(data)
    answer = generator.choice(["a", "b", "c", "d"], RESPONDENTS, p=[0.4, 0.3, 0.2, 0.1])
    frame["answer"] = np.where(generator.random(RESPONDENTS) < 0.05, None, answer)
    score = generator.normal(5 + frame["education"] / 5, 2.0)
    frame["score"] = np.where(generator.random(RESPONDENTS) < 0.05, np.nan, score)
    return frame, margins


def best_of(repeats: int, function) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def ours(data: pd.DataFrame, margins) -> dict[str, object]:
    rake_seconds, weights = best_of(5, lambda: rake(data, margins))

    def estimate():
        design = make_design(data, weights, "rake", margins=margins)
        return (weighted_proportions(data, "answer", weights, design=design),
                weighted_means(data, "score", weights, design=design))

    estimate_seconds, (proportions, means) = best_of(5, estimate)
    return {"rake": rake_seconds, "estimate": estimate_seconds, "weights": weights,
            "se_first": proportions["se"].iloc[0], "se_score": means["se"].iloc[0]}


def in_r(data: pd.DataFrame, margins) -> dict[str, float] | None:
    if shutil.which("Rscript") is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder)
        data.to_csv(path / "respondents.csv", index=False)
        pd.DataFrame([(variable, category, total) for variable, totals in margins.items()
                      for category, total in totals.items()],
                      columns=["variable", "category", "total"]).to_csv(
            path / "margins.csv", index=False)
        (path / "bench.R").write_text(R_SCRIPT)
        output = subprocess.run(["Rscript", str(path / "bench.R"), folder], check=True,
                                capture_output=True, text=True).stdout
        values = dict(line.split("=", 1) for line in output.split() if "=" in line)
        result = {key: float(value) for key, value in values.items()}
        result["weights"] = pd.read_csv(path / "r_weights.csv")["weight"].to_numpy()
        return result


def main() -> int:
    data, margins = build()
    mine = ours(data, margins)
    print(f"respondents: {len(data)}, margin categories: {sum(SIZES.values())}")
    print(f"ours  rake: {mine['rake']:.4f} s   proportions+means with calibrated SE: "
          f"{mine['estimate']:.4f} s   (best of 5)")
    targets = Targets("bench_weighting")
    reference = in_r(data, margins)
    if reference is None:
        print("R (Rscript) was not found: the speed-up targets cannot be checked.")
        targets.misses.append("R not found (apt-get install r-base-core r-cran-survey)")
        return targets.finish()
    print(f"R     rake: {reference['rake_seconds']:.4f} s   svymean x2 with calibrated SE: "
          f"{reference['estimate_seconds']:.4f} s   (best of 5)")
    targets.check("rake speed-up over R", reference["rake_seconds"] / mine["rake"], 5,
                  unit="x", at_most=False)
    targets.check("estimate speed-up over R",
                  reference["estimate_seconds"] / mine["estimate"], 5, unit="x", at_most=False)
    weight_gap = np.max(np.abs(mine["weights"].to_numpy() / reference["weights"] - 1))
    print(f"agreement  weights max rel diff: {weight_gap:.1e}   SE rel diff: "
          f"{abs(mine['se_first'] / reference['se_first'] - 1):.1e} (first category), "
          f"{abs(mine['se_score'] / reference['se_score'] - 1):.1e} (mean)")
    return targets.finish()


if __name__ == "__main__":
    sys.exit(main())
