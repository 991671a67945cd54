import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

django_application = get_wsgi_application()

from association.pagecache import answer_from_worker_memory  # noqa: E402 (apps are ready)


def application(environ, start_response):
    """Django, except for anonymous pages this worker served from the page cache within
    the last second: those are answered here, before the handler and middleware
    (association/pagecache.py)."""
    answer = answer_from_worker_memory(environ)
    if answer is None:
        return django_application(environ, start_response)
    status, headers, body = answer
    start_response(status, headers)
    return [body]
