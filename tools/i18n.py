"""Extract UI strings, update the fr/en catalogs, fill them from the phrasebook, compile.

Usage: python tools/i18n.py            (run after changing UI text; commit the .po files)
       python tools/i18n.py --compile  (compile only; ``make`` does this)
Dutch is the source language; a string missing from the phrasebook stays Dutch.
"""

import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "app" / "translations"
PYBABEL = str(Path(sys.executable).parent / "pybabel")


def extract_and_update() -> None:
    pot = ROOT / "build" / "messages.pot"
    pot.parent.mkdir(exist_ok=True)
    subprocess.run([PYBABEL, "extract", "-F", str(ROOT / "babel.cfg"), "-k", "_l",
                    "-k", "lazy_gettext", "--no-location", "-o", str(pot), str(ROOT / "app")],
                   check=True, capture_output=True)
    subprocess.run([PYBABEL, "update", "-i", str(pot), "-d", str(TRANSLATIONS),
                    "--no-fuzzy-matching", "--ignore-obsolete"], check=True, capture_output=True)


def fill() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    from phrasebook import PHRASES

    for language in ("fr", "en"):
        path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if message.id and message.id in PHRASES:
                message.string = PHRASES[message.id][language]
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False)


def compile_catalogs() -> None:
    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        with po_path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog)


if __name__ == "__main__":
    if "--compile" not in sys.argv:
        extract_and_update()
        fill()
    compile_catalogs()
