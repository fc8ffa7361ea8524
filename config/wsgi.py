import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_wsgi_application()

from learningcity.core.probe import HealthProbe  # noqa: E402 - after Django is set up

# /healthz answered in front of the middleware (core/probe.py); everything else is Django's.
application = HealthProbe(django_application)
