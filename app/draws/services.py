"""Draws: allocate, select, store auditable records, and verify a stored draw."""

import gzip
import io
import secrets
from dataclasses import asdict
from datetime import date

import pandas as pd
import sqlalchemy as sa

from app import audit
from app.draws.frame import (
    Exclusions,
    eligibility,
    frame_columns,
    load_frame,
    minimum_age_of,
    old_enough,
)
from app.extensions import db
from app.models import Draw, Invitation, Member, Panel, Selection, Study
from app.register.services import latest_import
from sampling.allocation import allocate, allocate_target_completes
from sampling.canonical import frame_hash
from sampling.draw import ALGORITHM, stratified_sample, verify_draw
from sampling.errors import InfeasibleQuota, SamplingError
from sampling.strata import stratum_labels, stratum_sizes
from sampling.topup import propose_topup

METHODS = ("proportional", "equal", "target_completes", "fixed")
DEFAULT_RESPONSE_RATE = 0.15


def new_seed() -> int:
    return secrets.randbelow(2**31 - 1) + 1


def prepare(strata: list[str], rules: Exclusions, *, households: bool = True
            ) -> tuple[pd.DataFrame, pd.Series, dict]:
    frame = load_frame(columns=frame_columns(strata, households=households,
                                             addresses=bool(rules.institution_addresses)))
    if frame.empty:
        raise SamplingError("Het steekproefkader is leeg: importeer eerst het bevolkingsregister.")
    source = latest_import()
    # Ages count at the register's reference date, like the age bands of the strata.
    mask, excluded = eligibility(frame, rules, today=source.reference_date if source else None)
    return frame, mask, excluded


def allocation_table(frame, mask, strata, n: int, method: str, *, seed: int,
                     minimum: int = 0, response_rates: dict | None = None,
                     targets: dict | None = None) -> pd.DataFrame:
    """Per stratum: population, eligible and the seats the method gives (nothing stored)."""
    population = stratum_sizes(frame, strata)
    eligible = stratum_sizes(frame[mask], strata).reindex(population.index, fill_value=0)
    table = pd.DataFrame({"stratum": population.index, "population": population.values,
                          "eligible": eligible.values})
    if method == "target_completes":
        rates = {s: (response_rates or {}).get(s, DEFAULT_RESPONSE_RATE) for s in table.stratum}
        completes = allocate_target_completes(eligible, n, rates, seed=seed, minimum=minimum)
        table = table.merge(completes[["stratum", "completes", "response_rate", "invitations"]],
                            on="stratum", how="left")
        table["seats"] = table["invitations"].fillna(0).astype(int)
    else:
        seats = allocate(eligible, n, method, seed=seed, minimum=minimum, targets=targets)
        table["seats"] = table["stratum"].map(seats).fillna(0).astype(int)
    return table


def check_households(frame, mask, strata, table: pd.DataFrame) -> None:
    """Refuse in the preview what the draw would refuse: fewer households than seats."""
    eligible = frame[mask]
    if "household_id" not in eligible or eligible.empty:
        return
    households = eligible.groupby(stratum_labels(eligible, strata))["household_id"].nunique()
    for row in table.itertuples():
        available = int(households.get(row.stratum, 0))
        if row.seats > available:
            raise InfeasibleQuota(
                f"Stratum '{row.stratum}': slechts {available} verschillende huishoudens "
                f"beschikbaar voor {row.seats} plaatsen. Vraag minder plaatsen of zet "
                "'Hoogstens één persoon per huishouden' uit.")


def realised_rates(strata: list[str]) -> dict[str, float]:
    """Join rate per stratum over earlier recruitment draws (for ``target_completes``)."""
    rows = db.session.execute(
        sa.select(Selection.stratum, Invitation.status, Draw.strata)
        .join(Invitation, Invitation.selection_id == Selection.id)
        .join(Draw, Draw.id == Selection.draw_id)
        .where(Draw.purpose.in_(["recruitment", "topup"]))).all()
    frame = pd.DataFrame(rows, columns=["stratum", "status", "strata"])
    frame = frame[frame["strata"].map(lambda value: list(value) == list(strata))]
    if frame.empty:
        return {}
    joined = frame.assign(joined=frame["status"] == "joined").groupby("stratum")["joined"]
    rates = joined.mean()
    return {stratum: float(rate) for stratum, rate in rates.items() if rate > 0}


def run_draw(*, purpose: str, strata: list[str], n: int, method: str, seed: int,
             rules: Exclusions, panel: Panel | None = None, reserve: float = 0.0,
             one_per_household: bool = False, minimum: int = 0,
             response_rates: dict | None = None, targets: dict | None = None,
             user_id: int | None = None, study_id: int | None = None) -> Draw:
    """Draw, then store the draw with its full parameters and selections; caller commits.

    The draw belongs to ``study_id``, by default the frame import's study (or the latest).
    """
    frame, mask, excluded = prepare(strata, rules, households=one_per_household)
    table = allocation_table(frame, mask, strata, n, method, seed=seed, minimum=minimum,
                             response_rates=response_rates, targets=targets)
    allocation = dict(zip(table["stratum"], table["seats"], strict=True))
    population = dict(zip(table["stratum"], table["population"], strict=True))
    eligible = frame[mask].reset_index(drop=True)
    result = stratified_sample(eligible, strata, allocation, seed=seed, reserve=reserve,
                               one_per_household=one_per_household, population=population)
    source = latest_import()
    draw = Draw(
        panel_id=panel.id if panel else None, purpose=purpose, strata=list(strata),
        allocation_method=method, sample_size=int(sum(allocation.values())), seed=seed,
        algorithm=ALGORITHM, frame_hash=result.frame_hash,
        frame_import_id=source.id if source else None,
        frame_snapshot=_snapshot(result.frame_data), exclusions=excluded,
        stratum_table=_jsonable(result.table), legal_basis=source.legal_basis if source else "",
        parameters={**_jsonable_parameters(result.parameters), "population": population,
                    "requested_n": n, "minimum": minimum, "rules": asdict(rules),
                    "response_rates": response_rates or {}, "allocation_table":
                    _jsonable(table)},
        created_by_id=user_id, study_id=study_id or _default_study_id(source),
    )
    db.session.add(draw)
    db.session.flush()
    _store_selections(draw, eligible, result.selection)
    audit.record("draw", draw, details={"seed": seed, "n": draw.sample_size, "purpose": purpose,
                                        "frame_hash": result.frame_hash, "method": method})
    return draw


def _default_study_id(source) -> int | None:
    if source is not None and source.study_id is not None:
        return source.study_id
    return db.session.scalar(sa.select(Study.id).order_by(Study.id.desc()).limit(1))


def _jsonable(frame: pd.DataFrame) -> list[dict]:
    return [{key: (None if pd.isna(value) else value.item() if hasattr(value, "item") else value)
             for key, value in row.items()} for row in frame.to_dict("records")]


def _jsonable_parameters(parameters: dict) -> dict:
    return {key: ({k: int(v) for k, v in value.items()} if key == "allocation" else value)
            for key, value in parameters.items()}


def _snapshot(frame_data: bytes) -> bytes:
    """The eligible frame in the canonical text that ``frame_hash`` hashes, compressed."""
    return gzip.compress(frame_data, compresslevel=1, mtime=0)


def read_snapshot(draw: Draw) -> pd.DataFrame:
    text = gzip.decompress(draw.frame_snapshot)
    return pd.read_csv(io.BytesIO(text), sep="\t", dtype=str, na_values=["\\N"],
                       keep_default_na=False)


def _store_selections(draw: Draw, eligible: pd.DataFrame, selection: pd.DataFrame) -> None:
    ids = dict(zip(eligible["person_key"].tolist(), eligible["id"].tolist(), strict=True))
    columns = {name: selection[name].tolist() for name in (
        "person_key", "stratum", "is_reserve", "order", "reserve_order",
        "inclusion_probability")}
    rows = [{"draw_id": draw.id, "resident_id": int(ids[key]), "stratum": stratum,
             "is_reserve": bool(reserve), "order": int(reserve_order if reserve else order),
             "inclusion_probability": 0.0 if pd.isna(probability) else float(probability)}
            for key, stratum, reserve, order, reserve_order, probability
            in zip(*columns.values(), strict=True)]
    if rows:
        db.session.execute(sa.insert(Selection), rows)


def stored_selection(draw: Draw) -> pd.DataFrame:
    from app.models import Resident

    rows = db.session.execute(
        sa.select(Resident.person_key, Selection.is_reserve, Selection.order)
        .join(Resident, Resident.id == Selection.resident_id)
        .where(Selection.draw_id == draw.id)).all()
    frame = pd.DataFrame(rows, columns=["person_key", "is_reserve", "position"])
    frame["order"] = frame["position"].where(~frame["is_reserve"])
    frame["reserve_order"] = frame["position"].where(frame["is_reserve"])
    return frame.drop(columns=["position"])


def verify(draw: Draw):
    """Replay the draw on its stored frame snapshot; also say whether the frame changed since."""
    snapshot = read_snapshot(draw)
    parameters = dict(draw.parameters)
    result = verify_draw(snapshot, stored_selection(draw), parameters, seed=draw.seed)
    return result


def current_frame_hash(draw: Draw) -> str:
    """Hash of today's eligible frame under the draw's rules, to show whether it changed."""
    rules = Exclusions(**draw.parameters.get("rules", {}))
    frame, mask, _ = prepare(draw.strata, rules)
    columns = ["person_key", *draw.strata]
    if draw.parameters.get("one_per_household"):
        columns.append("household_id")
    return frame_hash(frame[mask], columns)


def composition_by_variable(table: pd.DataFrame, strata: list[str]) -> dict[str, pd.DataFrame]:
    """The composition per stratum variable (e.g. per age band over all districts)."""
    parts = table["stratum"].str.split(" | ", regex=False, expand=True)
    views = {}
    for index, name in enumerate(strata):
        grouped = (table.assign(group=parts[index]).groupby("group", sort=True)
                   [["population", "target", "members", "answering"]].sum().reset_index())
        views[name] = grouped.assign(difference=grouped["members"] - grouped["target"])
    return views


def panel_minimum_age(panel: Panel) -> int:
    """The panel's youngest eligible age: from its draws, else the register import's."""
    found = minimum_age_of(panel.draws)
    if found is not None:
        return found
    source = latest_import()
    return int(source.minimum_age) if source else Exclusions().minimum_age


def panel_composition(panel: Panel, stats: dict | None = None) -> pd.DataFrame:
    """Active members per stratum against the target (shares of the panel's population:
    residents of at least the panel's minimum age), and how many of them still answer.

    ``stats``: the panel's participation, when the caller already has it.
    """
    from app.invitations.participation import participation
    from app.models import Resident

    rows = db.session.execute(
        sa.select(Member.id, *[getattr(Resident, c) for c in (
            "age_band", "sex", "district", "nationality_group", "household_size")])
        .join(Member, Member.resident_id == Resident.id)
        .where(Member.panel_id == panel.id, Member.status == "active")).all()
    members = pd.DataFrame(rows, columns=["member_id", "age_band", "sex", "district",
                                          "nationality_group", "household_size"])
    stats = participation(panel.id) if stats is None else stats
    silent = {member_id for member_id, item in stats.items() if item.silent}
    strata = list(panel.strata)
    frame = load_frame()
    source = latest_import()
    frame = frame[old_enough(frame, panel_minimum_age(panel), source and source.reference_date)]
    population = stratum_sizes(frame, strata) if not frame.empty else pd.Series(dtype=int)
    from sampling.strata import household_size_class

    members["household_size_class"] = members["household_size"].map(household_size_class)
    labels = stratum_labels(members, strata) if len(members) else pd.Series(dtype=object)
    current = labels.value_counts()
    answering = labels[~members["member_id"].isin(silent)].value_counts()
    table = pd.DataFrame({"stratum": population.index, "population": population.values})
    shares = table["population"] / max(int(table["population"].sum()), 1)
    table["target"] = _round_to_total(shares * panel.target_size, panel.target_size)
    table["members"] = table["stratum"].map(current).fillna(0).astype(int)
    table["answering"] = table["stratum"].map(answering).fillna(0).astype(int)
    table["shortfall"] = (table["target"] - table["members"]).clip(lower=0)
    return table


def _round_to_total(values: pd.Series, total: int) -> pd.Series:
    floors = values.astype(int)
    remainder = total - int(floors.sum())
    order = (values - floors).sort_values(ascending=False, kind="stable").index[:max(remainder, 0)]
    floors.loc[order] += 1
    return floors


def today() -> date:
    return date.today()


def topup_proposal(panel: Panel, table: pd.DataFrame | None = None) -> pd.DataFrame | None:
    """Invitations per stratum that would fill the panel's shortfall (None: no shortfall).

    Raises ``SamplingError`` when the shortfall cannot be computed (e.g. a zero join rate).
    """
    table = panel_composition(panel) if table is None else table
    if not len(table) or table["shortfall"].sum() <= 0:
        return None
    strata = list(panel.strata)
    rates = realised_rates(strata)
    return propose_topup(
        dict(zip(table.stratum, table.members, strict=True)),
        dict(zip(table.stratum, table.target, strict=True)),
        {stratum: rates.get(stratum, DEFAULT_RESPONSE_RATE) for stratum in table.stratum},
        topup_eligible(panel, strata), seed=panel.id)


def topup_eligible(panel: Panel, strata: list[str]) -> dict[str, int]:
    """Residents per stratum a top-up may still invite, under the draw form's default rules.

    Members of the panel, people invited in the past 12 months, those who opted out and the
    too young are left out, as the top-up draw the panel page prepares leaves them out; the
    proposal never asks for more invitations than there are people left to invite.
    """
    rules = Exclusions(minimum_age=panel_minimum_age(panel), panel_id=panel.id)
    frame, mask, _excluded = prepare(strata, rules, households=False)
    return {str(label): int(size) for label, size in stratum_sizes(frame[mask], strata).items()}


def topup_targets(panel: Panel) -> dict[str, int]:
    """The proposal as fixed per-stratum targets for a top-up draw (only strata that need it)."""
    proposal = topup_proposal(panel)
    if proposal is None:
        raise SamplingError("Dit panel heeft geen tekort: er is niets aan te vullen.")
    return {row.stratum: int(row.invitations) for row in proposal.itertuples()
            if row.invitations > 0}
