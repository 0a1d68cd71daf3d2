"""The CKAN Action API subset at /api/3/action/ (see ``ckan``). An action is one path segment,
with or without a trailing slash; any other path gets CKAN's error shape, not the site's page."""

from django.urls import re_path

from kotacerdas.opendata import ckan

app_name = "ckan"

urlpatterns = [
    re_path(r"^(?P<name>[^/]+)/?$", ckan.action_view, name="action"),
    re_path(r"", ckan.unknown_path),
]
