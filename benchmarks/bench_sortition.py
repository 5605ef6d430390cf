"""Time LEXIMIN selection of a panel of 50 from a pool of 1,000 volunteers.

Run with ``.venv/bin/python -m benchmarks.bench_sortition`` (``--people N --size K`` for
another size, ``--instance independent`` for the second instance). Six features with 25
values in all; quotas are the city shares times the panel size, rounded down minus one to
rounded up plus one. Targets: feasibility check <= 2 s, leximin <= 60 s, portfolio of 1,000
<= 10 s; the lowest probability equal to the maximin optimum within 1e-6 (checked against
the proven upper bound from the first stage's dual).

Instances (the output states the make-up: features, correlations, profile types):

* ``register`` (default): volunteers drawn from the residents aged 16+ of the synthetic
  register ``/work/shared/data/example_register_antwerpen_3000.csv`` (2,300 adults), more
  often the older and the highly educated. Sex, age band (on 1 December 2026), district
  (8: Berendrecht-Zandvliet-Lillo joins Ekeren) and origin (nationality: Belgian, EU, other)
  come from the register, with its correlations (districts differ in age and origin, one
  household shares district and often origin); education and housing are self-reported
  and drawn here depending on age band and origin (education) and age band and household
  size (housing). City shares for the quotas: the adults of the register, and assumed
  shares for the two self-reported features.
* ``independent``: every feature drawn independently of the others from fixed pool shares
  (the first version of this benchmark); it has more profile types, so it is harder.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import time
from pathlib import Path

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


REGISTER = Path("/work/shared/data/example_register_antwerpen_3000.csv")
REFERENCE = pd.Timestamp("2026-12-01")
EU = {"België", "Nederland", "Polen", "Roemenië", "Bulgarije", "Spanje", "Frankrijk",
      "Italië", "Duitsland", "Portugal", "Griekenland", "Hongarije", "Slowakije", "Tsjechië",
      "Litouwen", "Letland", "Estland", "Ierland", "Oostenrijk", "Zweden", "Finland",
      "Denemarken", "Luxemburg", "Kroatië", "Slovenië", "Cyprus", "Malta"}
AGE_BANDS = [(16, "16-24"), (25, "25-39"), (40, "40-54"), (55, "55-69"), (70, "70+")]
EDUCATION = {"16-24": [0.25, 0.50, 0.25], "25-39": [0.15, 0.35, 0.50],
             "40-54": [0.25, 0.40, 0.35], "55-69": [0.35, 0.40, 0.25],
             "70+": [0.50, 0.35, 0.15]}  # laag, midden, hoog; other origins shift to laag
HOUSING = {"16-24": [0.30, 0.50, 0.10, 0.10], "25-39": [0.45, 0.40, 0.10, 0.05],
           "40-54": [0.65, 0.22, 0.10, 0.03], "55-69": [0.72, 0.15, 0.10, 0.03],
           "70+": [0.70, 0.12, 0.12, 0.06]}  # eigenaar, huurder, sociale huur, anders
SELF_REPORTED_SHARES = {"opleiding": [0.30, 0.40, 0.30],
                        "woonsituatie": [0.60, 0.25, 0.10, 0.05]}


def _register_adults() -> pd.DataFrame:
    frame = pd.read_csv(REGISTER, sep=";", dtype=str, encoding="utf-8-sig")
    born = pd.to_datetime(frame["geboortedatum"], format="%d/%m/%Y")
    age = (REFERENCE.year - born.dt.year
           - ((REFERENCE.month, REFERENCE.day) < np.c_[born.dt.month, born.dt.day]).all(1))
    frame = frame.assign(age=age, household=frame.groupby("huishoudnummer")["naam"]
                         .transform("size"))
    frame = frame[frame["age"] >= 16].copy()
    frame["leeftijd"] = pd.cut(frame["age"], [a for a, _ in AGE_BANDS] + [200], right=False,
                               labels=[label for _, label in AGE_BANDS]).astype(str)
    frame["herkomst"] = np.where(frame["nationaliteit"] == "België", "Belgisch",
                                 np.where(frame["nationaliteit"].isin(EU), "EU", "niet-EU"))
    frame["wijk"] = frame["wijk"].replace({"Berendrecht-Zandvliet-Lillo": "Ekeren"})
    return frame


def _self_reported(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    education, housing = [], []
    for band, origin, household in zip(frame["leeftijd"], frame["herkomst"],
                                       frame["household"], strict=True):
        shares = np.asarray(EDUCATION[band])
        if origin == "niet-EU":
            shares = shares * [1.8, 1.0, 0.6]
        education.append(rng.choice(FEATURES["opleiding"][0], p=shares / shares.sum()))
        shares = np.asarray(HOUSING[band]) * ([1.4, 0.7, 1.0, 1.0] if household > 2 else 1)
        housing.append(rng.choice(FEATURES["woonsituatie"][0], p=shares / shares.sum()))
    return frame.assign(opleiding=education, woonsituatie=housing)


def register_pool(people: int, *, seed: int) -> tuple[pd.DataFrame, dict]:
    """Volunteers from the register's adults; also the city shares of every feature value."""
    rng = np.random.default_rng(seed)
    adults = _self_reported(_register_adults(), rng)
    columns = ["geslacht", "leeftijd", "opleiding", "herkomst", "wijk", "woonsituatie"]
    shares = {feature: adults[feature].value_counts(normalize=True).sort_index()
              for feature in columns}
    for feature, values in SELF_REPORTED_SHARES.items():
        shares[feature] = pd.Series(values, index=FEATURES[feature][0])
    keen = (adults["leeftijd"].map({"16-24": 0.6, "25-39": 0.8, "40-54": 1.0, "55-69": 1.5,
                                    "70+": 1.2})
            * adults["opleiding"].map({"laag": 0.5, "midden": 1.0, "hoog": 2.0})).to_numpy()
    chosen = rng.choice(len(adults), size=people, replace=False, p=keen / keen.sum())
    pool = adults.iloc[np.sort(chosen)][columns]
    ids = [hashlib.sha256(str(i).encode()).hexdigest()[:16] for i in range(people)]
    return pool.set_index(pd.Index(ids, name="person_id")), shares


def quotas_from_shares(shares: dict, size: int) -> pd.DataFrame:
    rows = []
    for feature, table in shares.items():
        for value, share in table.items():
            target = share * size
            rows.append((feature, value, max(0, int(np.floor(target)) - 1),
                         int(np.ceil(target)) + 1))
    return pd.DataFrame(rows, columns=["feature", "value", "min", "max"])


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


def _instance(name: str, people: int, size: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    if name == "register":
        pool, shares = register_pool(people, seed=2026)
        return pool, quotas_from_shares(shares, size)
    return synthetic_pool(people, seed=2026), synthetic_quotas(size)


def _make_up(name: str, pool: pd.DataFrame, quotas: pd.DataFrame, size: int) -> None:
    counts = {feature: pool[feature].nunique() for feature in pool.columns}
    types = pool.astype(str).agg("|".join, axis=1).value_counts()
    print(f"instance {name}: pool {len(pool)}, {len(counts)} features "
          f"({', '.join(f'{f} {n}' for f, n in counts.items())}), {len(quotas)} quota "
          f"categories, panel {size}")
    age_education = _cramers_v(pool, "leeftijd", "opleiding")
    print(f"  {len(types)} profile types ({(types == 1).sum()} of one person, largest "
          f"{types.max()}); Cramér's V leeftijd×opleiding {age_education:.2f}, "
          f"wijk×herkomst {_cramers_v(pool, 'wijk', 'herkomst'):.2f}")


def _cramers_v(pool: pd.DataFrame, first: str, second: str) -> float:
    table = pd.crosstab(pool[first], pool[second]).to_numpy(dtype=float)
    expected = table.sum(1, keepdims=True) * table.sum(0, keepdims=True) / table.sum()
    chi2 = ((table - expected) ** 2 / expected).sum()
    return float(np.sqrt(chi2 / table.sum() / (min(table.shape) - 1)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000)
    parser.add_argument("--size", type=int, default=50)
    parser.add_argument("--instance", choices=["register", "independent"], default="register")
    arguments = parser.parse_args()
    pool, quotas = _instance(arguments.instance, arguments.people, arguments.size)
    _make_up(arguments.instance, pool, quotas, arguments.size)
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
