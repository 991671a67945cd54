"""The yardstick: a bare Django view that returns a short string, no middleware, no
database. ``bench/loadtest.py`` serves it under the same gunicorn settings as the project.

    gunicorn bench.bare:application
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-bare-view-" + "x" * 40),
        ALLOWED_HOSTS=["127.0.0.1"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        USE_I18N=False,
    )


def hello(request):
    return HttpResponse("Hello from a bare Django view.\n", content_type="text/plain")


urlpatterns = [path("", hello)]

application = get_wsgi_application()
