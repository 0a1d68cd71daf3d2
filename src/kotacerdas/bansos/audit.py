"""Put the registry under the platform's audit trail ("history of every change"). Identity
numbers, addresses, account numbers and their blind indexes never enter it: the trail says
that a NIK changed, not what it was or became."""

from auditlog.registry import auditlog

from kotacerdas.bansos import models

IDENTITY = ["nik", "nik_index", "kk", "kk_index", "address", "source_hash"]

auditlog.register(models.Household, exclude_fields=IDENTITY)
auditlog.register(models.Person, exclude_fields=[*IDENTITY, "name_key"])
auditlog.register(models.Exclusion, exclude_fields=IDENTITY)
auditlog.register(models.Enrolment, exclude_fields=["account_number"])
auditlog.register(
    models.Case, exclude_fields=["subject_nik", "subject_nik_index", "address", "reporter_contact"]
)
for model in (models.Programme, models.LinkReview, models.Batch, models.Payment):
    auditlog.register(model)
# DtksRecord is not registered: it is the extract as received, replaced by the next import,
# and its link is recomputed by every linkage run (LinkRun keeps each run's figures).
