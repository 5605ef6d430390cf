"""LEXIMIN selection probabilities by column generation (Flanigan et al., Nature 2021).

Stage by stage, the lowest selection probability of the people not yet fixed is maximised
over all distributions of quota-feasible panels that keep the fixed people at their value.
Each stage is solved through its dual linear program over the panels found so far,

    minimise  ŷ − Σ_{i fixed} f_i·y_i
    s.t.      Σ_{i ∈ P} y_i ≤ ŷ            for every panel P found so far
              Σ_{i not fixed} y_i = 1,     y ≥ 0, ŷ ≥ 0,

and the panel finder adds panels P with Σ_{i ∈ P} y_i > ŷ (the reference implementation's
maximin heuristic supplies up to ``EXTRA`` more per solve). When the finder proves that no
panel does, the dual solution is optimal over all panels; every person not yet fixed with
y_i > 0 then has the stage's optimum in every optimal distribution (complementary
slackness) and is fixed at it. The dual simplex gives a vertex, so a stage may fix only
some of the people at that level; the next stage reaches the same value and fixes more.
(The reference uses Gurobi's barrier without crossover to fix more per stage; on our
benchmark HiGHS's interior point fixed exactly the same types per stage as the vertex, at
0.8–2 s a solve.)

The units are profile types (``sampling/sortition/profiles.py``): with ``sizes`` n_t, a panel
holds c_t people of type t, the constraints read Σ_t c_t·z_t ≤ ŷ with z_t = y_t/n_t, and the
normalisation Σ n_t·z_t = 1; with all n_t = 1 this is the person-level program above. The
stage LP is kept in one HiGHS model in this dual form (:class:`Master`): new panels are new
rows that the current solution violates, so the dual simplex goes on from the basis; a new
stage changes the costs and normalisation coefficients of the newly fixed types in place and
the simplex starts from the old basis too. The panel rows' duals are the distribution, and
the last stage's is returned as it is (a vertex), without another LP.

Column pool: at each stage start the slack panel rows whose Σ z over them lies more than
``PRUNE`` below ŷ leave the model for a pool (:meth:`Master.prune`); every round, pool
panels that price out again (Σ z > ŷ + GAP) go back in with the panel finder's new ones
(:meth:`Master.revive`). Convergence is still decided by the exact finder: it runs only
after the pool has been checked, so a panel it skips as known is in the model or priced
in the pool.

Speed on the benchmark (pool of 1,000, 515 types, 9 stages; 2026-12-03, load ~1 on 2
cores): leximin 50–53 s, of which the stage LPs ~34 s (about 280 dual simplex iterations
per added batch of panels, ~1.1 ms each), pricing ~6 s and the vertex reduction after the
expansion to people (:func:`basic_distribution`) ~11 s. What brought it down from 131 s
(95 s on a quiet machine): no bound or cost perturbation in HiGHS's simplex (the primal
simplex needed twice the iterations with it; 95 → 72 s), no interior-point start per stage
(→ 67 s), the last stage's solution instead of a final LP and a faster vertex reduction
(→ 60 s), the dual form instead of the primal form with new columns (half the iterations,
~6 s), and the small pricing MIPs without HiGHS's start heuristics (~8 → ~3 s).
Tried without gain: interior-point solves without crossover (0.8–2 s each; they
fixed exactly the same types per stage, so the 9 stages are the instance's 9 levels, not
ties), pruning within stages (more rounds), more or fewer heuristic panels per round,
steepest-edge pricing, restricted column generation for the vertex reduction.
"""

from __future__ import annotations

import highspy
import numpy as np
import scipy.sparse as sp

from sampling.errors import SamplingError
from sampling.sortition.highs import PanelFinder, new_solver, pass_model, solve

GAP = 1e-9  # a panel is added while Σ y_i over it exceeds ŷ by more than this
FIX_WEIGHT = 1e-6  # dual weights above this fix a person's probability
SLACK = 1e-9  # fixed probabilities are lowered by this, so later stages stay feasible
MAX_PANELS = 50_000
EXTRA = 40
PRUNE = 1e-7  # at a stage start, panels this far below ŷ (and with probability 0) go to the pool
PRUNE_EVERY = 0  # also prune every so many rounds within a stage (0: only at stage starts)


def _panel_row(panel: tuple[int, ...], people: int) -> tuple[np.ndarray, np.ndarray]:
    """Row Σ_t c_t·z_t − ŷ ≤ 0, with c_t the number of type t's people on the panel."""
    types, counts = np.unique(np.asarray(panel, dtype=np.int32), return_counts=True)
    indices = np.concatenate([types, [people]]).astype(np.int32)
    values = np.concatenate([counts.astype(float), [-1.0]])
    return indices, values


class Master:
    """The LP of one stage over the panels found so far, kept in one HiGHS model.

    The dual program of the module docstring in weights per type member, z_t = y_t / n_t:
    minimise ŷ − Σ_{t fixed} n_t·f_t·z_t subject to Σ_{t open} n_t·z_t = 1 and
    Σ_t c_tP·z_t − ŷ ≤ 0 for every panel P, z ≥ 0. A new panel is a new row that the current
    solution violates, so the dual simplex goes on from the basis (a cutting plane); a new
    stage changes the costs and the normalisation coefficients of newly fixed types in place.
    The panel rows' duals are the panel probabilities of the distribution (a vertex).
    """

    def __init__(self, people: int, panels: list[tuple[int, ...]], sizes=None) -> None:
        self.people = people
        self.sizes = np.ones(people) if sizes is None else np.asarray(sizes, dtype=float)
        self.solver = new_solver(solver="simplex", simplex_strategy=1, presolve="off",
                                 dual_simplex_cost_perturbation_multiplier=0.0)
        normalise = sp.csr_array(np.concatenate([self.sizes, [0.0]])[None, :])
        pass_model(self.solver, normalise, cost=np.concatenate([np.zeros(people), [1.0]]),
                   col_bounds=(np.zeros(people + 1), np.full(people + 1, np.inf)),
                   row_bounds=([1.0], [1.0]))
        self.fixed = np.zeros(people, dtype=bool)
        self.columns: list[tuple[int, ...]] = []  # panels in the model, in row order
        self.pool: list[tuple[int, ...]] = []
        for panel in panels:
            self.add(panel)

    def add(self, panel: tuple[int, ...]) -> None:
        self.columns.append(panel)
        indices, values = _panel_row(panel, self.people)
        self.solver.addRow(-np.inf, 0.0, len(indices), indices, values)

    def prune(self) -> None:
        """Panel rows that are slack (basic) and below ŷ − PRUNE go to the pool."""
        y, cap = self.last
        status = np.asarray(self.solver.getBasis().row_status[1:])
        basic = status == highspy.HighsBasisStatus.kBasic
        below = np.asarray([y[list(panel)].sum() for panel in self.columns]) < cap - PRUNE
        drop = np.flatnonzero(below & basic)
        if not len(drop):
            return
        self.solver.deleteRows(len(drop), (drop + 1).astype(np.int32))
        self.pool.extend(self.columns[i] for i in drop)
        keep = np.ones(len(self.columns), dtype=bool)
        keep[drop] = False
        self.columns = [panel for panel, kept in zip(self.columns, keep, strict=True) if kept]

    def revive(self, y: np.ndarray, cap: float) -> list[tuple[int, ...]]:
        """Panels of the pool whose constraint y(P) ≤ ŷ fails, moved back into the model."""
        if not self.pool:
            return []
        values = np.asarray([y[list(panel)].sum() for panel in self.pool])
        back = values > cap + GAP
        found = [panel for panel, chosen in zip(self.pool, back, strict=True) if chosen]
        self.pool = [panel for panel, chosen in zip(self.pool, back, strict=True) if not chosen]
        for panel in found:
            self.add(panel)
        return found

    def set_stage(self, fixed: np.ndarray) -> None:
        """Newly fixed types leave the normalisation and get the cost −n_t·f_t."""
        for kind in np.flatnonzero(~np.isnan(fixed) & ~self.fixed):
            self.solver.changeCoeff(0, int(kind), 0.0)
            self.solver.changeColCost(int(kind), -float(fixed[kind]) * self.sizes[kind])
        self.fixed = ~np.isnan(fixed)

    def optimum(self) -> tuple[np.ndarray, float, float]:
        """Solve; return (z, ŷ, objective value) and keep the distribution it gives."""
        solver = self.solver
        if not solve(solver, "de verdeling over panels"):
            raise SamplingError("De kansen konden niet berekend worden (numeriek probleem).")
        solution = solver.getSolution()
        values = np.asarray(solution.col_value)
        weights, cap = np.clip(values[: self.people], 0.0, None), float(values[-1])
        objective = solver.getInfo().objective_function_value
        self.last = weights, cap
        shares = -np.asarray(solution.row_dual)[1:]
        self.solution = [(self.columns[i], shares[i]) for i in np.flatnonzero(shares > 0)]
        return weights, cap, objective

    def distribution(self) -> tuple[list[tuple[int, ...]], np.ndarray]:
        """The last solution's panels (sorted) and probabilities: a vertex, at most rows many.

        Taken when it was solved: a later :meth:`prune` renumbers the model's rows.
        """
        solution = sorted(self.solution)
        values = np.asarray([value for _, value in solution])
        return [panel for panel, _ in solution], values / values.sum()


def cover(finder: PanelFinder, people: int) -> list[tuple[int, ...]]:
    """Panels that together include everyone who fits in some quota-feasible panel."""
    uncovered = np.ones(people, dtype=bool)
    panels: list[tuple[int, ...]] = []
    while uncovered.any():
        panel, value = finder.best(uncovered.astype(float))
        if value < 0.5:
            break
        panels.append(panel)
        uncovered[list(panel)] = False
    return panels


def _violated(finder: PanelFinder, y: np.ndarray, cap: float, known: set):
    """Panels whose constraint y(P) ≤ ŷ fails; else [] and the proven pricing gap.

    After a violated panel P is found, the weights of its members are scaled down until P is
    tight and the weights renormalised, and the finder is asked again (up to ``EXTRA``
    times, as the maximin heuristic of the reference implementation does): several panels
    per master solve. Only the first call has to be exact: it decides convergence.
    """
    new, bound = finder.improving(y, cap + GAP, known)
    if not new:
        return new, max(0.0, bound - cap)
    weights, found = y.copy(), list(new)
    for _ in range(EXTRA):
        panel = found[-1]
        value = weights[list(panel)].sum()
        weights[list(panel)] *= cap / value
        total = weights.sum()
        weights, cap = weights / total, cap / total
        more, _ = finder.improving(weights, cap + GAP, known | set(found), exact=False)
        if not more:
            break
        found.extend(more)
    return found, None


def _stage(master: Master, finder: PanelFinder, known: set) -> tuple[np.ndarray, float, float]:
    """Column generation for one stage; return (dual y, optimum, proven pricing gap)."""
    rounds = 0
    while True:
        y, cap, objective = master.optimum()
        rounds += 1
        if PRUNE_EVERY and rounds % PRUNE_EVERY == 0:
            master.prune()
        revived = master.revive(y, cap)
        new, gap = _violated(finder, y, cap, known)
        if not new and not revived:
            return y, objective, gap
        if len(known) + len(new) > MAX_PANELS:
            raise SamplingError("De kansen konden niet berekend worden: te veel panels nodig.")
        for panel in new:
            known.add(panel)
            master.add(panel)


def incidence(panels: list[tuple[int, ...]], people: int) -> sp.csc_array:
    """People × panels 0/1 matrix."""
    rows = np.concatenate([np.asarray(panel, dtype=np.int64) for panel in panels])
    columns = np.repeat(np.arange(len(panels)), [len(panel) for panel in panels])
    return sp.csc_array((np.ones(len(rows)), (rows, columns)), shape=(people, len(panels)))


def basic_distribution(panels: list[tuple[int, ...]], marginals: np.ndarray) -> np.ndarray:
    """Panel probabilities with the same marginals, as a vertex: at most people + 1 panels.

    The expansion of type panels to people gives many panels (about 10,700 on the
    benchmark); a vertex of the LP "Σ_P x_P = 1, every person's Σ_{P ∋ i} x_P + e ≥ m_i,
    minimise e ≥ 0" keeps the support (and so the rounding to a uniform lottery) as small as
    a person-level computation would. The dual simplex without presolve and without cost
    perturbation takes 11 s on the benchmark, HiGHS's defaults 16 s (its presolve alone
    took ~50 s on the equality form). The dual form (panels as rows) was 1.5 s faster but
    its row duals are only accurate to ~2e-9, so interchangeable people no longer got the
    same probability.
    """
    count, people = len(panels), len(marginals)
    matrix = sp.vstack([
        sp.hstack([sp.csr_array(np.ones((1, count))), sp.csr_array((1, 1))]),
        sp.hstack([incidence(panels, people), sp.csr_array(np.ones((people, 1)))]),
    ])
    solver = new_solver(solver="simplex", presolve="off",
                        dual_simplex_cost_perturbation_multiplier=0.0)
    pass_model(solver, matrix, cost=np.concatenate([np.zeros(count), [1.0]]),
               col_bounds=(np.zeros(count + 1), np.full(count + 1, np.inf)),
               row_bounds=(np.concatenate([[1.0], marginals]),
                           np.concatenate([[1.0], np.full(people, np.inf)])))
    if not solve(solver, "de verdeling over panels"):
        raise SamplingError("De kansen konden niet berekend worden (numeriek probleem).")
    weights = np.clip(np.asarray(solver.getSolution().col_value)[:count], 0.0, None)
    return weights / weights.sum()


def leximin(finder: PanelFinder, people: int, sizes=None):
    """Return (panels, their probabilities, upper bound on the maximin optimum).

    With ``sizes`` the units are profile types of ``sizes[t]`` interchangeable people, a
    panel lists a type once per member, and the probabilities fixed are a type member's.
    """
    sizes = np.ones(people) if sizes is None else np.asarray(sizes, dtype=float)
    panels = cover(finder, people)
    known = set(panels)
    master = Master(people, panels, sizes)
    fixed = np.full(people, np.nan)
    bound = None
    while np.isnan(fixed).any():
        if bound is not None:
            master.prune()
        master.set_stage(fixed)
        y, objective, gap = _stage(master, finder, known)
        bound = objective + gap if bound is None else bound
        open_ = np.isnan(fixed)
        chosen = open_ & (y * sizes > FIX_WEIGHT)
        if not chosen.any():
            chosen = open_ & (y >= y[open_].max())
        fixed[chosen] = max(0.0, objective - SLACK)
    return (*master.distribution(), bound)

