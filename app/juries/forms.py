from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from app.forms import BaseForm, choices


class JuryForm(BaseForm):
    name = StringField(_l("Naam"), validators=[InputRequired(), Length(max=200)],
                       description=_l("Bijvoorbeeld 'Burgerjury burgerbegroting 2027'."))
    purpose = TextAreaField(_l("Doel"), validators=[Length(max=2000)])
    panel_size = IntegerField(_l("Aantal leden"), default=9,
                              validators=[InputRequired(), NumberRange(1, 500)])
    study_id = SelectField(_l("Studie"), coerce=int, validators=[Optional()],
                           description=_l("De studie (besluit, doel en bewaartermijnen) van deze "
                                          "jury."))
    one_per_household = BooleanField(_l("Hoogstens één persoon per huishouden"), default=True)
    self_features = TextAreaField(
        _l("Zelf opgegeven kenmerken"), validators=[Length(max=2000)],
        description=_l("Eén kenmerk per regel: 'Opleiding: Lager, Secundair, Hoger'. "
                       "Leeftijdsgroep, geslacht en wijk komen altijd uit het register."))
    submit = SubmitField(_l("Jury aanmaken"))


class InviteForm(BaseForm):
    number = IntegerField(_l("Aantal uitnodigingen"), default=100,
                          validators=[InputRequired(), NumberRange(1, 100_000)])
    minimum_age = IntegerField(_l("Minimumleeftijd"), default=16,
                               validators=[InputRequired(), NumberRange(0, 120)])
    deadline = DateField(_l("Kandidaat stellen tot"), validators=[InputRequired()])
    seed = IntegerField(_l("Startgetal (seed)"), validators=[Optional(), NumberRange(1, 2**31 - 1)],
                        description=_l("Leeg: een willekeurig startgetal."))
    submit = SubmitField(_l("Inwoners trekken en uitnodigen"))


class PanelPoolForm(BaseForm):
    panel_id = SelectField(_l("Panel"), coerce=int, validators=[InputRequired()])
    submit = SubmitField(_l("Actieve panelleden toevoegen"))


class UploadForm(BaseForm):
    file = FileField(_l("Lijst (CSV of XLSX)"), validators=[
        FileRequired(_l("Kies een bestand.")),
        FileAllowed(["csv", "xlsx"], _l("Alleen CSV of XLSX."))],
        description=_l("Kolommen: rijksregisternummer, de zelf opgegeven kenmerken en "
                       "eventueel beschikbaarheid."))
    submit = SubmitField(_l("Lijst toevoegen"))


class PublishForm(BaseForm):
    size = IntegerField(_l("Aantal panels in de loting"), default=1000,
                        validators=[InputRequired(), NumberRange(1, 100_000)])
    submit = SubmitField(_l("Fase 1: portefeuille berekenen en publiceren"))


class SeedForm(BaseForm):
    seed = StringField(_l("Publiek zaad (cijfers van de dobbelstenen)"), validators=[
        InputRequired(_l("Typ de cijfers die de getuigen gooiden.")),
        Regexp(r"^\s*\d{1,18}\s*$", message=_l("Alleen cijfers, hoogstens 18."))])
    submit = SubmitField(_l("Fase 2: panel trekken"))


class ActionForm(BaseForm):
    submit = SubmitField(_l("Bevestigen"))


def quota_form(rows: list[dict], labels: dict[str, str], panel_size: int, formdata=None):
    """One min and one max field per (feature, value) row."""

    class QuotaForm(BaseForm):
        submit = SubmitField(_l("Quota controleren en bewaren"))

    limits = [InputRequired(_l("Vul een getal in.")), NumberRange(0, panel_size)]
    for index, row in enumerate(rows):
        label = f"{labels.get(row['feature'], row['feature'])} = {row['value']}"
        setattr(QuotaForm, f"min_{index}", IntegerField(
            _l("Minimum voor %(what)s", what=label), default=row["min"], validators=limits))
        setattr(QuotaForm, f"max_{index}", IntegerField(
            _l("Maximum voor %(what)s", what=label), default=row["max"], validators=limits))
    return QuotaForm(formdata=formdata)


def candidacy_form(features: list[dict], formdata=None):
    """Availability, the jury's self-reported features and consent to the notice."""

    class CandidacyForm(BaseForm):
        available = BooleanField(_l("Ik ben beschikbaar op de data van de bijeenkomsten"),
                                 validators=[InputRequired(_l("Vink dit aan als u "
                                                              "beschikbaar bent."))])
        availability = TextAreaField(_l("Opmerkingen over uw beschikbaarheid"),
                                     validators=[Optional(), Length(max=500)])
        consent = BooleanField(
            _l("Ik heb gelezen wie mijn gegevens gebruikt en waarom, en ik stel mij kandidaat"),
            validators=[InputRequired(_l("Vink dit aan om u kandidaat te stellen."))])
        submit = SubmitField(_l("Kandidaat stellen"))

    for item in features:
        setattr(CandidacyForm, f"f_{item['key']}", RadioField(
            item["label"], choices=choices([*[(option, option) for option in item["options"]],
                                            ("", _l("Zeg ik liever niet"))]),
            validators=[Optional()], default=""))
    return CandidacyForm(formdata=formdata)


class JuryMailForm(BaseForm):
    step = SelectField(_l("Welke e-mail"), choices=choices(
        (("invite", _l("uitnodiging")), ("reminder", _l("herinnering")))))
    submit = SubmitField(_l("E-mails versturen"))
