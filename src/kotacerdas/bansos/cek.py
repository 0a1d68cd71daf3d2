"""Cek Bansos: a citizen asks whether someone receives social aid, by NIK and name or by
kelurahan and name, and sees only the name masked, the programmes and their periods, and the
welfare decile.

What the lookup must not become is a way to learn whether a NIK is in the civil registry, or
whose it is. So:

- **Wrong name and unknown NIK answer alike.** A NIK with the wrong name and a NIK the registry
  does not know get the same page (byte for byte, apart from the CSRF token of the language
  form) with the same status, after the same work: always one query by the NIK's blind index,
  always a constant-time comparison of the normalised names (``registry.name_key``), against a
  fixed dummy when the query found nobody.
- **"Found but no programme" is "not found".** The query asks for the person's current
  enrolments, not for the person: a person with no programme and a NIK nobody has give the
  same empty answer, "no recipient with these details". Telling them apart would confirm that
  a NIK belongs to a living resident with that name, which is exactly what a stranger holding
  a list of NIKs and names wants to know, while the citizen only needs to know whether aid is
  received. A citizen who should receive aid and does not can propose it (usul), whatever the
  reason. The code cannot leak the difference because it never learns it.
- **Kelurahan and name** lists every recipient whose normalised name is the one asked for in
  that kelurahan, masked, as the ministry's Cek Bansos does; people without a programme are
  never listed.
- **What is kept.** Each lookup is a ``Lookup`` row: how it was made, whether a recipient was
  shown, and a keyed hash of the client's address. Never the NIK, the name or its key; the
  raw NIK is dropped as soon as its blind index is computed. The functions here are
  ``sensitive_variables`` and log nothing.
- **Limits.** Per client address and per NIK asked about (``cek_client``, ``cek_nik``); the
  NIK's limit is counted under its blind index, so the cache never holds a NIK.

A malformed NIK (one ``identity.parse_nik`` refuses) is said to be malformed: that says
something about the number typed, nothing about the registry.
"""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from kotacerdas.bansos import registry
from kotacerdas.bansos.identity import IdentityError, parse_nik
from kotacerdas.bansos.models import Enrolment, Lookup
from kotacerdas.core import ratelimit
from kotacerdas.core.models import Region
from kotacerdas.core.personal import blind_index, mask_text
from kotacerdas.core.villages import city_village

# An enrolment that ended this long ago is still shown: the citizen asking about last
# quarter's payment should see the programme, with the date it ended.
RECENT = dt.timedelta(days=180)
# Compared with the name asked for when the query found nobody, so that both paths do the same
# comparison. No name normalises to it (``name_key`` returns letters and spaces).
DUMMY_NAME_KEY = "\x00" * 24
# The kind of blind index of a client's address in the lookup log.
CLIENT_KIND = "cek-client"
MAX_NAME = 150
# A kelurahan lookup reads at most this many enrolment rows: a name shared by more recipients
# than that in one kelurahan is not a name but a search.
MAX_ROWS = 200


@dataclass(frozen=True)
class NikQuery:
    """A checked lookup by NIK and name: only the NIK's blind index and the name's key remain."""

    nik_index: str
    name_key: str

    def __repr__(self) -> str:  # never in a traceback or a log line
        return "NikQuery(...)"


@dataclass(frozen=True)
class KelurahanQuery:
    """A checked lookup by kelurahan and name."""

    kelurahan: Region
    name_key: str

    def __repr__(self) -> str:
        return f"KelurahanQuery({self.kelurahan.pk}, ...)"


@dataclass(frozen=True)
class Received:
    """A programme a recipient receives (or received until recently), and its period."""

    programme: str
    start: dt.date
    end: dt.date | None


@dataclass(frozen=True)
class Recipient:
    """What the citizen sees of a recipient: the name masked (first and last letter of each
    word), the welfare decile and the programmes."""

    name: str
    welfare_decile: int | None
    programmes: tuple[Received, ...]


# ---------------------------------------------------------------------------------------------
# Checking what the citizen typed


def _name_key(name: str, errors: dict[str, list[str]]) -> str:
    text = " ".join((name or "").split())
    if not text:
        errors["name"] = [_("Give the name as written on the KTP.")]
        return ""
    if len(text) > MAX_NAME:
        errors["name"] = [_("The name may have at most %(n)d characters.") % {"n": MAX_NAME}]
        return ""
    key = registry.name_key(text)
    if not key:
        errors["name"] = [_("Give the name itself, not only a title.")]
    return key


@sensitive_variables("nik", "name", "parsed")
def check_nik_query(nik: str, name: str) -> NikQuery:
    """The lookup by NIK and name, checked; raises ``ValidationError`` naming every field with a
    problem. A NIK that cannot be valid is called malformed, with the reason; nothing here
    looks at the registry."""
    errors: dict[str, list[str]] = {}
    index = ""
    if not (nik or "").strip():
        errors["nik"] = [_("Give the NIK: the 16 digits on the KTP.")]
    else:
        try:
            parsed = parse_nik(nik)
        except IdentityError as exc:
            errors["nik"] = [str(exc)]
        else:
            index = registry.nik_index(parsed.value)
    key = _name_key(name, errors)
    if errors:
        raise ValidationError(errors)
    return NikQuery(nik_index=index, name_key=key)


@sensitive_variables("name")
def check_kelurahan_query(kelurahan: str, name: str) -> KelurahanQuery:
    """The lookup by kelurahan (a Kemendagri code of the city) and name, checked; raises
    ``ValidationError`` naming every field with a problem."""
    errors: dict[str, list[str]] = {}
    region = None
    code = (kelurahan or "").strip()
    if not code:
        errors["kelurahan"] = [_("Choose a kelurahan.")]
    else:
        region = city_village(code)
        if region is None:
            errors["kelurahan"] = [_("Pick a kelurahan from the list.")]
    key = _name_key(name, errors)
    if errors or region is None:
        raise ValidationError(errors)
    return KelurahanQuery(kelurahan=region, name_key=key)


def within_nik_limit(query: NikQuery) -> bool:
    """Count one lookup of this NIK, whoever asks, and say whether it is within the limit
    (``RATE_LIMITS["cek_nik"]``): many names tried against one NIK from many addresses stop
    here. Counted under the blind index, never the NIK."""
    return ratelimit.hit("cek_nik", query.nik_index, ratelimit.limit_for("cek_nik"))


# ---------------------------------------------------------------------------------------------
# The lookups


def _current(today: dt.date, since: dt.date) -> Q:
    """Enrolments running ``today``, or ended on ``since`` or later."""
    return Q(start__lte=today) & (Q(end__isnull=True) | Q(end__gte=since))


ROW_FIELDS = (
    "person_id",
    "person__name",
    "person__name_key",
    "person__welfare_decile",
    "programme__name",
    "start",
    "end",
)
Rows = QuerySet[Enrolment, tuple[Any, ...]]


def _by_nik(nik_index: str, today: dt.date, since: dt.date) -> Rows:
    """The current enrolments of the person with this NIK (by its blind index)."""
    return (
        Enrolment.objects.filter(_current(today, since), person__nik_index=nik_index)
        .order_by("programme__name", "start")
        .values_list(*ROW_FIELDS)
    )


def _by_kelurahan(kelurahan: str, name_key: str, today: dt.date, since: dt.date) -> Rows:
    """The current enrolments of the people of the kelurahan with this normalised name (the
    index on kelurahan and name_key), ordered by person."""
    return (
        Enrolment.objects.filter(
            _current(today, since), person__kelurahan_id=kelurahan, person__name_key=name_key
        )
        .order_by("person__name", "person_id", "programme__name", "start")
        .values_list(*ROW_FIELDS)[:MAX_ROWS]
    )


@dataclass(frozen=True)
class _Compiled:
    """A query's SQL and, for each of its parameters, the name of the value that goes there."""

    sql: str
    slots: tuple[str, ...]


_compiled: dict[tuple[str, str], _Compiled] = {}


def _stand_in(number: int, value: Any) -> Any:
    """A value of the same type no real lookup has, to recognise a parameter by."""
    if isinstance(value, dt.date):
        return dt.date(1901, 1, 1) + dt.timedelta(days=number)
    return f"stand-in:{number}"


@sensitive_variables("values", "params")
def _rows(build: Callable[..., Rows], **values: Any) -> list[tuple[Any, ...]]:
    """The rows of the ORM query ``build(**values)``, its SQL compiled once per process and
    database. Building and compiling the query took two thirds of a lookup's Python time (0.7
    of 1.0 ms), and Cek Bansos is the module's busiest page. The ORM query stays the one
    definition: the SQL is what the ORM writes for the database that runs it."""
    connection = connections[router.db_for_read(Enrolment)]

    def adapt(value: Any) -> Any:
        if isinstance(value, dt.date):
            return connection.ops.adapt_datefield_value(value)
        return value

    key = (build.__name__, connection.alias)
    compiled = _compiled.get(key)
    if compiled is None:
        stand_ins = {name: _stand_in(n, value) for n, (name, value) in enumerate(values.items())}
        sql, params = build(**stand_ins).query.get_compiler(using=connection.alias).as_sql()
        names = {adapt(stand_in): name for name, stand_in in stand_ins.items()}
        # A parameter without a stand-in (the query changed shape) fails here, loudly.
        compiled = _compiled[key] = _Compiled(sql, tuple(names[param] for param in params))
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, [adapt(values[slot]) for slot in compiled.slots])
        return cursor.fetchall()


def _recipients(rows: list[tuple[Any, ...]]) -> list[Recipient]:
    """Rows of ``ROW_FIELDS``, ordered by person, as one Recipient per person."""
    people: dict[int, tuple[str, int | None, list[Received]]] = {}
    for person_id, name, _key, decile, programme, start, end in rows:
        entry = people.setdefault(person_id, (mask_text(name), decile, []))
        entry[2].append(Received(programme=programme, start=start, end=end))
    return [
        Recipient(name=name, welfare_decile=decile, programmes=tuple(received))
        for name, decile, received in people.values()
    ]


def _log(method: str, found: bool, client: str) -> None:
    Lookup.objects.create(
        method=method, found=found, client_hash=blind_index(CLIENT_KIND, client or "-")
    )


@sensitive_variables("query", "rows", "candidate")
def lookup_by_nik(query: NikQuery, *, client: str, today: dt.date | None = None) -> list[Recipient]:
    """The recipient with this NIK and name, as a list of one, or an empty list when there is
    none: no person with the NIK, another name, or no programme, all alike (see the module's
    docstring). ``client`` is the asking address, kept only as a keyed hash in the log."""
    today = today or timezone.localdate()
    # One query by blind index, whoever the NIK belongs to: the person's current enrolments.
    rows = _rows(_by_nik, nik_index=query.nik_index, today=today, since=today - RECENT)
    # And always one comparison of the names, in constant time, against a dummy when the query
    # found nobody.
    candidate = rows[0][2] if rows else DUMMY_NAME_KEY
    same_name = hmac.compare_digest(candidate.encode(), query.name_key.encode())
    recipients = _recipients(rows) if rows and same_name else []
    _log(Lookup.Method.NIK, bool(recipients), client)
    return recipients


@sensitive_variables("query", "rows")
def lookup_by_kelurahan(
    query: KelurahanQuery, *, client: str, today: dt.date | None = None
) -> list[Recipient]:
    """Every recipient in the kelurahan whose name normalises to the name asked for ("Moch.
    Rizky" finds MUHAMMAD RIZKY), masked, ordered by name; people without a current programme
    are not listed."""
    today = today or timezone.localdate()
    rows = _rows(
        _by_kelurahan,
        kelurahan=query.kelurahan.pk,
        name_key=query.name_key,
        today=today,
        since=today - RECENT,
    )
    recipients = _recipients(rows)
    _log(Lookup.Method.KELURAHAN, bool(recipients), client)
    return recipients
