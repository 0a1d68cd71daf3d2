"""The registry's figures that the overview page and the executive dashboard read."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import timezone

from kotacerdas.bansos import feeds
from kotacerdas.bansos.models import LinkRun

pytestmark = pytest.mark.django_db


def test_recipients_count_only_enrolments_that_cover_today(bansos_people):
    people = {r.programme.code: r.people for r in feeds.recipients_per_programme()}
    # Budi's PKH is current, Soetrisno's ended; Budi's BPNT ended a month ago.
    assert people == {"PKH": 1, "BPNT": 0, "PBI-JK": 1, "KARTU_SAHABAT": 1, "SI_JAMAL": 0}


def test_data_quality_comes_from_the_latest_finished_run(db):
    assert feeds.latest_data_quality() is None
    LinkRun.objects.create(
        finished_at=timezone.now(),
        summary={"rows": 10, "linked": 8, "review": 1, "flags": {"deceased": 2}},
    )
    LinkRun.objects.create(summary={})  # still running: not reported
    quality = feeds.latest_data_quality()
    assert (quality.rows, quality.linked, quality.review) == (10, 8, 1)
    counts = {code: count for code, _label, count in quality.flags}
    assert counts["deceased"] == 2 and counts["nik_invalid"] == 0


def test_overview_shows_the_figures(client_for, dinsos_officer, bansos_people):
    LinkRun.objects.create(
        finished_at=timezone.now(), summary={"rows": 10, "linked": 8, "flags": {"deceased": 2}}
    )
    client = client_for(dinsos_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/staf/bansos/").content.decode()
    assert "8 of 10 DTKS rows linked" in page
    assert "Kartu Sahabat" in page
