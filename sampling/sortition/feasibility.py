"""Can the quotas be met together? If not: which quotas clash and the smallest relaxation.

* Feasibility: one MIP looks for any panel of the wanted size that meets every quota.
* Smallest relaxation: a MIP lowers minima by ``r_min >= 0`` and raises maxima by
  ``r_max >= 0`` (integers) and minimises the total ``sum(r_min + r_max)``, the number of
  seats by which the quotas move; among equal totals HiGHS returns one deterministically.
* Clashing quotas: a deletion filter (Chinneck & Dravnieks 1991) drops quota bounds one by
  one, in canonical quota order, as long as the rest stays infeasible; what is left is a
  minimal set of bounds that cannot be met together (with the panel size).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

from sampling.errors import InfeasibleQuota
from sampling.sortition.highs import PanelFinder, new_solver, pass_model, quota_matrix, solve
from sampling.sortition.problem import SortitionInput, build_input

RELAXATION_COLUMNS = ["feature", "value", "min", "max", "new_min", "new_max"]


@dataclass(frozen=True)
class QuotaCheck:
    """Outcome of :func:`check_quotas`; ``message`` says it in Dutch."""

    feasible: bool
    message: str
    conflicts: list[tuple[str, str, str, int]] = field(default_factory=list)
    relaxation: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=RELAXATION_COLUMNS)
    )

    @property
    def total_relaxation(self) -> int:
        table = self.relaxation
        lowered = (table["min"] - table["new_min"]).sum()
        return int(lowered + (table["new_max"] - table["max"]).sum())


class InfeasibleQuotas(InfeasibleQuota):
    """The quotas cannot be met together; ``check`` holds the clash and the relaxation."""

    def __init__(self, check: QuotaCheck) -> None:
        super().__init__(check.message)
        self.check = check


def _relaxation_model(data: SortitionInput):
    matrix, lower, upper = quota_matrix(data)
    quotas, people = len(data.quotas), data.people
    identity = sp.identity(quotas, format="csr")
    zeros = sp.csr_array((1, quotas))
    rows = sp.vstack([
        sp.hstack([matrix[:1], zeros, zeros]),
        sp.hstack([matrix[1:], identity, sp.csr_array((quotas, quotas))]),
        sp.hstack([matrix[1:], sp.csr_array((quotas, quotas)), -identity]),
    ], format="csr")
    infinity = np.full(quotas, np.inf)
    row_bounds = (np.concatenate([lower[:1], lower[1:], -infinity]),
                  np.concatenate([upper[:1], infinity, upper[1:]]))
    col_bounds = (np.zeros(people + 2 * quotas),
                  np.concatenate([np.ones(people), lower[1:], np.full(quotas, people)]))
    cost = np.concatenate([np.zeros(people), np.ones(2 * quotas)])
    return rows, row_bounds, col_bounds, cost


def smallest_relaxation(data: SortitionInput) -> pd.DataFrame:
    """Quotas that change in the smallest total relaxation, with their new min and max."""
    rows, row_bounds, col_bounds, cost = _relaxation_model(data)
    solver = new_solver(mip_rel_gap=0.0)
    pass_model(solver, rows, cost=cost, col_bounds=col_bounds, row_bounds=row_bounds,
               integer=True)
    solve(solver, "de kleinste versoepeling van de quota")
    values = np.rint(np.asarray(solver.getSolution().col_value)[data.people:]).astype(int)
    quotas = len(data.quotas)
    table = data.quotas.copy()
    table["new_min"] = table["min"] - values[:quotas]
    table["new_max"] = table["max"] + values[quotas:]
    changed = (table["new_min"] != table["min"]) | (table["new_max"] != table["max"])
    return table.loc[changed, RELAXATION_COLUMNS].reset_index(drop=True)


def _feasible(finder: PanelFinder, data: SortitionInput, dropped: set[tuple[int, str]]) -> bool:
    _, lower, upper = quota_matrix(data)
    for row, bound in dropped:
        if bound == "min":
            lower[row + 1] = 0
        else:
            upper[row + 1] = data.people
    finder.solver.changeRowsBounds(len(lower), np.arange(len(lower), dtype=np.int32), lower,
                                   upper)
    return bool(finder.panels(np.zeros(data.people), gap=1.0))


def clashing_quotas(data: SortitionInput) -> list[tuple[str, str, str, int]]:
    """A minimal set of quota bounds that cannot be met together: (feature, value, bound, n)."""
    finder = PanelFinder(data)
    counts = np.asarray(data.members.sum(axis=1)).ravel()
    candidates = []
    for row, quota in data.quotas.iterrows():
        if quota["min"] > 0:
            candidates.append((int(row), "min"))
        if quota["max"] < min(counts[row], data.panel_size):
            candidates.append((int(row), "max"))
    dropped: set[tuple[int, str]] = set()
    for candidate in candidates:
        if not _feasible(finder, data, dropped | {candidate}):
            dropped.add(candidate)
    kept = [candidate for candidate in candidates if candidate not in dropped]
    return [(str(data.quotas.at[row, "feature"]), str(data.quotas.at[row, "value"]), bound,
             int(data.quotas.at[row, bound])) for row, bound in kept]


def _message(data: SortitionInput, conflicts, relaxation: pd.DataFrame, total: int) -> str:
    bounds = {"min": "minimum", "max": "maximum"}
    clash = "; ".join(f"{feature} = {value}: {bounds[bound]} {number}"
                      for feature, value, bound, number in conflicts)
    changes = []
    for row in relaxation.itertuples(index=False):
        if row.new_min != row.min:
            changes.append(f"{row.feature} = {row.value}: minimum van {row.min} naar {row.new_min}")
        if row.new_max != row.max:
            changes.append(f"{row.feature} = {row.value}: maximum van {row.max} naar {row.new_max}")
    return (
        f"De quota kunnen niet samen gehaald worden in een panel van {data.panel_size}. "
        f"Deze quota botsen: {clash}. Kleinste versoepeling ({total} "
        f"{'plaats' if total == 1 else 'plaatsen'} in totaal): {'; '.join(changes)}."
    )


def check_input(data: SortitionInput) -> QuotaCheck:
    """:func:`check_quotas` for an already checked input."""
    if PanelFinder(data).panels(np.zeros(data.people), gap=1.0):
        return QuotaCheck(True, f"De quota zijn haalbaar voor een panel van {data.panel_size}.")
    relaxation = smallest_relaxation(data)
    conflicts = clashing_quotas(data)
    check = QuotaCheck(False, "", conflicts, relaxation)
    return QuotaCheck(False, _message(data, conflicts, relaxation, check.total_relaxation),
                      conflicts, relaxation)


def check_quotas(pool: pd.DataFrame, quotas: pd.DataFrame, panel_size: int) -> QuotaCheck:
    """Check whether some panel of ``panel_size`` from ``pool`` meets all ``quotas``.

    Parameters
    ----------
    pool : pandas.DataFrame
        One row per candidate, indexed by a unique person id, one column per feature.
    quotas : pandas.DataFrame
        Columns ``feature``, ``value``, ``min`` and ``max`` (absolute numbers of seats).
    panel_size : int
        Seats on the panel.

    Returns
    -------
    QuotaCheck
        ``feasible``; when not, ``conflicts`` (a minimal set of clashing bounds),
        ``relaxation`` (the quotas that change in the smallest total relaxation, with
        ``new_min`` and ``new_max``) and a Dutch ``message`` naming both.

    References
    ----------
    .. [1] Chinneck, J. W., & Dravnieks, E. W. (1991). Locating minimal infeasible constraint
       sets in linear programs. ORSA Journal on Computing, 3(2), 157-168.
    """
    return check_input(build_input(pool, quotas, panel_size))
