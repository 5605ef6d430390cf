"""Juries: creation, the pool of candidates (panel members, invitations, a list) and quotas."""

import re
import secrets
import unicodedata
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from app import audit
from app.extensions import db
from app.invitations.codes import ALPHABET
from app.models import Jury, JuryCandidate, Member, Panel, Resident, Suppression, utcnow
from app.models.jury import REGISTER_FEATURES
from sampling.errors import SamplingError
from sampling.sortition import QuotaCheck, check_quotas

REGISTER_LABELS = {"age_band": "Leeftijdsgroep", "sex": "Geslacht", "district": "Wijk"}
UNKNOWN = "onbekend"


class JuryError(ValueError):
    """A request the jury workflow refuses, with a Dutch message."""


@dataclass(frozen=True)
class JuryValues:
    name: str
    purpose: str
    panel_size: int
    study_id: int | None
    one_per_household: bool
    self_features: list[dict]


def _slug(label: str) -> str:
    plain = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")[:40]


def parse_self_features(text: str) -> list[dict]:
    """``Opleiding: Lager, Secundair, Hoger`` per line -> [{key, label, options}] (Dutch errors)."""
    features, keys = [], set(REGISTER_FEATURES)
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        label, colon, rest = line.partition(":")
        options = [option.strip() for option in rest.split(",") if option.strip()]
        key = _slug(label)
        if not colon or not key or len(options) < 2:
            raise JuryError(f"Regel {number}: schrijf 'Kenmerk: waarde, waarde' met minstens "
                            "twee waarden.")
        if key in {_slug(text) for text in REGISTER_LABELS.values()} | set(REGISTER_FEATURES):
            raise JuryError(f"Regel {number}: '{label.strip()}' komt uit het register en staat "
                            "er al; dat vragen we niet aan de kandidaat.")
        if key in keys:
            raise JuryError(f"Regel {number}: kenmerk '{label.strip()}' staat er al.")
        if len(set(options)) != len(options):
            raise JuryError(f"Regel {number}: een waarde staat er twee keer.")
        keys.add(key)
        features.append({"key": key, "label": label.strip(), "options": options})
    return features


def create_jury(values: JuryValues, *, user_id: int | None) -> Jury:
    jury = Jury(name=values.name.strip(), purpose=values.purpose.strip(),
                panel_size=values.panel_size, study_id=values.study_id,
                one_per_household=values.one_per_household,
                self_features=values.self_features, register_features=list(REGISTER_FEATURES),
                quotas=[], created_by_id=user_id)
    db.session.add(jury)
    db.session.flush()
    audit.record("jury_created", jury, details={"panel_size": jury.panel_size})
    return jury


def feature_labels(jury: Jury) -> dict[str, str]:
    return {**{key: REGISTER_LABELS[key] for key in jury.register_features},
            **{item["key"]: item["label"] for item in jury.self_features}}


def new_pseudonym(jury: Jury) -> str:
    taken = set(db.session.scalars(sa.select(JuryCandidate.pseudonym)
                                   .where(JuryCandidate.jury_id == jury.id)))
    while True:
        pseudonym = "K-" + "".join(secrets.choice(ALPHABET) for _ in range(6))
        if pseudonym not in taken:
            return pseudonym


def register_features(resident: Resident) -> dict[str, str]:
    """Age band, sex and district always come from the register, never from the person."""
    return {key: str(getattr(resident, key)) for key in REGISTER_FEATURES}


def check_resident(jury: Jury, resident: Resident) -> None:
    """Refuse people already in the pool, erased, restricted, objected, or a household twice."""
    if resident.erased_at is not None or resident.restricted_at is not None:
        raise JuryError("Deze persoon mag niet meer gecontacteerd worden.")
    if db.session.scalar(sa.select(Suppression.id).where(
            Suppression.person_key == resident.person_key)):
        raise JuryError("Deze persoon heeft bezwaar gemaakt tegen contact.")
    if db.session.scalar(sa.select(JuryCandidate.id).where(
            JuryCandidate.jury_id == jury.id, JuryCandidate.resident_id == resident.id)):
        raise JuryError("Deze persoon staat al in de pool.")
    if jury.one_per_household and resident.household_id and db.session.scalar(
            sa.select(JuryCandidate.id).where(JuryCandidate.jury_id == jury.id,
                                              JuryCandidate.household_id == resident.household_id)):
        raise JuryError("Iemand van hetzelfde huishouden staat al in de pool (één per "
                        "huishouden).")


def add_candidate(jury: Jury, resident: Resident, *, source: str, answers: dict,
                  availability: str = "", **links) -> JuryCandidate:
    """Add one resident to the pool with register features and self-reported answers."""
    check_resident(jury, resident)
    own = {item["key"]: answers.get(item["key"]) or UNKNOWN for item in jury.self_features}
    candidate = JuryCandidate(
        jury_id=jury.id, pseudonym=new_pseudonym(jury), source=source,
        resident_id=resident.id, household_id=resident.household_id,
        features={**register_features(resident), **own}, availability=availability.strip(),
        status="pool", **links)
    db.session.add(candidate)
    db.session.flush()
    return candidate


def add_panel_members(jury: Jury, panel: Panel) -> tuple[int, int]:
    """Every active member of ``panel`` joins the pool (self-reported features from the
    member's profile where the keys match); returns (added, skipped)."""
    members = db.session.scalars(sa.select(Member).where(
        Member.panel_id == panel.id, Member.status == "active",
        Member.resident_id.is_not(None)).order_by(Member.id))
    added = skipped = 0
    for member in members:
        try:
            with db.session.begin_nested():
                add_candidate(jury, member.resident, source="panel", answers=member.profile or {},
                              member_id=member.id)
        except JuryError:
            skipped += 1
        else:
            added += 1
    audit.record("jury_pool_from_panel", jury, details={"panel_id": panel.id, "added": added,
                                                        "skipped": skipped})
    return added, skipped


def candidates(jury: Jury, *, statuses=("pool", "selected", "withdrawn")) -> list[JuryCandidate]:
    return list(db.session.scalars(sa.select(JuryCandidate).where(
        JuryCandidate.jury_id == jury.id, JuryCandidate.status.in_(statuses))
        .order_by(JuryCandidate.pseudonym)))


def pool_frame(jury: Jury) -> pd.DataFrame:
    """All candidates (any status), indexed by pseudonym, one column per feature."""
    rows = [{"pseudonym": candidate.pseudonym, **{key: str(candidate.features.get(key, UNKNOWN))
                                                  for key in jury.features}}
            for candidate in candidates(jury)]
    return pd.DataFrame(rows, columns=["pseudonym", *jury.features]).set_index("pseudonym")


def counts(jury: Jury, statuses=("pool", "selected")) -> dict[str, dict[str, int]]:
    """Candidates per feature value (aggregates, for councillors and the quota form)."""
    found = candidates(jury, statuses=statuses)
    table: dict[str, dict[str, int]] = {key: {} for key in jury.features}
    for candidate in found:
        for key in jury.features:
            value = str(candidate.features.get(key, UNKNOWN))
            table[key][value] = table[key].get(value, 0) + 1
    return {key: dict(sorted(values.items())) for key, values in table.items()}


def default_quotas(jury: Jury) -> list[dict]:
    """The stored quotas, plus a row (0..panel size) for every value present in the pool."""
    stored = {(row["feature"], row["value"]): row for row in jury.quotas}
    rows = []
    for feature, values in counts(jury, ("pool", "selected", "withdrawn")).items():
        for value in values:
            rows.append(stored.get((feature, value), {"feature": feature, "value": value,
                                                      "min": 0, "max": jury.panel_size}))
    return rows


def check(jury: Jury, rows: list[dict]) -> QuotaCheck:
    """Feasibility of ``rows`` on the current pool (people who withdrew left out)."""
    from app.juries.lottery import quota_frame

    pool = pool_frame(jury)
    open_pool = pool.loc[[c.pseudonym for c in candidates(jury, statuses=("pool", "selected"))]]
    if len(open_pool) < jury.panel_size:
        raise SamplingError(f"De pool telt {len(open_pool)} kandidaten, minder dan de "
                            f"{jury.panel_size} plaatsen van de jury.")
    return check_quotas(open_pool, quota_frame(rows), jury.panel_size)


def save_quotas(jury: Jury, rows: list[dict]) -> QuotaCheck:
    """Store ``rows`` only when some panel meets them; the check says why not otherwise."""
    if any(lottery.kind == "main" for lottery in jury.lotteries):
        raise JuryError("De loting is al gepubliceerd: de quota liggen vast.")
    result = check(jury, rows)
    audit.record("jury_quotas_checked", jury, details={"feasible": result.feasible,
                                                       "quotas": len(rows)})
    if result.feasible:
        jury.quotas = rows
    return result


def withdraw(candidate: JuryCandidate) -> None:
    """A selected person (or a candidate) withdraws; the caller commits."""
    if candidate.status == "withdrawn":
        raise JuryError("Deze kandidaat heeft zich al teruggetrokken.")
    was = candidate.status
    candidate.status, candidate.withdrawn_at = "withdrawn", utcnow()
    audit.record("jury_candidate_withdrawn", candidate, details={"was": was,
                                                                 "jury_id": candidate.jury_id})


def members_frame(jury: Jury) -> pd.DataFrame:
    """The selected members with name, address and e-mail, to contact them (staff only)."""
    rows = []
    for candidate in candidates(jury, statuses=("selected",)):
        resident = candidate.resident
        member = db.session.get(Member, candidate.member_id) if candidate.member_id else None
        rows.append({
            "pseudoniem": candidate.pseudonym, "voornaam": resident and resident.first_name,
            "naam": resident and resident.last_name, "straat": resident and resident.street,
            "huisnummer": resident and resident.house_number, "bus": resident and resident.box,
            "postcode": resident and resident.postcode,
            "gemeente": resident and resident.municipality,
            "e-mail": member.email if member else None,
            "beschikbaarheid": candidate.availability})
    return pd.DataFrame(rows, columns=["pseudoniem", "voornaam", "naam", "straat", "huisnummer",
                                       "bus", "postcode", "gemeente", "e-mail",
                                       "beschikbaarheid"])
