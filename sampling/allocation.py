"""Allocation of a sample size over strata, with caps, minima and largest-remainder rounding.

Every method gives each stratum a weight ``w_h`` and computes exact quotas

    q_h = clip(lambda * w_h, lower_h, upper_h),  with lambda chosen so that sum_h q_h = n,

where ``upper_h`` is the stratum's eligible size and ``lower_h = min(minimum_h, upper_h)``.
This is the fixed point of "cap every stratum at its size and redistribute the excess to the
other strata in proportion to their weights, until no stratum exceeds its cap" (and likewise for
minima). The quotas are computed with :class:`fractions.Fraction`, so no float noise enters, and
then rounded by the largest-remainder (Hamilton) method: every stratum gets ``floor(q_h)`` and
the remaining seats go to the largest fractional parts; equal fractional parts are ordered by a
random permutation from ``numpy.random.default_rng(seed)``, so ties are fair and reproducible.
Floats given as weights, deviations or rates are read through their shortest decimal ``repr``
(``0.3`` is 3/10). Strata are processed in code-point order of their labels.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction

import numpy as np
import pandas as pd

from sampling.errors import InfeasibleQuota, SamplingError
from sampling.rounding import (
    clipped_quotas,
    exact_number,
    invitations_for_completes,
    round_largest_remainder,
)

METHODS = ("proportional", "equal", "neyman", "fixed", "target_completes")


def _as_sizes(stratum_sizes: Mapping[str, int] | pd.Series) -> dict[str, int]:
    sizes = {}
    for label in sorted(str(key) for key in dict(stratum_sizes)):
        sizes[label] = dict(stratum_sizes).get(label, 0)
    for label, size in sizes.items():
        if isinstance(size, bool) or int(size) != size or size < 0:
            raise SamplingError(f"Ongeldige stratumgrootte voor '{label}': {size!r}.")
        sizes[label] = int(size)
    return sizes


def _per_stratum(value: int | Mapping[str, int], sizes: Mapping[str, int]) -> dict[str, int]:
    if isinstance(value, Mapping):
        unknown = sorted(set(map(str, value)) - set(sizes))
        if unknown:
            raise SamplingError(f"Onbekend stratum in de minima: '{unknown[0]}'.")
        return {label: int(value.get(label, 0)) for label in sizes}
    return dict.fromkeys(sizes, int(value))


def _weights(method: str, sizes: dict[str, int], n: int, options: dict) -> dict[str, Fraction]:
    if method == "proportional":
        return {label: Fraction(size) for label, size in sizes.items()}
    if method == "equal":
        return {label: Fraction(int(size > 0)) for label, size in sizes.items()}
    if method == "neyman":
        deviations = _required(options["standard_deviations"], sizes, "standaardafwijking")
        return {label: sizes[label] * deviations[label] for label in sizes}
    if method == "fixed":
        targets = _required(options["targets"], sizes, "doel", allow_missing=True)
        if sum(targets.values()) != n:
            raise SamplingError(
                f"De vaste doelen tellen op tot {sum(targets.values())}, niet tot n={n}."
            )
        return targets
    raise SamplingError(f"Onbekende allocatiemethode '{method}'; kies uit {', '.join(METHODS)}.")


def _required(values, sizes, what: str, *, allow_missing: bool = False) -> dict[str, Fraction]:
    if values is None:
        raise SamplingError(f"Deze methode vraagt een {what} per stratum.")
    values = {str(label): value for label, value in dict(values).items()}
    unknown = sorted(set(values) - set(sizes))
    if unknown:
        raise SamplingError(f"Onbekend stratum '{unknown[0]}' bij {what}.")
    result = {}
    for label, size in sizes.items():
        if label not in values and (allow_missing or size == 0):
            result[label] = Fraction(0)
            continue
        if label not in values:
            raise SamplingError(f"Geen {what} opgegeven voor stratum '{label}'.")
        result[label] = exact_number(values[label], what=f"{what} voor '{label}'")
        if result[label] < 0:
            raise SamplingError(f"Negatieve {what} voor stratum '{label}'.")
    return result


def _check_feasible(weights, lower, upper, n: int) -> None:
    available = sum(upper.values())
    if n > available:
        raise InfeasibleQuota(
            f"Er zijn {n} plaatsen gevraagd, maar slechts {available} inwoners komen in aanmerking."
        )
    if sum(lower.values()) > n:
        raise InfeasibleQuota(
            f"De minima per stratum vragen samen {sum(lower.values())} plaatsen, meer dan n={n}."
        )
    reachable = sum(upper[h] if weights[h] > 0 else lower[h] for h in weights)
    if n > reachable:
        idle = [h for h in weights if weights[h] == 0 and upper[h] > lower[h]]
        raise InfeasibleQuota(
            f"Met deze gewichten zijn hoogstens {reachable} plaatsen te verdelen (n={n}); "
            f"stratum '{idle[0]}' heeft gewicht 0."
        )


def _allocate_weighted(weights, sizes, n, minimum, rng) -> dict[str, int]:
    lower = {label: min(bound, sizes[label]) for label, bound in minimum.items()}
    _check_feasible(weights, lower, sizes, n)
    return round_largest_remainder(clipped_quotas(weights, lower, sizes, n), n, seed=rng)


def allocate(
    stratum_sizes: Mapping[str, int] | pd.Series,
    n: int,
    method: str,
    *,
    seed: int | np.random.Generator,
    minimum: int | Mapping[str, int] = 0,
    standard_deviations: Mapping[str, float] | None = None,
    targets: Mapping[str, int] | None = None,
    response_rates: Mapping[str, float] | None = None,
    target_shares: Mapping[str, float] | None = None,
) -> dict[str, int]:
    """Allocate ``n`` seats (or invitations) over strata.

    Parameters
    ----------
    stratum_sizes : mapping or pandas.Series
        Eligible residents per stratum label; every allocation is capped at these sizes.
    n : int
        Sample size. For ``"target_completes"`` the number of joined members wanted.
    method : {"proportional", "equal", "neyman", "fixed", "target_completes"}
        Weights ``N_h``; 1 per non-empty stratum; ``N_h * S_h``; ``targets`` (which must sum
        to ``n``); or target shares inflated by response rates (see
        :func:`allocate_target_completes`, whose ``invitations`` column is returned).
    seed : int or numpy.random.Generator
        Orders equal remainders.
    minimum : int or mapping, default 0
        Minimum per stratum, capped at the stratum size (at its expected completes for
        ``"target_completes"``).
    standard_deviations, targets, response_rates, target_shares : mapping, optional
        Per-stratum inputs of the methods that need them.

    Returns
    -------
    dict of str to int
        Seats per stratum label, in label order, summing to ``n`` (invitations for
        ``"target_completes"``).

    Raises
    ------
    InfeasibleQuota
        When ``n`` exceeds the eligible population or the minima exceed ``n``.

    References
    ----------
    .. [1] Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed., sections 5.5 (proportional)
       and 5.9 (Neyman allocation). Wiley.
    .. [2] Balinski, M. L. and Young, H. P. (2001). *Fair Representation*, 2nd ed.
    """
    if method == "target_completes":
        table = allocate_target_completes(
            stratum_sizes, n, response_rates or {}, seed=seed,
            target_shares=target_shares, minimum=minimum,
        )
        return dict(zip(table["stratum"], table["invitations"].astype(int).tolist(), strict=True))
    sizes = _as_sizes(stratum_sizes)
    if isinstance(n, bool) or int(n) != n or n < 0:
        raise SamplingError(f"De steekproefgrootte moet een geheel getal ≥ 0 zijn, niet {n!r}.")
    options = {"standard_deviations": standard_deviations, "targets": targets}
    weights = _weights(method, sizes, int(n), options)
    rng = np.random.default_rng(seed)
    return _allocate_weighted(weights, sizes, int(n), _per_stratum(minimum, sizes), rng)


def response_rates_exact(
    response_rates: Mapping[str, float], sizes: Mapping[str, int]
) -> dict[str, Fraction]:
    """Check that every non-empty stratum has a rate ``0 < r <= 1``; return exact rates."""
    rates = _required(response_rates, sizes, "responsgraad")
    for label, rate in rates.items():
        if sizes[label] > 0 and not 0 < rate <= 1:
            raise SamplingError(
                f"De responsgraad voor stratum '{label}' moet groter dan 0 en hoogstens 1 zijn."
            )
    return rates


def allocate_target_completes(
    stratum_sizes: Mapping[str, int] | pd.Series,
    n: int,
    response_rates: Mapping[str, float],
    *,
    seed: int | np.random.Generator,
    target_shares: Mapping[str, float] | None = None,
    minimum: int | Mapping[str, int] = 0,
) -> pd.DataFrame:
    """Allocate ``n`` wanted joiners, then the invitations needed given the response rates.

    Completes get weights ``target_shares`` (default: the stratum sizes) and are capped at
    ``floor(N_h * r_h)``, what inviting everyone eligible is expected to yield. Invitations
    are ``completes_h / r_h``, rounded as in :func:`invitations_for_completes`.

    Parameters
    ----------
    stratum_sizes : mapping or pandas.Series
        Eligible residents per stratum.
    n : int
        Joined members wanted in total.
    response_rates : mapping of str to float
        Expected join rate per non-empty stratum, ``0 < r <= 1``.
    seed : int or numpy.random.Generator
        Orders equal remainders (completes first, then invitations).
    target_shares : mapping of str to float, optional
        Wanted composition among joined members (need not sum to 1; missing strata get 0).
    minimum : int or mapping, default 0
        Minimum completes per stratum, capped at ``floor(N_h * r_h)``.

    Returns
    -------
    pandas.DataFrame
        Columns ``stratum, eligible, target_share, response_rate, completes,
        invitations_exact, invitations, expected_completes``.

    References
    ----------
    .. [1] Groves, R. M. et al. (2009). *Survey Methodology*, 2nd ed., ch. 6.
    .. [2] Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed., section 5.5.
    """
    sizes = _as_sizes(stratum_sizes)
    rates = response_rates_exact(response_rates, sizes)
    caps = {label: math.floor(sizes[label] * rates[label]) for label in sizes}
    shares = sizes if target_shares is None else target_shares
    weights = _required(shares, sizes, "doelaandeel", allow_missing=True)
    rng = np.random.default_rng(seed)
    if n > sum(caps.values()):
        raise InfeasibleQuota(
            f"Met deze responsgraden leveren alle {sum(sizes.values())} in aanmerking komende "
            f"inwoners naar verwachting slechts {sum(caps.values())} leden op, minder dan {n}."
        )
    completes = _allocate_weighted(weights, caps, int(n), _per_stratum(minimum, sizes), rng)
    invitations = invitations_for_completes(completes, rates, sizes, seed=rng)
    return _completes_table(sizes, weights, rates, completes, invitations)


def _completes_table(sizes, weights, rates, completes, invitations) -> pd.DataFrame:
    weight_total = sum(weights.values(), Fraction(0)) or Fraction(1)
    labels = list(sizes)
    return pd.DataFrame({
        "stratum": labels,
        "eligible": [sizes[h] for h in labels],
        "target_share": [float(weights[h] / weight_total) for h in labels],
        "response_rate": [float(rates[h]) for h in labels],
        "completes": [completes[h] for h in labels],
        "invitations_exact": [float(completes[h] / rates[h]) if completes[h] else 0.0
                              for h in labels],
        "invitations": [invitations[h] for h in labels],
        "expected_completes": [float(invitations[h] * rates[h]) for h in labels],
    })
