"""Django admin for what administrators keep by hand: the catalogue with its questions and
routing rules, the calendar and the client keys. Requests are worked on the desk's own pages,
where the workflow's rules apply; here they are read-only and their contacts never shown."""

from django.contrib import admin

from kotacerdas.servicedesk import models


class AttributeInline(admin.TabularInline):
    model = models.ServiceAttribute
    extra = 0


class RouteInline(admin.TabularInline):
    model = models.ServiceRoute
    extra = 0
    autocomplete_fields = ("region",)


@admin.register(models.Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "category", "opd", "sla_amount", "sla_unit", "active")
    list_filter = ("category", "active", "opd")
    search_fields = ("code", "name", "keywords")
    inlines = [AttributeInline, RouteInline]


@admin.register(models.Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "kind")
    list_filter = ("kind",)
    date_hierarchy = "date"


@admin.register(models.ClientKey)
class ClientKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("name", "prefix", "created_by", "created_at", "last_used_at", "revoked_at")

    def has_add_permission(self, request) -> bool:  # keys are issued on the desk's page
        return False


@admin.register(models.ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin):
    list_display = ("number", "service", "opd", "status", "submitted_at", "due_at")
    list_filter = ("status", "service", "opd")
    search_fields = ("number",)
    # Contact details are personal data: not here (the desk's page masks them and records
    # every look).
    exclude = ("phone", "email", "first_name", "last_name")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in self.exclude]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
