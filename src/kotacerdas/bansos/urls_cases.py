"""Usul and sanggah for Dinas Sosial at /staf/bansos/kasus/ (inside the "bansos" namespace)."""

from django.urls import path

from kotacerdas.bansos import case_views as views

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/putuskan/", views.case_decide, name="case-decide"),
]
