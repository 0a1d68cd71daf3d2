"""Django admin for the masterplan records that administrators keep: the masterplan and its
revisions, programmes, action plans, meetings and reporting periods."""

from django.contrib import admin

from kotacerdas.masterplan import models


class RevisionInline(admin.StackedInline):
    model = models.Revision
    extra = 0


@admin.register(models.Masterplan)
class MasterplanAdmin(admin.ModelAdmin):
    list_display = ("title", "start_year", "end_year", "legal_basis", "is_demo")
    inlines = [RevisionInline]


class BudgetInline(admin.TabularInline):
    model = models.Budget
    extra = 0


class PartnerInline(admin.TabularInline):
    model = models.Partner
    extra = 0


class KpiInline(admin.TabularInline):
    model = models.Kpi
    extra = 0
    show_change_link = True


@admin.register(models.Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "status", "is_quick_win", "start_year", "end_year", "is_demo")
    list_filter = ("status", "is_quick_win", "kind", "pillars", "is_demo")
    search_fields = ("name", "code")
    filter_horizontal = ("pillars", "partner_opds")
    raw_id_fields = ("owner",)
    inlines = [PartnerInline, BudgetInline, KpiInline]


class TargetInline(admin.TabularInline):
    model = models.KpiTarget
    extra = 0


@admin.register(models.Kpi)
class KpiAdmin(admin.ModelAdmin):
    list_display = ("name", "programme", "unit", "direction", "green_from", "amber_from")
    search_fields = ("name", "programme__name")
    inlines = [TargetInline]


@admin.register(models.ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ("year", "period", "due_date", "closed")
    list_editable = ("closed",)


@admin.register(models.ActionActivity)
class ActionActivityAdmin(admin.ModelAdmin):
    list_display = ("year", "area", "name", "opd", "done")
    list_filter = ("year", "area", "done")


class MeetingEvidenceInline(admin.TabularInline):
    model = models.MeetingEvidence
    extra = 1


@admin.register(models.Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("date", "body", "title")
    list_filter = ("body",)
    inlines = [MeetingEvidenceInline]
