"""Exact arithmetic for allocations: exact numbers, clipped quotas, largest-remainder rounding.

Kept free of floats so that an allocation never depends on rounding noise.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction

import numpy as np

from sampling.errors import SamplingError


def exact_number(value: object, *, what: str = "waarde") -> Fraction:
    """Convert an int, float or Fraction to an exact Fraction (floats via their ``repr``)."""
    if isinstance(value, bool):
        raise SamplingError(f"Ongeldige {what}: {value!r}.")
    if isinstance(value, Fraction | int | np.integer):
        return Fraction(int(value)) if not isinstance(value, Fraction) else value
    number = float(value)
    if not math.isfinite(number):
        raise SamplingError(f"Ongeldige {what}: {value!r}.")
    return Fraction(repr(number))


def clipped_quotas(
    weights: Mapping[str, Fraction],
    lower: Mapping[str, int],
    upper: Mapping[str, int],
    n: int,
) -> dict[str, Fraction]:
    """Exact quotas ``clip(lambda * w_h, lower_h, upper_h)`` that sum to ``n``.

    The caller guarantees ``sum(lower) <= n <= sum(upper over w_h > 0) + sum(lower over
    w_h = 0)``. Strata with weight 0 get their lower bound.

    Parameters
    ----------
    weights : mapping of str to Fraction
        Non-negative weights.
    lower, upper : mapping of str to int
        Bounds per stratum with ``lower_h <= upper_h``.
    n : int
        Total to reach.

    Returns
    -------
    dict of str to Fraction
        Exact quotas, in the order of ``weights``.

    References
    ----------
    .. [1] Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed., section 5.9 (re-allocation
       when an optimum allocation exceeds a stratum's size). Wiley.
    """
    active = [label for label in weights if weights[label] > 0]
    if not active:
        return {label: Fraction(lower[label]) for label in weights}

    def quota(label: str, scale: Fraction) -> Fraction:
        if weights[label] == 0:
            return Fraction(lower[label])
        return min(max(scale * weights[label], Fraction(lower[label])), Fraction(upper[label]))

    def total(scale: Fraction) -> Fraction:
        return sum((quota(label, scale) for label in weights), Fraction(0))

    points = sorted({Fraction(bound[h]) / weights[h] for h in active for bound in (lower, upper)})
    low, high = 0, len(points) - 1
    while low < high:  # largest index whose total is <= n
        middle = (low + high + 1) // 2
        low, high = (middle, high) if total(points[middle]) <= n else (low, middle - 1)
    scale = points[low]
    missing = n - total(scale)
    if missing > 0:
        slope = sum(weights[h] for h in active if lower[h] <= scale * weights[h] < upper[h])
        scale += missing / slope
    return {label: quota(label, scale) for label in weights}


def round_largest_remainder(
    quotas: Mapping[str, Fraction], total: int, *, seed: int | np.random.Generator
) -> dict[str, int]:
    """Round exact quotas to integers summing to ``total`` by the largest-remainder method.

    Parameters
    ----------
    quotas : mapping of str to Fraction
        Exact, non-negative quotas; ``total`` must lie between ``sum(floor(q))`` and
        ``ceil(sum(q))``.
    total : int
        The integer total to reach.
    seed : int or numpy.random.Generator
        Orders equal remainders (a random permutation of the strata in label order).

    Returns
    -------
    dict of str to int
        Integer seats in label order; each is ``floor(q_h)`` or ``floor(q_h) + 1``.

    References
    ----------
    .. [1] Balinski, M. L. and Young, H. P. (2001). *Fair Representation*, 2nd ed.
       Brookings Institution Press (Hamilton's method).
    """
    rng = np.random.default_rng(seed)
    labels = sorted(quotas)
    seats = {label: math.floor(quotas[label]) for label in labels}
    remaining = total - sum(seats.values())
    tie_order = rng.permutation(len(labels))
    ranked = sorted(
        range(len(labels)), key=lambda i: (-(quotas[labels[i]] - seats[labels[i]]), tie_order[i])
    )
    positive = [i for i in ranked if quotas[labels[i]] > seats[labels[i]]]
    if not 0 <= remaining <= len(positive):
        raise SamplingError(f"Totaal {total} is niet bereikbaar door afronding van de quota.")
    for index in positive[:remaining]:
        seats[labels[index]] += 1
    return seats


def invitations_for_completes(
    completes: Mapping[str, int],
    rates: Mapping[str, Fraction],
    caps: Mapping[str, int],
    *,
    seed: int | np.random.Generator,
) -> dict[str, int]:
    """Invitations needed per stratum for the expected ``completes``, capped at ``caps``.

    The exact need ``min(completes_h / r_h, cap_h)`` is summed, the sum is rounded up (so the
    expected number of joiners is at least the wanted total when no cap binds) and that total
    is distributed by largest remainder.

    Parameters
    ----------
    completes : mapping of str to int
        Wanted joiners per stratum.
    rates : mapping of str to Fraction
        Expected join rate per stratum (``0 < r <= 1`` where ``completes_h > 0``).
    caps : mapping of str to int
        Eligible residents per stratum.
    seed : int or numpy.random.Generator
        Orders equal remainders.

    Returns
    -------
    dict of str to int
        Invitations per stratum, each at most its cap.

    References
    ----------
    .. [1] Groves, R. M. et al. (2009). *Survey Methodology*, 2nd ed., ch. 6 (nonresponse).
    """
    need = {
        label: min(Fraction(wanted) / rates[label], Fraction(caps[label])) if wanted else 0
        for label, wanted in completes.items()
    }
    total = math.ceil(sum(need.values(), Fraction(0)))
    return round_largest_remainder(need, total, seed=seed)
