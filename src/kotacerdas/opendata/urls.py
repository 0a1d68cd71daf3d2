"""Staff pages of Satu Data at /staf/data/."""

from django.urls import path

from kotacerdas.opendata import views

app_name = "opendata"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("baru/", views.dataset_edit, name="dataset-new"),
    path("indikator/", views.indicator_values, name="indicators"),
    path("<slug:slug>/", views.dataset_detail, name="dataset"),
    path("<slug:slug>/ubah/", views.dataset_edit, name="dataset-edit"),
    path("<slug:slug>/v/<int:number>/", views.version_detail, name="version"),
    path("<slug:slug>/v/<int:number>/aksi/", views.version_act, name="version-act"),
]
