"""Put the service desk's records under the platform's audit trail. Encrypted contact fields
and the secrets of status links never enter it."""

from auditlog.registry import auditlog

from kotacerdas.servicedesk import models

PRIVATE = ["phone", "email", "access_secret", "access_hash", "contact_key", "idempotency_hash"]

# "rating" is the reverse side of the citizen's rating: not a field of the request, and reading
# it on every save would cost a query.
auditlog.register(models.ServiceRequest, exclude_fields=[*PRIVATE, "rating"])
auditlog.register(models.ClientKey, exclude_fields=["key_hash", "last_used_at"])
# RequestEvent is not registered: a request's timeline is itself an append-only record of who
# did what when (never edited), and the request's own changes are in the trail; logging each
# event again would double the cost of every step.
for model in (
    models.Service,
    models.ServiceRoute,
    models.ServiceAttribute,
    models.Holiday,
    models.RequestPhoto,
    models.SatisfactionResponse,
):
    auditlog.register(model)
