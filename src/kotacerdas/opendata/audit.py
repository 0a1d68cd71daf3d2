"""Put Satu Data's records under the platform's audit trail."""

from auditlog.registry import auditlog

from kotacerdas.opendata import models

auditlog.register(models.Dataset, m2m_fields={"tags"})
for model in (
    models.Tag,
    models.Version,
    models.Indicator,
    models.IndicatorValue,
    models.IndicatorMapping,
):
    auditlog.register(model)
