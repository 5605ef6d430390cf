"""Benchmark: 5,000 personalised invitation letters with QR codes and a logo in one PDF.

Target: at most 60 s and under 30 MB. Run with ``.venv/bin/python benchmarks/bench_letters.py``
(optionally ``--letters N`` and ``--sample PATH.png`` to render page 1 for a visual check).
"""

import argparse
import datetime as dt
import io
import sys
import time
from pathlib import Path

from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.invitations import codes  # noqa: E402
from app.invitations.letters import Recipient, render_letters  # noqa: E402
from app.invitations.letters.content import (  # noqa: E402
    DEFAULT_BODY_NL,
    DEFAULT_CLOSING_NL,
    DEFAULT_REMINDER_BODY_NL,
    DEFAULT_REMINDER_SUBJECT_NL,
    DEFAULT_SUBJECT_NL,
    LetterContent,
    LetterTemplate,
    PrivacyNotice,
)
from app.invitations.letters.envelopes import DL_LEFT  # noqa: E402
from benchmarks.common import Targets  # noqa: E402

STREETS = ("Stationsstraat", "Basiliekstraat", "Brusselsesteenweg", "Ninoofsesteenweg",
           "Kardinaal Cardijnstraat", "Suikerkaai", "Leide", "Sint-Rochusstraat")
FIRST_NAMES = ("Maria", "Jan", "Fatima", "Luc", "Ann", "Mohamed", "Ilse", "Jozef", "Zoë")
LAST_NAMES = ("Van Roy", "Peeters", "El Idrissi", "De Smet", "Vandenbroucke", "Janssens")


def logo_png() -> bytes:
    """A small PNG logo (blue square and a name)."""
    image = Image.new("RGB", (600, 200), "white")
    drawing = ImageDraw.Draw(image)
    drawing.rectangle([0, 0, 190, 190], fill=(0, 90, 160))
    drawing.text((220, 80), "Stad Halle", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def sample_content() -> LetterContent:
    """Letter content with a complete privacy notice for Stadspanel Halle."""
    notice = PrivacyNotice(
        controller="Stad Halle, Grote Markt 1, 1500 Halle.",
        dpo_contact="privacy@halle.be, 02 365 95 10.",
        purpose="Een stadspanel vormen om inwoners te bevragen over het beleid "
                "(gemeenteraadsbesluit 2026/123 van 26 januari 2026).",
        legal_basis="Taak van algemeen belang (artikel 6.1.e AVG), Decreet Lokaal Bestuur.",
        data_categories="Naam, adres, geboortejaar, geslacht en wijk.",
        recipients="Alleen de dienst Strategie van de stad en onze verwerker.",
        retention="Doet u niet mee, dan wissen we uw naam en adres na 3 maanden.",
        rights="U mag uw gegevens inzien, laten verbeteren of laten wissen.",
        objection="U wilt niet deelnemen of niet meer gecontacteerd worden? Laat het ons weten "
                  "via panel.halle.be/nee, op 02 365 95 10 of met een briefje aan Stad Halle, "
                  "Grote Markt 1, 1500 Halle. Dan sturen we u geen brieven meer.",
    )
    template = LetterTemplate(DEFAULT_SUBJECT_NL, DEFAULT_BODY_NL, DEFAULT_CLOSING_NL,
                              DEFAULT_REMINDER_SUBJECT_NL, DEFAULT_REMINDER_BODY_NL, notice)
    return LetterContent(
        panel_name="Stadspanel Halle",
        sender_lines=("Stad Halle", "Dienst Strategie", "Grote Markt 1", "1500 Halle"),
        phone="02 365 95 10", email="panel@halle.be",
        letter_date=dt.date(2026, 3, 2), deadline=dt.date(2026, 3, 31),
        templates={"nl": template}, logo=logo_png(),
        signature_lines=("Marc Snoeck", "burgemeester"))


def sample_recipients(count: int) -> list[Recipient]:
    """`count` recipients with fresh codes and tokens, spread over streets and postcodes."""
    return [Recipient(
        FIRST_NAMES[index % len(FIRST_NAMES)], LAST_NAMES[index % len(LAST_NAMES)],
        STREETS[index % len(STREETS)], str(1 + index % 250), str(index % 7 or ""),
        ("1500", "1501", "1502")[index % 3], "Halle", codes.generate_code(),
        f"https://panel.halle.be/j/{codes.generate_link_token()}", "panel.halle.be",
    ) for index in range(count)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--letters", type=int, default=5000)
    parser.add_argument("--sample", type=Path, help="write page 1 as PNG here")
    arguments = parser.parse_args()
    content, recipients = sample_content(), sample_recipients(arguments.letters)
    start = time.perf_counter()
    pdf = render_letters(recipients, content, DL_LEFT)
    seconds = time.perf_counter() - start
    pages = pdf.count(b"/Type /Page\n") or 2 * arguments.letters
    print(f"{arguments.letters} letters, {pages} pages: {seconds:.1f} s, "
          f"{pages / seconds:.0f} pages/s, {len(pdf) / 1e6:.1f} MB")
    if arguments.sample:
        import pypdfium2 as pdfium

        pdfium.PdfDocument(pdf)[0].render(scale=150 / 72).to_pil().save(arguments.sample)
    targets = Targets("bench_letters")
    if arguments.letters == 5000:
        targets.check("5,000 letters", seconds, 60.0)
        targets.check("PDF size of 5,000 letters", len(pdf) / 1e6, 30.0, unit="MB")
    return targets.finish()


if __name__ == "__main__":
    sys.exit(main())
