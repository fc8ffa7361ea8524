"""Plain data management of networks in the Django admin (for the network administrator); audited."""

from django.contrib import admin

from learningcity.core.admin import AuditedModelAdmin

from .models import Cluster, Membership, Network


@admin.register(Network)
class NetworkAdmin(AuditedModelAdmin):
    list_display = ("slug", "name_vi", "name_en", "dialogue_public", "is_demo")
    filter_horizontal = ("coordinators",)


@admin.register(Cluster)
class ClusterAdmin(AuditedModelAdmin):
    list_display = ("code", "name_vi", "name_en", "network", "position")
    list_filter = ("network",)


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    list_display = ("city", "network", "joined_on", "left_on")
    list_filter = ("network",)
