"""Reproducible stratified draws with ordered reserve lists (``stadspanel-stratified-v1``).

The draw is a function of the eligible frame, the parameters and the seed only:

1. Canonical order: the eligible residents are sorted by ``person_key`` in Unicode code-point
   order (byte order for the usual hexadecimal keys); the input row order plays no part.
2. Each resident's stratum label joins the strata columns' values with ``" | "``; strata are
   processed in code-point order of their labels.
3. One random generator ``numpy.random.Generator(numpy.random.PCG64(seed))`` serves the whole
   draw.
4. For every stratum with at least one eligible resident, in label order, the generator draws
   ``rng.permutation(N_h)`` (``N_h`` = eligible residents in the stratum); the residents of the
   stratum, in canonical order, are read in the permuted order: position ``perm[0]`` first.
5. The first ``n_h`` residents read form the selection (``order`` 1..n_h); the next ``r_h``
   form the ordered reserve list (``reserve_order`` 1..r_h).
6. With ``one_per_household`` a resident whose ``household_id`` is already taken, by a
   selected or reserve resident of this or an earlier stratum (label order), is skipped.

The inclusion probability of a selected resident is ``pi_h = n_h / N_h`` (eligible count) and
the design weight ``1 / pi_h``; with ``one_per_household`` these are the nominal values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sampling.errors import InfeasibleQuota, SamplingError
from sampling.pool import Pool, build_pool
from sampling.rounding import exact_number
from sampling.topup import propose_topup, topup_shortfall
from sampling.verify import VerificationResult, compare_selections

__all__ = [
    "ALGORITHM", "DrawResult", "VerificationResult", "describe_algorithm", "propose_topup",
    "stratified_sample", "topup_shortfall", "verify_draw",
]

ALGORITHM = "stadspanel-stratified-v1"


@dataclass(frozen=True)
class DrawResult:
    """The outcome of :func:`stratified_sample`; ``parameters`` replays it."""

    selection: pd.DataFrame
    table: pd.DataFrame
    seed: int
    algorithm: str
    frame_hash: str
    parameters: dict = field(default_factory=dict)
    frame_data: bytes = field(default=b"", repr=False)  # what frame_hash hashes (UTF-8): a snapshot


def describe_algorithm() -> str:
    """Return the draw algorithm in plain Dutch and English, for the README and protocol."""
    return (
        f"Algoritme {ALGORITHM}. De in aanmerking komende inwoners worden gesorteerd op hun "
        "pseudonieme sleutel (person_key); de volgorde van het bestand speelt geen rol. De strata "
        "worden in alfabetische volgorde van hun naam overlopen. Eén toevalsgenerator "
        "(NumPy PCG64, gestart met het zaad) maakt per stratum een willekeurige volgorde van "
        "alle inwoners van dat stratum. De eerste n_h in die volgorde vormen de steekproef, de "
        "volgende vormen de reservelijst, in die volgorde. Bij 'één per huishouden' wordt wie "
        "tot een al gekozen huishouden behoort overgeslagen. Hetzelfde kader, dezelfde "
        "parameters en hetzelfde zaad geven altijd dezelfde personen.\n"
        f"Algorithm {ALGORITHM}. Eligible residents are sorted by their pseudonymous key "
        "(person_key); the file's row order plays no part. Strata are processed in sorted "
        "order of their labels. One random generator (NumPy PCG64, started from the seed) draws "
        "a random permutation of each stratum's residents. The first n_h in that order are "
        "selected; the next ones form the ordered reserve list. With 'one per household', "
        "anyone from an already chosen household is skipped. The same frame, parameters and "
        "seed always select the same people."
    )


def _check_seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise SamplingError(f"Het zaad moet een geheel getal ≥ 0 zijn, niet {seed!r}.")
    return int(seed)


def _seats(allocation, pool: Pool) -> dict[str, int]:
    eligible = {label: len(members) for label, members in zip(pool.labels, pool.members,
                                                                strict=True)}
    seats = {}
    for label in sorted(set(map(str, allocation)) | set(pool.labels) | set(pool.population)):
        wanted = allocation.get(label, 0)
        if isinstance(wanted, bool) or int(wanted) != wanted or wanted < 0:
            raise SamplingError(f"Ongeldig aantal voor stratum '{label}': {wanted!r}.")
        if wanted > eligible.get(label, 0):
            raise InfeasibleQuota(
                f"Stratum '{label}': {int(wanted)} gevraagd, maar slechts "
                f"{eligible.get(label, 0)} inwoners komen in aanmerking."
            )
        seats[label] = int(wanted)
    return seats


def _reserve_sizes(reserve: int | float, seats: Mapping[str, int]) -> dict[str, int]:
    if isinstance(reserve, bool) or reserve < 0:
        raise SamplingError(f"Ongeldige reserve: {reserve!r}.")
    if isinstance(reserve, int | np.integer):
        return {label: int(reserve) if wanted else 0 for label, wanted in seats.items()}
    share = exact_number(reserve, what="reserve")
    return {label: math.ceil(share * wanted) for label, wanted in seats.items()}


def _walk(permuted, wanted, households, taken) -> np.ndarray:
    if households is None:
        return permuted[:wanted]
    chosen = []
    for position in permuted:
        if len(chosen) == wanted:
            break
        if households[position] not in taken:
            taken.add(households[position])
            chosen.append(position)
    return np.asarray(chosen, dtype=np.int64)


def _draw_strata(pool: Pool, seats, reserves, rng) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    taken: set = set()
    picks = {}
    for label, members in zip(pool.labels, pool.members, strict=True):
        if len(members) == 0:
            continue
        permuted = members[rng.permutation(len(members))]
        chosen = _walk(permuted, seats[label] + reserves[label], pool.households, taken)
        if len(chosen) < seats[label]:
            raise InfeasibleQuota(
                f"Stratum '{label}': slechts {len(chosen)} verschillende huishoudens beschikbaar "
                f"voor {seats[label]} plaatsen."
            )
        picks[label] = (chosen[: seats[label]], chosen[seats[label]:])
    return picks


def _joined(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)


def _selection_frame(pool: Pool, picks, seats) -> pd.DataFrame:
    positions, strata, ranks, reserve_flags, probabilities = [], [], [], [], []
    eligible = dict(zip(pool.labels, map(len, pool.members), strict=True))
    for label, (main, spare) in picks.items():
        for chosen, is_reserve in ((main, False), (spare, True)):
            positions.append(chosen)
            strata.append(np.full(len(chosen), label, dtype=object))
            ranks.append(np.arange(1, len(chosen) + 1, dtype=np.int64))
            reserve_flags.append(np.full(len(chosen), is_reserve))
            value = np.nan if is_reserve else seats[label] / eligible[label]
            probabilities.append(np.full(len(chosen), value))
    is_reserve = _joined(reserve_flags, bool)
    rank = pd.Series(_joined(ranks, np.int64), dtype="Int64")
    probability = _joined(probabilities, float)
    return pd.DataFrame({
        "person_key": pd.Series(pool.keys[_joined(positions, np.int64)], dtype=object),
        "stratum": pd.Series(_joined(strata, object), dtype=object),
        "order": rank.where(~is_reserve),
        "is_reserve": is_reserve,
        "reserve_order": rank.where(is_reserve),
        "inclusion_probability": probability,
        "design_weight": 1 / probability,
    })


def _table(pool: Pool, seats, picks) -> pd.DataFrame:
    eligible = dict(zip(pool.labels, map(len, pool.members), strict=True))
    labels = list(seats)
    return pd.DataFrame({
        "stratum": pd.Series(labels, dtype=object),
        "population": [pool.population.get(label, 0) for label in labels],
        "eligible": [eligible.get(label, 0) for label in labels],
        "selected": [seats[label] for label in labels],
        "inclusion_probability": [
            seats[label] / eligible[label] if eligible.get(label) else 0.0 for label in labels
        ],
        "reserve": [len(picks[label][1]) if label in picks else 0 for label in labels],
    })


def stratified_sample(
    frame: pd.DataFrame,
    strata: Sequence[str],
    allocation: Mapping[str, int],
    *,
    seed: int,
    reserve: int | float = 0,
    one_per_household: bool = False,
    eligible: pd.Series | None = None,
    population: Mapping[str, int] | None = None,
) -> DrawResult:
    """Draw a stratified simple random sample with ordered reserve lists.

    The algorithm is spelled out in the module docstring and :func:`describe_algorithm`.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per resident with a unique ``person_key``, the strata columns and, for
        ``one_per_household``, ``household_id``.
    strata : sequence of str
        Columns defining the strata (see :func:`sampling.strata.stratum_labels`).
    allocation : mapping of str to int
        Residents to select per stratum label (e.g. from :func:`sampling.allocation.allocate`).
    seed : int
        Non-negative integer; a generator is not accepted, because the seed is stored so that
        anyone can replay the draw.
    reserve : int or float, default 0
        An int gives that many reserves to each stratum with ``n_h > 0``; a float gives
        ``ceil(reserve * n_h)`` (e.g. 0.5 for 50 % extra). Capped by what the stratum holds.
    one_per_household : bool, default False
        Select at most one resident per ``household_id`` over all strata and reserves.
    eligible : pandas.Series of bool, optional
        Which rows may be drawn (aligned on the index); all rows by default. The other rows
        count only in the population column of the table.
    population : mapping of str to int, optional
        Population per stratum when ``frame`` holds only the eligible residents.

    Returns
    -------
    DrawResult
        ``selection`` (person_key, stratum, order, is_reserve, reserve_order,
        inclusion_probability, design_weight; NaN for reserves), ``table`` (stratum,
        population, eligible, selected, inclusion_probability, reserve), ``seed``,
        ``algorithm``, ``frame_hash`` (:func:`sampling.strata.frame_hash` of the eligible rows
        over the strata columns, plus ``household_id`` with ``one_per_household``) and
        ``parameters`` for :func:`verify_draw`.

    Raises
    ------
    InfeasibleQuota
        When a stratum has fewer eligible residents (or households) than its allocation.

    References
    ----------
    .. [1] Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed., ch. 5. Wiley.
    .. [2] O'Neill, M. E. (2014). PCG: A family of simple fast space-efficient statistically
       good algorithms for random number generation. Harvey Mudd College, HMC-CS-2014-0905.
    """
    seed = _check_seed(seed)
    strata = [str(column) for column in strata]
    pool = build_pool(frame, strata, eligible, population, household=one_per_household)
    seats = _seats(allocation, pool)
    reserves = _reserve_sizes(reserve, seats)
    picks = _draw_strata(pool, seats, reserves, np.random.Generator(np.random.PCG64(seed)))
    frame_hash = pool.frame_hash
    parameters = {
        "algorithm": ALGORITHM, "seed": seed, "strata": strata, "allocation": seats,
        "reserve": reserve, "one_per_household": bool(one_per_household),
        "frame_hash": frame_hash,
    }
    return DrawResult(
        selection=_selection_frame(pool, picks, seats), table=_table(pool, seats, picks),
        seed=seed, algorithm=ALGORITHM, frame_hash=frame_hash, parameters=parameters,
        frame_data=pool.frame_data,
    )


def verify_draw(
    frame: pd.DataFrame,
    stored_selection: pd.DataFrame,
    parameters: Mapping,
    *,
    seed: int,
    eligible: pd.Series | None = None,
) -> VerificationResult:
    """Replay a stored draw and compare it with the stored selection.

    Parameters
    ----------
    frame : pandas.DataFrame
        The frame as it was at the draw (or the eligible rows only).
    stored_selection : pandas.DataFrame
        Columns ``person_key``, ``is_reserve``, ``order`` and ``reserve_order``.
    parameters : mapping
        ``DrawResult.parameters`` as stored: strata, allocation, reserve,
        one_per_household, frame_hash and algorithm.
    seed : int
        The stored seed.
    eligible : pandas.Series of bool, optional
        The eligibility mask used at the draw.

    Returns
    -------
    VerificationResult
        ``ok`` when the frame hash matches and the replay selects the same people in the same
        order; ``differences`` describes each mismatch in Dutch.

    References
    ----------
    .. [1] Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed., ch. 5. Wiley.
    """
    if parameters.get("algorithm", ALGORITHM) != ALGORITHM:
        return VerificationResult(False, False, [f"Onbekend algoritme {parameters['algorithm']}."])
    try:
        replay = stratified_sample(
            frame, parameters["strata"], parameters["allocation"], seed=seed,
            reserve=parameters.get("reserve", 0), eligible=eligible,
            one_per_household=bool(parameters.get("one_per_household", False)),
        )
    except SamplingError as error:
        return VerificationResult(False, False, [f"De trekking kan niet herhaald worden: {error}"])
    return compare_selections(
        stored_selection, replay.selection, parameters.get("frame_hash"), replay.frame_hash
    )
