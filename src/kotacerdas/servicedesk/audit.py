"""Put the service desk's records under the platform's audit trail. Encrypted contact fields
and the secrets of status links never enter it."""

from auditlog.registry import auditlog

from kotacerdas.servicedesk import models

PRIVATE = ["phone", "email", "access_secret", "access_hash", "contact_key", "idempotency_hash"]

auditlog.register(models.ServiceRequest, exclude_fields=PRIVATE)
auditlog.register(models.ClientKey, exclude_fields=["key_hash", "last_used_at"])
for model in (
    models.Service,
    models.ServiceRoute,
    models.ServiceAttribute,
    models.Holiday,
    models.RequestEvent,
    models.RequestPhoto,
    models.SatisfactionResponse,
):
    auditlog.register(model)
