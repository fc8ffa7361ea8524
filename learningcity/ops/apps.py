from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: backup and restore of the whole installation (database rows and uploaded files)."""

    name = "learningcity.ops"
    label = "ops"
    verbose_name = "Operations"
