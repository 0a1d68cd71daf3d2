"""Importing the civil registry extract, the DTKS extract and exclusion lists.

The canonical formats (docs/bansos.md) are CSV files with a header row; XLSX workbooks (first
sheet) and a column mapping for real extracts with other headers are accepted too. An import:

- streams the file, so a 300,000-row extract never sits in memory as a whole;
- checks every row and reports every bad one (row, column, reason) without stopping; good rows
  are saved, bad rows are not, and the report is kept with the ``ImportRun``;
- is idempotent: each saved row keeps a keyed hash of what it was imported from, so the same
  file imported again changes nothing, and a changed row updates its record (and the change
  goes into the audit trail, identity numbers masked);
- runs in one transaction, so an interrupted import leaves the registry as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from kotacerdas.bansos import bulk
from kotacerdas.bansos.choices import ExclusionKind, NikWarning, Relationship, Sex
from kotacerdas.bansos.identity import (
    IdentityError,
    clean_number,
    nik_warnings,
    parse_kk,
    parse_nik,
    region_codes,
)
from kotacerdas.bansos.models import (
    DtksRecord,
    Exclusion,
    Household,
    ImportRun,
    Person,
    Programme,
)
from kotacerdas.bansos.registry import kk_index, name_key, nik_index
from kotacerdas.bansos.tables import (
    CIVIL_REGISTRY_COLUMNS,
    CIVIL_REGISTRY_OPTIONAL,
    DTKS_COLUMNS,
    EXCLUSION_COLUMNS,
    batched,
    read_table,
)
from kotacerdas.core.audit import log_bulk_changes
from kotacerdas.core.personal import blind_index

# Rows are saved in chunks: large enough for fast bulk statements, small enough for SQLite's
# limit on query parameters.
CHUNK = 2000
# The report keeps every problem; the page shows the first ones and offers the whole list.
ROW_HASH = "bansos.import-row"

SEX_WORDS = {
    "L": Sex.MALE,
    "LAKI-LAKI": Sex.MALE,
    "LAKI LAKI": Sex.MALE,
    "P": Sex.FEMALE,
    "PEREMPUAN": Sex.FEMALE,
}
RELATIONSHIP_WORDS = {
    "KEPALA KELUARGA": Relationship.HEAD,
    "ISTRI": Relationship.SPOUSE,
    "SUAMI": Relationship.SPOUSE,
    "ANAK": Relationship.CHILD,
    "MENANTU": Relationship.CHILD_IN_LAW,
    "CUCU": Relationship.GRANDCHILD,
    "ORANG TUA": Relationship.PARENT,
    "MERTUA": Relationship.PARENT_IN_LAW,
    "FAMILI LAIN": Relationship.OTHER_FAMILY,
    "LAINNYA": Relationship.OTHER,
}
EXCLUSION_WORDS = {
    "PNS": ExclusionKind.CIVIL_SERVANT,
    "ASN": ExclusionKind.CIVIL_SERVANT,
    "PPPK": ExclusionKind.CIVIL_SERVANT,
    "TNI": ExclusionKind.MILITARY,
    "POLRI": ExclusionKind.POLICE,
    "LAINNYA": ExclusionKind.OTHER,
}

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Problem:
    """A row the import could not take (``error``), or took with a doubt a clerk should look at
    (``warning``). ``row`` is the row number as a spreadsheet shows it (the header is row 1)."""

    row: int
    column: str
    reason: str
    severity: str = "error"

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "reason": self.reason,
            "severity": self.severity,
        }


class RowError(ValueError):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column


# ---------------------------------------------------------------------------------------------
# Checking cells


def _date(text: str, column: str, *, required: bool = True) -> dt.date | None:
    if not text:
        if required:
            raise RowError(column, _("A date is required (YYYY-MM-DD)."))
        return None
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        raise RowError(column, _("Not a date in the form YYYY-MM-DD.")) from None
    if value > timezone.localdate():
        raise RowError(column, _("The date is in the future."))
    return value


def _sex(text: str, *, required: bool = True) -> str:
    if not text and not required:
        return ""
    sex = SEX_WORDS.get(text.upper())
    if sex is None:
        raise RowError("jenis_kelamin", _("Write L or P."))
    return sex


def _name(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise RowError("nama", _("The name is required."))
    if len(name) > 150:
        raise RowError("nama", _("The name is longer than 150 characters."))
    return name


def _kelurahan(text: str, *, required: bool = True) -> str | None:
    if not text:
        if required:
            raise RowError("kode_kelurahan", _("The kelurahan code is required."))
        return None
    if text not in region_codes(4):
        raise RowError(
            "kode_kelurahan",
            _("Not a kelurahan/desa code of the Kemendagri table (such as 35.71.01.1001)."),
        )
    return text


def _neighbourhood(text: str, column: str) -> str:
    """An RT or RW number, as the three digits the civil registry writes (1 -> 001)."""
    if not text:
        return ""
    if not text.isdigit() or len(text) > 3:
        raise RowError(column, _("Write a number of up to three digits."))
    return text.zfill(3)


def _row_hash(values: Iterable[Any]) -> str:
    # A keyed hash: the stored hash of a row says nothing about its NIK to someone without
    # the data key.
    return blind_index(
        ROW_HASH, "\x1f".join("" if value is None else str(value) for value in values)
    )


@dataclass
class _Counts:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len({problem.row for problem in self.problems if problem.severity == "error"})

    @property
    def warnings(self) -> int:
        return sum(problem.severity == "warning" for problem in self.problems)


def _new_run(kind: str, file_name: str, user: Any) -> ImportRun:
    return ImportRun(
        kind=kind,
        file_name=file_name,
        started_by=user if getattr(user, "is_authenticated", False) else None,
    )


def _finish(run: ImportRun, counts: _Counts) -> ImportRun:
    run.rows = counts.rows
    run.created = counts.created
    run.updated = counts.updated
    run.unchanged = counts.unchanged
    run.rejected = counts.rejected
    run.warnings = counts.warnings
    run.problems = [problem.as_dict() for problem in counts.problems]
    run.finished_at = timezone.now()
    run.save()
    return run


def _checked_rows(
    rows: Iterator[tuple[int, dict[str, str]]],
    check: Callable[[int, dict[str, str]], Any],
    counts: _Counts,
    progress: Progress | None,
) -> Iterator[Any]:
    """Each row's checked value; a row that fails its check is reported and skipped."""
    for number, row in rows:
        counts.rows += 1
        try:
            yield check(number, row)
        except RowError as exc:
            counts.problems.append(Problem(number, exc.column, str(exc)))
        if progress and counts.rows % 1000 == 0:
            progress(counts.rows)
    if progress:
        progress(counts.rows)


# ---------------------------------------------------------------------------------------------
# The civil registry extract


@dataclass
class _CivilRow:
    number: int
    nik: str
    kk: str
    name: str
    birth_place: str
    birth_date: dt.date
    sex: str
    address: str
    rt: str
    rw: str
    kelurahan: str
    alive: bool
    date_of_death: dt.date | None
    relationship: str
    warnings: list[NikWarning]

    def person_hash(self) -> str:
        # The address, RT and RW are the household's: not part of the person.
        return _row_hash(
            (
                self.nik,
                self.kk,
                self.name,
                self.birth_place,
                self.birth_date,
                self.sex,
                self.kelurahan,
                self.alive,
                self.date_of_death,
                self.relationship,
            )
        )

    def household_hash(self) -> str:
        return _row_hash((self.kk, self.address, self.rt, self.rw, self.kelurahan))


@sensitive_variables("row", "nik", "kk")
def _check_civil_row(number: int, row: dict[str, str]) -> _CivilRow:
    try:
        nik = parse_nik(row["nik"])
    except IdentityError as exc:
        raise RowError("nik", str(exc)) from None
    try:
        kk = parse_kk(row["no_kk"])
    except IdentityError as exc:
        raise RowError("no_kk", str(exc)) from None
    name = _name(row["nama"])
    birth_date = _date(row["tanggal_lahir"], "tanggal_lahir")
    sex = _sex(row["jenis_kelamin"])
    kelurahan = _kelurahan(row["kode_kelurahan"])
    status = row["status_hidup"].upper() or "HIDUP"
    if status not in ("HIDUP", "MATI"):
        raise RowError("status_hidup", _("Write HIDUP or MATI."))
    date_of_death = _date(row["tanggal_meninggal"], "tanggal_meninggal", required=False)
    if status == "MATI" and date_of_death is None:
        raise RowError("tanggal_meninggal", _("A person recorded as MATI needs a date of death."))
    if status == "HIDUP" and date_of_death is not None:
        raise RowError("tanggal_meninggal", _("A living person cannot have a date of death."))
    if date_of_death is not None and date_of_death < birth_date:
        raise RowError("tanggal_meninggal", _("The date of death is before the date of birth."))
    relationship_text = row.get("hubungan", "").upper()
    relationship = RELATIONSHIP_WORDS.get(relationship_text, "")
    if relationship_text and not relationship:
        raise RowError(
            "hubungan",
            _("Not a relationship of the family card (such as KEPALA KELUARGA, ISTRI, ANAK)."),
        )
    birth_place = " ".join(row["tempat_lahir"].split())[:100]
    return _CivilRow(
        number=number,
        nik=nik.value,
        kk=kk,
        name=name,
        birth_place=birth_place,
        birth_date=birth_date,
        sex=sex,
        address=" ".join(row["alamat"].split()),
        rt=_neighbourhood(row["rt"], "rt"),
        rw=_neighbourhood(row["rw"], "rw"),
        kelurahan=kelurahan,
        alive=status == "HIDUP",
        date_of_death=date_of_death,
        relationship=relationship,
        warnings=nik_warnings(nik, birth_date, sex),
    )


# The person fields an import sets, and those whose changes the audit trail shows as they are
# (a changed NIK or KK number is only said to have changed).
PERSON_FIELDS = [
    "nik",
    "household",
    "relationship",
    "name",
    "name_key",
    "birth_place",
    "birth_date",
    "sex",
    "kelurahan",
    "alive",
    "date_of_death",
    "moved_out",
    "nik_warnings",
    "source_hash",
]
PERSON_VISIBLE_FIELDS = [
    "relationship",
    "name",
    "birth_place",
    "birth_date",
    "sex",
    "kelurahan_id",
    "alive",
    "date_of_death",
    "moved_out",
    "household_id",
]


def import_civil_registry(
    path: Path,
    *,
    mapping: Mapping[str, str] | None = None,
    user: Any = None,
    file_name: str | None = None,
    progress: Progress | None = None,
) -> ImportRun:
    """Import a civil registry (Dispendukcapil) extract into the registry: people by NIK and
    their households by KK number. See the module docstring for what an import promises."""
    run = _new_run(ImportRun.Kind.DUKCAPIL, file_name or path.name, user)
    counts = _Counts()
    rows = read_table(
        path, CIVIL_REGISTRY_COLUMNS, optional=CIVIL_REGISTRY_OPTIONAL, mapping=mapping
    )
    city_prefix = settings.KOTACERDAS_REGION + "."
    seen: dict[str, int] = {}
    with transaction.atomic():
        for chunk in batched(_checked_rows(rows, _check_civil_row, counts, progress), CHUNK):
            unique = []
            for row in chunk:
                first = seen.setdefault(row.nik, row.number)
                if first != row.number:
                    counts.problems.append(
                        Problem(
                            row.number, "nik", _("The same NIK is on row %(row)d.") % {"row": first}
                        )
                    )
                    continue
                unique.append(row)
                counts.problems.extend(
                    Problem(row.number, "nik", str(warning.label), "warning")
                    for warning in row.warnings
                )
            households = _save_households(unique, user)
            _save_people(unique, households, city_prefix, counts, user)
        _finish(run, counts)
    return run


def _save_households(rows: list[_CivilRow], user: Any) -> dict[str, int]:
    """Create or update the households of a chunk's rows; returns {KK: household id}.

    A household's address comes from its head's row, or from its first row when it is new, so
    that importing the same file again never flips it between two members' rows."""
    wanted: dict[str, _CivilRow] = {}
    for row in rows:
        if row.kk not in wanted or row.relationship == Relationship.HEAD:
            wanted[row.kk] = row
    indexes = {kk: kk_index(kk) for kk in wanted}
    existing = {
        values["kk_index"]: values
        for values in Household.objects.filter(kk_index__in=indexes.values()).values(
            "pk", "kk_index", "source_hash", "rt", "rw", "kelurahan_id"
        )
    }
    new, changed, history = [], [], []
    for kk, row in wanted.items():
        values = {
            "address": row.address,
            "rt": row.rt,
            "rw": row.rw,
            "kelurahan_id": row.kelurahan,
            "source_hash": row.household_hash(),
        }
        old = existing.get(indexes[kk])
        if old is None:
            new.append(Household(kk=kk, kk_index=indexes[kk], **values))
        elif row.relationship == Relationship.HEAD and old["source_hash"] != values["source_hash"]:
            changed.append(Household(pk=old["pk"], **values))
            diff = {
                name: [old[name], values[name]]
                for name in ("rt", "rw", "kelurahan_id")
                if old[name] != values[name]
            }
            # The address is personal data: the history says it changed, never what it says.
            diff["address"] = ["***", "***"]
            history.append((old["pk"], f"KK #{old['pk']}", diff))
    bulk.insert(new)
    Household.objects.bulk_update(changed, ["address", "rt", "rw", "kelurahan", "source_hash"])
    log_bulk_changes(Household, history, source="import", actor=user)
    ids = {index: values["pk"] for index, values in existing.items()}
    if new:
        # COPY returns no ids: read back those of the new households.
        ids.update(
            Household.objects.filter(
                kk_index__in=[household.kk_index for household in new]
            ).values_list("kk_index", "pk")
        )
    return {kk: ids[index] for kk, index in indexes.items()}


def _save_people(
    rows: list[_CivilRow],
    households: dict[str, int],
    city_prefix: str,
    counts: _Counts,
    user: Any,
) -> None:
    indexes = {row.nik: nik_index(row.nik) for row in rows}
    existing = {
        values["nik_index"]: values
        for values in Person.objects.filter(nik_index__in=indexes.values()).values(
            "pk", "nik_index", "source_hash", *PERSON_VISIBLE_FIELDS
        )
    }
    new, changed, history = [], [], []
    for row in rows:
        source_hash = row.person_hash()
        old = existing.get(indexes[row.nik])
        if old is not None and old["source_hash"] == source_hash:
            counts.unchanged += 1
            continue
        person = Person(
            nik=row.nik,
            nik_index=indexes[row.nik],
            household_id=households[row.kk],
            relationship=row.relationship,
            name=row.name,
            name_key=name_key(row.name),
            birth_place=row.birth_place,
            birth_date=row.birth_date,
            sex=row.sex,
            kelurahan_id=row.kelurahan,
            alive=row.alive,
            date_of_death=row.date_of_death,
            moved_out=not row.kelurahan.startswith(city_prefix),
            nik_warnings=";".join(row.warnings),
            source_hash=source_hash,
        )
        if old is None:
            new.append(person)
            continue
        person.pk = old["pk"]
        changed.append(person)
        diff = {
            name: [_plain(old[name]), _plain(getattr(person, name))]
            for name in PERSON_VISIBLE_FIELDS
            if old[name] != getattr(person, name)
        }
        if not diff:
            # Only the family card changed: said, never shown.
            diff = {"KK": ["***", "***"]}
        history.append((person.pk, person.name, diff))
    bulk.insert(new)
    # updated_at is auto_now, which bulk_update does not set by itself.
    now = timezone.now()
    for person in changed:
        person.updated_at = now
    Person.objects.bulk_update(changed, [*PERSON_FIELDS, "updated_at"])
    log_bulk_changes(Person, history, source="import", actor=user)
    counts.created += len(new)
    counts.updated += len(changed)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


# ---------------------------------------------------------------------------------------------
# The DTKS extract


DTKS_FIELDS = [
    "nik",
    "nik_index",
    "kk",
    "name",
    "birth_date",
    "sex",
    "address",
    "kelurahan_code",
    "programme_code",
    "welfare_decile",
    "source_hash",
]


@sensitive_variables("row", "nik", "kk")
def _check_dtks_row(number: int, row: dict[str, str], programmes: set[str]) -> DtksRecord:
    id_dtks = row["id_dtks"]
    if not id_dtks:
        raise RowError("id_dtks", _("The DTKS id is required."))
    if len(id_dtks) > 40:
        raise RowError("id_dtks", _("The DTKS id is longer than 40 characters."))
    programme = row["program"].upper()
    if programme and programme not in programmes:
        raise RowError(
            "program",
            _("Not a programme of the registry (%(codes)s).")
            % {"codes": ", ".join(sorted(programmes))},
        )
    decile = row["desil"]
    if decile and (not decile.isdigit() or not 1 <= int(decile) <= 10):
        raise RowError("desil", _("Write a decile from 1 to 10."))
    # The NIK and KK of a DTKS row are kept as received, even when they are wrong: finding
    # them wrong is the linkage's job, and the clerk needs to see what DTKS holds.
    nik = clean_number(row["nik"])
    kk = clean_number(row["no_kk"])
    if len(nik) > 32 or len(kk) > 32:
        raise RowError("nik" if len(nik) > 32 else "no_kk", _("Too long to be a NIK or KK number."))
    record = DtksRecord(
        id_dtks=id_dtks,
        nik=nik,
        nik_index=nik_index(nik) if nik else "",
        kk=kk,
        name=_name(row["nama"]),
        birth_date=_date(row["tanggal_lahir"], "tanggal_lahir", required=False),
        sex=_sex(row["jenis_kelamin"], required=False),
        address=" ".join(row["alamat"].split()),
        kelurahan_code=row["kode_kelurahan"][:13],
        programme_code=programme,
        welfare_decile=int(decile) if decile else None,
    )
    record.source_hash = _row_hash(
        (
            id_dtks,
            nik,
            kk,
            record.name,
            record.birth_date,
            record.sex,
            record.address,
            record.kelurahan_code,
            programme,
            record.welfare_decile,
        )
    )
    return record


def import_dtks(
    path: Path,
    *,
    mapping: Mapping[str, str] | None = None,
    user: Any = None,
    file_name: str | None = None,
    progress: Progress | None = None,
) -> ImportRun:
    """Import a DTKS extract: each row kept by its DTKS id, as received. Linking the rows to
    the civil registry is a separate step (``linking.link_registry``), run after the import."""
    run = _new_run(ImportRun.Kind.DTKS, file_name or path.name, user)
    counts = _Counts()
    programmes = set(Programme.objects.values_list("code", flat=True))
    rows = read_table(path, DTKS_COLUMNS, mapping=mapping)
    seen: dict[str, int] = {}

    def check(number: int, row: dict[str, str]) -> DtksRecord:
        record = _check_dtks_row(number, row, programmes)
        first = seen.setdefault(record.id_dtks, number)
        if first != number:
            raise RowError("id_dtks", _("The same DTKS id is on row %(row)d.") % {"row": first})
        return record

    with transaction.atomic():
        for chunk in batched(_checked_rows(rows, check, counts, progress), CHUNK):
            existing = {
                id_dtks: (pk, source_hash)
                for id_dtks, pk, source_hash in DtksRecord.objects.filter(
                    id_dtks__in=[record.id_dtks for record in chunk]
                ).values_list("id_dtks", "pk", "source_hash")
            }
            new, changed = [], []
            for record in chunk:
                found = existing.get(record.id_dtks)
                if found is None:
                    new.append(record)
                elif found[1] == record.source_hash:
                    counts.unchanged += 1
                else:
                    record.pk = found[0]
                    changed.append(record)
            DtksRecord.objects.bulk_create(new)
            DtksRecord.objects.bulk_update(changed, DTKS_FIELDS)
            counts.created += len(new)
            counts.updated += len(changed)
        _finish(run, counts)
    return run


# ---------------------------------------------------------------------------------------------
# Exclusion lists


def import_exclusions(
    path: Path,
    *,
    mapping: Mapping[str, str] | None = None,
    user: Any = None,
    file_name: str | None = None,
    progress: Progress | None = None,
) -> ImportRun:
    """Import a list of people barred from aid by occupation (columns ``nik,jenis``, jenis PNS,
    ASN, PPPK, TNI, POLRI or LAINNYA). A NIK already listed for that occupation is unchanged."""
    run = _new_run(ImportRun.Kind.EXCLUSIONS, file_name or path.name, user)
    counts = _Counts()
    source = file_name or path.name

    @sensitive_variables("row", "nik")
    def check(number: int, row: dict[str, str]) -> Exclusion:
        try:
            nik = parse_nik(row["nik"])
        except IdentityError as exc:
            raise RowError("nik", str(exc)) from None
        kind = EXCLUSION_WORDS.get(row["jenis"].upper())
        if kind is None:
            raise RowError("jenis", _("Write PNS, ASN, PPPK, TNI, POLRI or LAINNYA."))
        return Exclusion(nik=nik.value, nik_index=nik_index(nik.value), kind=kind, source=source)

    with transaction.atomic():
        rows = read_table(path, EXCLUSION_COLUMNS, mapping=mapping)
        for chunk in batched(_checked_rows(rows, check, counts, progress), CHUNK):
            existing = set(
                Exclusion.objects.filter(
                    nik_index__in=[exclusion.nik_index for exclusion in chunk]
                ).values_list("nik_index", "kind")
            )
            new = {}
            for exclusion in chunk:
                key = (exclusion.nik_index, exclusion.kind)
                if key in existing or key in new:
                    counts.unchanged += 1
                else:
                    new[key] = exclusion
            Exclusion.objects.bulk_create(new.values())
            counts.created += len(new)
        _finish(run, counts)
    return run
