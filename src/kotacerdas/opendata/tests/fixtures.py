"""Fixtures of Satu Data, shared with the modules that read it (see the root conftest): a
producer OPD (Bappeda) with an officer, the root conftest's administrator as the steward, a
Table Schema with a region column, and helpers that upload and publish versions through the
real workflow. Query stores go to a temporary data directory."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kotacerdas.core.access import grant_role
from kotacerdas.core.choices import OpdKind, Role
from kotacerdas.core.models import Opd, Pillar, Region, User
from kotacerdas.opendata import publishing
from kotacerdas.opendata.models import Dataset

SCHEMA = {
    "fields": [
        {
            "name": "kode_wilayah",
            "type": "string",
            "region": True,
            "constraints": {"required": True},
        },
        {"name": "tahun", "type": "integer", "constraints": {"minimum": 2000, "maximum": 2100}},
        {"name": "penduduk_miskin_persen", "type": "number", "constraints": {"minimum": 0}},
        {"name": "keterangan", "type": "string"},
    ],
    "primaryKey": ["kode_wilayah", "tahun"],
}
GOOD_CSV = (
    "kode_wilayah,tahun,penduduk_miskin_persen,keterangan\n"
    "35.71,2022,7.81,kota\n"
    "35.71,2023,7.23,kota\n"
    "35.71.01,2023,8.10,Mojoroto\n"
    "35.71.02,2023,6.90,Kota\n"
    "35.71.03,2023,7.40,Pesantren\n"
)


@pytest.fixture(autouse=True)
def _datastore_in_tmp(settings, tmp_path):
    # Each version's query store lives in the data directory: here a temporary one.
    settings.DATA_DIR = tmp_path / "data"


@pytest.fixture
def bappeda(db) -> Opd:
    return Opd.objects.create(
        code="bappeda",
        name="Badan Perencanaan Pembangunan Daerah",
        short_name="Bappeda",
        kind=OpdKind.BADAN,
    )


@pytest.fixture
def bappeda_officer(bappeda) -> User:
    user = User.objects.create_user(username="officer-bappeda", password=None, opd=bappeda)
    grant_role(user, Role.OPD_OFFICER, bappeda)
    return user


def csv_file(text: str, name: str = "data.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), "text/csv")


@pytest.fixture
def make_dataset(kediri, bappeda, bappeda_officer):
    """Describe a dataset as Bappeda's officer; keyword arguments override the fields."""

    def make(slug: str = "kemiskinan-kediri", tags=("kemiskinan",), **fields) -> Dataset:
        values = {
            "slug": slug,
            "title": "Persentase penduduk miskin Kota Kediri",
            "description": "Persentase penduduk miskin per kecamatan.",
            "producer": bappeda,
            "pillar": Pillar.objects.get(code="economy"),
            "coverage": Region.objects.get(code="35.71"),
            "granularity": "district",
            "unit": "%",
            "table_schema": SCHEMA,
        }
        values.update(fields)
        return publishing.save_dataset(bappeda_officer, Dataset(**values), tags=list(tags))

    return make


@pytest.fixture
def publish(bappeda_officer, administrator):
    """Upload ``text`` as a new version, submit it and publish it as the steward."""

    def run(dataset: Dataset, text: str = GOOD_CSV, name: str = "data.csv"):
        version = publishing.upload_version(bappeda_officer, dataset, csv_file(text, name))
        assert version.valid, version.problems
        publishing.submit_version(bappeda_officer, version)
        return publishing.publish_version(administrator, version)

    return run
