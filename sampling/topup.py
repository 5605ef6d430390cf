"""Top-up of a panel: shortfall per stratum and the invitations needed to fill it."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from sampling.allocation import response_rates_exact
from sampling.rounding import invitations_for_completes


def topup_shortfall(
    current_counts: Mapping[str, int], target_counts: Mapping[str, int]
) -> dict[str, int]:
    """Return ``max(0, target_h - current_h)`` per stratum label, in label order.

    Parameters
    ----------
    current_counts : mapping of str to int
        Active members per stratum now (missing strata count as 0).
    target_counts : mapping of str to int
        Wanted members per stratum.

    Returns
    -------
    dict of str to int
        The shortfall per stratum (0 where the stratum is at or above target).

    References
    ----------
    .. [1] Lohr, S. L. (2022). *Sampling: Design and Analysis*, 3rd ed., section 8.3
       (nonresponse and panel attrition). CRC Press.
    """
    labels = sorted(set(map(str, current_counts)) | set(map(str, target_counts)))
    return {
        label: max(0, int(target_counts.get(label, 0)) - int(current_counts.get(label, 0)))
        for label in labels
    }


def propose_topup(
    current_counts: Mapping[str, int],
    target_counts: Mapping[str, int],
    response_rates: Mapping[str, float],
    eligible_sizes: Mapping[str, int],
    *,
    seed: int | np.random.Generator,
) -> pd.DataFrame:
    """Propose invitations per stratum to make up the shortfall, given expected join rates.

    The exact need ``shortfall_h / r_h`` is capped at the eligible residents, summed, rounded
    up, and distributed by largest remainder (see
    :func:`sampling.rounding.invitations_for_completes`).

    Parameters
    ----------
    current_counts, target_counts : mapping of str to int
        Members now and wanted, per stratum.
    response_rates : mapping of str to float
        Expected join rate ``0 < r <= 1`` for every stratum with a shortfall.
    eligible_sizes : mapping of str to int
        Residents who may still be invited, per stratum.
    seed : int or numpy.random.Generator
        Orders equal remainders.

    Returns
    -------
    pandas.DataFrame
        Columns ``stratum, target, current, shortfall, response_rate, eligible, invitations,
        expected_completes, capped`` (``capped``: the eligible residents cannot cover the
        shortfall at the expected rate).

    References
    ----------
    .. [1] Groves, R. M. et al. (2009). *Survey Methodology*, 2nd ed., ch. 6. Wiley.
    """
    shortfall = topup_shortfall(current_counts, target_counts)
    labels = sorted(set(shortfall) | set(map(str, eligible_sizes)))
    needed = {label: shortfall.get(label, 0) for label in labels}
    eligible = {label: int(eligible_sizes.get(label, 0)) for label in labels}
    rated = {label: eligible[label] if needed[label] else 0 for label in labels}
    rates = response_rates_exact(
        {label: rate for label, rate in response_rates.items() if str(label) in rated}, rated
    )
    invitations = invitations_for_completes(needed, rates, eligible, seed=seed)
    return pd.DataFrame({
        "stratum": pd.Series(labels, dtype=object),
        "target": [int(target_counts.get(label, 0)) for label in labels],
        "current": [int(current_counts.get(label, 0)) for label in labels],
        "shortfall": [needed[label] for label in labels],
        "response_rate": [float(rates[label]) for label in labels],
        "eligible": [eligible[label] for label in labels],
        "invitations": [invitations[label] for label in labels],
        "expected_completes": [float(invitations[label] * rates[label]) for label in labels],
        "capped": [needed[label] > eligible[label] * rates[label] for label in labels],
    })
