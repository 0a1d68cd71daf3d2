"""Dinas Sosial's list of the DTKS records behind the data-quality figures: filtered by a flag
the linkage raised and by kelurahan, each row with its link to the civil-registry person.
Only those who work in the registry (``rules.can_work_registry``) enter: executives see the
figures, never a person. The page shows no NIK, KK number or address, not even masked; they
are not even read from the database."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from kotacerdas.bansos import feeds
from kotacerdas.bansos.choices import LinkFlag
from kotacerdas.bansos.models import DtksRecord, Programme
from kotacerdas.bansos.views import PAGE_SIZE, registry_required
from kotacerdas.core import regions
from kotacerdas.core.models import Region
from kotacerdas.core.villages import city_villages

# The shape of a Kemendagri region code; any other ``kelurahan`` value matches nothing.
# What the list reads of a record: never the identity numbers or the address.
LISTED_FIELDS = (
    "id_dtks",
    "name",
    "kelurahan_code",
    "programme_code",
    "person_id",
    "link_method",
    "flags",
)


@registry_required
@require_safe
def dtks(request: HttpRequest) -> HttpResponse:
    """The DTKS records, by DTKS id, filtered by ``flag`` (a ``LinkFlag`` value) and
    ``kelurahan`` (a kelurahan code, or a kecamatan code for all of its kelurahan); an unknown
    value lists nothing."""
    filters = {key: request.GET.get(key, "") for key in ("flag", "kelurahan")}
    records = DtksRecord.objects.only(*LISTED_FIELDS)
    if filters["flag"]:
        records = (
            records.filter(feeds.has_flag(filters["flag"]))
            if filters["flag"] in LinkFlag.values
            else records.none()
        )
    if filters["kelurahan"]:
        records = (
            records.filter(regions.within("kelurahan_code", filters["kelurahan"]))
            if regions.REGION_CODE.fullmatch(filters["kelurahan"])
            else records.none()
        )
    page = Paginator(records.order_by("id_dtks"), PAGE_SIZE).get_page(request.GET.get("page"))
    codes = {record.kelurahan_code for record in page if record.kelurahan_code}
    places = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    programmes = dict(Programme.objects.values_list("code", "name"))
    return render(
        request,
        "bansos/dtks.html",
        {
            "page": page,
            "rows": [
                (
                    record,
                    places.get(record.kelurahan_code, record.kelurahan_code),
                    programmes.get(record.programme_code, record.programme_code),
                )
                for record in page
            ],
            "filters": filters,
            "flags": LinkFlag.choices,
            "kelurahan_choices": city_villages(),
        },
    )
