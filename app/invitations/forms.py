from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, Optional, Regexp

from app.forms import BaseForm, choices
from app.invitations.letters.content import PRIVACY_LABELS
from app.invitations.letters.envelopes import PROFILES

LANGUAGE_CHOICES = (("nl", "Nederlands"), ("fr", "Français"), ("en", "English"))
CONTACT_CHOICES = (("email", _l("per e-mail")), ("paper", _l("op papier, per post")))


class ActionForm(BaseForm):
    """A button that changes state (CSRF only)."""


class BatchForm(BaseForm):
    draw_id = SelectField(_l("Trekking"), coerce=int, validators=[InputRequired()])
    deadline = DateField(_l("Antwoorden vóór"), validators=[InputRequired()])
    envelope_profile = SelectField(_l("Enveloppe"), choices=choices(
        (name, profile.label) for name, profile in PROFILES.items()))
    include_reserves = BooleanField(_l("Ook de reserves uitnodigen"))
    submit = SubmitField(_l("Uitnodigingen aanmaken"))


class LetterForm(BaseForm):
    rotate = BooleanField(_l("Nieuwe codes maken (de vorige brieven werken dan niet meer)"))


class ReminderForm(BaseForm):
    no_reaction_since = DateField(_l("Uitgenodigd vóór of op"), validators=[InputRequired()],
                                  description=_l("Wie toen al een brief kreeg en nog niet "
                                                 "reageerde, krijgt een herinnering."))


class MailForm(BaseForm):
    step = SelectField(_l("Welke e-mail"), choices=choices(
        (("invite", _l("uitnodiging")), ("reminder", _l("herinnering")))))


class TemplateForm(BaseForm):
    subject = StringField(_l("Onderwerp van de brief"), validators=[InputRequired()])
    body = TextAreaField(_l("Tekst van de brief"), validators=[InputRequired()],
                         description=_l("Invulvelden: {voornaam} {naam} {code} {link} {website} "
                                        "{deadline} {panel}"))
    closing = TextAreaField(_l("Slot"), validators=[InputRequired()])
    reminder_subject = StringField(_l("Onderwerp van de herinnering"),
                                   validators=[InputRequired()])
    reminder_body = TextAreaField(_l("Tekst van de herinnering"), validators=[InputRequired()])
    submit = SubmitField(_l("Opslaan"))


PRIVACY_FIELD_NAMES = ("controller", "dpo_contact", "purpose", "legal_basis", "source",
                       "data_categories", "recipients", "retention", "rights", "objection",
                       "complaint")
for _name in PRIVACY_FIELD_NAMES:
    setattr(TemplateForm, f"privacy_{_name}", TextAreaField(
        PRIVACY_LABELS["nl"][_name], validators=[InputRequired()], render_kw={"rows": 2}))


class ProfileQuestionForm(BaseForm):
    key = StringField(_l("Korte naam (letters en cijfers)"), validators=[
        InputRequired(), Length(max=40), Regexp(r"^[a-z][a-z0-9_]*$")])
    text = StringField(_l("Vraag"), validators=[InputRequired(), Length(max=300)])
    options = TextAreaField(_l("Antwoorden, één per regel"), validators=[InputRequired()])
    submit = SubmitField(_l("Vraag toevoegen"))


class MemberActionForm(BaseForm):
    action = SelectField(_l("Actie"), choices=choices(
        (("pause", _l("pauzeren")), ("resume", _l("hervatten")), ("remove", _l("verwijderen")))))


class PaperReplyForm(BaseForm):
    code = StringField(_l("Code op de brief"), validators=[InputRequired(), Length(max=64)])
    reply = RadioField(_l("Antwoord"), validators=[InputRequired()], choices=choices((
        ("join", _l("doet mee")), ("decline", _l("doet niet mee")),
        ("object", _l("wil niet meer gecontacteerd worden")))))
    consent = BooleanField(_l("Toestemming ondertekend op het antwoordformulier"))
    contact_preference = RadioField(_l("Contact"), choices=choices(CONTACT_CHOICES),
                                    validators=[Optional()])
    email = EmailField(_l("E-mailadres"), validators=[Optional(), Email(), Length(max=254)])
    language = SelectField(_l("Taal"), choices=choices(LANGUAGE_CHOICES))
    submit = SubmitField(_l("Antwoord opslaan"))
