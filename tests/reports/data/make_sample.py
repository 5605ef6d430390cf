"""Write the synthetic respondents and population totals that make_reference.R reads.

Run from the repository root: ``.venv/bin/python tests/reports/data/make_sample.py``.
The output is committed; rerunning gives the same files.
"""

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
AGE_BANDS = ["18-29", "30-44", "45-64", "65-79", "80+"]
DISTRICTS = ["Centrum", "Noord", "Oost", "West"]
DISTRICT_SIZES = [30000, 25000, 25000, 20000]
ANSWERS = ["eens", "neutraal", "oneens"]


def population_cells() -> pd.DataFrame:
    shares = np.array([[0.10, 0.10], [0.13, 0.13], [0.17, 0.17], [0.09, 0.10], [0.04, 0.07]])
    totals = np.round(shares / shares.sum() * 100000).astype(int)
    totals[0, 0] += 100000 - totals.sum()
    rows = [(age, sex, totals[i, j]) for i, age in enumerate(AGE_BANDS)
            for j, sex in enumerate(["M", "V"])]
    return pd.DataFrame(rows, columns=["age_band", "sex", "total"])


def respondents(rng: np.random.Generator, n: int = 500) -> pd.DataFrame:
    district = rng.choice(DISTRICTS, size=n, p=[0.2, 0.3, 0.3, 0.2])
    age = rng.choice(AGE_BANDS, size=n, p=[0.12, 0.18, 0.33, 0.27, 0.10])
    sex = rng.choice(["M", "V"], size=n, p=[0.45, 0.55])
    age_index = np.searchsorted(AGE_BANDS, age)
    agree = 0.25 + 0.08 * age_index + 0.05 * (sex == "V")
    answer = np.array([rng.choice(ANSWERS, p=[a, 0.3, 0.7 - a]) for a in agree], dtype=object)
    answer[rng.random(n) < 0.08] = None
    score = np.round(rng.normal(5 + 0.6 * age_index, 2.0), 1)
    score[rng.random(n) < 0.05] = np.nan
    counts = pd.Series(district).value_counts()
    size = dict(zip(DISTRICTS, DISTRICT_SIZES, strict=True))
    base = np.array([size[d] / counts[d] for d in district]) * rng.uniform(0.8, 1.25, n)
    population = np.array([size[d] for d in district])
    return pd.DataFrame({"id": np.arange(1, n + 1), "district": district, "age_band": age,
                         "sex": sex, "answer": answer, "score": score,
                         "base_weight": np.round(base, 4), "district_population": population})


def margins(cells: pd.DataFrame) -> pd.DataFrame:
    rows = [("age_band", k, v) for k, v in cells.groupby("age_band")["total"].sum().items()]
    rows += [("sex", k, v) for k, v in cells.groupby("sex")["total"].sum().items()]
    rows += [("district", d, s) for d, s in zip(DISTRICTS, DISTRICT_SIZES, strict=True)]
    return pd.DataFrame(rows, columns=["variable", "category", "total"])


if __name__ == "__main__":
    generator = np.random.default_rng(20240611)
    cells = population_cells()
    respondents(generator).to_csv(HERE / "survey_sample.csv", index=False)
    cells.to_csv(HERE / "population_cells.csv", index=False)
    margins(cells).to_csv(HERE / "population_margins.csv", index=False)
