from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from app.forms import BaseForm


class LoginForm(BaseForm):
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Aanmelden"))


class LogoutForm(BaseForm):
    submit = SubmitField(_l("Afmelden"))


class PasswordChangeForm(BaseForm):
    current = PasswordField(_l("Huidig wachtwoord"), validators=[DataRequired(), Length(max=200)])
    new = PasswordField(_l("Nieuw wachtwoord"), validators=[DataRequired(), Length(max=200)],
                        description=_l("Minstens 12 tekens en geen veelgebruikt wachtwoord."))
    repeat = PasswordField(_l("Nieuw wachtwoord nog eens"), validators=[
        DataRequired(), EqualTo("new", message=_l("De twee nieuwe wachtwoorden verschillen."))])
    submit = SubmitField(_l("Wachtwoord wijzigen"))


class CodeForm(BaseForm):
    code = StringField(_l("Code uit uw app"), validators=[DataRequired(), Length(max=12)],
                       description=_l("Zes cijfers uit uw authenticator-app."))
    submit = SubmitField(_l("Bevestigen"))


class MfaDisableForm(BaseForm):
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Tweestapsverificatie uitzetten"))
