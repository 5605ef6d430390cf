"""What the paper forms could not say: blank, unreadable and several-ticked answers per question.

Data-entry clerks key ``.`` (blank), ``?`` (unreadable) or ``*`` (several boxes ticked); the
agreed values keep those codes on the paper form while the response holds no answer. Researchers
need the reasons for this item non-response, so the workbook gets a count per question. A blank
that routing put there (the question was not to be answered) is not counted.
"""

from collections import Counter

import pandas as pd
import sqlalchemy as sa

from app.entry.fields import CODE_LABELS, answers_from, entry_fields
from app.extensions import db
from app.models import PaperForm, Survey
from app.surveys import versions
from app.surveys.definition import visible_questions

COLUMNS = ["question", "variable", *CODE_LABELS.values()]


def item_codes(survey: Survey) -> pd.DataFrame:
    """Per keyed field with at least one code: its printed number, variable and code counts."""
    forms = db.session.scalars(sa.select(PaperForm).where(
        PaperForm.survey_id == survey.id, PaperForm.kind == "survey",
        PaperForm.status == "final"))
    counts: Counter = Counter()
    fields_of: dict[int, list] = {}
    for form in forms:
        definition = versions.definition_of(survey, form.survey_version)
        fields = fields_of.setdefault(form.survey_version, entry_fields(definition))
        values = form.final_values or {}
        shown = {question.code for question in
                 visible_questions(definition, answers_from(definition, values))}
        for field in fields:
            value = values.get(field.key)
            label = CODE_LABELS.get(value) if isinstance(value, str) else None
            if label and field.question.code in shown:
                counts[(field.number, field.key, label)] += 1
    rows = _rows(counts, [field for fields in fields_of.values() for field in fields])
    return pd.DataFrame(rows, columns=COLUMNS)


def _rows(counts: Counter, fields: list) -> list[list]:
    order = {field.key: index for index, field in enumerate(fields)}
    keys = sorted({(number, key) for number, key, _ in counts}, key=lambda k: order.get(k[1], 0))
    return [[number, key, *(counts[(number, key, label)] for label in CODE_LABELS.values())]
            for number, key in keys]
