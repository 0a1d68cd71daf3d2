"""The community satisfaction index (Indeks Kepuasan Masyarakat, IKM) of PermenPANRB 14/2017.

Every respondent answers nine elements (unsur) of a service, each on a scale of 1-4:

    u1 requirements       u4 cost                    u7 staff behaviour
    u2 procedure          u5 product specification   u8 complaint handling
    u3 completion time    u6 staff competence        u9 facilities

The regulation's arithmetic:

- the NRR (nilai rata-rata) of an element is the mean of its answers;
- the IKM is the weighted sum of the nine NRR, each weighing 1/9, so it is on the same 1-4
  scale; since every respondent answers every element, it equals the sum of all answers
  divided by 9 x the number of respondents;
- the converted score (nilai interval konversi) is IKM x 25, on a 25-100 scale;
- the converted score, rounded half up to 2 decimals, gives the service quality (mutu
  pelayanan): A "Sangat Baik" from 88.31, B "Baik" from 76.61, C "Kurang Baik" from 65.00 and
  D "Tidak Baik" from 25.00.

The regulation writes the weight as 0.11 and spreadsheets often use 0.111; either shifts
scores near a grade boundary across it (NRR adding up to 31.79 give 31.79 / 9 x 25 = 88.31, A,
but 31.79 x 0.111 x 25 = 88.22, B). So here 1/9 is 1/9: every result is one division of whole
numbers carried to 34 significant digits, never a sum of rounded parts. A score that ends
exactly in 5 at the third decimal (88.305) is therefore exactly that, and rounds up to 88.31,
grade A. Rounding to what is shown happens once, at the end.

Answers come from citizens rating their own request on its status page (``rate_request``) or
from paper surveys (``read_ikm_csv``, for ``kotacerdas servicedesk ikm FILE.csv``). Reports
group them by service, OPD or period (``ikm_by``), summing in SQL and dividing here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal
from pathlib import Path
from typing import IO, Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth, TruncQuarter, TruncYear
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from kotacerdas.core import access
from kotacerdas.core.choices import Role
from kotacerdas.core.models import Opd, User
from kotacerdas.core.spreadsheets import UnreadableRow, csv_rows
from kotacerdas.servicedesk import rules
from kotacerdas.servicedesk.choices import Status
from kotacerdas.servicedesk.models import SatisfactionResponse, Service, ServiceRequest

ELEMENTS = tuple(f"u{number}" for number in range(1, 10))
LOWEST_ANSWER = 1
HIGHEST_ANSWER = 4
CONVERSION = 25  # IKM (1-4) x 25 = the converted score (25-100)
MAX_COMMENT = 2000
ALREADY_RATED = gettext_lazy("This request has already been rated. Thank you!")

# Enough for any division of the respondent counts a city sees, independent of whatever
# context the caller has set (IEEE decimal128, as evaluation.scoring carries its means).
_CONTEXT = Context(prec=34, rounding=ROUND_HALF_EVEN)
CENT = Decimal("0.01")
MILLI = Decimal("0.001")

# A whole number as people type it in a form or a spreadsheet cell ("3", " 4 "); ASCII digits
# only, so that int() never accepts another script's digits the clerk cannot see.
_WHOLE = re.compile(r"[+-]?[0-9]+")


def element_label(code: str) -> Promise:
    """The name of element ``code`` ("u1" -> "requirements"), as the model's field has it."""
    return SatisfactionResponse._meta.get_field(code).verbose_name


# ---------------------------------------------------------------------------------------------
# Grades


# The regulation's names of the four grades of service quality, which reports printed in
# Indonesian use as they are; the English labels below are for the interface, translated back.
SANGAT_BAIK = "Sangat Baik"
BAIK = "Baik"
KURANG_BAIK = "Kurang Baik"
TIDAK_BAIK = "Tidak Baik"


@dataclass(frozen=True)
class Grade:
    """A grade of service quality (mutu pelayanan): its letter, the lowest converted score
    (rounded to 2 decimals) that earns it, the interface label and the regulation's name."""

    letter: str
    minimum: Decimal
    label: Promise
    official_name: str


# Highest first: a score takes the first grade whose minimum it reaches. The labels carry a
# context: the answer scale of the questionnaire uses the same English words for other steps
# (its "Poor" is the lowest answer, "Tidak baik", while grade C is "Kurang Baik").
GRADES = (
    Grade("A", Decimal("88.31"), pgettext_lazy("IKM grade", "Very good"), SANGAT_BAIK),
    Grade("B", Decimal("76.61"), pgettext_lazy("IKM grade", "Good"), BAIK),
    Grade("C", Decimal("65.00"), pgettext_lazy("IKM grade", "Poor"), KURANG_BAIK),
    Grade("D", Decimal("25.00"), pgettext_lazy("IKM grade", "Very poor"), TIDAK_BAIK),
)
GRADES_BY_LETTER = {grade.letter: grade for grade in GRADES}
LOWEST_SCORE = Decimal("25.00")
HIGHEST_SCORE = Decimal("100.00")


def round_score(score: Decimal) -> Decimal:
    """A converted score as published: 2 decimals, half up."""
    return score.quantize(CENT, rounding=ROUND_HALF_UP)


def grade_for(score: Decimal) -> Grade:
    """The grade of a converted score, judged on the score rounded half up to 2 decimals (the
    regulation's intervals are written to 2 decimals: 88.30 is B, 88.31 is A)."""
    shown = round_score(score)
    if not LOWEST_SCORE <= shown <= HIGHEST_SCORE:
        raise ValueError(f"{score} is not a converted IKM score ({LOWEST_SCORE}-{HIGHEST_SCORE})")
    return next(grade for grade in GRADES if shown >= grade.minimum)


# ---------------------------------------------------------------------------------------------
# The index


@dataclass(frozen=True)
class IkmResult:
    """The IKM of a group of respondents. ``nrr``, ``ikm`` and ``score`` are unrounded (34
    significant digits); the ``rounded_*`` values are what reports print, and the grade is
    that of the rounded score."""

    respondents: int
    nrr: tuple[Decimal, ...]  # the nine elements' mean answers, u1 first
    ikm: Decimal  # 1-4
    score: Decimal  # the converted score, 25-100
    grade: str  # the letter, A-D

    @property
    def grade_label(self) -> Promise:
        return GRADES_BY_LETTER[self.grade].label

    @property
    def grade_official_name(self) -> str:
        return GRADES_BY_LETTER[self.grade].official_name

    @property
    def rounded_nrr(self) -> tuple[Decimal, ...]:
        return tuple(value.quantize(CENT, rounding=ROUND_HALF_UP) for value in self.nrr)

    @property
    def rounded_ikm(self) -> Decimal:
        return self.ikm.quantize(MILLI, rounding=ROUND_HALF_UP)

    @property
    def rounded_score(self) -> Decimal:
        return round_score(self.score)


def ikm_from_sums(sums: Sequence[int], respondents: int) -> IkmResult | None:
    """The IKM of ``respondents`` people whose answers to the nine elements add up to ``sums``
    (u1 first). None when nobody answered: there is no index of no one."""
    if len(sums) != len(ELEMENTS):
        raise ValueError(f"expected {len(ELEMENTS)} sums, got {len(sums)}")
    if not respondents:
        return None
    lowest, highest = LOWEST_ANSWER * respondents, HIGHEST_ANSWER * respondents
    if any(not lowest <= total <= highest for total in sums):
        raise ValueError(f"sums {list(sums)} are impossible for {respondents} respondents")
    n = Decimal(respondents)
    total = Decimal(sum(sums))
    # IKM = sum(NRR_i x 1/9) = sum(answers) / (9 n): one exact division, no 0.111.
    ikm = _CONTEXT.divide(total, n * len(ELEMENTS))
    score = _CONTEXT.divide(total * CONVERSION, n * len(ELEMENTS))
    return IkmResult(
        respondents=respondents,
        nrr=tuple(_CONTEXT.divide(Decimal(value), n) for value in sums),
        ikm=ikm,
        score=score,
        grade=grade_for(score).letter,
    )


def ikm_of(answer_sets: Iterable[Sequence[int]]) -> IkmResult | None:
    """The IKM of a list of respondents' nine answers (each 1-4), or None for no one."""
    sums = [0] * len(ELEMENTS)
    respondents = 0
    for answers in answer_sets:
        if len(answers) != len(ELEMENTS) or any(
            isinstance(a, bool)
            or not isinstance(a, int)
            or not LOWEST_ANSWER <= a <= HIGHEST_ANSWER
            for a in answers
        ):
            raise ValueError(f"a respondent gives nine whole answers 1-4, not {answers!r}")
        respondents += 1
        for position, answer in enumerate(answers):
            sums[position] += answer
    return ikm_from_sums(sums, respondents)


# ---------------------------------------------------------------------------------------------
# A citizen rates a request


def _whole_number(value: Any) -> int | None:
    """``value`` as a whole number (an int, or text such as "3"), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _WHOLE.fullmatch(value.strip()):
        return int(value.strip())
    return None


@transaction.atomic
def rate_request(
    request: ServiceRequest,
    answers: Mapping[str, Any],
    comment: str = "",
    at: dt.datetime | None = None,
) -> SatisfactionResponse:
    """The citizen's answers to the nine elements about their request, given on its status page
    once the request is resolved or closed, and only once. ``answers`` maps u1..u9 to whole
    numbers 1-4 (ints, or the text a form posts); other keys are ignored.

    A request merged into another follows its main request's status, but the rating is about
    the duplicate's own service. Refusals are ValidationError naming the field ("status",
    "request", "comment" or each bad u1..u9)."""
    # Lock the request: two submissions of the same form at once must not both pass the check
    # below (the one-to-one constraint would stop the second, but as an IntegrityError).
    # of=self: PostgreSQL cannot lock the nullable side of the join to the main request.
    locked = (
        ServiceRequest.objects.select_for_update(of=("self",))
        .select_related("merged_into")
        .get(pk=request.pk)
    )
    main = locked.merged_into or locked
    if main.status not in (Status.RESOLVED, Status.CLOSED):
        raise ValidationError({"status": _("A request can be rated once it has been resolved.")})
    if SatisfactionResponse.objects.filter(request=locked).exists():
        raise ValidationError({"request": ALREADY_RATED})
    errors: dict[str, str] = {}
    cleaned: dict[str, int] = {}
    for code in ELEMENTS:
        raw = answers.get(code)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            errors[code] = _("Choose an answer from 1 to 4.")
            continue
        number = _whole_number(raw)
        if number is None:
            errors[code] = _("The answer must be a whole number from 1 to 4.")
        elif not LOWEST_ANSWER <= number <= HIGHEST_ANSWER:
            errors[code] = _("The answer must be from 1 to 4.")
        else:
            cleaned[code] = number
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        errors["comment"] = _("Keep the comment under %(limit)s characters.") % {
            "limit": MAX_COMMENT
        }
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return SatisfactionResponse.objects.create(
                service_id=locked.service_id,
                request=locked,
                comment=comment,
                submitted_at=at or timezone.now(),
                **cleaned,
            )
    except IntegrityError:
        # A database without row locks (SQLite serialises writers instead) let a second
        # submission through; the one-to-one constraint caught it.
        raise ValidationError({"request": ALREADY_RATED}) from None


# ---------------------------------------------------------------------------------------------
# Reports


class GroupBy(models.TextChoices):
    """How a report groups its respondents."""

    SERVICE = "service", gettext_lazy("Service")
    OPD = "opd", gettext_lazy("OPD")
    MONTH = "month", gettext_lazy("Month")
    QUARTER = "quarter", gettext_lazy("Quarter")
    YEAR = "year", gettext_lazy("Year")


class GroupResult(NamedTuple):
    """One line of a report: the group's stable key (a service or OPD code, "2026-11",
    "2026-Q4", "2026"), its label for people, and its result."""

    key: str
    label: str
    result: IkmResult


_SUMS = {f"sum_{code}": Sum(code) for code in ELEMENTS}


def visible_responses(user: User) -> QuerySet[SatisfactionResponse]:
    """The answers ``user`` may read in reports: an OPD officer outside the desk those about
    their own OPD's services (as their queue holds only their OPD's requests), every other
    role all of them, and anyone without a role none."""
    responses = SatisfactionResponse.objects.all()
    if not access.is_staff_member(user):
        return responses.none()
    if access.has_role(user, Role.OPD_OFFICER) and not rules.reads_all(user):
        if user.opd_id is None:
            return responses.none()
        return responses.filter(service__opd_id=user.opd_id)
    return responses


def filter_responses(
    responses: QuerySet[SatisfactionResponse],
    *,
    service: Service | None = None,
    opd: Opd | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[SatisfactionResponse]:
    """The answers about ``service`` or about the services of ``opd`` (the OPD responsible in
    the catalogue), given from ``start`` to ``end`` inclusive (local dates, WIB)."""
    if service is not None:
        responses = responses.filter(service=service)
    if opd is not None:
        responses = responses.filter(service__opd=opd)
    # __date compares the local calendar day; no datetime arithmetic, so no date too far in
    # the past or future can overflow.
    if start is not None:
        responses = responses.filter(submitted_at__date__gte=start)
    if end is not None:
        responses = responses.filter(submitted_at__date__lte=end)
    return responses


def _period_key(group: str, moment: dt.datetime | dt.date) -> tuple[str, str]:
    if group == GroupBy.MONTH:
        return f"{moment:%Y-%m}", formats.date_format(moment, "YEAR_MONTH_FORMAT")
    if group == GroupBy.QUARTER:
        quarter = (moment.month - 1) // 3 + 1
        label = _("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": moment.year}
        return f"{moment.year}-Q{quarter}", label
    return str(moment.year), str(moment.year)


def ikm_by(responses: QuerySet[SatisfactionResponse], group: str) -> list[GroupResult]:
    """The IKM of ``responses`` per service, OPD, month, quarter or year (``GroupBy``), with
    the respondents counted: one query that sums the answers per group, and the division here.
    Services and OPDs come in name order, periods in time order; a group without answers does
    not appear."""
    group = GroupBy(group)
    rows = responses.order_by()
    if group == GroupBy.SERVICE:
        keys = ("service__code", "service__name")
        rows = rows.values(*keys)
    elif group == GroupBy.OPD:
        keys = ("service__opd__code", "service__opd__name")
        rows = rows.values(*keys)
    else:
        # Truncated in the current time zone (WIB): an answer at 23:30 on 31 March counts in
        # March, not in April as it would in UTC.
        trunc = {GroupBy.MONTH: TruncMonth, GroupBy.QUARTER: TruncQuarter, GroupBy.YEAR: TruncYear}
        keys = ("period",)
        rows = rows.annotate(period=trunc[group]("submitted_at")).values("period")
    rows = rows.annotate(respondents=Count("pk"), **_SUMS)
    results = []
    for row in rows:
        if group in (GroupBy.SERVICE, GroupBy.OPD):
            key, label = row[keys[0]], row[keys[1]]
        else:
            key, label = _period_key(group, row["period"])
        result = ikm_from_sums([row[f"sum_{code}"] for code in ELEMENTS], row["respondents"])
        if result is not None:
            results.append(GroupResult(key, label, result))
    if group in (GroupBy.SERVICE, GroupBy.OPD):
        results.sort(key=lambda line: (line.label.casefold(), line.key))
    else:
        results.sort(key=lambda line: line.key)
    return results


def ikm_total(responses: QuerySet[SatisfactionResponse]) -> IkmResult | None:
    """The IKM of all ``responses`` together (one query), or None when there are none."""
    row = responses.order_by().aggregate(respondents=Count("pk"), **_SUMS)
    if not row["respondents"]:
        return None
    return ikm_from_sums([row[f"sum_{code}"] for code in ELEMENTS], row["respondents"])


# ---------------------------------------------------------------------------------------------
# Paper surveys: a CSV file of answers

SERVICE_COLUMN = "service"


@dataclass(frozen=True)
class RowError:
    """A bad row of an answers file: its number as a spreadsheet shows it (the header is row
    1) and each bad cell's column and what is wrong with it."""

    row: int
    problems: tuple[tuple[str, str], ...]  # (column, reason)

    def __str__(self) -> str:
        parts = "; ".join(
            f"{column}: {reason}" if column else reason for column, reason in self.problems
        )
        return f"row {self.row}: {parts}"


class IkmFileError(ValueError):
    """An answers file that gives no result: a problem with the file itself (the message), or
    bad rows (``rows``, every one of them)."""

    def __init__(self, message: str, rows: Sequence[RowError] = ()) -> None:
        super().__init__(message)
        self.rows = list(rows)


@dataclass
class IkmFile:
    """What an answers file holds: whether it has a service column, and the answers per group
    (per service in the order the file first names them, or one group keyed "")."""

    by_service: bool
    groups: dict[str, list[tuple[int, ...]]] = field(default_factory=dict)

    def results(self) -> list[GroupResult]:
        """The IKM of each group, in the file's order."""
        lines = []
        for key, answer_sets in self.groups.items():
            result = ikm_of(answer_sets)
            if result is not None:
                lines.append(GroupResult(key, key, result))
        return lines

    def total(self) -> IkmResult | None:
        """The IKM of every respondent in the file together."""
        return ikm_of(answers for group in self.groups.values() for answers in group)


def _text_of(file: str | Path | IO[bytes] | IO[str]) -> str:
    if isinstance(file, str | Path):
        with open(file, "rb") as handle:
            data: bytes | str = handle.read()
    else:
        data = file.read()
    if isinstance(data, bytes):
        try:
            # utf-8-sig: spreadsheets often start a UTF-8 CSV with a byte-order mark.
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise IkmFileError(
                f"the file is not UTF-8 text (first problem on line {line}); save it as 'CSV UTF-8'"
            ) from None
    return data.removeprefix("\ufeff")


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    try:
        yield from csv_rows(text)
    except UnreadableRow as problem:
        raise IkmFileError(
            f"row {problem.row} cannot be read as CSV ({problem}); look for a quote that is not "
            "closed"
        ) from None


def _answer_problem(text: str) -> tuple[int | None, str | None]:
    value = text.strip()
    if not value:
        return None, "missing"
    number = _whole_number(value)
    if number is None:
        return None, f"{value!r} is not a whole number"
    if not LOWEST_ANSWER <= number <= HIGHEST_ANSWER:
        return None, f"{number} is outside {LOWEST_ANSWER}-{HIGHEST_ANSWER}"
    return number, None


def read_ikm_csv(file: str | Path | IO[bytes] | IO[str]) -> IkmFile:
    """Read a CSV file of survey answers: a header row naming the columns u1..u9 and optionally
    ``service`` (in any order, any case; other columns are ignored), then one respondent a row.
    UTF-8 with or without a byte-order mark; commas or semicolons.

    The file is taken whole or not at all: any bad cell (missing, not a whole number, outside
    1-4) raises IkmFileError listing every bad row, because a result from part of a survey
    looks like the result of all of it."""
    text = _text_of(file)
    columns: dict[str, int] | None = None
    width = 0
    data = IkmFile(by_service=False)
    errors: list[RowError] = []
    for number, cells in _records(text):
        if not any(cell.strip() for cell in cells):
            continue  # blank lines and rows of empty cells (",,,,")
        if columns is None:
            names = [cell.strip().lower() for cell in cells]
            wanted = (*ELEMENTS, SERVICE_COLUMN)
            repeated = sorted({name for name in names if name in wanted and names.count(name) > 1})
            if repeated:
                raise IkmFileError(
                    f"row {number} (header): column(s) {', '.join(repeated)} appear twice"
                )
            missing = [code for code in ELEMENTS if code not in names]
            if missing:
                raise IkmFileError(
                    f"row {number} (header): missing column(s) {', '.join(missing)}; the header "
                    "needs u1,u2,...,u9 and may have service"
                )
            columns = {name: position for position, name in enumerate(names) if name in wanted}
            width = len(names)
            data.by_service = SERVICE_COLUMN in columns
            continue
        problems: list[tuple[str, str]] = []
        if any(cell.strip() for cell in cells[width:]):
            problems.append(("", f"the row has {len(cells)} cells but the header has {width}"))
        # A short row (a spreadsheet drops trailing empty cells) leaves its last cells empty.
        values = {name: cells[at] if at < len(cells) else "" for name, at in columns.items()}
        answers = []
        for code in ELEMENTS:
            value, problem = _answer_problem(values[code])
            if problem:
                problems.append((code, problem))
            else:
                answers.append(value)
        service = values.get(SERVICE_COLUMN, "").strip()
        if data.by_service and not service:
            problems.append((SERVICE_COLUMN, "missing"))
        if problems:
            errors.append(RowError(number, tuple(problems)))
        else:
            data.groups.setdefault(service, []).append(tuple(answers))
    if columns is None:
        raise IkmFileError("the file is empty; it needs a header row with u1,u2,...,u9")
    if errors:
        raise IkmFileError(f"{len(errors)} bad row(s); the file was not used", errors)
    if not data.groups:
        raise IkmFileError("the file has a header but no answers")
    return data
