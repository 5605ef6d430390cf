"""Template globals and filters shared by every page."""

from flask import Flask
from flask_babel import format_datetime, format_decimal, get_locale
from flask_babel import lazy_gettext as _l

ROLE_LABELS = {
    "admin": _l("Beheerder"),
    "researcher": _l("Onderzoeker"),
    "data_entry": _l("Invoerder"),
    "councillor": _l("Raadslid"),
}
STAFF = ("admin", "researcher")
NAV_ITEMS = (
    ("main.dashboard", _l("Overzicht"), ("admin", "researcher", "data_entry", "councillor")),
    ("register.index", _l("Register"), STAFF),
    ("panels.index", _l("Panels"), STAFF),
    ("draws.index", _l("Trekkingen"), STAFF),
    ("invitations.index", _l("Uitnodigingen"), STAFF),
    ("juries.index", _l("Jury's"), ("admin", "researcher", "councillor")),
    ("surveys.index", _l("Bevragingen"), STAFF),
    ("entry.index", _l("Invoer"), ("admin", "researcher", "data_entry")),
    ("results.index", _l("Resultaten"), ("admin", "researcher", "councillor")),
    ("privacy.index", _l("Privacy"), STAFF),
    ("admin.users", _l("Beheer"), ("admin",)),
)
PAGE_TITLES = {
    "register": _l("Bevolkingsregister"),
    "panels": _l("Panels"),
    "draws": _l("Trekkingen"),
    "invitations": _l("Uitnodigingen"),
    "surveys": _l("Bevragingen"),
    "respond": _l("Vragenlijst invullen"),
    "entry": _l("Invoer van papieren vragenlijsten"),
    "results": _l("Resultaten"),
    "privacy": _l("Privacy"),
    "juries": _l("Jury's en loting"),
}


INVITATION_STATUSES = {
    "created": _l("nog niet verstuurd"), "sent": _l("verstuurd, geen reactie"),
    "reminded": _l("herinnerd, geen reactie"), "joined": _l("doet mee"),
    "declined": _l("doet niet mee"), "undeliverable": _l("onbestelbaar"),
}
IMPORT_STATUSES = {
    "preview": _l("gecontroleerd, nog niet ingelezen"),
    "committed": _l("ingelezen"),
    "rejected": _l("afgewezen"),
    "failed": _l("mislukt"),
    "cancelled": _l("geannuleerd"),
}
PURPOSE_LABELS = {
    "recruitment": _l("werving"), "topup": _l("aanvulling"),
    "survey_sample": _l("steekproef voor een bevraging"), "jury": _l("burgerjury"),
}
METHOD_LABELS = {
    "proportional": _l("proportioneel"), "equal": _l("gelijk per stratum"),
    "target_completes": _l("gewenste samenstelling met verwachte respons"),
    "fixed": _l("vaste aantallen"), "neyman": _l("Neyman"),
}
REPORT_KINDS = {
    "pdf": _l("Rapport (PDF)"), "slides": _l("Presentatie (PDF)"),
    "pptx": _l("Presentatie (PowerPoint, bewerkbaar)"), "xlsx": _l("Excel"), "sav": _l("SPSS"),
}
SEX_LABELS = {"M": _l("man"), "F": _l("vrouw"), "U": _l("onbekend")}
NATIONALITY_LABELS = {"BE": _l("Belg"), "EU": _l("andere EU-nationaliteit"),
                      "NON_EU": _l("nationaliteit buiten de EU"), "ONBEKEND": _l("onbekend")}
VALUE_LABELS = {"sex": SEX_LABELS, "nationality_group": NATIONALITY_LABELS}
MEMBER_STATUSES = {"active": _l("actief"), "paused": _l("gepauzeerd"), "left": _l("vertrokken")}
CONTACT_LABELS = {"email": _l("e-mail"), "paper": _l("papier"), "letter": _l("brief")}
WEIGHTING_METHODS = {"rake": _l("raking (naar elke marge apart)"),
                     "poststratify": _l("poststratificatie (naar de volledige kruistabel)"),
                     "none": _l("niet gewogen (enkel ontwerpgewichten)")}
COLUMN_LABELS = {
    "line": _l("Regel"), "last_name": _l("Naam"), "first_name": _l("Voornaam"),
    "sex": _l("Geslacht"), "birth_date": _l("Geboortedatum"), "street": _l("Straat"),
    "house_number": _l("Huisnummer"), "box": _l("Bus"), "postcode": _l("Postcode"),
    "municipality": _l("Gemeente"), "district": _l("Wijk"), "age_band": _l("Leeftijdsgroep"),
    "nationality": _l("Nationaliteit"), "nationality_group": _l("Nationaliteitsgroep"),
    "household_id": _l("Huishouden"), "household_size": _l("Grootte huishouden"),
    "national_number": _l("Rijksregisternummer"), "civil_status": _l("Burgerlijke staat"),
}


def value_label(variable: str, value) -> str:
    """A register code in words (``sex`` ``F`` → ``vrouw``, ``NON_EU`` → …); others as is."""
    if value is None:
        return ""
    return str(VALUE_LABELS.get(variable, {}).get(value, value))


def stratum_label(label: str, strata) -> str:
    """``"25-34 | F | Centrum"`` with the codes in words: ``"25-34 | vrouw | Centrum"``."""
    parts = str(label).split(" | ")
    if len(parts) != len(strata or []):
        return str(label)
    return " | ".join(value_label(name, part) for name, part in zip(strata, parts, strict=True))


def may_open(endpoint: str) -> bool:
    """Whether the current user's role may open ``endpoint`` (so a page links only there)."""
    from flask import current_app
    from flask_login import current_user

    view = current_app.view_functions.get(endpoint)
    if view is None:
        return False
    allowed = getattr(view, "allowed_roles", None)
    if allowed is None:  # public
        return True
    return current_user.is_authenticated and current_user.role in allowed


def register(app: Flask) -> None:
    app.jinja_env.globals.update(
        nav_items=lambda: NAV_ITEMS,
        role_label=lambda role: ROLE_LABELS.get(role, role),
        page_title=lambda area: PAGE_TITLES.get(area, area),
        current_locale=lambda: str(get_locale() or "nl"),
        import_status=lambda status: IMPORT_STATUSES.get(status, status),
        invitation_status=lambda status: INVITATION_STATUSES.get(status, status),
        sex_label=lambda sex: SEX_LABELS.get(sex, sex),
        purpose_label=lambda purpose: PURPOSE_LABELS.get(purpose, purpose),
        method_label=lambda method: METHOD_LABELS.get(method, method),
        report_kind=lambda kind: REPORT_KINDS.get(kind, kind),
        column_label=lambda column: COLUMN_LABELS.get(column, column),
        stratum_label=stratum_label,
        value_label=value_label,
        may_open=may_open,
        member_status=lambda status: MEMBER_STATUSES.get(status, status),
        contact_label=lambda channel: CONTACT_LABELS.get(channel, channel),
    )
    app.jinja_env.filters["number"] = lambda value: format_decimal(value or 0)
    app.jinja_env.filters["decimal"] = _decimal
    app.jinja_env.filters["when"] = _when
    app.jinja_env.filters["percent"] = lambda value: (
        "–" if value is None else format_decimal(value * 100, format="0.0") + "\u00a0%")
    app.jinja_env.globals["weighting_method"] = lambda method: WEIGHTING_METHODS.get(method, method)


def _when(value, *, seconds: bool = False) -> str:
    """A stored UTC time as local date and time (``TIMEZONE``, default Europe/Brussels)."""
    if value is None:
        return "–"
    return format_datetime(value, "dd/MM/yyyy HH:mm:ss" if seconds else "dd/MM/yyyy HH:mm")


def _decimal(value, places: int = 2, *, signed: bool = False) -> str:
    """A number in the locale's notation, rounded; ``-0,0`` shows as ``0,0``."""
    if value is None:
        return "–"
    rounded = round(float(value), places) + 0.0  # + 0.0 turns -0.0 into 0.0
    text = format_decimal(rounded, format="#,##0" + ("." + "0" * places if places else ""))
    return f"+{text}" if signed and rounded > 0 else text
