"""Fair selection of a jury or mini-public from a pool of candidates against quotas.

LEXIMIN (Flanigan, Gölz, Gupta, Hennig & Procaccia, Nature 596, 2021): among all probability
distributions over panels that meet the quotas, take the one whose lowest selection
probability is as high as possible, then the second lowest, and so on. Computed by column
generation on the open solver HiGHS (``sampling/sortition/leximin.py``) over profile types
of interchangeable people, expanded back to people (``sampling/sortition/profiles.py``);
feasibility and the smallest relaxation in ``sampling/sortition/feasibility.py``; the
rounding to a uniform lottery of m panels and the seeded pick in
``sampling/sortition/lottery.py``.

The result depends on the pool, the quotas and the panel size only: people are put in
code-point order of ``str(id)`` before any model is built, HiGHS runs on one thread with a
fixed random seed, and panels are listed in sorted order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sampling.sortition.feasibility import (
    InfeasibleQuotas,
    QuotaCheck,
    check_input,
    check_quotas,
)
from sampling.sortition.highs import PanelFinder
from sampling.sortition.leximin import basic_distribution, incidence, leximin
from sampling.sortition.lottery import Portfolio, pick_panel, uniform_lottery
from sampling.sortition.problem import build_input
from sampling.sortition.profiles import expand, profile_types

__all__ = [
    "ALGORITHM", "InfeasibleQuotas", "PanelDistribution", "Portfolio", "QuotaCheck",
    "check_quotas", "leximin_distribution", "leximin_probabilities", "pick_panel",
    "uniform_lottery",
]

ALGORITHM = "stadspanel-leximin-v1"
NEGLIGIBLE = 1e-12  # panels with a smaller probability are dropped (and the rest rescaled)


@dataclass(frozen=True)
class PanelDistribution:
    """A probability distribution over quota-feasible panels.

    ``panels`` are tuples of person ids (members in canonical order, panels sorted);
    ``probabilities`` sum to 1; ``marginals`` is each person's selection probability, in
    canonical order; ``maximin_bound`` is a proven upper bound on the highest possible lowest
    selection probability (from the first stage's dual), so
    ``marginals.min() <= maximin optimum <= maximin_bound``.
    """

    panels: list[tuple]
    probabilities: np.ndarray
    marginals: pd.Series
    maximin_bound: float
    panel_size: int


def _significant(panels: list, probabilities: np.ndarray) -> tuple[list, np.ndarray]:
    """Drop panels with a negligible probability and rescale the rest."""
    keep = probabilities > NEGLIGIBLE
    panels = [panel for panel, kept in zip(panels, keep, strict=True) if kept]
    return panels, probabilities[keep] / probabilities[keep].sum()


def leximin_distribution(
    pool: pd.DataFrame, quotas: pd.DataFrame, panel_size: int
) -> PanelDistribution:
    """Compute the LEXIMIN distribution over panels of ``panel_size`` that meet ``quotas``.

    Parameters
    ----------
    pool : pandas.DataFrame
        One row per candidate, indexed by a unique person id, one column per feature.
    quotas : pandas.DataFrame
        Columns ``feature``, ``value``, ``min``, ``max``: seats per feature value. Every value
        that occurs in the pool for a feature with quotas needs a row (``min`` 0 is allowed).
    panel_size : int
        Seats on the panel.

    Returns
    -------
    PanelDistribution

    Raises
    ------
    InfeasibleQuotas
        When no panel meets the quotas; the message names the clashing quotas and the
        smallest relaxation (see :func:`check_quotas`).
    SamplingError
        For malformed input (Dutch message naming the row or field).

    References
    ----------
    .. [1] Flanigan, B., Gölz, P., Gupta, A., Hennig, B., & Procaccia, A. D. (2021). Fair
       algorithms for selecting citizens' assemblies. Nature, 596, 548-552.
    """
    data = build_input(pool, quotas, panel_size)
    check = check_input(data)
    if not check.feasible:
        raise InfeasibleQuotas(check)
    types = profile_types(data)
    finder = PanelFinder(data, capacity=types.sizes, columns=types.first)
    panels, probabilities, bound = leximin(finder, len(types.members), types.sizes)
    panels, probabilities = _significant(panels, probabilities)
    panels, probabilities = expand(panels, probabilities, types)
    marginals = incidence(panels, data.people) @ probabilities
    panels, probabilities = _significant(panels, basic_distribution(panels, marginals))
    marginals = incidence(panels, data.people) @ probabilities
    return PanelDistribution(
        panels=[tuple(data.ids[list(panel)]) for panel in panels],
        probabilities=probabilities,
        marginals=pd.Series(marginals, index=pd.Index(data.ids, name=pool.index.name),
                            name="probability"),
        maximin_bound=float(bound), panel_size=data.panel_size,
    )


def leximin_probabilities(
    pool: pd.DataFrame, quotas: pd.DataFrame, panel_size: int
) -> pd.Series:
    """Selection probability per person under LEXIMIN, in the pool's row order.

    The probabilities sum to ``panel_size``. Parameters as :func:`leximin_distribution`,
    which also returns the panels they come from.

    References
    ----------
    .. [1] Flanigan, B., Gölz, P., Gupta, A., Hennig, B., & Procaccia, A. D. (2021). Fair
       algorithms for selecting citizens' assemblies. Nature, 596, 548-552.
    """
    distribution = leximin_distribution(pool, quotas, panel_size)
    texts = pd.Index(distribution.marginals.index.map(str))
    values = distribution.marginals.to_numpy()[texts.get_indexer(pool.index.map(str))]
    return pd.Series(values, index=pool.index, name="probability")
