from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, SubmitField
from wtforms.validators import NumberRange, Optional

from app.draws.forms import MultiCheckboxField
from app.forms import BaseForm, LocalDecimalField, choices

METHODS = [("rake", _l("Raking: naar elke marge apart (aanbevolen)")),
           ("poststratify", _l("Poststratificatie: naar de volledige kruistabel")),
           ("none", _l("Niet wegen (enkel ontwerpgewichten)"))]
VARIABLES = [("age_band", _l("Leeftijdsgroep")), ("sex", _l("Geslacht")),
             ("district", _l("Wijk")), ("nationality_group", _l("Nationaliteitsgroep"))]
KINDS = [("pdf", _l("Rapport (PDF) voor de gemeenteraad")), ("slides", _l("Presentatie (PDF)")),
         ("pptx", _l("Presentatie (PowerPoint, bewerkbaar)")),
         ("xlsx", _l("Excel: tabellen, codeboek en gepseudonimiseerde data")),
         ("sav", _l("SPSS (.sav) met labels"))]


class WeightForm(BaseForm):
    register_import_id = SelectField(
        _l("Register"), coerce=int, validate_choice=False,
        description=_l("Standaard het register waaruit de bevolking van deze bevraging kwam. "
                       "Kies enkel uitdrukkelijk een nieuwer register als u naar de bevolking "
                       "van dat moment wilt wegen."))
    method = SelectField(_l("Methode"), choices=choices(METHODS))
    variables = MultiCheckboxField(_l("Wegen naar"), choices=choices(VARIABLES),
                                   default=["age_band", "sex", "district"])
    trim_lower = LocalDecimalField(_l("Gewichten afkappen: ondergrens (× gemiddelde)"), places=2,
                              validators=[Optional(), NumberRange(0.01, 1, message=_l(
                                  "Geef een getal tussen 0,01 en 1."))])
    trim_upper = LocalDecimalField(_l("Gewichten afkappen: bovengrens (× gemiddelde)"), places=2,
                              validators=[Optional(), NumberRange(1, 50, message=_l(
                                  "Geef een getal tussen 1 en 50."))])
    propensity = BooleanField(_l("Eerst corrigeren voor responskans (logistische regressie op "
                                 "de registergegevens van alle uitgenodigden)"))
    submit = SubmitField(_l("Gewichten berekenen"))


class ReportForm(BaseForm):
    kind = SelectField(_l("Soort"), choices=choices(KINDS))
    stored_weights = BooleanField(_l("Met de bewaarde gewichten (de antwoorden van na de weging "
                                     "tellen niet mee; het rapport zegt dat)"))
    submit = SubmitField(_l("Maken"))


class ReweighForm(BaseForm):
    submit = SubmitField(_l("Opnieuw wegen met dezelfde keuzes"))


class RemoveForm(BaseForm):
    submit = SubmitField(_l("Verwijderen"))


class PublishForm(BaseForm):
    submit = SubmitField(_l("Wijzigen"))
