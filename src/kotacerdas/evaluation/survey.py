"""The impact survey of the 2023 instrument: citizens' answers per pillar, and how much they
can be trusted.

From 2023 the ministry scores the impact dimension by a survey: for each of the six pillars,
three sub-dimensions of three questions (items ``S.<pillar>.<sub-dimension>.<n>``), answered by
about 50 users of the pillar's services and quick wins on a 1-4 scale. Each item's score is the
mean of its answers. Kota Cerdas collects the answers through a public link per pillar (the
evaluation's ``survey_key`` makes it unguessable) or a CSV file of a survey run elsewhere.

Assessors found such surveys broken in practice: people ticking the same box for every
question, answering "don't know" (0) throughout, one staff member filling in every pillar's
survey, respondents who never used the services asked about. So every response is screened
(``flags``), the item means are shown with and without the flagged responses (``item_means``),
and the administrator chooses which to count, with a recorded reason (``decide``), before the
means become the region's proposed scores (``apply_means``).

Respondents are known only by ``respondent_key`` (``core.personal.contact_key``): a keyed hash
of the phone number or e-mail address they gave, enough to notice the same person answering
twice or for several pillars, never enough to recover the contact. The contact itself is
personal data: it is never stored, never logged and never echoed in an error message.

Every write is one transaction; refusals are ValidationError (naming the field or the item)
or PermissionDenied. Answers are collected and decided on during the self-assessment only:
after it the region's proposed scores are frozen for the assessors.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables

from kotacerdas.core import access
from kotacerdas.core.audit import records_actor
from kotacerdas.core.choices import Role
from kotacerdas.core.models import Pillar, User
from kotacerdas.core.personal import contact_key as respondent_key
from kotacerdas.core.spreadsheets import UnreadableRow, csv_rows
from kotacerdas.evaluation import rules
from kotacerdas.evaluation.choices import Stage
from kotacerdas.evaluation.instruments import Item, load_catalogue
from kotacerdas.evaluation.models import Evaluation, SurveyDecision, SurveyResponse
from kotacerdas.evaluation.scoring import MAX_SCORE, MIN_SCORE

# S.<pillar>.<sub-dimension>.<n>, as docs/evaluation.md codes the 2023 survey's questions.
SURVEY_CODE = re.compile(r"S\.(?P<pillar>[a-z0-9_]+)\.(?P<subdimension>[a-z0-9_]+)\.\d+")

NO_ANSWER = 0  # "does not apply / don't know": kept, flagged, never part of a mean
ANSWERS = range(0, 5)  # 0 and the instrument's scale, 1-4

MAX_IMPORT_BYTES = 5 * 1024 * 1024
CSV_FIXED_COLUMNS = ("pillar", "respondent")

# Means of at most a few hundred answers: 34 significant digits, as scoring.py carries them.
_MEAN_CONTEXT = Context(prec=34)
CENT = Decimal("0.01")


class Flag(models.TextChoices):
    """Why a response may not be trusted. The values are the flag names ``flags`` returns."""

    SAME_ANSWER = "same_answer", gettext_lazy("Same answer to every question")
    ZERO = "zero", gettext_lazy("Answered 0 (don't know / does not apply)")
    SEVERAL_PILLARS = "several_pillars", gettext_lazy("Answered several pillars' surveys")
    NOT_A_USER = "not_a_user", gettext_lazy("Not recorded as a user of the pillar's services")


# ---------------------------------------------------------------------------------------------
# Who uses the pillar's services


UsageLookup = Callable[[Evaluation, str, str], bool | None]

# How the ``not_a_user`` flag learns whether a respondent used a pillar's services or quick
# wins. The modules that hold service records (PECUT's requests, the bansos registry...) append
# a lookup here from their AppConfig.ready(): ``lookup(evaluation, pillar, respondent_key)``
# returns True when its records show the respondent (by ``respondent_key`` of the contact on
# the record) using that pillar's services, False when it holds records for the pillar and the
# respondent is not among them, and None when it cannot tell (no records for that pillar).
# With no lookup, or none that can tell, a respondent's use is *unknown*: the flag is not
# raised, and the staff page says that it could not be checked.
USAGE_LOOKUPS: list[UsageLookup] = []


def is_user(evaluation: Evaluation, pillar: str, key: str) -> bool | None:
    """Whether the respondent ``key`` used ``pillar``'s services: True as soon as one lookup
    knows them as a user, False when a lookup that holds the pillar's records does not, None
    when no lookup can tell."""
    found = [lookup(evaluation, pillar, key) for lookup in USAGE_LOOKUPS]
    if any(answer is True for answer in found):
        return True
    if any(answer is False for answer in found):
        return False
    return None


# ---------------------------------------------------------------------------------------------
# The survey's questions


def survey_items(evaluation: Evaluation) -> dict[str, tuple[Item, ...]]:
    """The survey's questions by pillar, each pillar's in the instrument's order; empty when
    the evaluation's instrument has no survey (the 2022 instrument: its impact items are scored
    by the assessors)."""
    instrument = load_catalogue().scheme(evaluation.scheme_id).instrument
    by_pillar: dict[str, list[Item]] = {}
    for item in instrument.items:
        match = SURVEY_CODE.fullmatch(item.code)
        if match:
            by_pillar.setdefault(match["pillar"], []).append(item)
    return {pillar: tuple(items) for pillar, items in by_pillar.items()}


def has_survey(evaluation: Evaluation) -> bool:
    return bool(survey_items(evaluation))


def is_open(evaluation: Evaluation) -> bool:
    """Answers are taken while the region assesses itself; after that its scores are frozen."""
    return evaluation.stage == Stage.SELF_ASSESSMENT


def _require_survey(evaluation: Evaluation) -> dict[str, tuple[Item, ...]]:
    items = survey_items(evaluation)
    if not items:
        raise ValidationError(
            {
                "survey": _("The scheme %(scheme)s has no impact survey.")
                % {"scheme": evaluation.scheme_id}
            }
        )
    return items


def _pillar_items(evaluation: Evaluation, pillar: str) -> tuple[Item, ...]:
    items = _require_survey(evaluation)
    if pillar not in items:
        raise ValidationError(
            {"pillar": _("The survey has no pillar %(pillar)s.") % {"pillar": pillar}}
        )
    return items[pillar]


def _require_open(evaluation: Evaluation) -> None:
    if not is_open(evaluation):
        raise ValidationError(
            {"survey": _("The survey is closed: the evaluation is past its self-assessment.")}
        )


def subdimension_label(item: Item) -> str:
    """The sub-dimension an item belongs to, as a heading: ``governance.layanan_publik`` ->
    "Layanan publik" (the reports' own words, in the instrument's spelling)."""
    match = SURVEY_CODE.fullmatch(item.code)
    name = match["subdimension"] if match else (item.element or "")
    return name.replace("_", " ").capitalize()


def pillar_names(codes: Iterable[str]) -> dict[str, str]:
    """The pillars' names in the current language, by code (the code where none is loaded)."""
    codes = list(codes)
    names = {pillar.code: pillar.name for pillar in Pillar.objects.filter(code__in=codes)}
    return {code: names.get(code, code) for code in codes}


def may_view(user: Any) -> bool:
    """Administrators run the survey; assessors read it, to judge its validity."""
    return access.is_administrator(user) or access.has_role(user, Role.ASSESSOR)


def may_manage(user: Any) -> bool:
    return rules.can_manage(user)


# ---------------------------------------------------------------------------------------------
# Answers


def check_answers(
    items: Iterable[Item], answers: Mapping[str, Any], pillar: str = ""
) -> tuple[dict[str, int], dict[str, str]]:
    """Check one response's answers to a pillar's ``items``: every item answered once with a
    whole number 0-4, nothing else. Returns the answers as integers (in the items' order) and
    the problems by item code."""
    codes = [item.code for item in items]
    cleaned: dict[str, int] = {}
    errors: dict[str, str] = {}
    for code in answers:
        if code not in codes:
            errors[code] = _("This is not a question of the %(pillar)s survey.") % {
                "pillar": pillar
            }
    for code in codes:
        if code not in answers or answers[code] in (None, ""):
            errors[code] = _("Choose an answer (0 if you do not know or it does not apply).")
            continue
        value = _answer(answers[code])
        if value is None:
            errors[code] = _("An answer is a whole number from 0 to 4, not '%(value)s'.") % {
                "value": str(answers[code])[:20]
            }
        else:
            cleaned[code] = value
    return cleaned, errors


def _answer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and re.fullmatch(r"\s*[0-9]+\s*", value):
        value = int(value)
    if isinstance(value, int) and value in ANSWERS:
        return value
    return None


def _already_answered() -> str:
    # Says no more than that: not when, not what, not for which other pillars.
    return _("You have already answered this survey. Thank you.")


@sensitive_variables("contact")
@transaction.atomic
def submit_response(
    evaluation: Evaluation, pillar: str, contact: str, answers: Mapping[str, int | str]
) -> SurveyResponse:
    """A citizen's answers to one pillar's survey, through the public link (no account, so no
    actor). Every question of the pillar is answered 0-4 (0, "don't know / does not apply", is
    kept and flagged); the contact (a phone number or e-mail address) is turned into the
    respondent key and dropped. One response per person and pillar; only while the survey is
    open. All problems are raised at once, by field: ``contact`` and each item code. An answer
    is an int or, as a form posts it, a string of digits."""
    items = _pillar_items(evaluation, pillar)
    _require_open(evaluation)
    errors: dict[str, list[str]] = {}
    try:
        key = respondent_key(contact)
    except ValidationError as error:
        errors["contact"] = error.messages
    cleaned, answer_errors = check_answers(items, answers, pillar)
    errors.update({code: [message] for code, message in answer_errors.items()})
    if errors:
        raise ValidationError(errors)
    if SurveyResponse.objects.filter(evaluation=evaluation, pillar=pillar, respondent=key).exists():
        raise ValidationError({"contact": _already_answered()})
    try:
        # A savepoint: the same person submitting twice at once meets the unique constraint.
        with transaction.atomic():
            return SurveyResponse.objects.create(
                evaluation=evaluation, pillar=pillar, respondent=key, answers=cleaned
            )
    except IntegrityError:
        raise ValidationError({"contact": _already_answered()}) from None


# ---------------------------------------------------------------------------------------------
# CSV import


@dataclass(frozen=True)
class RowError:
    """One problem in an imported file: the row as a spreadsheet numbers it (the header is
    row 1), the column's name as written in the header, and what is wrong."""

    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    """What an import did. With any ``errors`` nothing was saved; otherwise ``created``
    responses were saved, ``by_pillar`` of them for each pillar."""

    created: int = 0
    by_pillar: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def csv_template(evaluation: Evaluation) -> str:
    """An empty import file: the header with every question of every pillar."""
    items = _require_survey(evaluation)
    codes = [item.code for pillar_items in items.values() for item in pillar_items]
    return ",".join([*CSV_FIXED_COLUMNS, *codes]) + "\r\n"


def _read_text(upload: UploadedFile) -> str:
    """The upload as text: at most 5 MB, UTF-8 with or without a byte-order mark."""
    too_large = _("The file is %(size)s MB; the limit is %(limit)s MB.")
    limit = MAX_IMPORT_BYTES // 1_048_576
    if upload.size is not None and upload.size > MAX_IMPORT_BYTES:
        size = round(upload.size / 1_048_576, 1)
        raise ValidationError(too_large % {"size": size, "limit": limit})
    upload.seek(0)
    data = upload.read(MAX_IMPORT_BYTES + 1)  # the size an upload claims is not proof
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError(too_large % {"size": f"> {limit}", "limit": limit})
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ValidationError(
            _(
                "The file is not UTF-8 text (the first problem is on line %(line)s). In Excel, "
                "save it as 'CSV UTF-8 (Comma delimited)'."
            )
            % {"line": line}
        ) from None


@dataclass
class _Row:
    number: int
    pillar: str
    key: str
    answers: dict[str, int]


class _FileChecker:
    """Checks an import file row by row, collecting every problem."""

    def __init__(self, evaluation: Evaluation, items: dict[str, tuple[Item, ...]]) -> None:
        self.items = items
        self.pillar_of = {item.code: pillar for pillar, group in items.items() for item in group}
        self.seen: dict[tuple[str, str], int] = {}
        self.existing = set(
            evaluation.survey_responses.values_list("pillar", "respondent").iterator()
        )

    def header(self, number: int, cells: list[str]) -> tuple[list[str], list[RowError]]:
        columns = [cell.strip() for cell in cells]
        columns = [
            column.lower() if column.lower() in CSV_FIXED_COLUMNS else column for column in columns
        ]
        errors = []
        seen: set[str] = set()
        for column in columns:
            if column in seen:
                errors.append(RowError(number, column, _("This column appears twice.")))
            elif column not in CSV_FIXED_COLUMNS and column not in self.pillar_of:
                errors.append(
                    RowError(
                        number,
                        column,
                        _(
                            "Unknown column: the columns are pillar, respondent and the "
                            "survey's question codes (S.<pillar>.<sub-dimension>.<n>)."
                        ),
                    )
                )
            seen.add(column)
        for required in CSV_FIXED_COLUMNS:
            if required not in seen:
                errors.append(
                    RowError(
                        number,
                        required,
                        _("The file has no column '%(column)s'.") % {"column": required},
                    )
                )
        return columns, errors

    @sensitive_variables("cells", "contact")
    def row(
        self, number: int, columns: list[str], cells: list[str]
    ) -> tuple[_Row | None, list[RowError]]:
        errors: list[RowError] = []
        if len(cells) > len(columns) and any(cell.strip() for cell in cells[len(columns) :]):
            errors.append(
                RowError(
                    number,
                    "",
                    _("The row has %(found)s cells; the header has %(expected)s.")
                    % {"found": len(cells), "expected": len(columns)},
                )
            )
        values = dict(zip(columns, [*cells, *[""] * (len(columns) - len(cells))], strict=False))
        pillar = values.get("pillar", "").strip().lower()
        if pillar not in self.items:
            errors.append(
                RowError(
                    number,
                    "pillar",
                    _("Unknown pillar '%(pillar)s'; the survey's pillars are %(pillars)s.")
                    % {"pillar": pillar[:40], "pillars": ", ".join(self.items)},
                )
            )
        contact = values.get("respondent", "")
        key = None
        try:
            key = respondent_key(contact, allow_id=True)
        except ValidationError:
            # The cell is blank (the only way an id can be refused); never echo what is there.
            errors.append(RowError(number, "respondent", _("The respondent is missing.")))
        if pillar not in self.items:
            return None, errors
        answers = {
            code: values[code]
            for code in (item.code for item in self.items[pillar])
            if code in values
        }
        for column, value in values.items():
            other = self.pillar_of.get(column)
            if other is not None and other != pillar and value.strip():
                errors.append(
                    RowError(
                        number,
                        column,
                        _(
                            "This question belongs to the %(other)s survey and this row to "
                            "%(pillar)s; leave it empty."
                        )
                        % {"other": other, "pillar": pillar},
                    )
                )
        cleaned, answer_errors = check_answers(self.items[pillar], answers, pillar)
        for code, message in answer_errors.items():
            if code not in values:
                message = _("The file has no column for this question of the %(pillar)s survey.")
                message %= {"pillar": pillar}
            errors.append(RowError(number, code, message))
        if key is not None:
            earlier = self.seen.get((pillar, key))
            if earlier is not None:
                errors.append(
                    RowError(
                        number,
                        "respondent",
                        _("The same respondent already answered this pillar in row %(row)s.")
                        % {"row": earlier},
                    )
                )
            elif (pillar, key) in self.existing:
                errors.append(
                    RowError(
                        number,
                        "respondent",
                        _("This respondent has already answered the %(pillar)s survey.")
                        % {"pillar": pillar},
                    )
                )
            else:
                self.seen[(pillar, key)] = number
        if errors or key is None:
            return None, errors
        return _Row(number, pillar, key, cleaned), []


def _readable_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    try:
        yield from csv_rows(text)
    except UnreadableRow as problem:
        raise ValidationError(
            _("Row %(row)s cannot be read as CSV; look for a quote that is not closed.")
            % {"row": problem.row}
        ) from None


@records_actor
@transaction.atomic
def import_responses(actor: User, evaluation: Evaluation, upload: UploadedFile) -> ImportResult:
    """Import responses collected outside the platform (a paper or third-party survey) from a
    CSV file with the columns ``pillar,respondent,<item codes...>``: one response a row, the
    row's pillar's questions answered 0-4 and the other pillars' left empty. ``respondent`` is
    a phone number or e-mail address, or an anonymous respondent id; either is hashed into the
    respondent key and not kept.

    Every row is checked; with any problem nothing is saved and every problem is returned
    (row, column, message). A file that cannot be read at all (over 5 MB, not UTF-8, empty)
    raises ValidationError. Administrators only, while the survey is open.
    """
    if not rules.can_manage(actor):
        raise PermissionDenied(_("Only administrators import survey responses."))
    items = _require_survey(evaluation)
    _require_open(evaluation)
    text = _read_text(upload)
    checker = _FileChecker(evaluation, items)
    result = ImportResult()
    columns: list[str] | None = None
    rows: list[_Row] = []
    for number, cells in _readable_rows(text):
        if not any(cell.strip() for cell in cells):
            continue  # blank lines and rows of empty cells (",,,,")
        if columns is None:
            columns, header_errors = checker.header(number, cells)
            if header_errors:
                result.errors = header_errors
                return result
            continue
        row, errors = checker.row(number, columns, cells)
        result.errors.extend(errors)
        if row is not None:
            rows.append(row)
    if columns is None:
        raise ValidationError(_("The file is empty."))
    if not rows and not result.errors:
        raise ValidationError(_("The file has a header but no responses."))
    if result.errors:
        return result
    try:
        with transaction.atomic():
            SurveyResponse.objects.bulk_create(
                SurveyResponse(
                    evaluation=evaluation,
                    pillar=row.pillar,
                    respondent=row.key,
                    answers=row.answers,
                    imported=True,
                )
                for row in rows
            )
    except IntegrityError:
        # Someone answered online between the check and the save.
        result.errors.append(
            RowError(0, "respondent", _("A respondent answered meanwhile; import the file again."))
        )
        return result
    result.created = len(rows)
    for row in rows:
        result.by_pillar[row.pillar] = result.by_pillar.get(row.pillar, 0) + 1
    return result


# ---------------------------------------------------------------------------------------------
# Screening and means


@dataclass(frozen=True)
class Screening:
    """Every response's flags (an empty set for a clean one), and the responses whose use of
    the pillar's services no usage lookup could tell (``not_a_user`` unknown)."""

    flags: dict[int, set[str]]
    usage_unknown: set[int]


def screen(evaluation: Evaluation) -> Screening:
    """Screen every response of the evaluation (see ``flags``)."""
    responses = list(evaluation.survey_responses.only("pk", "pillar", "respondent", "answers"))
    pillars_of: dict[str, set[str]] = defaultdict(set)
    for response in responses:
        pillars_of[response.respondent].add(response.pillar)
    found: dict[int, set[str]] = {}
    unknown: set[int] = set()
    for response in responses:
        answers = list(response.answers.values())
        raised: set[str] = set()
        if answers and len(set(answers)) == 1:
            raised.add(Flag.SAME_ANSWER.value)
        if NO_ANSWER in answers:
            raised.add(Flag.ZERO.value)
        if len(pillars_of[response.respondent]) > 1:
            raised.add(Flag.SEVERAL_PILLARS.value)
        usage = is_user(evaluation, response.pillar, response.respondent)
        if usage is False:
            raised.add(Flag.NOT_A_USER.value)
        elif usage is None:
            unknown.add(response.pk)
        found[response.pk] = raised
    return Screening(found, unknown)


def flags(evaluation: Evaluation) -> dict[int, set[str]]:
    """Each response's flags, by response id (an empty set when none):

    - ``same_answer``: the same answer to every question (straight-lining);
    - ``zero``: at least one 0 ("don't know / does not apply");
    - ``several_pillars``: the same respondent answered more than one pillar's survey of this
      evaluation (the survey asks each pillar's own users);
    - ``not_a_user``: the platform's service records do not show the respondent using the
      pillar's services or quick wins. Raised only when a usage lookup can tell
      (``USAGE_LOOKUPS``); until the modules holding service records add one, it never is, and
      the respondent's use is unknown (``screen(...).usage_unknown``).
    """
    return screen(evaluation).flags


class ItemMean(NamedTuple):
    """One question's mean over all responses and over the unflagged ones, with the number of
    answers each counts. Only answers 1-4 count: a 0 is "no answer", with or without flags.
    A mean is None when no answer counts."""

    item_code: str
    mean_all: Decimal | None
    mean_without_flagged: Decimal | None
    n_all: int
    n_without: int


def _mean(values: list[int]) -> Decimal | None:
    if not values:
        return None
    with localcontext(_MEAN_CONTEXT):
        return Decimal(sum(values)) / len(values)


def _item_means(
    items: Iterable[Item], responses: list[SurveyResponse], flagged: set[int]
) -> list[ItemMean]:
    means = []
    for item in items:
        every = [
            value
            for response in responses
            if (value := response.answers.get(item.code, NO_ANSWER)) != NO_ANSWER
        ]
        clean = [
            value
            for response in responses
            if response.pk not in flagged
            and (value := response.answers.get(item.code, NO_ANSWER)) != NO_ANSWER
        ]
        means.append(ItemMean(item.code, _mean(every), _mean(clean), len(every), len(clean)))
    return means


def _flagged(screening: Screening) -> set[int]:
    return {pk for pk, raised in screening.flags.items() if raised}


def item_means(evaluation: Evaluation, pillar: str) -> list[ItemMean]:
    """The mean answer to each of ``pillar``'s questions, in the instrument's order, with and
    without the flagged responses (Decimal, unrounded)."""
    items = _pillar_items(evaluation, pillar)
    responses = list(evaluation.survey_responses.filter(pillar=pillar))
    return _item_means(items, responses, _flagged(screen(evaluation)))


@dataclass(frozen=True)
class PillarSurvey:
    """One pillar's survey as the staff page shows it."""

    pillar: str
    name: str
    items: tuple[Item, ...]
    responses: int
    imported: int
    flagged: int
    flag_counts: dict[str, int]  # every flag, in Flag's order
    usage_unknown: int
    means: list[ItemMean]
    decision: SurveyDecision | None


def overview(evaluation: Evaluation) -> list[PillarSurvey]:
    """Every pillar's response count, flags, means and decision, in the instrument's order."""
    items = _require_survey(evaluation)
    screening = screen(evaluation)
    flagged = _flagged(screening)
    by_pillar: dict[str, list[SurveyResponse]] = defaultdict(list)
    for response in evaluation.survey_responses.all():
        by_pillar[response.pillar].append(response)
    decisions = {
        decision.pillar: decision
        for decision in evaluation.survey_decisions.select_related("decided_by")
    }
    names = pillar_names(items)
    summaries = []
    for pillar, pillar_items in items.items():
        responses = by_pillar.get(pillar, [])
        counts = {flag.value: 0 for flag in Flag}
        for response in responses:
            for raised in screening.flags[response.pk]:
                counts[raised] += 1
        summaries.append(
            PillarSurvey(
                pillar=pillar,
                name=names[pillar],
                items=pillar_items,
                responses=len(responses),
                imported=sum(response.imported for response in responses),
                flagged=sum(response.pk in flagged for response in responses),
                flag_counts=counts,
                usage_unknown=sum(response.pk in screening.usage_unknown for response in responses),
                means=_item_means(pillar_items, responses, flagged),
                decision=decisions.get(pillar),
            )
        )
    return summaries


# ---------------------------------------------------------------------------------------------
# The administrator's decision, and the means as the region's scores


@records_actor
@transaction.atomic
def decide(
    actor: User, evaluation: Evaluation, pillar: str, include_flagged: bool, reason: str
) -> SurveyDecision:
    """The administrator chooses whether ``pillar``'s flagged responses count in its item
    means, and says why. A later decision replaces the earlier one; both are in the audit
    trail."""
    if not rules.can_manage(actor):
        raise PermissionDenied(_("Only administrators decide which survey responses count."))
    _pillar_items(evaluation, pillar)
    _require_open(evaluation)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the decision; it is recorded.")})
    decision = SurveyDecision.objects.filter(evaluation=evaluation, pillar=pillar).first()
    if decision is None:
        decision = SurveyDecision(evaluation=evaluation, pillar=pillar)
    decision.include_flagged = include_flagged
    decision.reason = reason
    decision.decided_by = actor
    decision.save()
    return decision


@dataclass
class Applied:
    """What ``apply_means`` did: the scores it wrote (item code, score, answers counted), the
    pillars it left alone for want of a decision, and the items it left alone because no
    answer counts (or the evaluation has no such item)."""

    written: list[tuple[str, Decimal, int]] = field(default_factory=list)
    undecided: list[str] = field(default_factory=list)
    no_valid_answer: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def survey_score(mean: Decimal) -> Decimal:
    """A mean as an item score: two decimals, half up, within 1.00-4.00 (as every score)."""
    score = mean.quantize(CENT, rounding=ROUND_HALF_UP)
    if not MIN_SCORE <= score <= MAX_SCORE:
        raise ValueError(f"a survey mean of answers 1-4 cannot be {mean}")
    return score


@records_actor
@transaction.atomic
def apply_means(actor: User, evaluation: Evaluation) -> Applied:
    """Write each survey item's mean, as the pillar's decision says (with or without the
    flagged responses), into the item's proposed score: the region's own figure, which the
    assessors then review. The justification states how many answers count, whether flagged
    responses were counted, and the decision's reason.

    Pillars without a decision and items without an answer that counts are left as they were
    and reported. Administrators only, during the self-assessment."""
    if not rules.can_manage(actor):
        raise PermissionDenied(_("Only administrators apply the survey's means."))
    items = _require_survey(evaluation)
    _require_open(evaluation)
    screening = screen(evaluation)
    flagged = _flagged(screening)
    decisions = {decision.pillar: decision for decision in evaluation.survey_decisions.all()}
    answers = {
        answer.item_code: answer
        for answer in evaluation.answers.filter(item_code__startswith="S.").select_for_update()
    }
    applied = Applied()
    now = timezone.now()
    for pillar, pillar_items in items.items():
        decision = decisions.get(pillar)
        if decision is None:
            applied.undecided.append(pillar)
            continue
        responses = list(evaluation.survey_responses.filter(pillar=pillar))
        for mean in _item_means(pillar_items, responses, flagged):
            value, n = (
                (mean.mean_all, mean.n_all)
                if decision.include_flagged
                else (mean.mean_without_flagged, mean.n_without)
            )
            answer = answers.get(mean.item_code)
            if answer is None:
                applied.missing.append(mean.item_code)
                continue
            if value is None:
                applied.no_valid_answer.append(mean.item_code)
                continue
            score = survey_score(value)
            counted = _("counted") if decision.include_flagged else _("left out")
            answer.proposed_score = score
            answer.justification = _(
                "Impact survey: mean of %(n)s answers on the 1-4 scale (answers of 0 not "
                "counted); flagged responses %(counted)s. Reason: %(reason)s"
            ) % {"n": n, "counted": counted, "reason": decision.reason}
            answer.answered_by = actor
            answer.answered_at = now
            answer.save(
                update_fields=["proposed_score", "justification", "answered_by", "answered_at"]
            )
            applied.written.append((mean.item_code, score, n))
    return applied
