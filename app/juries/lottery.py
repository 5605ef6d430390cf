"""The two-phase jury lottery as plain functions over stored values (no database).

Phase 1: the pool (pseudonyms and features), the jury's quotas and panel size, and for a
replacement the fixed and excluded pseudonyms, give the LEXIMIN distribution
(``sampling.sortition``), rounded to a portfolio of m equally likely panels. Phase 2: a
public seed picks one panel of the portfolio. :func:`replay` recomputes both from the stored
record, which is what ``flask juries verify`` does.
"""

import gzip
import hashlib
import io
from dataclasses import dataclass, field
from importlib import metadata

import pandas as pd

from sampling.canonical import canonical_serialisation
from sampling.errors import SamplingError
from sampling.sortition import ALGORITHM, leximin_distribution, pick_panel, uniform_lottery
from sampling.sortition.lottery import Portfolio
from sampling.sortition.replacement import ReplacementProblem, replacement_problem

ID_COLUMN = "person_key"  # the canonical text's first column; here it holds the pseudonym


def software_version() -> str:
    return f"stadspanel {metadata.version('stadspanel')}"


def quota_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([{"feature": row["feature"], "value": row["value"],
                          "min": int(row["min"]), "max": int(row["max"])} for row in rows],
                        columns=["feature", "value", "min", "max"])


def pool_text(pool: pd.DataFrame, features: list[str]) -> bytes:
    """The canonical text of the pool (UTF-8): ``person_key`` = pseudonym, then features."""
    frame = pool[features].astype(str).reset_index(names=ID_COLUMN)
    frame[ID_COLUMN] = frame[ID_COLUMN].astype(str)
    return canonical_serialisation(frame, [ID_COLUMN, *features])[1]


def read_pool(text: bytes) -> pd.DataFrame:
    frame = pd.read_csv(io.BytesIO(text), sep="\t", dtype=str, na_values=["\\N"],
                        keep_default_na=False)
    return frame.set_index(ID_COLUMN)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pack(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=6, mtime=0)


def unpack(data: bytes) -> bytes:
    return gzip.decompress(data)


@dataclass(frozen=True)
class PhaseOne:
    problem: ReplacementProblem
    portfolio: Portfolio
    maximin_bound: float
    pool_text: bytes

    @property
    def probabilities(self) -> list[list]:
        table = self.portfolio.probabilities
        return [[str(person), float(row.before), float(row.after)]
                for person, row in table.iterrows()]


def phase_one(pool: pd.DataFrame, quotas: list[dict], panel_size: int, *, features: list[str],
              fixed=(), excluded=(), size: int = 1000) -> PhaseOne:
    """LEXIMIN over the open seats, rounded to ``size`` panels (raises ``SamplingError``)."""
    problem = replacement_problem(pool[features], quota_frame(quotas), panel_size,
                                  fixed=fixed, excluded=excluded)
    distribution = leximin_distribution(problem.pool, problem.quotas, problem.seats)
    portfolio = uniform_lottery(distribution, size)
    return PhaseOne(problem=problem, portfolio=portfolio,
                    maximin_bound=float(distribution.maximin_bound),
                    pool_text=pool_text(pool, features))


def composition(pool: pd.DataFrame, quotas: list[dict], panel: list[str] | None, *,
                minimum: int) -> list[dict]:
    """Per quota value: candidates in the pool and seats on the drawn panel, for the public page.

    A pool count under ``minimum`` is ``None`` (shown as "fewer than"), so a rare combination
    of features is never published. The pool's size is public, so when a feature has a single
    such count, its next smallest count is withheld too (else the one follows from the rest).
    The panel's own counts are what the city announces anyway.
    """
    members = pool.loc[[person for person in panel if person in pool.index]] if panel else None
    rows = []
    for quota in quotas:
        feature, value = quota["feature"], quota["value"]
        seats = None if members is None else int((members[feature] == value).sum())
        rows.append({**quota, "pool": int((pool[feature] == value).sum()), "seats": seats})
    for feature in dict.fromkeys(row["feature"] for row in rows):
        group = sorted((row for row in rows if row["feature"] == feature),
                       key=lambda row: row["pool"])
        small = [row for row in group if row["pool"] < minimum]
        if len(small) == 1 and len(group) > 1:
            small.append(group[1])
        for row in small:
            row["pool"] = None
    return rows


def phase_two(portfolio: Portfolio, seed: int) -> tuple[int, list[str]]:
    number, panel = pick_panel(portfolio, seed=seed)
    return number, [str(person) for person in panel]


@dataclass(frozen=True)
class Replay:
    """What replaying a stored lottery found; ``differences`` in Dutch, empty when all match."""

    differences: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences


def replay(record) -> Replay:
    """Replay both phases of a stored ``JuryLottery``-like record and compare every output."""
    differences = []
    text = unpack(record.pool_snapshot)
    if sha256(text) != record.pool_hash:
        differences.append("de hash van de opgeslagen pool klopt niet")
    try:
        result = phase_one(read_pool(text), record.quotas, record.panel_size,
                           features=list(record.features), fixed=record.fixed,
                           excluded=record.excluded, size=record.portfolio_size)
    except SamplingError as error:
        return Replay([*differences, f"fase 1 kan niet herhaald worden: {error}"])
    if result.portfolio.sha256 != record.portfolio_hash:
        differences.append("de herberekende portefeuille heeft een andere hash")
    if unpack(record.portfolio_text) != result.portfolio.text().encode("utf-8"):
        differences.append("de opgeslagen portefeuille verschilt van de herberekende")
    if record.algorithm != ALGORITHM:
        differences.append(f"algoritme {record.algorithm}, nu {ALGORITHM}")
    if record.seed is not None:
        number, panel = phase_two(result.portfolio, int(record.seed))
        if number != record.chosen_number:
            differences.append(f"het zaad kiest panel {number}, opgeslagen {record.chosen_number}")
        if sorted(panel) != sorted(record.chosen):
            differences.append("het zaad kiest andere personen dan opgeslagen")
    return Replay(differences)


def stored_portfolio(record) -> Portfolio:
    """The published portfolio read back from its canonical text (probabilities as stored)."""
    panels = []
    for line in unpack(record.portfolio_text).decode("utf-8").splitlines():
        _, _, members = line.partition("\t")
        panels.append(tuple(members.split(",")))
    table = pd.DataFrame([row[1:] for row in record.probabilities], columns=["before", "after"],
                         index=[row[0] for row in record.probabilities])
    return Portfolio(panels=panels, probabilities=table)
