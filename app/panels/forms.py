from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from app.draws.forms import STRATA, MultiCheckboxField
from app.forms import BaseForm, choices


class PanelForm(BaseForm):
    name = StringField(_l("Naam"), validators=[InputRequired(), Length(max=200)],
                       description=_l("Bijvoorbeeld 'Stadspanel 2026–2030'."))
    description = TextAreaField(_l("Omschrijving"), validators=[Length(max=2000)])
    target_size = IntegerField(_l("Gewenst aantal leden"), default=500,
                               validators=[NumberRange(10, 100_000)])
    strata = MultiCheckboxField(_l("Samenstelling bewaken op"), choices=choices(STRATA),
                                default=["age_band", "sex", "district"])
    submit = SubmitField(_l("Panel aanmaken"))
