"""The registry's staff pages at /staf/bansos/ (Dinas Sosial and the administrators)."""

from django.urls import include, path

from kotacerdas.bansos import dtks_views, views

app_name = "bansos"

urlpatterns = [
    path("", views.home, name="home"),
    path("warga/", views.people, name="people"),
    path("warga/<int:pk>/", views.person, name="person"),
    path("impor/", views.imports_page, name="imports"),
    path("impor/<int:pk>/", views.import_report, name="import-report"),
    path("dtks/", dtks_views.dtks, name="dtks"),
    path("pencocokan/", views.linkage, name="linkage"),
    path("pencocokan/tinjau/<int:pk>/", views.review, name="review"),
    path("kasus/", include("kotacerdas.bansos.urls_cases")),
    path("penyaluran/", include("kotacerdas.bansos.urls_disbursement")),
]
