"""Put the masterplan's records under the platform's audit trail."""

from auditlog.registry import auditlog

from kotacerdas.masterplan import models

auditlog.register(models.Programme, m2m_fields={"pillars", "partner_opds"})
for model in (
    models.Masterplan,
    models.Revision,
    models.Partner,
    models.Budget,
    models.Kpi,
    models.KpiTarget,
    models.KpiActual,
    models.ProgressReport,
    models.ReportLine,
    models.ReportEvidence,
    models.ReportingPeriod,
    models.ActionActivity,
    models.Meeting,
    models.MeetingEvidence,
):
    auditlog.register(model)
