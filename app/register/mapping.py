"""Column-mapping step: the user says which of the file's own headers holds which column."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SubmitField
from wtforms.validators import InputRequired

from app.forms import BaseForm, choices
from app.models import RegisterImport
from sampling.register import map_headers
from sampling.register.headers import OPTIONAL_COLUMNS, REQUIRED_COLUMNS

PREFIX = "column_"


class MappingError(ValueError):
    """The chosen mapping is inconsistent; the message is Dutch and safe to show."""


@dataclass
class MappingState:
    headers: list[str]
    missing: list[str]  # required canonical columns without a header
    optional: list[str]  # optional canonical columns without a header
    unmapped: list[str]  # the file's headers that map to nothing yet


def mapping_state(record: RegisterImport) -> MappingState:
    headers = [str(header) for header in record.headers or []]
    mapping, unmapped = map_headers(headers, record.column_mapping or None)
    found = set(mapping.values())
    return MappingState(headers, [c for c in REQUIRED_COLUMNS if c not in found],
                        [c for c in OPTIONAL_COLUMNS if c not in found], unmapped)


def needs_mapping(record: RegisterImport) -> bool:
    return record.status == "preview" and bool(record.headers) and bool(
        mapping_state(record).missing)


def mapping_form(record: RegisterImport, labels: dict, formdata=None) -> BaseForm:
    """A form with one select per unmapped canonical column, offering the file's headers."""
    state = mapping_state(record)
    options = [(header, header) for header in state.unmapped]

    class MappingForm(BaseForm):
        submit = SubmitField(_l("Koppeling opslaan en opnieuw controleren"))

    for column in state.missing:
        setattr(MappingForm, PREFIX + column, SelectField(
            labels.get(column, column), validators=[InputRequired()], default="",
            choices=choices([("", _l("— kies een kolom —")), *options])))
    for column in state.optional:
        setattr(MappingForm, PREFIX + column, SelectField(
            labels.get(column, column), description=_l("Optioneel"), default="",
            choices=choices([("", _l("— niet in het bestand —")), *options])))
    return MappingForm(formdata=formdata)


def chosen_mapping(form: BaseForm) -> dict[str, str]:
    """Source header -> canonical column from a submitted mapping form."""
    mapping: dict[str, str] = {}
    for field in form:
        if field.name.startswith(PREFIX) and field.data:
            if field.data in mapping:
                raise MappingError(f"De kolom '{field.data}' is voor twee gegevens gekozen.")
            mapping[field.data] = field.name.removeprefix(PREFIX)
    return mapping


def save_mapping(record: RegisterImport, chosen: dict[str, str]) -> None:
    """Add the user's choices to the import's column mapping; the preview must run again."""
    record.column_mapping = {**(record.column_mapping or {}), **chosen}
    record.message, record.preview_rows = None, []
