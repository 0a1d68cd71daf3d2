"""The registry's public pages at /cek-bansos/: Cek Bansos, and the usul and sanggah forms. No
account needed."""

from django.urls import path

from kotacerdas.bansos import public_views as views
from kotacerdas.bansos.choices import CaseKind

app_name = "bansos-public"

urlpatterns = [
    path("", views.cek_bansos, name="cek"),
    path("usul/", views.case_form, {"kind": CaseKind.PROPOSAL}, name="proposal"),
    path("sanggah/", views.case_form, {"kind": CaseKind.OBJECTION}, name="objection"),
    path("terkirim/", views.case_sent, name="case-sent"),
]
