"""A uniform lottery of m panels from a distribution, and the seeded pick of one panel.

Rounding (largest remainder, as in the "uniform lottery" of Flanigan, Kehne & Procaccia,
NeurIPS 2021, there in its simplest form): panel j with probability p_j gets
``floor(m * p_j)`` copies; the remaining ``m - sum(floor(m * p_j))`` copies go, one each, to
the panels with the largest remainders ``m * p_j - floor(m * p_j)``, ties broken by panel
order. Every copy then has probability 1/m. A person's probability changes by
``|sum_{j ∋ i} (c_j - m * p_j)| / m``, at most (number of support panels containing them)/m;
the realised change is reported per person.

The pick: ``numpy.random.Generator(numpy.random.PCG64(seed)).integers(m)`` is the position
(0-based) of the chosen panel in the portfolio, whose panels are sorted (each panel's ids in
code-point order of ``str(id)``, panels in lexicographic order of those texts).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sampling.errors import SamplingError

DEFAULT_PANELS = 1_000


@dataclass(frozen=True)
class Portfolio:
    """m panels, each drawn with probability 1/m (repeats allowed).

    ``probabilities`` has one row per person (canonical order) with ``before`` (the
    distribution) and ``after`` (share of the m panels that include the person).
    """

    panels: list[tuple]
    probabilities: pd.DataFrame

    @property
    def max_deviation(self) -> float:
        return float((self.probabilities["after"] - self.probabilities["before"]).abs().max())

    def text(self) -> str:
        """Canonical text: one line per panel, ``number<TAB>id,id,...`` (numbers from 1)."""
        return "".join(f"{number}\t{','.join(map(str, panel))}\n"
                       for number, panel in enumerate(self.panels, start=1))

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text().encode("utf-8")).hexdigest()


def _copies(probabilities: np.ndarray, size: int) -> np.ndarray:
    exact = probabilities * size
    copies = np.floor(exact).astype(np.int64)
    remainder = exact - copies
    missing = size - int(copies.sum())
    order = np.lexsort((np.arange(len(exact)), -remainder))
    copies[order[:missing]] += 1
    return copies


def uniform_lottery(distribution, size: int = DEFAULT_PANELS) -> Portfolio:
    """Round a :class:`~sampling.sortition.PanelDistribution` to ``size`` equally likely panels.

    Parameters
    ----------
    distribution : PanelDistribution
        From :func:`sampling.sortition.leximin_distribution`.
    size : int, default 1000
        Number of panels m in the portfolio.

    Returns
    -------
    Portfolio

    References
    ----------
    .. [1] Flanigan, B., Kehne, G., & Procaccia, A. D. (2021). Fair sortition made
       transparent. Advances in Neural Information Processing Systems 34, 25720-25731.
    """
    if isinstance(size, bool) or not isinstance(size, int | np.integer) or size < 1:
        raise SamplingError(f"Het aantal panels in de loting moet ≥ 1 zijn, niet {size!r}.")
    keyed = sorted(
        (tuple(sorted(map(str, panel))), panel, probability)
        for panel, probability in zip(distribution.panels, distribution.probabilities,
                                      strict=True)
    )
    copies = _copies(np.asarray([item[2] for item in keyed]), int(size))
    panels = [tuple(sorted(panel, key=str)) for (_, panel, _), count in zip(keyed, copies,
                                                                            strict=True)
              for _ in range(count)]
    before = distribution.marginals
    position = {str(person): number for number, person in enumerate(before.index)}
    counts = np.zeros(len(before), dtype=np.int64)
    np.add.at(counts, [position[str(person)] for panel in panels for person in panel], 1)
    frame = pd.DataFrame({"before": before.to_numpy(), "after": counts / int(size)},
                         index=before.index)
    return Portfolio(panels=panels, probabilities=frame)


def pick_panel(portfolio: Portfolio, *, seed: int) -> tuple[int, tuple]:
    """Pick one panel of the portfolio with a public seed; return (number from 1, panel).

    References
    ----------
    .. [1] O'Neill, M. E. (2014). PCG: A family of simple fast space-efficient statistically
       good algorithms for random number generation. Harvey Mudd College, HMC-CS-2014-0905.
    """
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise SamplingError(f"Het zaad moet een geheel getal ≥ 0 zijn, niet {seed!r}.")
    if not portfolio.panels:
        raise SamplingError("De loting bevat geen panels.")
    position = int(np.random.Generator(np.random.PCG64(int(seed))).integers(
        len(portfolio.panels)))
    return position + 1, portfolio.panels[position]
