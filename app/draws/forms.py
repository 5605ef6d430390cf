from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms import BaseForm, LocalDecimalField, choices

PURPOSES = [("recruitment", _l("Werving voor het panel")),
            ("topup", _l("Aanvulling van het panel")),
            ("survey_sample", _l("Steekproef voor één bevraging"))]
STRATA = [("age_band", _l("Leeftijdsgroep")), ("sex", _l("Geslacht")), ("district", _l("Wijk")),
          ("nationality_group", _l("Nationaliteitsgroep")),
          ("household_size_class", _l("Grootte van het huishouden"))]
METHODS = [("proportional", _l("Proportioneel: elk stratum naar zijn aandeel in de bevolking")),
           ("target_completes", _l("Gewenste samenstelling van de leden, rekening houdend met "
                                   "de verwachte respons per stratum")),
           ("equal", _l("Evenveel per stratum")),
           ("fixed", _l("Aanvulling: het voorstel op de pagina van het gekozen panel"))]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DrawForm(BaseForm):
    panel_id = SelectField(_l("Panel"), coerce=int, validators=[Optional()])
    purpose = SelectField(_l("Doel"), choices=choices(PURPOSES))
    study_id = SelectField(_l("Studie"), coerce=int, validators=[Optional()],
                           description=_l("De studie (besluit en doel) waarvoor u trekt."))
    strata = MultiCheckboxField(_l("Strata"), choices=choices(STRATA),
                                default=["age_band", "sex", "district"])
    method = SelectField(_l("Verdeling over de strata"), choices=choices(METHODS))
    sample_size = IntegerField(
        _l("Aantal"), validators=[InputRequired(), NumberRange(1, 1_000_000)], default=1500,
        description=_l("Bij 'gewenste samenstelling': het aantal leden dat u wilt bereiken; "
                       "het aantal uitnodigingen volgt uit de verwachte respons. Bij een "
                       "aanvulling volgt het aantal uit het voorstel van het panel."))
    response_rate = LocalDecimalField(
        _l("Verwachte respons (%)"), default=15, places=1,
        validators=[NumberRange(0.5, 100, message=_l("Geef een getal tussen 0,5 en 100."))],
        description=_l("Gebruikt waar nog geen gerealiseerde respons van eerdere trekkingen is."))
    minimum = IntegerField(_l("Minimum per stratum"), default=0, validators=[NumberRange(0)])
    reserve_percent = IntegerField(_l("Reservelijst (% extra per stratum)"), default=0,
                                   validators=[NumberRange(0, 200)])
    one_per_household = BooleanField(_l("Hoogstens één persoon per huishouden"), default=True)
    minimum_age = IntegerField(_l("Minimumleeftijd"), default=16, validators=[NumberRange(0, 120)])
    exclude_members = BooleanField(_l("Huidige panelleden uitsluiten"), default=True)
    invited_within_months = IntegerField(
        _l("Wie in de voorbije zoveel maanden werd uitgenodigd, uitsluiten"), default=12,
        validators=[Optional(), NumberRange(0, 120)])
    institution_addresses = TextAreaField(
        _l("Adressen van instellingen (woonzorgcentra, gevangenis …)"),
        description=_l("Eén adres per regel: straat huisnummer, postcode — bv. 'Zorglaan 5, "
                       "1500'. Wie daar woont, wordt niet getrokken."))
    seed = IntegerField(
        _l("Startgetal (seed)"), validators=[Optional(), NumberRange(1, 2**31 - 1)],
        description=_l("Laat leeg om een willekeurig startgetal te laten kiezen, of vul een "
                       "publiek getrokken getal in. Met hetzelfde startgetal en kader krijgt "
                       "iedereen dezelfde trekking."))
    preview = SubmitField(_l("Verdeling bekijken"))
    submit = SubmitField(_l("Trekking uitvoeren"))
