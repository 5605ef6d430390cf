"""The pool: the eligible residents of a frame in canonical order, grouped by stratum."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sampling.canonical import canonical_serialisation
from sampling.errors import SamplingError
from sampling.strata import PERSON_KEY, stratum_codes

HOUSEHOLD = "household_id"


def _eligible_mask(frame: pd.DataFrame, eligible: pd.Series | None) -> np.ndarray:
    if eligible is None:
        return np.ones(len(frame), dtype=bool)
    if isinstance(eligible, pd.Series):
        eligible = eligible.reindex(frame.index)
    mask = pd.array(eligible, dtype="boolean")
    if len(mask) != len(frame) or bool(mask.isna().any()):
        raise SamplingError("Het kenmerk 'in aanmerking' ontbreekt voor sommige inwoners.")
    return mask.to_numpy(dtype=bool)


@dataclass
class Pool:
    """The eligible residents, grouped by stratum in canonical order (row positions)."""

    keys: np.ndarray
    households: np.ndarray | None
    labels: list[str]
    members: list[np.ndarray]
    population: dict[str, int]
    frame_data: bytes  # the canonical serialisation (UTF-8) the frame hash covers: a snapshot

    @property
    def frame_hash(self) -> str:
        return hashlib.sha256(self.frame_data).hexdigest()


def build_pool(frame, strata, eligible, population, *, household: bool) -> Pool:
    """Check the frame and group its eligible rows by stratum, each in person_key order."""
    columns = [PERSON_KEY, *strata, *([HOUSEHOLD] if household else [])]
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise SamplingError(f"Kolommen ontbreken in het kader: {', '.join(missing)}.")
    codes, labels = stratum_codes(frame, strata)
    counted = np.bincount(codes, minlength=len(labels))
    mask = _eligible_mask(frame, eligible)
    subset = frame.loc[mask, columns]
    order, frame_data = canonical_serialisation(subset, columns)
    grouped = order[np.argsort(codes[mask][order], kind="stable")]
    bounds = np.concatenate([[0], np.cumsum(np.bincount(codes[mask], minlength=len(labels)))])
    return Pool(
        keys=subset[PERSON_KEY].to_numpy(dtype=object),
        households=subset[HOUSEHOLD].to_numpy(dtype=object) if household else None,
        labels=labels,
        members=[grouped[bounds[i]:bounds[i + 1]] for i in range(len(labels))],
        population=_population(labels, counted, population),
        frame_data=frame_data,
    )


def _population(labels, counted, population) -> dict[str, int]:
    counts = {label: int(count) for label, count in zip(labels, counted, strict=True)}
    if population is None:
        return counts
    given = {str(label): int(size) for label, size in dict(population).items()}
    for label in labels:
        if given.get(label, 0) < counts[label]:
            raise SamplingError(f"Populatie voor stratum '{label}' is kleiner dan het kader.")
    return given
