"""``kotacerdas servicedesk``: the IKM of a CSV of survey answers, Open311 client keys, and the
deadline run cron makes every few minutes."""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from kotacerdas.servicedesk import workflow
from kotacerdas.servicedesk.choices import Status
from kotacerdas.servicedesk.keys import client_for_key
from kotacerdas.servicedesk.models import ClientKey

HEADER = "service,u1,u2,u3,u4,u5,u6,u7,u8,u9"
# The hand-worked example of test_ikm for the road service (85.19, B), and for the
# information service one respondent answering 4 and one answering 2 everywhere (75.00, C).
GOOD_ROWS = [
    "jalan-rusak,4,4,3,4,3,4,4,3,4",
    "jalan-rusak,3,3,3,4,3,3,4,3,3",
    "informasi-publik,4,4,4,4,4,4,4,4,4",
    "jalan-rusak,3,4,2,4,3,4,4,3,3",
    "informasi-publik,2,2,2,2,2,2,2,2,2",
]
GOOD_OUTPUT = """\
jalan-rusak: 3 respondents
  NRR  u1 3.33  u2 3.67  u3 2.67  u4 4.00  u5 3.00  u6 3.67  u7 4.00  u8 3.00  u9 3.33
  IKM 3.407  score 85.19  grade B (Baik)
informasi-publik: 2 respondents
  NRR  u1 3.00  u2 3.00  u3 3.00  u4 3.00  u5 3.00  u6 3.00  u7 3.00  u8 3.00  u9 3.00
  IKM 3.000  score 75.00  grade C (Kurang Baik)
All services: 5 respondents
  NRR  u1 3.20  u2 3.40  u3 2.80  u4 3.60  u5 3.00  u6 3.40  u7 3.60  u8 3.00  u9 3.20
  IKM 3.244  score 81.11  grade B (Baik)
"""


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("servicedesk", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, content, name="survei.csv"):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def refused(path):
    """Run ``ikm`` on a file it must refuse: (the error, stderr), having printed no result."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("servicedesk", "ikm", path, stdout=out, stderr=err)
    assert out.getvalue() == ""
    return str(error.value), err.getvalue()


# ---------------------------------------------------------------------------------------------
# ikm


def test_ikm_per_service_with_the_total(tmp_path):
    path = write(tmp_path, "\n".join([HEADER, *GOOD_ROWS]) + "\n")
    assert run("ikm", path) == (GOOD_OUTPUT, "")


def test_ikm_without_a_service_column_is_one_group(tmp_path):
    # Columns in any order; u-columns in reverse. All 4 for one respondent, all 1 for another:
    # NRR 2.50, IKM 2.5, score 62.50 -> D.
    header = "u9,u8,u7,u6,u5,u4,u3,u2,u1"
    path = write(tmp_path, f"{header}\n4,4,4,4,4,4,4,4,4\n1,1,1,1,1,1,1,1,1\n", "kiosk.csv")
    out, _err = run("ikm", path)
    assert out == (
        "kiosk.csv: 2 respondents\n"
        "  NRR  u1 2.50  u2 2.50  u3 2.50  u4 2.50  u5 2.50  u6 2.50  u7 2.50  u8 2.50  u9 2.50\n"
        "  IKM 2.500  score 62.50  grade D (Tidak Baik)\n"
    )


def test_ikm_reads_semicolons_a_bom_and_any_header_case(tmp_path):
    # Excel set to Indonesian: semicolons, a byte-order mark, CRLF line ends.
    lines = [HEADER.upper().replace(",", ";"), *(r.replace(",", ";") for r in GOOD_ROWS)]
    path = write(tmp_path, "\ufeff".encode() + "\r\n".join(lines).encode() + b"\r\n")
    assert run("ikm", path) == (GOOD_OUTPUT, "")


def test_ikm_ignores_other_columns_and_blank_rows(tmp_path):
    rows = [f"{row},catatan" for row in GOOD_ROWS]
    rows.insert(2, "")
    rows.insert(3, ",,,,,,,,,,")
    path = write(tmp_path, "\n".join([f"{HEADER},comment", *rows]) + "\n")
    assert run("ikm", path)[0] == GOOD_OUTPUT


def test_every_bad_row_is_reported_by_its_spreadsheet_row(tmp_path):
    content = "\n".join(
        [
            "u1,u2,u3,u4,u5,u6,u7,u8,u9,comment",  # row 1
            '3,3,3,3,3,3,3,3,3,"two lines\nin one cell"',  # row 2 (one row in a spreadsheet)
            "5,3,3,3,3,3,3,3,3,",  # row 3
            "",  # row 4
            "3,3,x,3,3,3,3,3,,",  # row 5
            "3.5,3,3,3,3,3,3,3,0,",  # row 6
            "3,3,3,3",  # row 7: a short row
            "4,4,4,4,4,4,4,4,4,",  # row 8
        ]
    )
    path = write(tmp_path, content + "\n")
    error, stderr = refused(path)
    assert "4 bad row(s)" in error
    assert stderr.splitlines() == [
        f"{path}: row 3: u1: 5 is outside 1-4",
        f"{path}: row 5: u3: 'x' is not a whole number; u9: missing",
        f"{path}: row 6: u1: '3.5' is not a whole number; u9: 0 is outside 1-4",
        f"{path}: row 7: u5: missing; u6: missing; u7: missing; u8: missing; u9: missing",
    ]


def test_a_row_without_its_service_is_bad(tmp_path):
    path = write(tmp_path, f"{HEADER}\njalan-rusak,3,3,3,3,3,3,3,3,3\n ,3,3,3,3,3,3,3,3,3\n")
    _error, stderr = refused(path)
    assert stderr.strip() == f"{path}: row 3: service: missing"


def test_a_row_longer_than_the_header_is_bad(tmp_path):
    path = write(tmp_path, "u1,u2,u3,u4,u5,u6,u7,u8,u9\n3,3,3,3,3,3,3,3,3,3\n")
    _error, stderr = refused(path)
    assert "row 2: the row has 10 cells but the header has 9" in stderr


def test_missing_columns_are_one_clear_error(tmp_path):
    path = write(tmp_path, "service,u1,u2,u3,u4,u5,u6,u7,u8\njalan-rusak,3,3,3,3,3,3,3,3\n")
    error, stderr = refused(path)
    assert error == f"{path}: row 1 (header): missing column(s) u9; the header needs " + (
        "u1,u2,...,u9 and may have service"
    )
    assert stderr == ""
    # A file whose first row is data has no header at all.
    path = write(tmp_path, "3,3,3,3,3,3,3,3,3\n")
    assert "missing column(s) u1, u2, u3" in refused(path)[0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty"),
        ("\n\n", "the file is empty"),
        ("u1,u2,u3,u4,u5,u6,u7,u8,u9\n", "a header but no answers"),
        ("u1,u2,u3,u4,u5,u6,u7,u8,u9,u1\n", "u1 appear twice"),
        (b"u1,u2,u3,u4,u5,u6,u7,u8,u9\n3,3,3,3,3,3,3,3,3\n\xe9\n", "not UTF-8 text"),
        ('u1,u2,u3,u4,u5,u6,u7,u8,u9,c\n3,3,3,3,3,3,3,3,3,"' + "x" * 200_000, "row 2 cannot"),
    ],
)
def test_unusable_files_are_refused_in_one_line(tmp_path, content, message):
    error, _stderr = refused(write(tmp_path, content))
    assert message in error
    assert "\n" not in error


def test_a_missing_file_is_one_line(tmp_path):
    error, _stderr = refused(str(tmp_path / "nowhere.csv"))
    assert "cannot be read" in error


# ---------------------------------------------------------------------------------------------
# apikey


def test_apikey_create_list_revoke(db):
    out, _err = run("apikey", "create", "Kiosk Kelurahan Banjaran")
    lines = out.splitlines()
    secret = lines[1]
    assert re.fullmatch(r"o311_[A-Za-z0-9_-]{40,}", secret)
    assert "not be shown again" in lines[2]
    key = ClientKey.objects.get()
    assert lines[0] == f"Open311 key for 'Kiosk Kelurahan Banjaran' (prefix {key.prefix}):"
    assert secret not in run("apikey", "list")[0]

    listed = run("apikey", "list")[0].strip().split("\t")
    assert listed[:2] == [key.prefix, "Kiosk Kelurahan Banjaran"]
    assert listed[3:] == ["last used never", "active"]
    assert client_for_key(secret) == key
    assert run("apikey", "list")[0].split("\t")[3].startswith("last used 20")

    assert run("apikey", "revoke", key.prefix)[0].startswith(f"revoked {key.prefix}")
    assert client_for_key(secret) is None
    assert run("apikey", "list")[0].strip().split("\t")[-1].startswith("revoked 20")
    with pytest.raises(CommandError, match="no single active Open311 key"):
        run("apikey", "revoke", key.prefix)  # already revoked


def test_apikey_errors(db):
    with pytest.raises(CommandError, match="needs a name"):
        run("apikey", "create", "  ")
    with pytest.raises(CommandError, match="no single active Open311 key"):
        run("apikey", "revoke", "o311_xxxxx")
    assert not ClientKey.objects.exists()


# ---------------------------------------------------------------------------------------------
# deadlines


def test_deadlines_escalates_breached_and_closes_old_resolved(
    file_request, road_service, desk_officer
):
    # Filed a month ago: five working days have long passed.
    long_ago = timezone.now() - dt.timedelta(days=30)
    breached = file_request(road_service, at=long_ago)
    answered = file_request(road_service, at=long_ago)
    workflow.assign(desk_officer, answered, at=long_ago + dt.timedelta(hours=1))
    workflow.resolve(desk_officer, answered, "Sudah ditambal", at=long_ago + dt.timedelta(days=1))

    out, _err = run("deadlines")
    assert out == (
        "0 warned (due soon), 1 escalated (deadline passed), 1 closed (resolved over 5 days ago)\n"
    )
    breached.refresh_from_db()
    answered.refresh_from_db()
    assert breached.escalated_at is not None
    assert answered.status == Status.CLOSED
    # Each once: the next run has nothing left to do.
    assert run("deadlines")[0].startswith("0 warned (due soon), 0 escalated")
