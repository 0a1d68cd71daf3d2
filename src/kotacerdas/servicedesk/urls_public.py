"""The public front door of PECUT at /layanan/: no account needed."""

from django.urls import path

from kotacerdas.servicedesk import public_views as views

app_name = "servicedesk-public"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("saya/", views.my_requests, name="mine"),
    path("ajukan/<slug:code>/", views.submit, name="submit"),
    path("status/<str:secret>/", views.status, name="status"),
    path("status/<str:secret>/foto/<int:photo_id>/", views.photo, name="photo"),
]
