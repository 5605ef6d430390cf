from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import BaseForm, choices

TYPE_LABELS = [("single", _l("Eén antwoord")), ("multiple", _l("Meerdere antwoorden")),
               ("likert", _l("Likertschaal (één stelling)")),
               ("matrix", _l("Matrix (stellingen met dezelfde schaal)")), ("number", _l("Getal")),
               ("text", _l("Open tekst")), ("date", _l("Datum"))]
LANGUAGE_FIELDS = ("nl", "fr", "en")
LINES_HELP = _l("Eén per regel: waarde | Nederlands | Frans | Engels (Frans en Engels mogen "
                "leeg blijven).")
CONDITION_HELP = _l('Leeg = altijd tonen. Bijvoorbeeld {"question": "Q1", "operator": "in", '
                    '"values": ["1", "2"]}; operatoren: in, not_in, answered, gt, lt; '
                    'combineer met {"all": [...]} of {"any": [...]}.')


class ImportForm(BaseForm):
    file = FileField(_l("JSON-bestand"))
    text = TextAreaField(_l("Of plak de JSON hier"), validators=[Optional()])


class BlankForm(BaseForm):
    title = StringField(_l("Titel van de nieuwe bevraging"),
                        validators=[DataRequired(), Length(max=300)])


class CopyForm(BaseForm):
    title = StringField(_l("Titel van de kopie"), validators=[DataRequired(), Length(max=300)],
                        description=_l("Bijvoorbeeld de titel met het jaar van de nieuwe golf."))


class ActionForm(BaseForm):
    """An empty form: a CSRF-protected button."""


class MoveForm(BaseForm):
    direction = HiddenField(validators=[DataRequired()])


def _texts(prefix: str, label, area: bool = False) -> dict:
    field = TextAreaField if area else StringField
    return {f"{prefix}_{language}": field(f"{label} ({language})", validators=[Optional()])
            for language in LANGUAGE_FIELDS}


class QuestionForm(BaseForm):
    code = StringField(_l("Code (variabelenaam)"), validators=[DataRequired(), Length(max=40)],
                       description=_l("Letters, cijfers en _, beginnend met een letter: Q1, "
                                      "tevreden_buurt."))
    type = SelectField(_l("Soort vraag"), choices=choices(TYPE_LABELS))
    required = BooleanField(_l("Verplicht"))
    locals().update(_texts("text", _l("Vraagtekst"), area=True))
    locals().update(_texts("help", _l("Hulptekst")))
    options = TextAreaField(_l("Antwoorden"), description=LINES_HELP, validators=[Optional()])
    missing = TextAreaField(_l("Weet niet / geen antwoord-codes"), description=LINES_HELP,
                            validators=[Optional()])
    items = TextAreaField(_l("Stellingen van de matrix"), validators=[Optional()],
                          description=_l("Eén per regel: code | Nederlands | Frans | Engels."))
    points = StringField(_l("Aantal punten van de schaal (5 of 7)"), validators=[Optional()])
    max_choices = StringField(_l("Maximaal aantal antwoorden"), validators=[Optional()])
    minimum = StringField(_l("Minimum"), validators=[Optional()])
    maximum = StringField(_l("Maximum"), validators=[Optional()])
    decimals = StringField(_l("Aantal decimalen"), validators=[Optional()])
    max_length = StringField(_l("Maximale lengte van het antwoord (tekens)"),
                             validators=[Optional()])
    condition = TextAreaField(_l("Toonvoorwaarde (JSON)"), description=CONDITION_HELP,
                              validators=[Optional()])


class SectionForm(BaseForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    locals().update(_texts("title", _l("Titel")))
    condition = TextAreaField(_l("Toonvoorwaarde (JSON)"), description=CONDITION_HELP,
                              validators=[Optional()])


class MetaForm(BaseForm):
    languages = StringField(_l("Talen"), validators=[DataRequired()],
                            description=_l("Bijvoorbeeld: nl, fr, en (Nederlands eerst)."))
    locals().update(_texts("title", _l("Titel")))
    locals().update(_texts("intro", _l("Inleiding"), area=True))
    locals().update(_texts("outro", _l("Slottekst"), area=True))


class AssignForm(BaseForm):
    target = SelectField(_l("Aan wie?"), validators=[DataRequired()])


class MailStepForm(BaseForm):
    step = SelectField(_l("Welke e-mail"), choices=choices(
        (("invitation", _l("uitnodiging")), ("reminder1", _l("eerste herinnering")),
         ("reminder2", _l("tweede herinnering")))))


def uploaded_definition(form: ImportForm) -> bytes | str:
    """The definition a form carries: the uploaded file if one was chosen, else the pasted text."""
    if form.file.data and getattr(form.file.data, "filename", ""):
        return form.file.data.read()
    return form.text.data or ""
