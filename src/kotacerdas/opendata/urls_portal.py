"""The open data portal at /data/: search, dataset pages, downloads, filtered exports, the
indicators, and the catalogue as DCAT-AP JSON-LD."""

from django.urls import path

from kotacerdas.opendata import dcat, portal_views

app_name = "opendata-portal"

urlpatterns = [
    path("", portal_views.search, name="search"),
    path("catalog.jsonld", dcat.catalog_view, name="dcat"),
    path("dataset/<slug:slug>/", portal_views.dataset, name="dataset"),
    path("dataset/<slug:slug>/ekspor/<slug:fmt>/", portal_views.export, name="export"),
    # The CKAN API and DCAT build resource URLs with this address.
    path("unduh/<uuid:uuid>/", portal_views.download, name="download"),
    path("indikator/", portal_views.indicators, name="indicators"),
    path("indikator/<slug:code>/", portal_views.indicator, name="indicator"),
]
