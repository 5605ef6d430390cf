"""Base form: Flask-WTF with CSRF on every form."""

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice


class BaseForm(FlaskForm):
    """Every form derives from this one, so CSRF protection is never forgotten."""


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms ``SelectChoice`` objects."""
    return [SelectChoice(value, label) for value, label in pairs]
