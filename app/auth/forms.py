from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from app.forms import BaseForm


class LoginForm(BaseForm):
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Aanmelden"))


class LogoutForm(BaseForm):
    submit = SubmitField(_l("Afmelden"))
