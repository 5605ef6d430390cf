"""Progress and keying quality: forms per status, error rate per clerk and per field.

A clerk's keying error is a field where their value differs from the final value (the agreed
value, or the value the researcher resolved against the paper). Only forms keyed twice count:
a single pass has nothing to be checked against.
"""

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.entry import fields as keying
from app.extensions import db
from app.models import PaperForm, User
from app.surveys.definition import SurveyDefinition, text_in


@dataclass(frozen=True)
class Rate:
    label: str
    fields: int
    errors: int

    @property
    def share(self) -> float:
        return self.errors / self.fields if self.fields else 0.0


def _scope(survey_id: int | None):
    return PaperForm.survey_id == survey_id if survey_id else PaperForm.kind == "slip"


def progress(survey_id: int | None) -> dict[str, int]:
    """Forms received, keyed once, in conflict, final, and verified (final after two passes)."""
    rows = db.session.execute(sa.select(PaperForm.status, PaperForm.passes_required,
                                        sa.func.count()).where(_scope(survey_id))
                              .group_by(PaperForm.status, PaperForm.passes_required)).all()
    counts = Counter()
    for status, passes, count in rows:
        counts[status] += count
        counts["total"] += count
        if status == "final" and passes == 2:
            counts["verified"] += count
    return {name: counts[name] for name in ("total", "received", "keyed_once", "conflict",
                                            "final", "verified")}


def error_rates(survey_id: int | None, definition: SurveyDefinition | None
                ) -> tuple[list[Rate], list[Rate]]:
    """(per clerk, per field in printed order) over final forms keyed twice."""
    forms = db.session.scalars(sa.select(PaperForm).options(selectinload(PaperForm.entries))
                               .where(_scope(survey_id), PaperForm.status == "final",
                                      PaperForm.passes_required == 2)).all()
    by_clerk, by_field = Counter(), Counter()
    errors_clerk, errors_field = Counter(), Counter()
    for form in forms:
        for entry in form.entries:
            for key, final in (form.final_values or {}).items():
                wrong = (entry.keyed_values or {}).get(key) != final
                by_clerk[entry.clerk_id] += 1
                by_field[key] += 1
                errors_clerk[entry.clerk_id] += wrong
                errors_field[key] += wrong
    names = dict(db.session.execute(sa.select(User.id, User.name).where(
        User.id.in_(list(by_clerk)))).all()) if by_clerk else {}
    clerks = [Rate(names.get(clerk, str(clerk)), by_clerk[clerk], errors_clerk[clerk])
              for clerk in sorted(by_clerk, key=lambda clerk: names.get(clerk, ""))]
    return clerks, _field_rates(definition, by_field, errors_field)


def _field_rates(definition: SurveyDefinition | None, totals: Counter,
                 errors: Counter) -> list[Rate]:
    if definition is None:
        return []
    rates = []
    for field in keying.entry_fields(definition):
        if totals[field.key]:
            text = text_in(field.item.text if field.item else field.question.text, "nl")
            rates.append(Rate(f"{field.number}. {text[:80]}", totals[field.key],
                              errors[field.key]))
    return rates
