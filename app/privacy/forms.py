from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.forms import BaseForm, choices

KINDS = [("access", _l("Inzage (art. 15)")), ("erasure", _l("Wissen (art. 17)")),
         ("restriction", _l("Beperking (art. 18)")), ("objection", _l("Bezwaar (art. 21)"))]
ANSWERS = [("anonymise", _l("Antwoorden bewaren zonder koppeling met de persoon")),
           ("delete", _l("Antwoorden ook verwijderen"))]
ACTIONS = [("erase", _l("Gegevens wissen")), ("restrict", _l("Verwerking beperken")),
           ("lift", _l("Beperking opheffen")), ("object", _l("Op de bezwaarlijst zetten")),
           ("done", _l("Verzoek afsluiten als afgehandeld")),
           ("refused", _l("Verzoek afsluiten als geweigerd"))]
REQUIRED = [DataRequired(_l("Vul dit veld in.")), Length(max=2000)]


class StudyForm(BaseForm):
    name = StringField(_l("Naam van de studie"), validators=REQUIRED)
    decision_body = StringField(_l("Beslissend orgaan"), validators=REQUIRED,
                                description=_l("Bv. 'College van burgemeester en schepenen'."))
    decision_date = DateField(_l("Datum van het besluit"),
                              validators=[InputRequired(_l("Vul een geldige datum in."))])
    decision_reference = StringField(_l("Referentie van het besluit"), validators=REQUIRED)
    purpose = TextAreaField(_l("Doel"), validators=REQUIRED)
    legal_basis = TextAreaField(_l("Rechtsgrond"), validators=REQUIRED,
                                default="Taak van algemeen belang (artikel 6.1.e AVG)")
    controller = TextAreaField(_l("Verwerkingsverantwoordelijke"), validators=REQUIRED)
    dpo_contact = TextAreaField(_l("Contact van de functionaris voor gegevensbescherming"),
                                validators=REQUIRED)
    unselected_retention_days = IntegerField(
        _l("Bewaartermijn niet-getrokken inwoners (dagen na de import)"), default=90,
        validators=[InputRequired(), NumberRange(0, 3650)])
    contact_retention_days = IntegerField(
        _l("Bewaartermijn contactgegevens (dagen na het einde van het veldwerk)"), default=180,
        validators=[InputRequired(), NumberRange(0, 3650)])
    fieldwork_end = DateField(_l("Einde van het veldwerk"), validators=[Optional()])
    letter_sender = TextAreaField(
        _l("Afzender op de brieven"), validators=[Length(max=2000)],
        description=_l("Eén regel per lijn, bv. 'Stad Zennegem', 'Dienst Participatie', "
                       "'Markt 1, 1500 Zennegem'."))
    letter_phone = StringField(_l("Telefoonnummer op de brieven"),
                               validators=[Length(max=40)],
                               description=_l("Waar 'bel ons' naartoe leidt, bv. 02 123 45 67."))
    letter_email = StringField(_l("E-mailadres op de brieven"), validators=[Length(max=200)],
                               description=_l("Waar 'mail ons' naartoe leidt."))
    letter_signature = TextAreaField(
        _l("Ondertekening van de brieven"), validators=[Length(max=2000)],
        description=_l("Eén regel per lijn, bv. naam en functie van wie ondertekent."))
    submit = SubmitField(_l("Studie bewaren"))


class RequestForm(BaseForm):
    kind = SelectField(_l("Soort verzoek"), choices=choices(KINDS))
    received_on = DateField(_l("Ontvangen op"), default=date.today,
                            validators=[InputRequired(_l("Vul een geldige datum in."))])
    note = TextAreaField(_l("Hoe kwam het verzoek binnen?"), validators=[Length(max=2000)],
                         description=_l("Bv. 'brief van 3 maart'. Geen rijksregisternummer."))
    submit = SubmitField(_l("Verzoek registreren"))


class SearchForm(BaseForm):
    last_name = StringField(_l("Naam"), validators=[Optional(), Length(max=200)])
    first_name = StringField(_l("Voornaam"), validators=[Optional(), Length(max=200)])
    street = StringField(_l("Straat"), validators=[Optional(), Length(max=200)])
    house_number = StringField(_l("Huisnummer"), validators=[Optional(), Length(max=20)])
    postcode = StringField(_l("Postcode"), validators=[Optional(), Length(max=4)])
    code = StringField(_l("Of: code uit de brief of e-mail"),
                       validators=[Optional(), Length(max=40)])
    submit = SubmitField(_l("Zoeken"))


class LinkForm(BaseForm):
    resident_id = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Dit is de persoon"))


class ActionForm(BaseForm):
    action = SelectField(_l("Stap"), choices=choices(ACTIONS))
    answers = RadioField(_l("Wat gebeurt er met de antwoorden bij wissen?"),
                         choices=choices(ANSWERS), default="anonymise")
    confirm = BooleanField(_l("Ik bevestig deze stap; wissen kan niet ongedaan gemaakt worden."),
                           validators=[DataRequired(_l("Bevestig eerst."))])
    submit = SubmitField(_l("Uitvoeren"))


class ExportForm(BaseForm):
    submit = SubmitField(_l("Alle gegevens downloaden (JSON)"))


class AnonymiseForm(BaseForm):
    confirm_text = StringField(
        _l("Typ ANONIEM om te bevestigen"),
        validators=[DataRequired(_l("Typ ANONIEM om te bevestigen."))])
    submit = SubmitField(_l("Anonimiseren"))


class RetentionForm(BaseForm):
    confirm = BooleanField(_l("Ik heb het overzicht gelezen; verwijder deze gegevens nu."),
                           validators=[DataRequired(_l("Bevestig eerst."))])
    submit = SubmitField(_l("Nu toepassen"))
