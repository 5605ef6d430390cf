from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, NumberRange

from app.forms import BaseForm, choices

SLIP = "stroken"


class StartForm(BaseForm):
    survey = SelectField(_l("Wat voert u in?"), validators=[InputRequired()])
    code = StringField(_l("Code op het formulier (typen of scannen)"),
                       validators=[InputRequired(), Length(max=64)],
                       description=_l("Een streepjescodelezer typt de code en drukt op Enter."))
    submit = SubmitField(_l("Formulier openen"))


class KeyingForm(BaseForm):
    """CSRF for the keying page; the answer fields are read from the request by field key."""


class SettingForm(BaseForm):
    mode = RadioField(_l("Invoer"), validators=[InputRequired()], choices=choices((
        ("double", _l("dubbel: elk formulier twee keer, door twee invoerders")),
        ("single", _l("enkel, met een willekeurige controlesteekproef")))))
    share = IntegerField(_l("Controlesteekproef (% van de formulieren)"),
                         validators=[InputRequired(), NumberRange(0, 100)])
    seed = IntegerField(_l("Seed van de steekproef"),
                        validators=[InputRequired(), NumberRange(0, 2**62)],
                        description=_l("Wordt bewaard: met dezelfde seed is de steekproef "
                                       "dezelfde."))
    submit = SubmitField(_l("Instelling bewaren"))
