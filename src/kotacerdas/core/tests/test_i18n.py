"""The UI speaks Bahasa Indonesia by default, with a complete English translation."""

from pathlib import Path

import polib
import pytest

import kotacerdas

pytestmark = pytest.mark.django_db

LOCALE = Path(kotacerdas.__file__).parent / "locale" / "id" / "LC_MESSAGES"


def test_indonesian_is_the_default(citizen):
    page = citizen.get("/").content.decode()
    assert '<html lang="id">' in page
    assert "Layanan kota cerdas" in page


def test_a_foreign_browser_language_does_not_change_the_default(citizen):
    page = citizen.get("/", headers={"accept-language": "en-US,en;q=0.9"}).content.decode()
    assert "Layanan kota cerdas" in page


def test_switching_to_english_and_back(citizen):
    response = citizen.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = citizen.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "Smart city services of" in page
    citizen.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert "Layanan kota cerdas" in citizen.get("/").content.decode()


def test_every_message_is_translated_and_compiled():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    assert catalogue.percent_translated() == 100
    assert not catalogue.fuzzy_entries()
    compiled = {
        (entry.msgctxt, entry.msgid): (entry.msgstr, entry.msgstr_plural)
        for entry in polib.mofile(str(LOCALE / "django.mo"))
    }
    for entry in catalogue.translated_entries():
        key = (entry.msgctxt, entry.msgid)
        assert compiled.get(key) == (entry.msgstr, entry.msgstr_plural), f"recompile: {key}"
