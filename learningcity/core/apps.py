from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "learningcity.core"
    label = "core"
    verbose_name = _("Platform core")

    def ready(self) -> None:
        from . import changes

        # Every connection's writes renew the change stamp that live staff figures are keyed by (core.changes).
        connection_created.connect(changes.install, dispatch_uid="learningcity.core.changes")
