"""Base form: Flask-WTF with CSRF on every form."""

from babel.numbers import get_decimal_symbol
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms import DecimalField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import TextInput


class BaseForm(FlaskForm):
    """Every form derives from this one, so CSRF protection is never forgotten."""


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms ``SelectChoice`` objects."""
    return [SelectChoice(value, label) for value, label in pairs]


def _decimal_symbol() -> str:
    return get_decimal_symbol(str(get_locale() or "nl"))


class LocalDecimalField(DecimalField):
    """A decimal in the page's notation: Dutch shows ``15,0`` and reads ``12,5`` (and ``12.5``).

    A text input (``inputmode="decimal"``): a browser empties a number input holding ``15,0``.
    """

    widget = TextInput()

    def __init__(self, *args, **kwargs) -> None:
        kwargs["render_kw"] = {"inputmode": "decimal", **(kwargs.get("render_kw") or {})}
        super().__init__(*args, **kwargs)

    def _value(self) -> str:
        return super()._value().replace(".", _decimal_symbol())

    def process_formdata(self, valuelist) -> None:
        if valuelist and isinstance(valuelist[0], str):
            valuelist = [valuelist[0].strip().replace(_decimal_symbol(), ".")]
        super().process_formdata(valuelist)
