"""What goes into an invitation letter: texts, placeholders and the privacy notice.

Templates are filled by :func:`fill_template`, a small parser that knows only the
placeholders in :data:`PLACEHOLDERS`. It never calls ``str.format`` on a user's template, so
``{code.__class__}`` or ``{link[0]}`` cannot reach Python attributes: they are rejected like
any unknown placeholder. Write ``{{`` and ``}}`` for literal braces.
"""

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

PLACEHOLDERS = ("voornaam", "naam", "code", "link", "website", "deadline", "panel", "telefoon",
                "email")
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")

MONTHS = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}


class LetterError(ValueError):
    """Letter content that cannot be printed (bad template, missing privacy fields)."""


class TemplateError(LetterError):
    """A template with unknown placeholders or stray braces."""


@dataclass(frozen=True)
class PrivacyNotice:
    """The Art. 14 GDPR notice printed with every letter; all fields are required."""

    controller: str
    dpo_contact: str
    purpose: str
    legal_basis: str
    data_categories: str
    recipients: str
    retention: str
    rights: str
    objection: str
    source: str = "Het bevolkingsregister van de stad."
    complaint: str = ("U kunt klacht indienen bij de Gegevensbeschermingsautoriteit, "
                      "Drukpersstraat 35, 1000 Brussel, www.gegevensbeschermingsautoriteit.be.")


@dataclass(frozen=True)
class LetterTemplate:
    """The texts of one language; paragraphs are separated by blank lines."""

    subject: str
    body: str
    closing: str
    reminder_subject: str
    reminder_body: str
    privacy: PrivacyNotice


@dataclass(frozen=True)
class LetterContent:
    """Everything that is the same for all letters of one mailing."""

    panel_name: str
    sender_lines: tuple[str, ...]
    letter_date: dt.date
    deadline: dt.date
    templates: Mapping[str, LetterTemplate]
    logo: bytes | None = None
    default_language: str = "nl"
    signature_lines: tuple[str, ...] = field(default_factory=tuple)
    phone: str = ""
    email: str = ""

    @property
    def letterhead_lines(self) -> tuple[str, ...]:
        """The sender block as printed: sender lines, then phone and e-mail."""
        contact = (f"Tel. {self.phone}",) * bool(self.phone) + (
            f"E-mail {self.email}",) * bool(self.email)
        return (*self.sender_lines, *contact)

    def template_for(self, language: str) -> LetterTemplate:
        """The template of `language`, or of the default language when there is none."""
        return self.templates.get(language) or self.templates[self.default_language]


def fill_template(template: str, values: Mapping[str, str]) -> str:
    """Replace ``{name}`` placeholders; TemplateError for unknown names or stray braces."""
    check_template(template)
    return _TOKEN.sub(lambda match: _replacement(match, values), template)


def check_template(template: str) -> None:
    """Raise TemplateError (in Dutch, listing the culprits) unless `template` is valid."""
    unknown, stray = [], False
    for match in _TOKEN.finditer(template):
        name = match.group(1)
        if name is not None and name not in PLACEHOLDERS:
            unknown.append("{" + name + "}")
        stray = stray or match.group(0) in "{}"
    if unknown:
        allowed = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
        raise TemplateError(f"Onbekende invulvelden in de tekst: {', '.join(unknown)}. "
                            f"Toegelaten zijn: {allowed}.")
    if stray:
        raise TemplateError("De tekst bevat een losse accolade. Schrijf {{ of }} voor een "
                            "accolade in de tekst.")


def validate_privacy_notice(notice: PrivacyNotice) -> None:
    """Raise LetterError naming every empty field of the privacy notice."""
    empty = [item.name for item in fields(notice) if not str(getattr(notice, item.name)).strip()]
    if empty:
        raise LetterError("De privacyverklaring is onvolledig. Vul deze velden in: "
                          + ", ".join(PRIVACY_LABELS["nl"][name] for name in empty) + ".")


CONTACT_NAMES = {"sender": "de afzender", "phone": "het telefoonnummer",
                 "email": "het e-mailadres", "signature": "de ondertekening"}


def missing_contacts(content: LetterContent) -> list[str]:
    """Which of sender, phone, e-mail and signature a mailing lacks (keys of CONTACT_NAMES)."""
    given = {"sender": content.sender_lines, "phone": content.phone.strip(),
             "email": content.email.strip(), "signature": content.signature_lines}
    return [name for name in CONTACT_NAMES if not given[name]]


def validate_contacts(content: LetterContent) -> None:
    """Raise LetterError (Dutch) unless sender, phone, e-mail and signature are all set."""
    missing = missing_contacts(content)
    if missing:
        names = [CONTACT_NAMES[name] for name in missing]
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} en {names[-1]}"
        raise LetterError(
            f"De brieven kunnen nog niet gemaakt worden: vul eerst {listed} in. Een brief "
            "zegt 'bel ons' en 'mail ons', dus wie hem leest moet weten waarheen. Dat doet u "
            "bij de studie (Privacy → Studies) of met LETTER_SENDER, LETTER_PHONE, "
            "LETTER_EMAIL en LETTER_SIGNATURE.")


def validate_content(content: LetterContent) -> None:
    """Check the contacts, every template and privacy notice of `content` before printing."""
    validate_contacts(content)
    if content.default_language not in content.templates:
        raise LetterError(f"Er is geen brieftekst in de standaardtaal "
                          f"{content.default_language!r}.")
    for template in content.templates.values():
        for text in (template.subject, template.body, template.closing,
                     template.reminder_subject, template.reminder_body):
            check_template(text)
        validate_privacy_notice(template.privacy)


def format_date(day: dt.date, language: str) -> str:
    """A date written out, e.g. "15 maart 2026"."""
    months = MONTHS.get(language, MONTHS["nl"])
    return f"{day.day} {months[day.month - 1]} {day.year}"


def _replacement(match: re.Match, values: Mapping[str, str]) -> str:
    token = match.group(0)
    if token in ("{{", "}}"):
        return token[0]
    return str(values[match.group(1)])


PRIVACY_LABELS = {
    "nl": {
        "title": "Privacy: wat doen we met uw gegevens?",
        "controller": "Wie is verantwoordelijk?",
        "dpo_contact": "Functionaris voor gegevensbescherming",
        "purpose": "Waarom gebruiken we uw gegevens?",
        "legal_basis": "Welke rechtsgrond?",
        "source": "Waar komen uw gegevens vandaan?",
        "data_categories": "Welke gegevens?",
        "recipients": "Wie krijgt uw gegevens?",
        "retention": "Hoe lang bewaren we ze?",
        "rights": "Uw rechten",
        "complaint": "Niet tevreden?",
        "objection": "Niet meedoen",
    },
}

LETTER_LABELS = {
    "nl": {"code": "Uw persoonlijke code", "surf": "Surf naar", "type": "en typ deze code.",
           "scan": "Of scan deze QR-code met uw smartphone.", "over": "Privacy: zie achterzijde.",
           "city_date": "Datum"},
    "fr": {"code": "Votre code personnel", "surf": "Allez sur", "type": "et tapez ce code.",
           "scan": "Ou scannez ce code QR avec votre smartphone.",
           "over": "Vie privée : voir au verso.", "city_date": "Date"},
    "en": {"code": "Your personal code", "surf": "Go to", "type": "and type this code.",
           "scan": "Or scan this QR code with your smartphone.",
           "over": "Privacy: see overleaf.", "city_date": "Date"},
}

DEFAULT_SUBJECT_NL = "Doe mee aan {panel}"
DEFAULT_BODY_NL = """Beste {voornaam} {naam},

De stad wil beter weten wat inwoners denken. Daarom starten we {panel}: een groep inwoners \
die een paar keer per jaar een korte vragenlijst invult.

U werd toevallig gekozen uit het bevolkingsregister. Zo lijkt de groep op alle inwoners: \
jong en oud, uit elke wijk. Uw mening telt dus echt.

Meedoen is vrijwillig en gratis. Een vragenlijst duurt ongeveer 15 minuten. U kunt altijd \
stoppen.

Wilt u meedoen? Schrijf u in vóór {deadline}. Zo doet u dat:"""
DEFAULT_CLOSING_NL = """Hebt u geen computer of smartphone? Bel ons op {telefoon}. Dan sturen \
we u de vragenlijst op papier. Hebt u vragen? Bel ons op {telefoon} of mail ons op {email}.

Met vriendelijke groeten"""
DEFAULT_REMINDER_SUBJECT_NL = "Herinnering: doe mee aan {panel}"
DEFAULT_REMINDER_BODY_NL = """Beste {voornaam} {naam},

Enkele weken geleden kreeg u een brief van ons. We vroegen u om mee te doen aan {panel}. \
Misschien had u nog geen tijd. Dat begrijpen we.

U kunt nog meedoen tot {deadline}. Uw mening is belangrijk: u werd toevallig gekozen en \
niemand anders kan uw plaats innemen.

Hebt u al gereageerd? Dan mag u deze brief vergeten. Dank u wel!"""
