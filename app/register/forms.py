from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app.forms import BaseForm, LocalDecimalField


class UploadForm(BaseForm):
    file = FileField(_l("Registerbestand (CSV of XLSX)"), validators=[FileRequired(
        _l("Kies een bestand."))])
    study_id = SelectField(
        _l("Studie"), coerce=int, validators=[Optional()],
        description=_l("De studie (besluit, doel, verantwoordelijke) waarvoor u het register "
                       "inleest. Beheer studies onder Privacy."))
    reference_date = DateField(
        _l("Peildatum van de export"), validators=[DataRequired(_l("Vul een geldige datum in."))],
        description=_l("De datum waarop de bevolkingsdienst de gegevens trok."))
    legal_basis = TextAreaField(
        _l("Rechtsgrond"), validators=[DataRequired(), Length(min=5, max=2000)],
        description=_l("Referentie van het raads- of collegebesluit dat het doel van het "
                       "onderzoek vastlegt, bv. 'Collegebesluit 2026/123 — Stadspanel'."))
    max_error_share = LocalDecimalField(
        _l("Maximaal aandeel foutieve rijen (%)"), default=5, places=1,
        validators=[NumberRange(0, 100, message=_l("Geef een getal tussen 0 en 100."))],
        description=_l("Bevat meer dan dit aandeel van de rijen fouten, dan wordt het bestand "
                       "geweigerd. Anders worden de geldige rijen ingelezen."))
    minimum_age = IntegerField(
        _l("Minimumleeftijd voor het panel"), default=16, validators=[NumberRange(0, 120)],
        description=_l("De leeftijdsgroepen beginnen bij deze leeftijd (bij 16: 16-17, 18-24, …), "
                       "zodat weging en panelsamenstelling enkel wie mag deelnemen tellen."))
    street_table = FileField(
        _l("Straten per wijk (optioneel, CSV)"),
        description=_l("Alleen nodig als de export geen kolom 'wijk' heeft: een CSV met "
                       "straat;postcode;wijk of straat;wijk."))
    submit = SubmitField(_l("Bestand controleren"))

    def validate_reference_date(self, field) -> None:
        if field.data and field.data > date.today():
            raise ValidationError(_l("De peildatum ligt in de toekomst."))


class StreetTableForm(BaseForm):
    street_table = FileField(
        _l("Straten per wijk (CSV)"), validators=[FileRequired(_l("Kies een bestand."))],
        description=_l("Een CSV met straat;postcode;wijk of straat;wijk. De export wordt "
                       "daarna opnieuw gecontroleerd."))
    submit = SubmitField(_l("Stratenlijst gebruiken"))


class ConfirmForm(BaseForm):
    submit = SubmitField(_l("Bevestigen"))


class ResumeForm(BaseForm):
    file = FileField(_l("Hetzelfde registerbestand"), validators=[FileRequired(
        _l("Kies een bestand."))],
        description=_l("Om privacyredenen bewaren we het bestand niet na een onderbreking. "
                       "Laad precies hetzelfde bestand opnieuw op; de import gaat dan verder "
                       "met dezelfde instellingen."))
    submit = SubmitField(_l("Verder gaan"))


class CommitForm(BaseForm):
    confirm_departures = BooleanField(_l(
        "Ja, dit is het volledige register van de gemeente: lees het toch in en markeer deze "
        "inwoners als niet meer in het register."))
    submit = SubmitField(_l("Geldige rijen inlezen"))
