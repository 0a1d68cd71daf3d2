"""The indicator store: values with their source, filled from datasets or entered with
evidence, and proposed to the evaluation."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from kotacerdas.evaluation import proposals
from kotacerdas.evaluation.cycle import open_evaluation
from kotacerdas.opendata import indicators
from kotacerdas.opendata.models import Indicator, IndicatorValue


@pytest.fixture
def poverty(db):
    indicators.load_indicators()
    return Indicator.objects.get(code="penduduk-miskin")


def test_the_indicators_load_once_and_keep_edits(db):
    assert indicators.load_indicators() == 9
    Indicator.objects.filter(code="ipm").update(name="IPM (diubah)")
    assert indicators.load_indicators() == 0
    assert Indicator.objects.get(code="ipm").name == "IPM (diubah)"


def test_a_mapped_dataset_fills_the_indicator_when_published(
    make_dataset, publish, administrator, poverty
):
    dataset = make_dataset()
    indicators.declare_mapping(
        administrator, dataset, poverty, "kode_wilayah", "tahun", "penduduk_miskin_persen"
    )
    version = publish(dataset)
    value = IndicatorValue.objects.get(indicator=poverty, region_id="35.71", year=2023)
    assert str(value.value.normalize()) == "7.23" and value.source_version == version
    assert IndicatorValue.objects.filter(indicator=poverty).count() == 5


def test_a_mapping_names_existing_columns_and_is_the_stewards(
    make_dataset, administrator, bappeda_officer, poverty
):
    dataset = make_dataset()
    with pytest.raises(ValidationError) as refused:
        indicators.declare_mapping(administrator, dataset, poverty, "kode", "tahun", "nilai")
    assert set(refused.value.message_dict) == {"region_field", "value_field"}
    with pytest.raises(PermissionDenied):
        indicators.declare_mapping(
            bappeda_officer, dataset, poverty, "kode_wilayah", "tahun", "penduduk_miskin_persen"
        )


def test_a_value_entered_by_hand_needs_its_evidence(bappeda_officer, poverty, kediri):
    with pytest.raises(ValidationError) as refused:
        indicators.record_value(bappeda_officer, poverty, kediri, 2024, "7,1", None)
    assert "evidence" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        indicators.record_value(bappeda_officer, poverty, kediri, 2024, "tujuh", None, "BPS")
    assert "value" in refused.value.message_dict
    evidence = SimpleUploadedFile("bps.pdf", b"%PDF-1.7 berita resmi statistik")
    value = indicators.record_value(
        bappeda_officer, poverty, kediri, 2024, "7,1", evidence, "BPS Kota Kediri 2025"
    )
    assert str(value.value.normalize()) == "7.1" and value.evidence.name


def test_the_evaluation_is_offered_the_value_with_its_source(
    make_dataset, publish, administrator, poverty, kediri
):
    dataset = make_dataset()
    indicators.declare_mapping(
        administrator, dataset, poverty, "kode_wilayah", "tahun", "penduduk_miskin_persen"
    )
    publish(dataset)
    evaluation = open_evaluation(administrator, kediri, 2024, "kominfo-2023-kppn-ikn")
    proposal = proposals.proposals(evaluation)["C.10.1"]
    assert proposal.fact.number == pytest.approx(7.23)  # the latest year up to 2024: 2023
    with translation.override("en"):
        fact = indicators.evaluation_fact("C.10.1", 2024)
    assert "2023" in fact.text and dataset.title in fact.text
    assert fact.records[0].url == f"/data/dataset/{dataset.slug}/"
    assert indicators.evaluation_fact("C.10.1", 2020).number is None  # nothing that early
