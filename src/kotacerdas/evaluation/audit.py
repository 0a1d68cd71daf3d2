"""Put the evaluation's records under the platform's audit trail."""

from auditlog.registry import auditlog

from kotacerdas.evaluation import models

for model in (
    models.PublishedScore,
    models.Evaluation,
    models.Answer,
    models.Evidence,
    models.SurveyDecision,
):
    auditlog.register(model)
# Survey responses are many and anonymous; their count and flags are what the trail needs,
# and the decision on them is audited above.
