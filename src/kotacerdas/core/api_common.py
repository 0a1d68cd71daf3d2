"""What every app's API shares: the pagination envelope and the JSON error shape.

Errors always look like ``{"message": "...", "errors": [{"field": "...", "message": "..."}]}``
with the right status: 400 unreadable body, 401 not signed in, 403 not allowed, 404 no such
record, 413/415 refused body (see ``middleware``), 422 invalid input naming the field.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination

from kotacerdas.core import access
from kotacerdas.core.models import Opd, Region, User
from kotacerdas.core.schemas import ErrorOut

logger = logging.getLogger(__name__)

MAX_PAGE_SIZE = 500

# The error responses an endpoint documents in OpenAPI: all of them for writes, and for reads.
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class FieldError(Exception):
    """Input that is well-formed but wrong (an unknown code, say): 422 naming the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class ApiPagination(LimitOffsetPagination):
    """``?limit=&offset=`` on every list, answered as ``{count, limit, offset, items}``."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description="page size (1-500)")
        offset: int = Field(0, ge=0, description="number of records to skip")

    class Output(Schema):
        count: int
        limit: int
        offset: int
        items: list[Any]

    def paginate_queryset(self, queryset, pagination: Input, request: HttpRequest, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        return {**page, "limit": pagination.limit, "offset": pagination.offset}


def staff_user(request: HttpRequest) -> User:
    """The authenticated API user, if they hold a role: like the staff pages, the modules' APIs
    are not for accounts without one."""
    user = request.auth
    if not access.is_staff_member(user):
        raise PermissionDenied("This API is open to the smart city staff only.")
    return user


def region_by_code(code: str, field: str) -> Region:
    """The region a request names, or a 422 naming the field."""
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise FieldError(field, f"no region has code {code!r}")
    return region


def opd_by_code(code: str, field: str) -> Opd:
    """The OPD a request names, or a 422 naming the field."""
    opd = Opd.objects.filter(code=code).first()
    if opd is None:
        raise FieldError(field, f"no OPD has code {code!r}")
    return opd


def _field_name(location: list[Any] | tuple[Any, ...]) -> str:
    # ninja reports ("query", "limit") or ("body", "payload", "email"): keep the client's name.
    parts = [str(part) for part in location]
    if parts and parts[0] in {"query", "path", "header", "cookie", "form", "file"}:
        parts = parts[1:]
    elif parts and parts[0] == "body":
        parts = parts[2:] if len(parts) > 2 else parts[1:]
    return ".".join(parts) or "body"


def install_error_handlers(api: NinjaAPI) -> None:
    """Make every error of ``api`` answer in the platform's JSON error shape."""

    def respond(request: HttpRequest, status: int, message: str, errors=()) -> HttpResponse:
        return api.create_response(
            request, {"message": message, "errors": list(errors)}, status=status
        )

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {"field": _field_name(error.get("loc", ())), "message": error.get("msg", "invalid")}
            for error in exc.errors
        ]
        return respond(request, 422, "The request has invalid fields.", errors)

    @api.exception_handler(FieldError)
    def wrong_field(request: HttpRequest, exc: FieldError) -> HttpResponse:
        return respond(
            request,
            422,
            "The request has invalid fields.",
            [{"field": exc.field, "message": exc.message}],
        )

    @api.exception_handler(DjangoValidationError)
    def invalid_model(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        errors = [
            {"field": field, "message": " ".join(str(m) for m in messages)}
            for field, messages in getattr(exc, "message_dict", {"body": exc.messages}).items()
        ]
        return respond(request, 422, "The request has invalid fields.", errors)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(
            request,
            401,
            "Sign in, or send a valid API token as 'Authorization: Bearer <token>'.",
        )

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, str(exc) or "You may not do this.")

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, "No such record.")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, exc.status_code, exc.message)

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Logged with its traceback for the operators; the client gets no internals.
        logger.exception("unhandled API error on %s %s", request.method, request.path)
        return respond(request, 500, "Internal error; it has been logged.")
