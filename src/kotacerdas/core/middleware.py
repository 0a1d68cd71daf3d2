"""Request guards for the JSON API."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from kotacerdas.core.files import MAX_UPLOAD_BYTES

API_PREFIX = "/api/"
MULTIPART_MAX_BYTES = 3 * MAX_UPLOAD_BYTES + 1_048_576  # up to three files and their fields
BODY_METHODS = {"POST", "PUT", "PATCH"}
ACCEPTED_TYPES = {"application/json", "multipart/form-data"}


def api_error(
    status: int, message: str, errors: list[dict[str, str]] | None = None
) -> JsonResponse:
    """The one shape of every API error: a message for people, field errors for programs."""
    return JsonResponse({"message": message, "errors": errors or []}, status=status)


class ApiRequestGuardMiddleware:
    """Refuse API requests whose body is too large (413) or of a type the API does not read
    (415), before any view reads them, with the API's JSON error shape."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX) and request.method in BODY_METHODS:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return api_error(400, "Content-Length is not a number.")
            # Django limits the non-file part of a request; a multipart upload may carry files up
            # to the upload limit (core.files), checked again, one by one, by the domain.
            multipart = (request.content_type or "") == "multipart/form-data"
            limit = MULTIPART_MAX_BYTES if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            if limit is not None and length > limit:
                return api_error(
                    413, f"The request body is {length} bytes; the limit is {limit} bytes."
                )
            content_type = request.content_type or ""
            if length and content_type not in ACCEPTED_TYPES:
                return api_error(
                    415,
                    f"Content type {content_type or '(none)'!r} is not accepted; "
                    "send application/json.",
                    [{"field": "Content-Type", "message": "must be application/json"}],
                )
        return self.get_response(request)


class PlatformLocaleMiddleware(LocaleMiddleware):
    """Pages speak Bahasa Indonesia unless the visitor chose English with the language switch.

    A phone's browser language says little about what a citizen of Kediri reads best, so pages
    ignore Accept-Language and follow only the switch's cookie. API clients, which ask
    explicitly, still get validation messages in the language of their Accept-Language header.
    """

    def process_request(self, request: HttpRequest) -> None:
        if request.path.startswith(API_PREFIX):
            super().process_request(request)
            return
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
