"""The staff pages of PECUT at /staf/layanan/."""

from django.urls import path

from kotacerdas.servicedesk import ikm_views, views

app_name = "servicedesk"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("pantau/", views.monitoring, name="monitoring"),
    path("ikm/", ikm_views.report, name="ikm"),
    path("katalog/", views.services, name="services"),
    path("katalog/baru/", views.service_edit, name="service-new"),
    path("katalog/<slug:code>/", views.service_edit, name="service-edit"),
    path("kalender/", views.holidays, name="holidays"),
    path("kunci-open311/", views.client_keys, name="client-keys"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/aksi/", views.act, name="act"),
    path("<str:number>/foto/<int:photo_id>/", views.staff_photo, name="photo"),
]
