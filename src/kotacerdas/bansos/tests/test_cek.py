"""Cek Bansos: a citizen finds their programmes by NIK and name or by kelurahan and name, sees
the name masked, and learns nothing about NIKs that are not theirs: a wrong name, an unknown
NIK and a person without a programme get the same page, after the same queries. Lookups are
limited per client and per NIK, and logged without the NIK or the name."""

from __future__ import annotations

import datetime as dt
import logging
import pickle
import re

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.formats import date_format

from kotacerdas.bansos.identity import IdentityError, parse_nik
from kotacerdas.bansos.models import Lookup
from kotacerdas.core.personal import mask_text

URL = "/cek-bansos/"
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def by_nik(client: Client, nik: str, name: str):
    return client.post(URL, {"by": "nik", "nik": nik, "name": name})


def by_kelurahan(client: Client, kelurahan: str, name: str):
    return client.post(URL, {"by": "kelurahan", "kelurahan": kelurahan, "name": name})


def page_without_token(response) -> str:
    return CSRF_TOKEN.sub("", response.content.decode())


def recipients_on(page: str) -> list[str]:
    return re.findall(r'<strong class="recipient-name">([^<]*)</strong>', page)


def test_the_page_offers_both_lookups_without_javascript(citizen, kediri):
    response = citizen.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="cek-nik"' in page and 'id="cek-kelurahan"' in page
    assert 'value="35.71.01.1001"' in page  # the city's kelurahan to choose from
    assert 'method="get"' not in page.split('id="by-nik"')[1]  # the NIK is only ever posted
    assert response["Cache-Control"].startswith("max-age=0")


def test_nik_and_name_find_the_recipient_masked(citizen, bansos_people):
    budi = bansos_people.budi
    response = by_nik(citizen, budi.nik, "Budi Santoso")
    page = response.content.decode()
    assert response.status_code == 200
    assert recipients_on(page) == [mask_text("BUDI SANTOSO")] == ["B**I S*****O"]
    assert "BUDI SANTOSO" not in page and "Budi Santoso" not in page
    assert budi.nik not in page
    # The running programme and the one that ended last month, with their periods.
    assert "Program Keluarga Harapan" in page
    assert "Bantuan Pangan Non Tunai (Sembako)" in page
    ended = bansos_people.today - dt.timedelta(days=30)
    with translation.override("id"):
        assert f"{date_format(ended, 'j M Y')}" in page
    assert '<dd class="recipient-decile">1 ' in page
    assert response["X-Robots-Tag"] == "noindex"


def test_a_programme_that_ended_long_ago_is_not_shown(citizen, bansos_people):
    page = by_nik(citizen, bansos_people.soetrisno.nik, "Soetrisno").content.decode()
    assert recipients_on(page) == []
    assert 'id="no-recipient"' in page


def test_the_name_may_be_written_as_people_write_it(citizen, bansos_people):
    # MUHAMMAD RIZKY on the KTP; the citizen types the common short forms and old spellings.
    for typed in ("Moch. Rizky", "M. Rizky", "muhamad rizky", "  MUHAMMAD   RIZKY "):
        page = by_nik(citizen, bansos_people.rizky.nik, typed).content.decode()
        assert recipients_on(page) == ["M******D R***Y"], typed
        assert "Kartu Sahabat" in page
    page = by_nik(citizen, bansos_people.soetrisno.nik, "Sutrisno").content.decode()
    assert 'id="no-recipient"' in page  # same name (old spelling), but no current programme


def test_wrong_name_unknown_nik_and_no_programme_give_the_same_page(citizen, bansos_people):
    people = bansos_people
    wrong_name = by_nik(citizen, people.budi.nik, "Siti Aminah")
    unknown_nik = by_nik(citizen, people.unknown_nik, "Siti Aminah")
    # Siti is in the registry, with this very name, but receives nothing.
    no_programme = by_nik(citizen, people.siti.nik, "Siti Aminah")
    assert wrong_name.status_code == unknown_nik.status_code == no_programme.status_code == 200
    assert (
        page_without_token(wrong_name)
        == page_without_token(unknown_nik)
        == page_without_token(no_programme)
    )
    assert 'id="no-recipient"' in page_without_token(wrong_name)
    for header in ("Content-Type", "Cache-Control", "X-Robots-Tag", "Referrer-Policy"):
        assert wrong_name[header] == unknown_nik[header] == no_programme[header]
    assert [row.found for row in Lookup.objects.order_by("pk")] == [False, False, False]


def test_wrong_name_and_unknown_nik_run_the_same_queries(citizen, bansos_people):
    def queries(nik: str, name: str) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            by_nik(citizen, nik, name)
        # The same statements, whatever the values (the blind index, the time of the log row).
        return [re.sub(r"'[^']*'|\b\d+\b", "?", query["sql"]) for query in captured]

    wrong_name = queries(bansos_people.rizky.nik, "Budi Santoso")
    unknown = queries(bansos_people.unknown_nik, "Budi Santoso")
    assert wrong_name == unknown
    assert len([q for q in wrong_name if "nik_index" in q]) == 1


@pytest.mark.parametrize(
    ("typed", "code"),
    [("35710112048000", "length"), ("3571011204800A01", "digits"), ("3571013102800001", "date")],
)
def test_a_malformed_nik_is_named_beside_its_field(citizen, bansos_people, typed, code):
    with translation.override("id"), pytest.raises(IdentityError) as refused:
        parse_nik(typed)
    assert refused.value.code == code
    response = by_nik(citizen, typed, "Budi Santoso")
    page = response.content.decode()
    assert response.status_code == 400
    assert f'<p class="notice notice-error" role="alert" id="nik-error">{refused.value}</p>' in page
    assert 'id="nik" name="nik"' in page and 'aria-describedby="nik-error"' in page
    assert 'id="answer"' not in page
    assert not Lookup.objects.exists()  # nothing was looked up


def test_a_missing_name_is_asked_for(citizen, bansos_people):
    response = by_nik(citizen, bansos_people.budi.nik, "   ")
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="name-error"' in page and 'id="nik-error"' not in page
    assert not Lookup.objects.exists()


def test_kelurahan_and_name_list_only_the_recipients(citizen, bansos_people):
    # Three MUHAMMAD RIZKYs live in Bandar Kidul (spelt three ways); two receive aid.
    response = by_kelurahan(citizen, bansos_people.rizky.kelurahan_id, "Moch. Rizky")
    page = response.content.decode()
    assert response.status_code == 200
    assert recipients_on(page) == ["M**H R***Y", "M******D R***Y"]
    assert "Kartu Sahabat" in page and "Penerima Bantuan Iuran Jaminan Kesehatan" in page
    assert page.count('<article class="recipient">') == 2  # not the one without a programme
    # Another kelurahan, the same name: nobody.
    elsewhere = by_kelurahan(citizen, bansos_people.budi.kelurahan_id, "Moch. Rizky")
    elsewhere = elsewhere.content.decode()
    assert recipients_on(elsewhere) == [] and 'id="no-recipient"' in elsewhere
    assert list(Lookup.objects.order_by("pk").values_list("method", "found")) == [
        ("kelurahan", True),
        ("kelurahan", False),
    ]


def test_a_kelurahan_outside_the_city_is_refused(citizen, bansos_people):
    response = by_kelurahan(citizen, "35.06.01.2001", "Moch. Rizky")  # Kabupaten Kediri
    assert response.status_code == 400
    assert 'id="kelurahan-error"' in response.content.decode()


def test_lookups_are_limited_per_client(bansos_people, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "cek_client": (2, 60), "cek_nik": (100, 60)}
    client = Client(REMOTE_ADDR="10.0.0.1")
    assert by_nik(client, bansos_people.budi.nik, "Budi Santoso").status_code == 200
    assert by_kelurahan(client, bansos_people.rizky.kelurahan_id, "Rizky").status_code == 200
    assert by_nik(client, bansos_people.rizky.nik, "Rizky").status_code == 429
    # Another address is not affected.
    other = Client(REMOTE_ADDR="10.0.0.2")
    assert by_nik(other, bansos_people.rizky.nik, "Muhammad Rizky").status_code == 200
    assert Lookup.objects.count() == 3


def test_lookups_are_limited_per_nik_whoever_asks(bansos_people, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "cek_client": (100, 60), "cek_nik": (2, 3600)}
    nik = bansos_people.budi.nik
    # Names tried against one NIK from ever new addresses.
    for n, name in enumerate(["Budi", "Budi Santoso"]):
        assert by_nik(Client(REMOTE_ADDR=f"10.0.1.{n}"), nik, name).status_code == 200
    refused = by_nik(Client(REMOTE_ADDR="10.0.1.9"), nik, "Budi Santosa")
    assert refused.status_code == 429
    # The same NIK typed with spaces is the same NIK; another NIK is still answered.
    spaced = " ".join([nik[:6], nik[6:12], nik[12:]])
    assert by_nik(Client(REMOTE_ADDR="10.0.1.10"), spaced, "Budi").status_code == 429
    other = by_nik(Client(REMOTE_ADDR="10.0.1.9"), bansos_people.rizky.nik, "Rizky")
    assert other.status_code == 200


def test_the_log_and_the_cache_never_hold_the_nik_or_the_name(
    citizen, bansos_people, caplog, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "cek_client": (1, 60)}
    # Everything, even what the settings keep quiet (django.request logs only errors).
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.request")
    budi = bansos_people.budi
    by_nik(citizen, budi.nik, "Budi Santoso")
    too_many = by_nik(citizen, budi.nik, "Budi Santoso")  # over the limit: logged as a 429
    bad = Client(REMOTE_ADDR="10.0.2.1").post(URL, {"nik": budi.nik[:-1], "name": "Budi Santoso"})
    assert too_many.status_code == 429 and bad.status_code == 400
    # The 429 and the 400 were logged, with the path and the status only.
    assert {record.status_code for record in caplog.records if hasattr(record, "status_code")} == {
        429,
        400,
    }

    row = Lookup.objects.get()
    assert (row.method, row.found) == ("nik", True)
    assert row.client_hash and "127.0.0.1" not in row.client_hash
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Lookup._meta.db_table}")  # noqa: S608 - our own table
        stored = " ".join(str(value) for line in cursor.fetchall() for value in line).lower()
    logged = (
        caplog.text.lower()
        + " ".join(
            str(value) for record in caplog.records for value in vars(record).values()
        ).lower()
    )
    # The rate limits were counted in the cache (the tests' LocMemCache): read every key and
    # every stored value as the cache holds them.
    backend = caches["default"]
    assert isinstance(backend, LocMemCache)
    held = [(key, pickle.loads(value)) for key, value in backend._cache.items()]  # noqa: S301
    assert any(":cek_nik:" in key for key, _value in held)
    assert any(":cek:" in key for key, _value in held)
    cached = " ".join(f"{key} {value}" for key, value in held).lower()
    for secret in (budi.nik, budi.nik[:-1], "budi santoso", "budi", budi.name_key):
        assert secret not in stored
        assert secret not in logged
        assert secret not in cached
    assert "127.0.0.1" not in cached


def test_a_filled_honeypot_is_answered_as_nothing_found(citizen, bansos_people):
    response = citizen.post(
        URL,
        {"by": "nik", "nik": bansos_people.budi.nik, "name": "Budi Santoso", "website": "x"},
    )
    assert response.status_code == 200
    assert recipients_on(response.content.decode()) == []
    assert not Lookup.objects.exists()


def test_the_form_posts_without_a_csrf_token(bansos_people):
    client = Client(enforce_csrf_checks=True)
    response = by_nik(client, bansos_people.budi.nik, "Budi Santoso")
    assert response.status_code == 200
    assert recipients_on(response.content.decode()) == ["B**I S*****O"]
