"""Profile types: people with the same quota categories are interchangeable.

Two people who fall in the same quota category for every feature can be swapped in any
quota-feasible panel, so the quotas cannot tell them apart. LEXIMIN gives them the same
probability: its vector of selection probabilities is unique, and swapping the two maps the
set of distributions onto itself, so it must map the LEXIMIN marginals onto themselves. The
computation therefore runs over types: a panel is a number of seats per type, a type's
probability is the expected seats divided by its size, and the stages, the master LP and the
pricing MIP shrink with the number of types rather than people.

Expansion back to people (``expand``): a type panel with ``c`` of a type's ``n`` people is
turned into panels of people by systematic sampling with one common offset ``u`` for all
types: the type's people, in canonical order, cover the consecutive intervals
``[i·c/n, (i+1)·c/n)`` and the chosen ones are those whose interval holds a point ``u + k``
(k integer). Each person is chosen for a share ``c/n`` of the offsets and every offset chooses
exactly ``c`` of them, so the expanded distribution meets the quotas and gives each person
the type's probability. The offsets are cut at the exact fractions ``i·c/n``; every piece is
one panel with its length as weight.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from sampling.sortition.problem import SortitionInput


@dataclass(frozen=True)
class ProfileTypes:
    """``of_person[i]`` is person i's type; ``members[t]`` the positions of type t, ascending.

    Types are numbered in order of their first person in canonical order.
    """

    of_person: np.ndarray
    members: list[np.ndarray]

    @property
    def sizes(self) -> np.ndarray:
        return np.asarray([len(group) for group in self.members], dtype=np.int64)

    @property
    def first(self) -> np.ndarray:
        """One person per type: its first in canonical order."""
        return np.asarray([group[0] for group in self.members], dtype=np.int64)


def profile_types(data: SortitionInput) -> ProfileTypes:
    """Group the people of ``data`` by the set of quotas they count for."""
    columns = data.members.T.toarray().astype(np.int8)
    _, first, inverse = np.unique(columns, axis=0, return_index=True, return_inverse=True)
    renumber = np.empty(len(first), dtype=np.int64)
    renumber[np.argsort(first, kind="stable")] = np.arange(len(first))
    of_person = renumber[np.asarray(inverse).ravel()]
    order = np.argsort(of_person, kind="stable")
    bounds = np.searchsorted(of_person[order], np.arange(len(first) + 1))
    members = [order[bounds[t]:bounds[t + 1]] for t in range(len(first))]
    return ProfileTypes(of_person=of_person, members=members)


def _cuts(counts: dict[int, int], sizes: np.ndarray) -> list[Fraction]:
    """Offsets in [0, 1) where the systematic choice within some type changes."""
    cuts = {Fraction(0)}
    for kind, count in counts.items():
        size = int(sizes[kind])
        if 0 < count < size:
            cuts.update(Fraction((i * count) % size, size) for i in range(size))
    return sorted(cuts)


def _chosen(members: np.ndarray, count: int, offset: Fraction) -> np.ndarray:
    """Members whose interval [i·c/n, (i+1)·c/n) holds a point offset + k."""
    size = len(members)
    if count == size:
        return members
    p, q = offset.numerator, offset.denominator
    starts = np.arange(size + 1, dtype=np.int64) * count * q - p * size
    ceilings = -((-starts) // (size * q))  # ceil((i·c/n − u))
    return members[np.diff(ceilings) == 1]


def expand_panel(panel: tuple[int, ...], types: ProfileTypes):
    """Panels of people (positions, ascending) with weights summing to 1 for a type panel."""
    kinds, seats = np.unique(np.asarray(panel, dtype=np.int64), return_counts=True)
    counts = {int(kind): int(seat) for kind, seat in zip(kinds, seats, strict=True)}
    cuts = [*_cuts(counts, types.sizes), Fraction(1)]
    pieces = []
    for low, high in zip(cuts, cuts[1:], strict=False):
        middle = (low + high) / 2
        chosen = [_chosen(types.members[kind], count, middle) for kind, count in counts.items()]
        pieces.append((tuple(int(p) for p in np.sort(np.concatenate(chosen))), high - low))
    return pieces


def expand(panels: list[tuple[int, ...]], probabilities: np.ndarray, types: ProfileTypes):
    """Distribution over panels of people from one over type panels (panels sorted)."""
    total: dict[tuple[int, ...], float] = {}
    for panel, probability in zip(panels, probabilities, strict=True):
        for people, share in expand_panel(panel, types):
            total[people] = total.get(people, 0.0) + float(probability) * float(share)
    ordered = sorted(total)
    return ordered, np.asarray([total[panel] for panel in ordered])
