from wtforms import HiddenField, SelectField
from wtforms.validators import DataRequired

from app.forms import BaseForm, choices

LANGUAGE_CHOICES = [("nl", "Nederlands"), ("fr", "Français"), ("en", "English")]


class LanguageForm(BaseForm):
    language = SelectField(choices=choices(LANGUAGE_CHOICES), validators=[DataRequired()])
    next = HiddenField()
