from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from app.forms import BaseForm, choices
from app.models import ROLES
from app.passwords import MIN_LENGTH

ROLE_CHOICES = [
    ("admin", _l("Beheerder")),
    ("researcher", _l("Onderzoeker")),
    ("data_entry", _l("Invoerder")),
    ("councillor", _l("Raadslid")),
]
assert [value for value, _label in ROLE_CHOICES] == list(ROLES)


class UserForm(BaseForm):
    name = StringField(_l("Naam"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Rol"), choices=choices(ROLE_CHOICES), validators=[DataRequired()])
    password = PasswordField(
        _l("Wachtwoord"),
        validators=[DataRequired(), Length(min=MIN_LENGTH, max=200)],
        description=_l("Minstens 12 tekens en geen veelgebruikt wachtwoord."),
    )
    submit = SubmitField(_l("Gebruiker aanmaken"))


class RoleForm(BaseForm):
    role = SelectField(_l("Rol"), choices=choices(ROLE_CHOICES), validators=[DataRequired()])
    submit = SubmitField(_l("Rol wijzigen"))


class ActiveForm(BaseForm):
    submit = SubmitField(_l("Wijzigen"))
