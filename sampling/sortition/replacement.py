"""A replacement run: the confirmed members stay, the rest of the seats are drawn again.

When a selected person withdraws, the members who stay are *fixed*: their seats are taken
off the panel size and off every quota they count for (minimum and maximum), and the pool
loses the fixed members and everyone who withdrew. The remaining seats are then selected
from the rest of the pool with the same LEXIMIN method against these reduced quotas, so
fixed members plus replacements meet the original quotas whenever any such panel exists.

Pure: pandas in, pandas out; the app stores the inputs, so a replacement can be replayed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from sampling.errors import InfeasibleQuota, SamplingError

__all__ = ["ReplacementProblem", "replacement_problem"]


@dataclass(frozen=True)
class ReplacementProblem:
    """The pool, quotas and number of seats left for a replacement run."""

    pool: pd.DataFrame
    quotas: pd.DataFrame
    seats: int
    fixed: tuple[str, ...]


def _ids(pool: pd.DataFrame, people: Iterable, what: str) -> list[str]:
    ids = sorted({str(person) for person in people})
    known = set(pool.index.map(str))
    unknown = [person for person in ids if person not in known]
    if unknown:
        raise SamplingError(f"{what} niet in de pool: {', '.join(unknown[:5])}.")
    return ids


def _reduced_quotas(pool: pd.DataFrame, quotas: pd.DataFrame, fixed: list[str]) -> pd.DataFrame:
    texts = pool.set_axis(pool.index.map(str))
    staying = texts.loc[fixed] if fixed else texts.iloc[0:0]
    rows = []
    for row in quotas.itertuples(index=False):
        feature, value = str(row.feature), str(row.value)
        if feature not in staying.columns:
            raise SamplingError(f"Kenmerk '{feature}' ontbreekt in de pool.")
        taken = int((staying[feature].map(str) == value).sum())
        if taken > int(row.max):
            raise InfeasibleQuota(
                f"De vaste leden bezetten al {taken} plaatsen voor {feature} = {value}, "
                f"meer dan het maximum {int(row.max)}.")
        rows.append((feature, value, max(int(row.min) - taken, 0), int(row.max) - taken))
    return pd.DataFrame(rows, columns=["feature", "value", "min", "max"])


def replacement_problem(pool: pd.DataFrame, quotas: pd.DataFrame, panel_size: int, *,
                        fixed: Iterable, excluded: Iterable = ()) -> ReplacementProblem:
    """Reduce a selection to the seats that are still open.

    Parameters
    ----------
    pool : pandas.DataFrame
        The whole pool, indexed by person id, one column per feature (as for
        :func:`sampling.sortition.leximin_distribution`).
    quotas : pandas.DataFrame
        The original quotas (``feature``, ``value``, ``min``, ``max``) for the whole panel.
    panel_size : int
        Seats on the whole panel.
    fixed : iterable
        Ids of the members who stay on the panel.
    excluded : iterable, optional
        Ids who may not be selected (who withdrew); they leave the pool.

    Returns
    -------
    ReplacementProblem
        ``pool`` without the fixed and excluded people, ``quotas`` with every bound lowered
        by the fixed members who count for it (minima not below 0), ``seats`` =
        ``panel_size`` minus the fixed members.

    Raises
    ------
    InfeasibleQuota
        When the fixed members already exceed a maximum.
    SamplingError
        For ids not in the pool, an id both fixed and excluded, or no seat left.
    """
    fixed_ids = _ids(pool, fixed, "Vaste leden")
    excluded_ids = _ids(pool, excluded, "Uitgesloten kandidaten")
    both = sorted(set(fixed_ids) & set(excluded_ids))
    if both:
        raise SamplingError(f"Zowel vast als uitgesloten: {', '.join(both[:5])}.")
    seats = int(panel_size) - len(fixed_ids)
    if seats < 1:
        raise SamplingError("Er is geen plaats meer vrij: alle zetels zijn bezet.")
    reduced = _reduced_quotas(pool, quotas, fixed_ids)
    leaving = set(fixed_ids) | set(excluded_ids)
    rest = pool[~pool.index.map(str).isin(leaving)]
    if len(rest) < seats:
        raise SamplingError(f"Er blijven {len(rest)} kandidaten over voor {seats} open plaatsen.")
    return ReplacementProblem(pool=rest, quotas=reduced, seats=seats, fixed=tuple(fixed_ids))
