"""Plain data management of the atlas in the Django admin (space types are data per city); audited."""

from django.contrib import admin

from learningcity.core.admin import AuditedModelAdmin

from .models import LearningSpace, SpaceType


@admin.register(SpaceType)
class SpaceTypeAdmin(AuditedModelAdmin):
    list_display = ("code", "name_vi", "name_en", "city", "sort_order")
    list_filter = ("city",)
    search_fields = ("code", "name_vi", "name_en")


@admin.register(LearningSpace)
class LearningSpaceAdmin(AuditedModelAdmin):
    """Read-mostly: edits go through the back office, which keeps hours, search text and status history."""

    list_display = ("code", "name_vi", "space_type", "area", "status", "city")
    list_filter = ("city", "status", "space_type")
    search_fields = ("code", "name_vi", "name_en", "search_text")
    raw_id_fields = ("area",)
    filter_horizontal = ("coordinators",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
