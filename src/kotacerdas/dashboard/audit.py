"""Every change to the dashboard's records goes to the audit trail."""

from auditlog.registry import auditlog

from kotacerdas.dashboard import models

auditlog.register(models.Annotation)
auditlog.register(models.StatMeeting)
auditlog.register(models.AgendaItem)
auditlog.register(models.ActionItem)
auditlog.register(models.ActionReview)
auditlog.register(models.DigestSubscription)
