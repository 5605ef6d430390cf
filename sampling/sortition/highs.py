"""The two HiGHS models of a quota selection: the panel finder (MIP) and linear programs.

HiGHS (MIT licence) through ``highspy``. The core class ``highspy._Highs`` is used rather
than the ``highspy.Highs`` wrapper, because the wrapper prints a banner on construction,
before output can be switched off; it is the same solver without the callback layer.
All models are built in canonical person order with a single thread and a fixed random
seed, so the same input gives the same panels.
"""

from __future__ import annotations

import highspy
import numpy as np
import scipy.sparse as sp

from sampling.errors import SamplingError
from sampling.sortition.problem import SortitionInput

MIP_GAP = 1e-9
ROUNDING = 1e-6  # LP values this close to 0 or 1 count as integral
TOLERANCE = 1e-9

# The MIP heuristics HiGHS runs before and at the root (feasibility jump, RINS, RENS, root
# reduced cost) take most of the time of the small MIPs of :meth:`PanelFinder._rounded`
# (about 10 integer variables): 3.7 ms a solve with them, 1.25 ms without (400 recorded
# from the benchmark; the optimum equal or higher in every one).
_NO_START_HEURISTICS = {
    "mip_heuristic_run_feasibility_jump": False, "mip_heuristic_run_rins": False,
    "mip_heuristic_run_rens": False, "mip_heuristic_run_root_reduced_cost": False,
}

_OPTIONS = {
    "output_flag": False, "threads": 1, "random_seed": 0,
    "primal_feasibility_tolerance": TOLERANCE, "dual_feasibility_tolerance": TOLERANCE,
}


def new_solver(**options: object) -> highspy._Highs:
    """Return a silent, single-threaded HiGHS instance with ``options`` set."""
    solver = highspy._Highs()
    for name, value in {**_OPTIONS, **options}.items():
        solver.setOptionValue(name, value)
    return solver


def pass_model(solver, matrix, *, cost, col_bounds, row_bounds, integer=False, maximise=False):
    """Load ``row_bounds[0] <= matrix @ x <= row_bounds[1]`` with ``col_bounds`` on ``x``."""
    lp = highspy.HighsLp()
    csc = sp.csc_array(matrix)
    lp.num_col_, lp.num_row_ = csc.shape[1], csc.shape[0]
    lp.col_cost_ = np.asarray(cost, dtype=float)
    lp.col_lower_, lp.col_upper_ = (np.asarray(bound, dtype=float) for bound in col_bounds)
    lp.row_lower_, lp.row_upper_ = (np.asarray(bound, dtype=float) for bound in row_bounds)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = csc.indptr.astype(np.int32)
    lp.a_matrix_.index_ = csc.indices.astype(np.int32)
    lp.a_matrix_.value_ = csc.data.astype(float)
    if integer is not False:
        flags = np.broadcast_to(np.asarray(integer, dtype=bool), (csc.shape[1],))
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous
            for flag in flags
        ]
    lp.sense_ = highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize
    solver.passModel(lp)


def solve(solver, what: str) -> bool:
    """Run ``solver``; True when optimal, False when infeasible, SamplingError otherwise."""
    solver.run()
    status = solver.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        return True
    if status == highspy.HighsModelStatus.kInfeasible:
        return False
    raise SamplingError(f"De rekenmodule (HiGHS) vond geen oplossing voor {what}: {status}.")


def quota_matrix(data: SortitionInput) -> tuple[sp.csr_array, np.ndarray, np.ndarray]:
    """Rows: panel size, then one per quota; with their lower and upper bounds."""
    matrix = sp.vstack([np.ones((1, data.people)), data.members], format="csr")
    lower = np.concatenate([[data.panel_size], data.quotas["min"].to_numpy(dtype=float)])
    upper = np.concatenate([[data.panel_size], data.quotas["max"].to_numpy(dtype=float)])
    return matrix, lower, upper


class PanelFinder:
    """Find a panel that meets the quotas and has the largest total weight of its members.

    :meth:`improving` first solves the LP relaxation (warm-started dual simplex; the quota
    matrix makes it nearly integral), then a MIP over its fractional people only, and only
    then the full MIP: the cheap steps usually find a panel above the threshold, and the LP
    bound often proves that none exists.
    """

    def __init__(self, data: SortitionInput, capacity=None, columns=None) -> None:
        """``columns`` (positions of one person per profile type) with ``capacity`` (people
        of that type) make the variables counts per type instead of 0/1 per person."""
        matrix, lower, upper = quota_matrix(data)
        if columns is not None:
            matrix = sp.csc_array(matrix)[:, np.asarray(columns)]
        self.people = matrix.shape[1]
        self._columns = np.arange(self.people, dtype=np.int32)
        self.capacity = np.ones(self.people) if capacity is None else np.asarray(capacity, float)
        self.matrix, self.lower, self.upper = sp.csc_array(matrix), lower, upper
        bounds = {"col_bounds": (np.zeros(self.people), self.capacity),
                  "row_bounds": (lower, upper)}
        self.solver = new_solver(mip_abs_gap=MIP_GAP * 1e-3, mip_improving_solution_save=True,
                                 mip_detect_symmetry=False, mip_heuristic_effort=0.0)
        pass_model(self.solver, matrix, cost=np.zeros(self.people), integer=True,
                   maximise=True, **bounds)
        self.relaxation = new_solver(solver="simplex")
        pass_model(self.relaxation, matrix, cost=np.zeros(self.people), maximise=True, **bounds)

    def _panel(self, values) -> tuple[int, ...]:
        """Positions with their multiplicity (a count per type), from a solution's values."""
        counts = np.rint(np.asarray(values, dtype=float)).astype(np.int64)
        return tuple(int(p) for p in np.repeat(self._columns, np.clip(counts, 0, None)))

    def best(self, weights: np.ndarray, *, gap: float = MIP_GAP) -> tuple[tuple[int, ...], float]:
        """Return (positions of the members in canonical order, total weight).

        Raises SamplingError when no panel meets the quotas (check feasibility first).
        """
        panels = self.panels(weights, gap=gap)
        if not panels:
            raise SamplingError("Geen enkel panel voldoet aan de quota.")
        return panels[-1]

    def panels(self, weights: np.ndarray, *, gap: float, lower=None, upper=None):
        """The improving panels the MIP found (best last), each with its total weight."""
        weights = np.asarray(weights, dtype=float)
        self.solver.changeColsCost(self.people, self._columns, weights)
        self.solver.setOptionValue("mip_rel_gap", gap)
        if lower is not None:
            self.solver.changeColsBounds(self.people, self._columns, lower, upper)
        try:
            if not solve(self.solver, "een panel dat aan de quota voldoet"):
                return []
        finally:
            if lower is not None:
                self.solver.changeColsBounds(self.people, self._columns, 0 * self.capacity,
                                             self.capacity)
        found = {}
        solutions = [saved.col_value for saved in self.solver.getSavedMipSolutions()]
        for values in [*solutions, self.solver.getSolution().col_value]:
            panel = self._panel(values)
            found[panel] = float(weights[list(panel)].sum())
        return sorted(found.items(), key=lambda item: (item[1], item[0]))

    def upper_bound(self) -> float:
        """The MIP's proven bound on the best total weight, after :meth:`panels`."""
        return float(self.solver.getInfo().mip_dual_bound)

    def relaxed(self, weights: np.ndarray) -> tuple[np.ndarray, float]:
        """The LP relaxation: (fractional membership, bound on the best total weight)."""
        self.relaxation.changeColsCost(self.people, self._columns,
                                       np.asarray(weights, dtype=float))
        if not solve(self.relaxation, "een panel dat aan de quota voldoet"):
            raise SamplingError("Geen enkel panel voldoet aan de quota.")
        values = np.asarray(self.relaxation.getSolution().col_value)
        return values, float(self.relaxation.getInfo().objective_function_value)

    def improving(self, weights: np.ndarray, threshold: float, known: set, *, exact=True):
        """New panels with total weight above ``threshold``; else [] and a proven upper bound.

        With ``exact=False`` the full MIP is skipped: [] then proves nothing (bound None).
        """
        values, bound = self.relaxed(weights)
        if bound <= threshold:
            return [], bound
        weights = np.asarray(weights, dtype=float)
        integral = bool((np.abs(values - np.rint(values)) < ROUNDING).all())
        rounded = self._panel(values)
        if integral and weights[list(rounded)].sum() > threshold and rounded not in known:
            return [rounded], None
        for step in (self._rounded, self._exact)[: 2 if exact else 1]:
            found = step(weights, values)
            new = [panel for panel, value in found if value > threshold and panel not in known]
            if new:
                return new, None
        if not exact:
            return [], None
        return [], max(self.upper_bound(), found[-1][1] if found else -np.inf)

    def _exact(self, weights: np.ndarray, values: np.ndarray):
        return self.panels(weights, gap=MIP_GAP)

    def _rounded(self, weights: np.ndarray, values: np.ndarray):
        """Best panel that keeps the LP's integral values: a small MIP on the fractional ones."""
        whole = np.abs(values - np.rint(values)) < ROUNDING
        kept = np.where(whole, np.rint(values), 0.0)
        free = np.flatnonzero(~whole)
        if not len(free):
            panel = self._panel(kept)
            return [(panel, float(weights[list(panel)].sum()))]
        taken = self.matrix @ kept
        small = new_solver(mip_rel_gap=MIP_GAP, **_NO_START_HEURISTICS)
        pass_model(small, self.matrix[:, free], cost=weights[free],
                   col_bounds=(np.zeros(len(free)), self.capacity[free]),
                   row_bounds=(self.lower - taken, self.upper - taken), integer=True,
                   maximise=True)
        if not solve(small, "een panel dat aan de quota voldoet"):
            return []
        kept[free] = np.asarray(small.getSolution().col_value)
        panel = self._panel(kept)
        return [(panel, float(weights[list(panel)].sum()))]
