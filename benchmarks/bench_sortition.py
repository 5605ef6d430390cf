"""Time LEXIMIN selection of a panel of 50 from a synthetic pool of 1,000 volunteers.

Run with ``.venv/bin/python benchmarks/bench_sortition.py`` (``--people N --size K`` for
another instance). Six features with 25 values in all (sex 2, age band 5, education 3,
origin 3, district 8, housing 4); the pool over-represents older and highly educated
residents as volunteer pools do; quotas are the city shares times the panel size, rounded
down minus one to rounded up plus one. Targets: feasibility check <= 2 s, leximin <= 60 s,
portfolio of 1,000 <= 10 s; the lowest probability equal to the maximin optimum within 1e-6
(checked against the proven upper bound from the first stage's dual).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import time

import numpy as np
import pandas as pd

from sampling.sortition import check_quotas, leximin_distribution, uniform_lottery

FEATURES = {  # values, city shares, pool shares
    "geslacht": (["V", "M"], [0.51, 0.49], [0.55, 0.45]),
    "leeftijd": (["16-24", "25-39", "40-54", "55-69", "70+"],
                 [0.14, 0.25, 0.24, 0.21, 0.16], [0.08, 0.20, 0.24, 0.30, 0.18]),
    "opleiding": (["laag", "midden", "hoog"], [0.30, 0.40, 0.30], [0.12, 0.35, 0.53]),
    "herkomst": (["Belgisch", "EU", "niet-EU"], [0.72, 0.10, 0.18], [0.84, 0.08, 0.08]),
    "wijk": ([f"Wijk {i}" for i in range(1, 9)],
             [0.20, 0.15, 0.14, 0.12, 0.11, 0.10, 0.10, 0.08],
             [0.24, 0.16, 0.14, 0.12, 0.10, 0.10, 0.08, 0.06]),
    "woonsituatie": (["eigenaar", "huurder", "sociale huur", "anders"],
                     [0.60, 0.25, 0.10, 0.05], [0.70, 0.20, 0.06, 0.04]),
}


def synthetic_pool(people: int, *, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ids = [hashlib.sha256(str(i).encode()).hexdigest()[:16] for i in range(people)]
    columns = {feature: rng.choice(values, size=people, p=pool_shares)
               for feature, (values, _, pool_shares) in FEATURES.items()}
    return pd.DataFrame(columns, index=pd.Index(ids, name="person_id"))


def synthetic_quotas(size: int) -> pd.DataFrame:
    rows = []
    for feature, (values, shares, _) in FEATURES.items():
        for value, share in zip(values, shares, strict=True):
            target = share * size
            rows.append((feature, value, max(0, int(np.floor(target)) - 1),
                         int(np.ceil(target)) + 1))
    return pd.DataFrame(rows, columns=["feature", "value", "min", "max"])


def timed(label: str, function):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"{label:<40} {wall:8.2f} s wall  {cpu:8.2f} s CPU   load avg {load}", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000)
    parser.add_argument("--size", type=int, default=50)
    arguments = parser.parse_args()
    pool = synthetic_pool(arguments.people, seed=2026)
    quotas = synthetic_quotas(arguments.size)
    print(f"pool {len(pool)}, {len(FEATURES)} features, {len(quotas)} quota categories, "
          f"panel {arguments.size}")
    check = timed("feasibility check", lambda: check_quotas(pool, quotas, arguments.size))
    print(f"  {check.message}")
    distribution = timed("leximin", lambda: leximin_distribution(pool, quotas, arguments.size))
    portfolio = timed("portfolio of 1,000 panels", lambda: uniform_lottery(distribution, 1000))
    lowest = float(distribution.marginals.min())
    print(f"  support {len(distribution.panels)} panels; probabilities sum "
          f"{distribution.marginals.sum():.9f}")
    print(f"  lowest probability {lowest:.9f}; maximin optimum at most "
          f"{distribution.maximin_bound:.9f}; gap {distribution.maximin_bound - lowest:.2e}")
    after = portfolio.probabilities["after"]
    print(f"  rounding to 1,000 panels: largest change of a probability "
          f"{portfolio.max_deviation:.4f}; lowest after {after.min():.4f}")


if __name__ == "__main__":
    main()
