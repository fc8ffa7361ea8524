from django.apps import AppConfig
from django.core.signals import request_finished, request_started
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
        # ... and each request reads that stamp once (core.changes.stamp).
        request_started.connect(changes.request_started, dispatch_uid="learningcity.core.changes")
        request_finished.connect(changes.request_finished, dispatch_uid="learningcity.core.changes")
