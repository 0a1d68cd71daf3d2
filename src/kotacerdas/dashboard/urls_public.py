from django.urls import path

from kotacerdas.dashboard import public_views

app_name = "dashboard-public"

urlpatterns = [
    path("", public_views.kinerja, name="kinerja"),
]
