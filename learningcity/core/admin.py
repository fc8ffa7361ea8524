"""The back office for plain data management (Django admin), translated; changes are audit-logged."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from . import audit
from .models import ApiToken, Area, AuditEntry, City, PopulationCount, RoleAssignment, User
from .services.cities import RESERVED_SLUGS

admin.site.site_header = _("Learning City: data management")
admin.site.site_title = _("Learning City")
admin.site.index_title = _("All tables")


class AuditedModelAdmin(admin.ModelAdmin):
    """Every save and delete made in the admin lands in the audit trail, in the same transaction."""

    # A web address typed without a scheme is https:// (Django 6's default; the back office's forms do the same).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # noqa: RUF012 - a ClassVar in django-stubs

    def save_model(self, request, obj, form, change):
        before = audit.snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if before is None:
                audit.record_create(actor=request.user, obj=obj, note="admin")
            else:
                audit.record_update(actor=request.user, obj=obj, before=before, note="admin")

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit.record_delete(actor=request.user, obj=obj, note="admin")
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                audit.record_delete(actor=request.user, obj=obj, note="admin")
            super().delete_queryset(request, queryset)


class CityAdminForm(forms.ModelForm):
    class Meta:
        model = City
        fields = "__all__"  # noqa: DJ007

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This slug is reserved by the site; choose another."))
        return slug


@admin.register(City)
class CityAdmin(AuditedModelAdmin):
    form = CityAdminForm
    list_display = ("slug", "name_vi", "name_en", "country_code", "is_public")


@admin.register(Area)
class AreaAdmin(AuditedModelAdmin):
    list_display = ("code", "name_vi", "level", "city", "valid_from", "valid_to")
    list_filter = ("city", "level")
    search_fields = ("code", "name_vi", "name_en", "search_text")
    raw_id_fields = ("parent",)
    filter_horizontal = ("successors",)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedModelAdmin):
    list_display = ("user", "city", "role", "area")
    list_filter = ("city", "role")
    raw_id_fields = ("area",)


@admin.register(PopulationCount)
class PopulationCountAdmin(AuditedModelAdmin):
    list_display = ("city", "area", "year", "sex", "age_band", "ethnicity", "count")
    list_filter = ("city", "year")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor_name", "action", "object_type", "object_repr")
    list_filter = ("city", "action", "object_type")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin):
    """Tokens are made in a city's back office (/<city>/manage/tokens/), which shows the value once: a token
    added here would have no value anyone could use. Here a token can be renamed, given an expiry or revoked;
    whose it is, its city and its scope stay as made."""

    list_display = ("name", "prefix", "user", "city", "scope", "last_used_at", "expires_at", "revoked_at")
    list_filter = ("city", "scope")
    fields = ("name", "prefix", "user", "city", "scope", "last_used_at", "expires_at", "revoked_at")
    readonly_fields = ("prefix", "user", "city", "scope", "last_used_at")

    def has_add_permission(self, request):
        return False

    def changelist_view(self, request, extra_context=None):
        messages.info(
            request,
            _(
                "New tokens are made in each city's back office (Back office → API tokens), where the value is shown once."
            ),
        )
        return super().changelist_view(request, extra_context)


class PasswordChangeForm(AdminPasswordChangeForm):
    """Django's admin password form with its help text as valid HTML: Django puts a list inside the <p> it wraps
    the text in, which a strict HTML5 parser refuses (tests/test_role_walk.py checks every page)."""

    usable_password_help_text = (
        SetUnusablePasswordMixin.usable_password_help_text
        + " "
        + _("If disabled, the current password for this user will be lost.")
    )


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    change_password_form = PasswordChangeForm
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Learning City"), {"fields": ("full_name", "preferred_language", "is_network_admin")}),
    )
