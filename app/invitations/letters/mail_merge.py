"""Invitation letters as one mail-merge PDF, ready for window envelopes.

:func:`render_letters` takes plain data (:class:`Recipient`, :class:`LetterContent`, an
:class:`~app.invitations.letters.envelopes.EnvelopeProfile`) and returns PDF bytes. It sorts the
letters by postcode, street, house number and box (bulk mail is cheaper when pre-sorted), so
:func:`mailing_list_csv` uses the same order. Each letter has the address in the window, the
personal access code in large type, the short web address and a QR code of the personal link
on page 1, and the Art. 14 GDPR notice on page 2 unless it fits on page 1 for every letter
(then every letter has one page; otherwise every letter has two, for duplex printing).
The letterhead and the privacy page are PDF form XObjects drawn once and reused.
"""

import contextlib
import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from reportlab import rl_config
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from app.invitations.letters import layout
from app.invitations.letters.addresses import address_sort_key, format_address, normalise_postcode
from app.invitations.letters.calibration import draw_calibration
from app.invitations.letters.content import (
    LETTER_LABELS,
    LetterContent,
    LetterError,
    fill_template,
    format_date,
    validate_content,
)
from app.invitations.letters.drawing import PAGE_HEIGHT, PAGE_WIDTH, letter_fonts
from app.invitations.letters.envelopes import EnvelopeProfile

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Recipient:
    """One addressee with their personal access code and link."""

    first_name: str
    last_name: str
    street: str
    house_number: str
    box: str | None
    postcode: str
    municipality: str
    code: str
    link: str
    short_url: str
    language: str = "nl"

    def address_lines(self) -> list[str]:
        """The bpost address lines of this recipient."""
        return format_address(self.first_name, self.last_name, self.street, self.house_number,
                              self.box, self.postcode, self.municipality)


def sort_recipients(recipients: Sequence[Recipient]) -> list[Recipient]:
    """Recipients in bulk-mail order: postcode, street, house number, box (stable)."""
    return sorted(recipients, key=lambda person: address_sort_key(
        person.postcode, person.street, person.house_number, person.box))


def render_letters(recipients: Sequence[Recipient], content: LetterContent,
                   profile: EnvelopeProfile, *, reminder: bool = False) -> bytes:
    """One A4 PDF with a personalised letter per recipient, sorted for bulk mail.

    Raises LetterError for invalid templates, an incomplete privacy notice or a text that
    does not fit on the first page, and AddressError for an unusable address.
    """
    validate_content(content)
    if not recipients:
        raise LetterError("Er zijn geen ontvangers voor deze brieven.")
    fonts = letter_fonts()
    plans = [_plan(person, content, reminder, fonts) for person in sort_recipients(recipients)]
    buffer = io.BytesIO()
    with _without_ascii85():
        pdf = _new_canvas(buffer, content, "Uitnodigingen" if not reminder else "Herinneringen")
        logo = ImageReader(io.BytesIO(content.logo)) if content.logo else None
        date_top = layout.define_letterhead(pdf, content, profile, fonts, logo)
        privacy_on_front = all(layout.fits_privacy_on_front(plan, content, profile, fonts)
                               for plan in plans)
        for language in sorted({plan.language for plan in plans}):
            layout.define_privacy_form(pdf, content, language, fonts, on_front=privacy_on_front)
        for plan in plans:
            layout.draw_first_page(pdf, plan, profile, fonts, date_top=date_top,
                                   privacy_on_front=privacy_on_front)
            if not privacy_on_front:
                pdf.doForm(layout.privacy_form_name(plan.language))
                pdf.showPage()
        pdf.save()
    return buffer.getvalue()


@contextlib.contextmanager
def _without_ascii85() -> Iterator[None]:
    """Write compressed streams as binary, not ASCII85 (a quarter smaller and faster).

    reportlab reads this switch from its global configuration while drawing; it is restored
    afterwards. Either setting gives a valid PDF.
    """
    previous = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = previous


def render_calibration_sheet(profile: EnvelopeProfile,
                             contacts: Sequence[tuple[str, str]] = ()) -> bytes:
    """An A4 page with the window outline, its mm dimensions, a sample address and the
    sender, phone, e-mail and signature the letters will print (``contacts``)."""
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=1, lang="nl")
    pdf.setTitle(f"Kalibratieblad {profile.label}")
    draw_calibration(pdf, profile, letter_fonts(), contacts)
    pdf.save()
    return buffer.getvalue()


def mailing_list_csv(recipients: Sequence[Recipient]) -> bytes:
    """Address list in letter order: UTF-8 with BOM, ``;``-separated, formula-safe.

    Holds the letter number, name and address lines, postcode and municipality; never the
    access code or the link.
    """
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow(["brief", "adresregel 1", "adresregel 2", "adresregel 3", "postcode",
                     "gemeente"])
    for number, person in enumerate(sort_recipients(recipients), start=1):
        lines = person.address_lines()
        writer.writerow([number, *(_safe_cell(line) for line in lines),
                         normalise_postcode(person.postcode), _safe_cell(person.municipality)])
    return ("\ufeff" + output.getvalue()).encode("utf-8")


def _safe_cell(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def _plan(person: Recipient, content: LetterContent, reminder: bool,
          fonts) -> layout.LetterPlan:
    template = content.template_for(person.language)
    values = {"voornaam": person.first_name, "naam": person.last_name, "code": person.code,
              "link": person.link, "website": person.short_url, "panel": content.panel_name,
              "deadline": format_date(content.deadline, person.language),
              "telefoon": content.phone, "email": content.email}
    language = person.language if person.language in content.templates else \
        content.default_language
    return layout.LetterPlan(
        language=language,
        address=tuple(person.address_lines()),
        date_line=format_date(content.letter_date, language),
        subject=fill_template(template.reminder_subject if reminder else template.subject,
                              values),
        body=fill_template(template.reminder_body if reminder else template.body, values),
        closing=fill_template(template.closing, values),
        signature=content.signature_lines,
        code=person.code, link=person.link, short_url=person.short_url,
        labels=LETTER_LABELS.get(language, LETTER_LABELS["nl"]),
        objection=template.privacy.objection,
    )


def _new_canvas(buffer: io.BytesIO, content: LetterContent, kind: str) -> Canvas:
    pdf = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=1,
                 lang=content.default_language)
    pdf.setTitle(f"{kind} {content.panel_name}")
    pdf.setAuthor(content.sender_lines[0] if content.sender_lines else content.panel_name)
    pdf.setSubject(content.panel_name)
    pdf.setCreator("Stadspanel")
    return pdf

