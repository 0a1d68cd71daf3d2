"""Django admin for the reference data and accounts (administrators only)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.models import ApiToken, Opd, Pillar, Region, User

admin.site.site_header = _("Kota Cerdas administration")
admin.site.site_title = _("Kota Cerdas")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "population", "area_km2")
    list_filter = ("level",)
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)
    show_full_result_count = False  # 91,599 rows: skip the extra COUNT(*)


@admin.register(Pillar)
class PillarAdmin(admin.ModelAdmin):
    list_display = ("order", "code", "name_id", "name_en")
    list_display_links = ("code",)


@admin.register(Opd)
class OpdAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "region", "active", "is_demo")
    list_filter = ("kind", "active", "is_demo")
    search_fields = ("name", "short_name", "code")
    raw_id_fields = ("region", "parent")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(User)
class PlatformUserAdmin(UserAdmin):
    list_display = ("username", "get_full_name", "opd", "is_active", "last_login")
    list_filter = ("groups", "is_active", "opd__kind")
    fieldsets = (*UserAdmin.fieldsets, (_("OPD"), {"fields": ("opd",)}))
    raw_id_fields = ("opd",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "user", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "created_at", "last_used_at")
    search_fields = ("name", "prefix", "user__username")

    def has_add_permission(self, request) -> bool:
        return False  # tokens are issued on the account page, where the secret is shown once
