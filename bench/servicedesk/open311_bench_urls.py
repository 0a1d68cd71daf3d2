"""URLs for the load benchmarks (``bench/webload.py``): the platform's URLs plus
``/bench/trivial``, a JSON view that touches no database, the ceiling of the stack the Open311
and Cek Bansos figures are read against."""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path


def trivial(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/trivial", trivial),
    path("", include("kotacerdas.urls")),
]

handler400 = "kotacerdas.core.views.bad_request"
handler403 = "kotacerdas.core.views.permission_denied"
handler404 = "kotacerdas.core.views.page_not_found"
handler500 = "kotacerdas.core.views.server_error"
