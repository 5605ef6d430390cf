from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, RadioField, StringField, SubmitField
from wtforms.validators import Email, InputRequired, Length, Optional

from app.forms import BaseForm, choices
from app.invitations.forms import CONTACT_CHOICES, LANGUAGE_CHOICES

NO_ANSWER = "geen"


class CodeForm(BaseForm):
    code = StringField(_l("Uw persoonlijke code"), validators=[
        InputRequired(_l("Typ de code uit uw brief.")), Length(max=64)],
        description=_l("Die staat in de brief, bijvoorbeeld K7QM-4TXP-9C. Kleine letters, "
                       "spaties en streepjes mogen."))
    submit = SubmitField(_l("Verder"))


class ConsentForm(BaseForm):
    consent = BooleanField(
        _l("Ik heb gelezen wie mijn gegevens gebruikt en waarom, en ik wil meedoen"),
        validators=[InputRequired(_l("Vink dit aan als u wilt meedoen."))])
    submit = SubmitField(_l("Verder"))


class ContactForm(BaseForm):
    contact_preference = RadioField(_l("Hoe wilt u de vragenlijsten krijgen?"),
                                    choices=choices(CONTACT_CHOICES),
                                    validators=[InputRequired(_l("Kies e-mail of papier."))])
    email = EmailField(_l("E-mailadres"), validators=[
        Optional(), Email(_l("Dit is geen geldig e-mailadres.")), Length(max=254)],
        description=_l("Alleen nodig als u e-mail kiest."))
    language = RadioField(_l("In welke taal?"), choices=choices(LANGUAGE_CHOICES), default="nl",
                          validators=[InputRequired()])
    submit = SubmitField(_l("Verder"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.contact_preference.data == "email" and not self.email.data:
            self.email.errors = [*self.email.errors, _l("Geef uw e-mailadres of kies papier.")]
            return False
        return valid


class ConfirmForm(BaseForm):
    submit = SubmitField(_l("Ja, ik doe mee"))


class ActionForm(BaseForm):
    """A button that changes state (CSRF only)."""


def profile_form(questions, data: dict | None = None) -> BaseForm:
    """A form with one optional radio group per configured profile question."""

    class ProfileForm(BaseForm):
        submit = SubmitField(_l("Verder"))

    for question in questions:
        options = [(value, label) for value, label in question.options]
        setattr(ProfileForm, f"q_{question.key}", RadioField(
            question.text, choices=choices([*options, (NO_ANSWER, _l("Zeg ik liever niet"))]),
            validators=[Optional()]))
    return ProfileForm(data=data or None)
