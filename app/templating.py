"""Template globals and filters shared by every page."""

from flask import Flask
from flask_babel import format_decimal, get_locale
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
    ("surveys.index", _l("Bevragingen"), STAFF),
    ("entry.index", _l("Invoer"), ("admin", "researcher", "data_entry")),
    ("results.index", _l("Resultaten"), ("admin", "researcher", "councillor")),
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
}


def register(app: Flask) -> None:
    app.jinja_env.globals.update(
        nav_items=lambda: NAV_ITEMS,
        role_label=lambda role: ROLE_LABELS.get(role, role),
        page_title=lambda area: PAGE_TITLES.get(area, area),
        current_locale=lambda: str(get_locale() or "nl"),
    )
    app.jinja_env.filters["number"] = lambda value: format_decimal(value or 0)
