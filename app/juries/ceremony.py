"""The public ceremony: phase 1 (publish the portfolio), phase 2 (seed), replacements, verify."""

import sqlalchemy as sa

from app import audit
from app.extensions import db
from app.juries import lottery as engine
from app.juries.services import JuryError, candidates, pool_frame
from app.models import Jury, JuryCandidate, JuryLottery, utcnow
from sampling.sortition import ALGORITHM

MAX_SEED = 10**18


def _open_lottery(jury: Jury) -> JuryLottery | None:
    return next((lottery for lottery in jury.lotteries if not lottery.drawn), None)


def _store(jury: Jury, kind: str, result: engine.PhaseOne, *, size: int, fixed, excluded,
           user_id: int | None) -> JuryLottery:
    text = result.portfolio.text().encode("utf-8")
    record = JuryLottery(
        jury_id=jury.id, kind=kind, panel_size=jury.panel_size, seats=result.problem.seats,
        algorithm=ALGORITHM, software_version=engine.software_version(),
        features=list(jury.features), quotas=list(jury.quotas), fixed=sorted(fixed),
        excluded=sorted(excluded), pool_snapshot=engine.pack(result.pool_text),
        pool_hash=engine.sha256(result.pool_text), portfolio_size=size,
        portfolio_text=engine.pack(text), portfolio_hash=result.portfolio.sha256,
        probabilities=result.probabilities, maximin_bound=result.maximin_bound,
        created_by_id=user_id)
    db.session.add(record)
    db.session.flush()
    audit.record("jury_lottery_published", record, details={
        "jury_id": jury.id, "kind": kind, "pool_hash": record.pool_hash,
        "portfolio_hash": record.portfolio_hash, "seats": record.seats})
    return record


def publish(jury: Jury, *, size: int, user_id: int | None) -> JuryLottery:
    """Phase 1 of the main lottery; raises ``SamplingError`` / ``JuryError``."""
    if jury.lotteries:
        raise JuryError("Deze jury heeft al een loting; gebruik een vervangingsronde.")
    if not jury.quotas:
        raise JuryError("Stel eerst de quota in en laat ze controleren.")
    withdrawn = [c.pseudonym for c in candidates(jury, statuses=("withdrawn",))]
    result = engine.phase_one(pool_frame(jury), jury.quotas, jury.panel_size,
                              features=list(jury.features), excluded=withdrawn, size=size)
    return _store(jury, "main", result, size=size, fixed=[], excluded=withdrawn,
                  user_id=user_id)


def draw(record: JuryLottery, *, seed: int, user_id: int | None) -> list[str]:
    """Phase 2: store the public seed, pick the panel, mark the chosen candidates."""
    if record.drawn:
        raise JuryError("Voor deze loting is het zaad al ingevoerd.")
    if not 0 <= seed < MAX_SEED:
        raise JuryError("Het zaad moet een geheel getal van hoogstens 18 cijfers zijn.")
    portfolio = engine.stored_portfolio(record)
    number, chosen = engine.phase_two(portfolio, seed)
    record.seed, record.chosen_number, record.chosen = seed, number, sorted(chosen)
    record.drawn_at, record.drawn_by_id = utcnow(), user_id
    people = db.session.scalars(sa.select(JuryCandidate).where(
        JuryCandidate.jury_id == record.jury_id, JuryCandidate.pseudonym.in_(chosen)))
    for candidate in people:
        candidate.status = "selected"
    audit.record("jury_lottery_drawn", record, details={"seed": seed, "panel": number,
                                                        "jury_id": record.jury_id})
    return chosen


def members(jury: Jury) -> list[JuryCandidate]:
    return candidates(jury, statuses=("selected",))


def replace(jury: Jury, *, size: int, user_id: int | None) -> JuryLottery:
    """Phase 1 of a replacement: the members who stay are fixed, the open seats re-drawn."""
    if not jury.lotteries or _open_lottery(jury) is not None:
        raise JuryError("Er is geen getrokken jury om aan te vullen, of een loting wacht nog "
                        "op haar zaad.")
    fixed = [candidate.pseudonym for candidate in members(jury)]
    if len(fixed) >= jury.panel_size:
        raise JuryError("Alle plaatsen zijn bezet: er is niemand te vervangen.")
    excluded = [candidate.pseudonym for candidate in candidates(jury, statuses=("withdrawn",))]
    result = engine.phase_one(pool_frame(jury), jury.quotas, jury.panel_size,
                              features=list(jury.features), fixed=fixed, excluded=excluded,
                              size=size)
    return _store(jury, "replacement", result, size=size, fixed=fixed, excluded=excluded,
                  user_id=user_id)


def verify(jury: Jury) -> list[tuple[JuryLottery, engine.Replay]]:
    """Replay every lottery of the jury; a replacement must also fix exactly the members who
    were chosen before and had not withdrawn by then."""
    results, chosen_before = [], set()
    for record in jury.lotteries:
        replay = engine.replay(record)
        if record.kind == "replacement":
            stray = sorted(set(record.fixed) - chosen_before)
            if stray:
                replay.differences.append(f"vast maar nooit getrokken: {', '.join(stray)}")
            kept_out = sorted(chosen_before - set(record.fixed) - set(record.excluded))
            if kept_out:
                replay.differences.append(f"getrokken maar niet vast: {', '.join(kept_out)}")
        chosen_before |= set(record.chosen)
        results.append((record, replay))
    return results


def current_pool_hash(jury: Jury) -> str:
    """Hash of the pool as the database holds it now (features per pseudonym), to say whether
    it changed since a lottery's snapshot."""
    return engine.sha256(engine.pool_text(pool_frame(jury), list(jury.features)))
