"""A dataset's life: described by its producer, versions validated on upload, submitted,
published or returned by the steward; a published version never changes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kotacerdas.opendata import publishing, rules
from kotacerdas.opendata.choices import VersionStatus
from kotacerdas.opendata.models import Dataset
from kotacerdas.opendata.tests.fixtures import GOOD_CSV, csv_file


def test_a_producer_describes_its_own_datasets_only(make_dataset, dinsos_officer, dinsos):
    dataset = make_dataset()
    assert list(dataset.tags.values_list("name", flat=True)) == ["kemiskinan"]
    dataset.title = "Diubah"
    with pytest.raises(PermissionDenied):
        publishing.save_dataset(dinsos_officer, dataset)
    dataset.refresh_from_db()
    dataset.producer = dinsos
    with pytest.raises(PermissionDenied):  # handing it to another OPD is the steward's call
        publishing.save_dataset(dataset.producer.officers.first() or dinsos_officer, dataset)


def test_metadata_is_checked_field_by_field(make_dataset):
    with pytest.raises(ValidationError) as refused:
        make_dataset(
            period_start=2024,
            period_end=2020,
            classification="secret",
            table_schema={"fields": [{"name": "a", "type": "integer", "region": True}]},
        )
    assert {"period_end", "classification", "table_schema"} <= set(refused.value.message_dict)
    assert not Dataset.objects.exists()


def test_a_valid_upload_is_stored_and_flows_to_publication(
    make_dataset, bappeda_officer, administrator
):
    dataset = make_dataset()
    version = publishing.upload_version(bappeda_officer, dataset, csv_file(GOOD_CSV), "awal")
    assert version.valid and version.rows == 5 and version.number == 1
    assert version.store_path.exists()
    assert not rules.public_datasets().exists()  # a draft is not public
    with pytest.raises(PermissionDenied):
        publishing.publish_version(bappeda_officer, version)  # not the steward
    with pytest.raises(ValidationError):
        publishing.publish_version(administrator, version)  # not submitted yet
    publishing.submit_version(bappeda_officer, version)
    publishing.publish_version(administrator, version, "Terbit")
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED and version.published_at
    assert list(rules.public_datasets()) == [dataset]
    with pytest.raises(ValidationError):  # published versions never change state again
        publishing.return_version(administrator, version, "terlambat")


def test_an_invalid_upload_reports_every_problem_and_cannot_be_submitted(
    make_dataset, bappeda_officer, publish
):
    dataset = make_dataset()
    published = publish(dataset)
    before = published.store_path.read_bytes()
    bad = (
        "kode_wilayah,tahun,penduduk_miskin_persen,keterangan\n"
        "35.71,2023,7.23,kota\n"
        "99.99,2023,abc,?\n"
        "35.71,2023,7.00,duplikat\n"
        "35.71.01,1800,=1+1,rumus\n"
    )
    version = publishing.upload_version(bappeda_officer, dataset, csv_file(bad))
    assert not version.valid and version.number == 2
    found = {(p["row"], p["field"], p["code"]) for p in version.problems}
    assert (3, "kode_wilayah", "region") in found
    assert (3, "penduduk_miskin_persen", "type") in found
    assert any(p["code"] in {"primary_key", "unique"} and p["row"] == 4 for p in version.problems)
    assert (5, "tahun", "minimum") in found
    with pytest.raises(ValidationError):
        publishing.submit_version(bappeda_officer, version)
    # The published version and its store are untouched.
    assert published.store_path.read_bytes() == before
    assert dataset.latest_published() == published


def test_the_steward_returns_a_version_with_a_comment(make_dataset, bappeda_officer, administrator):
    version = publishing.upload_version(bappeda_officer, make_dataset(), csv_file(GOOD_CSV))
    publishing.submit_version(bappeda_officer, version)
    with pytest.raises(ValidationError):
        publishing.return_version(administrator, version, "  ")
    publishing.return_version(administrator, version, "Lengkapi tahun 2024")
    assert version.status == VersionStatus.RETURNED
    publishing.submit_version(bappeda_officer, version)  # resubmitted after correction
    assert version.status == VersionStatus.SUBMITTED


def test_files_that_are_not_data_are_refused(make_dataset, bappeda_officer):
    dataset = make_dataset()
    pdf = csv_file("%PDF-1.7 laporan", "laporan.csv")
    with pytest.raises(ValidationError) as refused:
        publishing.upload_version(bappeda_officer, dataset, pdf)
    assert "file" in refused.value.message_dict
    assert not dataset.versions.exists()


def test_a_dataset_is_stale_past_its_update_frequency(make_dataset, publish):
    import datetime as dt

    dataset = make_dataset(frequency="annual")
    version = publish(dataset)
    today = version.published_at.date()
    assert not publishing.stale(dataset, today + dt.timedelta(days=300))
    assert publishing.stale(dataset, today + dt.timedelta(days=500))
