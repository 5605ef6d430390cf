"""Double entry of paper forms: receive a form, claim a pass, save it, compare, finalise, resolve.

Rules kept here (and by the database where it can): every pass of a form is keyed by a different
clerk (UNIQUE form × clerk); one clerk works on one pass at a time (UNIQUE form × pass, a claim
that times out after ``ENTRY_CLAIM_MINUTES``); a save never overwrites someone else's work (the
entry's version is checked, and ``version_id_col`` turns a race into ``StaleDataError``); the
researcher who resolves differences did not key the form. Services flush, the view commits.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app import audit
from app.entry import fields as keying
from app.entry.errors import ChangedElsewhereError, ClaimTakenError, EntryError
from app.entry.finalise import definition_of, finalise
from app.entry.settings import setting_for
from app.extensions import db
from app.models import Conflict, Entry, PaperForm, User, utcnow

SAME_CLERK = ("U heeft dit formulier al ingevoerd. De controle-invoer moet door een collega "
              "gebeuren.")
BUSY = "Een collega voert dit formulier nu in. Neem een ander formulier of probeer later."
CHANGED = ("Deze invoer is intussen door iemand anders gewijzigd of overgenomen. Uw getypte "
           "antwoorden staan nog op het scherm: controleer ze en meld het aan de onderzoeker.")
DONE = "Dit formulier is al volledig ingevoerd."


@dataclass
class SaveOutcome:
    errors: dict[str, str] = field(default_factory=dict)
    form_status: str | None = None
    differences: list[str] = field(default_factory=list)  # unsaved: check these first


def claim_minutes() -> int:
    return int(current_app.config.get("ENTRY_CLAIM_MINUTES", 30))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def claim(form: PaperForm, clerk: User, *, now: datetime | None = None) -> Entry:
    """The pass `clerk` keys now: their own open claim, a free pass, or an expired claim."""
    now = now or utcnow()
    if form.status in ("conflict", "final"):
        raise EntryError(DONE)
    entries = {entry.pass_number: entry for entry in form.entries}
    own = next((entry for entry in entries.values() if entry.clerk_id == clerk.id), None)
    if own is not None:
        if own.status == "saved":
            raise EntryError(SAME_CLERK)
        own.claimed_at = now
        return _flushed(own, ClaimTakenError(BUSY))
    expiry = now - timedelta(minutes=claim_minutes())
    for number in range(1, form.passes_required + 1):
        entry = entries.get(number)
        if entry is None:
            entry = Entry(form=form, pass_number=number, clerk_id=clerk.id, claimed_at=now,
                          status="claimed")
            db.session.add(entry)
            return _flushed(entry, ClaimTakenError(BUSY))
        if entry.status == "claimed" and _aware(entry.claimed_at) < expiry:
            audit.record("entry_claim_taken_over", entry, actor=clerk,
                         details={"form_id": form.id, "from_clerk": entry.clerk_id})
            entry.clerk_id, entry.claimed_at, entry.keyed_values = clerk.id, now, None
            return _flushed(entry, ClaimTakenError(BUSY))
    raise ClaimTakenError(BUSY)


def _flushed(entry: Entry, error: EntryError) -> Entry:
    """Flush; a parallel claim (UNIQUE violation or a stale version) becomes `error`."""
    try:
        db.session.flush()
    except (IntegrityError, StaleDataError):
        raise error from None
    return entry


def release(entry: Entry, clerk: User) -> None:
    """Give up an unsaved claim (the pass becomes free for a colleague)."""
    if entry.clerk_id != clerk.id or entry.status != "claimed":
        raise ChangedElsewhereError(CHANGED)
    db.session.delete(entry)
    db.session.flush()


def save_entry(entry: Entry, clerk: User, *, version: int | None,
               typed: dict[str, str], checked: list[str] | None = None) -> SaveOutcome:
    """Validate and store one pass; when every pass is in, compare and finalise or list conflicts.

    The last pass of a double-keyed form is not stored while it differs from the other pass
    in fields the clerk has not yet been told about (``checked``): the outcome lists those
    fields (never the other clerk's values), so the clerk looks at the paper again first.

    Raises ChangedElsewhereError when the claim was taken over, the pass was saved meanwhile or the
    row changed after the page was loaded; nothing is written then.
    """
    if entry.clerk_id != clerk.id or entry.status != "claimed" or entry.version != version:
        raise ChangedElsewhereError(CHANGED)
    form = entry.form
    values, errors = keying.read_form(definition_of(form), typed)
    if errors:
        return SaveOutcome(errors=errors)
    different = _differences_with_other_pass(entry, values)
    if different and sorted(different) != sorted(checked or []):
        return SaveOutcome(differences=different)
    entry.keyed_values, entry.status, entry.saved_at = values, "saved", utcnow()
    try:
        db.session.flush()
    except StaleDataError:
        raise ChangedElsewhereError(CHANGED) from None
    audit.record("entry_saved", entry, actor=clerk,
                 details={"form_id": form.id, "pass": entry.pass_number})
    _advance(form, actor=clerk)
    return SaveOutcome(form_status=form.status)


def _differences_with_other_pass(entry: Entry, values: dict) -> list[str]:
    form = entry.form
    others = [other for other in form.entries if other.status == "saved" and other is not entry]
    if form.passes_required != 2 or not others:
        return []
    return keying.differing(definition_of(form), others[0].keyed_values, values)


def _advance(form: PaperForm, *, actor: User) -> None:
    saved = [entry for entry in form.entries if entry.status == "saved"]
    if len(saved) < form.passes_required:
        form.status = "keyed_once"
        return
    if form.passes_required == 1:
        finalise(form, saved[0].keyed_values, actor=actor)
        return
    first, second = saved[0].keyed_values, saved[1].keyed_values
    different = keying.differing(definition_of(form), first, second)
    if not different:
        finalise(form, first, actor=actor)
        return
    positions = {item.key: index for index, item in enumerate(
        keying.entry_fields(definition_of(form)))}
    for key in different:
        db.session.add(Conflict(form=form, field=key, position=positions[key],
                                first_value=first.get(key), second_value=second.get(key)))
    form.status = "conflict"
    db.session.flush()
    audit.record("entry_conflict", form, actor=actor, details={"fields": different})


def keyers(form: PaperForm) -> set[int]:
    return {entry.clerk_id for entry in form.entries}


def resolve(form: PaperForm, resolver: User, choices: dict[str, tuple[str, str]]
            ) -> dict[str, str]:
    """Settle every difference: per field ``("first"|"second"|"other", typed)``.

    Returns the errors per field (nothing is changed then); otherwise finalises the form and
    audits who chose what.
    """
    if form.status != "conflict":
        raise EntryError("Dit formulier heeft geen open verschillen.")
    if resolver.id in keyers(form):
        raise EntryError("U heeft dit formulier zelf ingevoerd: een collega die het niet "
                         "invoerde, moet de verschillen oplossen.")
    chosen, errors = _chosen_values(form, choices)
    if errors:
        return errors
    now = utcnow()
    for conflict in form.conflicts:
        conflict.resolved_value = chosen[conflict.field]
        conflict.resolved, conflict.resolved_by_id, conflict.resolved_at = True, resolver.id, now
    values = {**_first_values(form), **chosen}
    audit.record("entry_conflict_resolved", form, actor=resolver, details={
        "sources": {key: choices[key][0] for key in chosen}})
    finalise(form, values, actor=resolver)
    return {}


def _first_values(form: PaperForm) -> dict[str, Any]:
    return dict(next(entry for entry in form.entries if entry.pass_number == 1).keyed_values)


def _chosen_values(form: PaperForm, choices: dict[str, tuple[str, str]]
                   ) -> tuple[dict[str, Any], dict[str, str]]:
    by_key = {item.key: item for item in keying.entry_fields(definition_of(form))}
    chosen, errors = {}, {}
    for conflict in form.conflicts:
        source, typed = choices.get(conflict.field, ("", ""))
        if source == "first":
            chosen[conflict.field] = conflict.first_value
        elif source == "second":
            chosen[conflict.field] = conflict.second_value
        elif source == "other":
            value, error = keying.read_field(by_key[conflict.field], typed)
            if error or value is None:
                errors[conflict.field] = error or keying.NOT_KEYED
            else:
                chosen[conflict.field] = value
        else:
            errors[conflict.field] = "Kies de waarde die op het papier staat."
    return chosen, errors


def entry_for(entry_id: int, clerk: User) -> Entry | None:
    """The clerk's own unsaved entry (None when it is not theirs or already saved)."""
    entry = db.session.get(Entry, entry_id)
    if entry is None or entry.clerk_id != clerk.id or entry.status != "claimed":
        return None
    return entry


def open_conflicts(survey_id: int | None) -> list[PaperForm]:
    kind = PaperForm.survey_id == survey_id if survey_id else PaperForm.kind == "slip"
    return list(db.session.scalars(sa.select(PaperForm).where(
        kind, PaperForm.status == "conflict").order_by(PaperForm.id)))


def setting_of(form: PaperForm):
    return setting_for(form.survey_id) if form.survey_id else None
