"""Django admin for the evaluation records administrators keep by hand: the published indices
(one row a year, from the ministry's announcement) and the evaluations' settings."""

from django.contrib import admin

from kotacerdas.evaluation import models


@admin.register(models.PublishedScore)
class PublishedScoreAdmin(admin.ModelAdmin):
    list_display = ("region", "year", "index", "scheme_id", "source")
    list_filter = ("region",)
    raw_id_fields = ("region",)


@admin.register(models.Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ("region", "year", "scheme_id", "stage", "deadline", "target", "locked_at")
    # Scores, stage and locking change only through the evaluation pages (cycle.py), which
    # enforce the rules; here only the dates and the target.
    fields = ("region", "year", "scheme_id", "deadline", "target")
    readonly_fields = ("region", "year", "scheme_id")

    def has_add_permission(self, request) -> bool:
        return False  # opened from the evaluation pages or the API, with one answer per item
