"""Open311 GeoReport v2 at /open311/v2/ (see ``open311``). Each endpoint answers in the format
its extension names, ``.json`` or ``.xml``; any other path gets the spec's 404."""

from django.urls import re_path

from kotacerdas.servicedesk import open311

app_name = "open311"

# The format is taken from the extension by the view, so that an unknown one (.html) is
# answered with the spec's error rather than the site's page. Service codes are slugs and
# tracking numbers and tokens have no dots, so the last dot starts the extension.
FORMAT = r"\.(?P<fmt>[^/.]+)$"

urlpatterns = [
    re_path(r"^services" + FORMAT, open311.services, name="services"),
    re_path(r"^services/(?P<code>[^/]+)" + FORMAT, open311.service_definition, name="service"),
    re_path(r"^requests" + FORMAT, open311.requests, name="requests"),
    re_path(r"^requests/(?P<number>[^/]+)" + FORMAT, open311.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[^/]+)" + FORMAT, open311.token_lookup, name="token"),
    re_path(r"", open311.not_found),
]
