"""The fr/en catalogs: complete, placeholders kept, in step with the source and the .mo files."""

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "app" / "translations"
LANGUAGES = ("fr", "en")
# %(name)s, %s, {name}, and the escaped percent sign (%%) of strings formatted with %.
PLACEHOLDER = re.compile(r"%%|%\(\w+\)[sdif]|%[sdif]|\{\w+\}")


def read_catalog(language: str):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle)


def forms(value) -> tuple[str, ...]:
    """A message id or string as a tuple (plural messages already are one)."""
    return tuple(value) if isinstance(value, tuple | list) else (value,)


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text or ""))


def messages_by_id(catalog) -> dict:
    return {forms(message.id)[0]: forms(message.string) for message in catalog if message.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_has_a_translation(language):
    catalog = read_catalog(language)
    messages = [message for message in catalog if message.id]
    empty = [message.id for message in messages if not all(forms(message.string))]
    assert len(messages) > 500
    assert empty == []
    assert [message.id for message in messages if message.fuzzy] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language):
    wrong = []
    for message in read_catalog(language):
        if not message.id:
            continue
        expected = placeholders(forms(message.id)[-1])
        wrong += [(message.id, string) for string in forms(message.string)
                  if placeholders(string) != expected]
    assert wrong == []


def test_catalogs_hold_every_string_of_the_source():
    """A UI string added without running ``tools/i18n.py`` would show in Dutch on fr/en pages."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    source = {forms(message)[0] for _, _, message, _, _ in
              extract_from_dir(str(ROOT / "app"), method_map, options_map, keywords=keywords)}
    for language in LANGUAGES:
        assert sorted(source - set(messages_by_id(read_catalog(language)))) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_matches_the_po_file(language):
    compiled = io.BytesIO()
    write_mo(compiled, read_catalog(language))
    compiled.seek(0)
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo").open("rb") as handle:
        on_disk = read_mo(handle)
    assert messages_by_id(on_disk) == messages_by_id(read_mo(compiled))


@pytest.mark.parametrize(("language", "expected", "dutch"), [
    ("fr", ["Participer au panel", "Vers le questionnaire", "Panel citoyen"],
     "Meedoen aan het panel"),
    ("en", ["Join the panel", "Go to the questionnaire", "city panel"], "Meedoen aan het panel"),
])
def test_welcome_page_speaks_the_chosen_language(app, client, language, expected, dutch):
    client.post("/taal", data={"language": language, "next": "/"})
    html = client.get("/").get_data(as_text=True)
    assert f'<html lang="{language}">' in html
    assert all(text in html for text in expected), [t for t in expected if t not in html]
    assert app.config["CITY_NAME"] in html
    assert dutch not in html


@pytest.mark.parametrize(("language", "expected"), [
    ("fr", ["Effectuer le tirage", "Répartition entre les strates", "Nombre de départ (seed)"]),
    ("en", ["Run the draw", "Allocation across the strata", "Starting number (seed)"]),
])
def test_staff_draw_form_speaks_the_chosen_language(client, login_as, language, expected):
    login_as("researcher")
    client.post("/taal", data={"language": language, "next": "/"})
    html = client.get("/trekkingen/nieuw").get_data(as_text=True)
    assert all(text in html for text in expected), [t for t in expected if t not in html]
    assert "Trekking uitvoeren" not in html
