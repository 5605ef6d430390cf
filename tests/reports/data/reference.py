"""Load the synthetic sample, its population totals and the values R's survey package gave."""

from functools import cache
from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent
DESIGNS = {
    "none": {},
    "rake2": {"method": "rake", "margins": ["age_band", "sex"]},
    "rake3": {"method": "rake", "margins": ["age_band", "sex", "district"]},
    "post": {"method": "poststratify", "cells": ["age_band", "sex"]},
    "strat_rake2": {"method": "rake", "margins": ["age_band", "sex"], "strata": "district",
                    "fpc": "district_population"},
}


@cache
def sample() -> pd.DataFrame:
    return pd.read_csv(HERE / "survey_sample.csv", keep_default_na=False,
                       na_values={"answer": [""], "score": [""]})


@cache
def reference() -> pd.DataFrame:
    return pd.read_csv(HERE / "reference_values.csv", keep_default_na=False)


def margins(*variables: str) -> dict[str, dict[str, float]]:
    table = pd.read_csv(HERE / "population_margins.csv")
    return {variable: dict(zip(rows["category"], rows["total"], strict=True))
            for variable, rows in table.groupby("variable") if variable in variables}


def cell_totals() -> dict[tuple[str, str], float]:
    table = pd.read_csv(HERE / "population_cells.csv")
    return {(age, sex): total for age, sex, total in table.itertuples(index=False)}


def value(design: str, statistic: str, group: str, category: str) -> float:
    table = reference()
    match = table[(table["design"] == design) & (table["statistic"] == statistic)
                  & (table["group"] == group) & (table["category"] == category)]
    assert len(match) == 1, (design, statistic, group, category)
    return float(match["value"].iloc[0])


def weights(design: str) -> pd.Series:
    table = reference()
    rows = table[(table["design"] == design) & (table["statistic"] == "weight")]
    return pd.Series(rows["value"].astype(float).to_numpy(), index=rows["group"].astype(int))


# Values from make_edge_reference.R (R survey 4.1.1 on R 4.2.2): calibrate()-raked designs and
# Korn–Graubard intervals, totals and t intervals for every design.
EDGE_DESIGNS = {
    **{name: {**spec, "linearisation": "backfitting"} if spec.get("method") == "rake" else spec
       for name, spec in DESIGNS.items()},
    "cal_rake2": DESIGNS["rake2"],
    "cal_rake3": DESIGNS["rake3"],
    "cal_strat_rake2": DESIGNS["strat_rake2"],
}


@cache
def edge_reference() -> pd.DataFrame:
    return pd.read_csv(HERE / "edge_reference_values.csv", keep_default_na=False)


def edge_value(design: str, statistic: str, group: str, category: str) -> float:
    table = edge_reference()
    match = table[(table["design"] == design) & (table["statistic"] == statistic)
                  & (table["group"] == group) & (table["category"] == category)]
    assert len(match) == 1, (design, statistic, group, category)
    return float(match["value"].iloc[0])


def edge_weights(design: str) -> pd.Series:
    """Weights of an R design: calibrate()'s for ``cal_*``, make_reference.R's otherwise."""
    if not design.startswith("cal_"):
        return weights(design)
    table = edge_reference()
    rows = table[(table["design"] == design) & (table["statistic"] == "weight")]
    return pd.Series(rows["value"].astype(float).to_numpy(), index=rows["group"].astype(int))
