"""Comparison of a stored selection with its replay (used by :func:`sampling.draw.verify_draw`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

LISTED_DIFFERENCES = 20


@dataclass(frozen=True)
class VerificationResult:
    """Whether a replayed draw matches the stored one, with the differences in Dutch."""

    ok: bool
    frame_hash_matches: bool
    differences: list[str] = field(default_factory=list)


def _placements(selection: pd.DataFrame) -> dict[str, tuple[bool, int]]:
    placements = {}
    for key, is_reserve, order, reserve_order in zip(
        selection["person_key"], selection["is_reserve"], selection["order"],
        selection["reserve_order"], strict=True,
    ):
        rank = reserve_order if bool(is_reserve) else order
        placements[str(key)] = (bool(is_reserve), int(rank))
    return placements


def _describe(placement: tuple[bool, int] | None) -> str:
    if placement is None:
        return "niet gekozen"
    is_reserve, rank = placement
    return f"reserve nr. {rank}" if is_reserve else f"gekozen als nr. {rank}"


def compare_selections(
    stored: pd.DataFrame,
    replayed: pd.DataFrame,
    stored_hash: str | None,
    replayed_hash: str,
) -> VerificationResult:
    """Compare two selections person by person (status and order within the stratum)."""
    differences = []
    hash_matches = stored_hash == replayed_hash
    if not hash_matches:
        differences.append(
            f"De kaderhash verschilt: opgeslagen {stored_hash}, herberekend {replayed_hash}."
        )
    before, after = _placements(stored), _placements(replayed)
    mismatches = [key for key in sorted(set(before) | set(after))
                  if before.get(key) != after.get(key)]
    for key in mismatches[:LISTED_DIFFERENCES]:
        differences.append(
            f"person_key {key[:12]}…: opgeslagen {_describe(before.get(key))}, "
            f"herhaling {_describe(after.get(key))}."
        )
    if len(mismatches) > LISTED_DIFFERENCES:
        differences.append(f"… en nog {len(mismatches) - LISTED_DIFFERENCES} verschillen.")
    return VerificationResult(not differences, hash_matches, differences)
