"""A server-side cache of anonymous pages, invalidated by version keys.

What a page shows depends on its association's rows and on the shared reference data, so
each association has a version number in Redis, and so does the platform as a whole. Any
write to a row of an association bumps that association's version; any other write
(reference data, people, an association itself) bumps the global one. The bumps are
structural, so models added later are covered without code of their own:

- ``post_save``/``post_delete``/``m2m_changed`` for every model: a row with an
  ``association`` foreign key bumps that association; an ``Association`` bumps itself;
- a database execute wrapper on every connection sees the writes that send no signal
  (``bulk_create``, ``bulk_update``, ``QuerySet.update``): a tenant table written inside an
  association's scope bumps that association, anything else bumps the global version.

Each bump happens at once and again when the transaction commits, so a page rendered
meanwhile from the old rows is stored under a version that is already stale.

The same mechanism keeps a version per person (any row with a ``user`` foreign key, and
the user row itself, bumps it; bulk writes to such tables bump a version for all people):
``association/userfacts.py`` caches what every logged-in page asks about the person.

A cached page's key holds the association id, both versions, the language, the day, the
scheme, host and path with query. Only anonymous requests (no session or messages cookie)
are answered from the cache, and only anonymous 200 HTML responses that set no cookie,
used no CSRF token and chose no caching policy of their own are stored.
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import re
import secrets
import time
from functools import cache as memoize

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

GLOBAL = "global"
PEOPLE = "people"
# Writes that never change what an anonymous visitor sees.
# Notifications and their deliveries are shown to their recipient and to staff only (and
# written thousands at a time): they never change an anonymous page.
IGNORED_TABLES_PREFIXES = (
    "django_session", "django_admin_log", "account_", "mfa_", "notifications_",
)  # fmt: skip
IGNORED_MODEL_SUFFIXES = ("ObjectPermission",)
# A user's own settings and logins are not shown on any public page.
IGNORED_USER_FIELDS = frozenset({"last_login", "preferred_language", "password"})
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
NOT_CACHED_PREFIXES = ("/accounts/", "/admin/", "/i18n/", "/static/", "/media/", "/healthz")
ANONYMOUS_CACHE_CONTROL = {"public": True, "max_age": 0, "must_revalidate": True}


# --- the Redis client ------------------------------------------------------------------------


@memoize
def redis_client():
    """One client (and connection pool) per process, shared by the page cache and /healthz.
    redis-py's pool notices a fork and opens fresh connections in the child."""
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)


def _key(name: str) -> str:
    # The cache's own prefix, so test runs and installations sharing a Redis stay apart.
    return cache.make_key(f"pagecache:{name}")


def _version_key(target) -> str:
    if target == GLOBAL:
        return _key("v:global")
    if target == PEOPLE:
        return _key("v:people")
    if isinstance(target, tuple):  # ("user", id)
        return _key(f"v:u:{int(target[1])}")
    return _key(f"v:a:{int(target)}")


def association_token(association) -> str:
    """The versions of what an association's pages show: for caching values computed from
    its rows (fee schedules, charts) until they change. Read it before computing. The
    tenant lookup of the request has usually read it already."""
    known = getattr(association, "_version_token", None)
    if known is not None:
        return known
    try:
        epoch, *values = redis_client().mget(
            [_key("epoch"), _version_key(GLOBAL), _version_key(association.pk)]
        )
        return ".".join([_epoch(epoch), *((value or b"0").decode() for value in values)])
    except Exception:
        logger.warning("page cache: versions unavailable", exc_info=True)
        return f"unknown-{time.monotonic_ns()}"  # a key nobody else uses: nothing stale


def _epoch(value: bytes | None) -> str:
    """A random name for this life of the Redis data. Version numbers start again from
    zero when Redis loses its data; the epoch keeps values cached in a worker's memory
    under the old numbers from being taken for current ones."""
    if value:
        return value.decode()
    client = redis_client()
    client.set(_key("epoch"), secrets.token_hex(4), nx=True)
    return client.get(_key("epoch")).decode()


# --- invalidation ----------------------------------------------------------------------------


def bump(target, using: str | None = None) -> None:
    """Invalidate what depends on one association (its id), on one person (("user", id)),
    on people in general (PEOPLE) or on everything (GLOBAL): now, and again when the
    transaction on the database ``using`` commits."""
    key = _version_key(target)
    _incr(key)
    transaction.on_commit(lambda: _incr(key), using=using, robust=True)


def _incr(key: str) -> None:
    try:
        redis_client().incr(key)
    except Exception:  # a broken cache must not break a write; its pages expire anyway
        logger.warning("page cache: version not bumped", exc_info=True)


def _association_model():
    from association.models import Association

    return Association


def _targets_of_instance(instance) -> list:
    targets = []
    if (user_id := _user_id_of(instance)) is not None:
        targets.append(("user", user_id))
    model = type(instance)
    if model._meta.label_lower == "association.association":
        return [*targets, instance.pk]
    if model.__name__.endswith(IGNORED_MODEL_SUFFIXES) or model._meta.db_table.startswith(
        IGNORED_TABLES_PREFIXES
    ):
        return targets
    association_id = _association_id_of(instance)
    return [*targets, GLOBAL if association_id is None else association_id]


def _user_id_of(instance):
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    if isinstance(instance, user_model):
        return instance.pk
    try:
        field = instance._meta.get_field("user")
    except Exception:
        return _user_id_through_person(instance, user_model)
    if getattr(field, "related_model", None) is not user_model:
        return None
    return getattr(instance, field.attname, None)


def _user_id_through_person(instance, user_model):
    """Rows that belong to a person of an association's register (an assignment in a body)
    change what that person's login may see: the person's account is the one to bump."""
    try:
        field = instance._meta.get_field("person")
    except Exception:
        return None
    person_model = getattr(field, "related_model", None)
    person_id = getattr(instance, field.attname, None)
    if person_model is None or person_id is None:
        return None
    try:
        user_field = person_model._meta.get_field("user")
    except Exception:
        return None
    if getattr(user_field, "related_model", None) is not user_model:
        return None
    # The base manager: a write may happen outside any tenant scope (seeding, admin).
    return (
        person_model._base_manager.filter(pk=person_id)
        .values_list(user_field.attname, flat=True)
        .first()
    )


def _association_id_of(instance):
    try:
        field = instance._meta.get_field("association")
    except Exception:
        return None
    if getattr(field, "related_model", None) is not _association_model():
        return None
    return getattr(instance, field.attname, None)


def on_saved(sender, instance, update_fields=None, using=None, **kwargs):
    if (
        update_fields
        and instance._meta.label_lower == settings.AUTH_USER_MODEL.lower()
        and set(update_fields) <= IGNORED_USER_FIELDS
    ):
        return
    for target in _targets_of_instance(instance):
        bump(target, using)


def on_deleted(sender, instance, using=None, **kwargs):
    for target in _targets_of_instance(instance):
        bump(target, using)


def on_m2m_changed(sender, instance, action, using=None, **kwargs):
    if action.startswith("post_"):
        for target in _targets_of_instance(instance):
            bump(target, using)


WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?', re.IGNORECASE)


OWN_USER_FIELDS_ONLY = re.compile(
    r'^UPDATE "\w+" SET (?:"(?:last_login|preferred_language|password)" = %s(?:, )?)+ WHERE'
)


@memoize
def _user_table() -> str:
    from django.contrib.auth import get_user_model

    return get_user_model()._meta.db_table


@memoize
def _people_tables() -> frozenset[str]:
    """Tables whose rows belong to one person (a ``user`` foreign key), and the users'."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    tables = {user_model._meta.db_table}
    for model in apps.get_models(include_auto_created=True):
        if any(
            field.name == "user" and field.related_model is user_model
            for field in model._meta.concrete_fields
        ):
            tables.add(model._meta.db_table)
    return frozenset(tables)


@memoize
def _tables() -> dict[str, str]:
    """Each table's kind: 'tenant' (an ``association`` foreign key), 'association',
    'ignored', or 'global'."""
    from django.apps import apps

    kinds = {}
    association_model = _association_model()
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if model is association_model:
            kinds[table] = "association"
        elif model.__name__.endswith(IGNORED_MODEL_SUFFIXES) or table.startswith(
            IGNORED_TABLES_PREFIXES
        ):
            kinds[table] = "ignored"
        elif any(
            field.name == "association" and field.related_model is association_model
            for field in model._meta.concrete_fields
        ):
            kinds[table] = "tenant"
        else:
            kinds[table] = "global"
    return kinds


def watch_writes(execute, sql, params, many, context):
    """Execute wrapper: bumps the versions for writes that send no model signal."""
    result = execute(sql, params, many, context)
    using = context["connection"].alias
    if isinstance(sql, str) and sql[:1] in "IUDiud " and (match := WRITE.match(sql)):
        table = match.group(1)
        if table == _user_table() and OWN_USER_FIELDS_ONLY.match(sql):
            return result  # a login or a person's own settings
        if table in _people_tables():
            bump(PEOPLE, using)
        kind = _tables().get(table, "global")
        if kind == "ignored":
            return result
        if kind == "tenant":
            from django_scopes import get_scope

            current = get_scope()
            association = current.get("association") if current.get("_enabled") else None
            if isinstance(association, _association_model()):
                bump(association.pk, using)
                return result
        # Everything else, an association's own row included (its save also bumps it
        # precisely through post_save; a QuerySet.update does not say which one).
        bump(GLOBAL, using)
    return result


def install_write_watcher(sender, connection, **kwargs):
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


def connect_signals() -> None:
    from django.db import connections
    from django.db.backends.signals import connection_created
    from django.db.models.signals import m2m_changed, post_delete, post_save

    post_save.connect(on_saved, dispatch_uid="pagecache-saved")
    post_delete.connect(on_deleted, dispatch_uid="pagecache-deleted")
    m2m_changed.connect(on_m2m_changed, dispatch_uid="pagecache-m2m")
    connection_created.connect(install_write_watcher, dispatch_uid="pagecache-writes")
    for connection in connections.all(initialized_only=True):
        install_write_watcher(None, connection)


TENANT = """
local prefix, slug = ARGV[1], ARGV[2]
local id = redis.call('GET', prefix .. 'tenant-id:' .. slug)
local association_version = '0'
if id then association_version = redis.call('GET', prefix .. 'v:a:' .. id) or '0' end
return {
  redis.call('GET', prefix .. 'tenant:' .. slug) or '',
  redis.call('GET', prefix .. 'v:global') or '0',
  association_version,
  redis.call('GET', prefix .. 'epoch') or '',
}
"""


@memoize
def _tenant_script():
    return redis_client().register_script(TENANT)


def association_by_slug(slug: str):
    """The association a URL names, from the cache while no association row has changed
    (every write to the association table bumps the global version), with the versions
    of its data read in the same round trip (``association_token``)."""
    from association.models import Association

    try:
        raw, global_version, association_version, epoch = _tenant_script()(args=[_key(""), slug])
    except Exception:
        logger.warning("page cache unavailable", exc_info=True)
        return Association.objects.filter(slug=slug).first()
    global_version = global_version.decode()
    if raw:
        # Written below by this code into our own Redis, as Django's cache pickles too.
        stored_version, association = pickle.loads(raw)  # noqa: S301
        if stored_version == global_version:
            association._version_token = (
                f"{_epoch(epoch)}.{global_version}.{association_version.decode()}"
            )
            return association
    association = Association.objects.filter(slug=slug).first()
    if association is not None:
        client = redis_client()
        entry = pickle.dumps((global_version, association))
        client.set(_key(f"tenant:{slug}"), entry, ex=60 * 60)
        client.set(_key(f"tenant-id:{slug}"), association.pk, ex=60 * 60)
    return association


# --- the cache itself ------------------------------------------------------------------------


def language_of_anonymous(request) -> str:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _anonymous_get(request) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and "HTTP_HX_REQUEST" not in request.META
        and not request.path_info.startswith(NOT_CACHED_PREFIXES)
    )


def _storable(request, response) -> bool:
    user = getattr(request, "user", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "Cache-Control" not in response
        and response.get("Content-Type", "").startswith("text/html")
        and user is not None
        and not user.is_authenticated
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


# KEYS are built inside the script because the association id comes from the slug
# pointer; the installation runs one Redis (no cluster), where that is allowed.
LOOKUP = """
local prefix, slug, suffix = ARGV[1], ARGV[2], ARGV[3]
local id, association_version = '0', '0'
if slug ~= '' then
  id = redis.call('GET', prefix .. 'slug:' .. slug)
  if not id then return {'', '', ''} end
  association_version = redis.call('GET', prefix .. 'v:a:' .. id) or '0'
end
local global_version = redis.call('GET', prefix .. 'v:global') or '0'
local key = prefix .. 'page:' .. id .. ':' .. association_version .. ':'
  .. global_version .. ':' .. suffix
return {key, id, redis.call('GET', key) or ''}
"""


@memoize
def _lookup_script():
    return redis_client().register_script(LOOKUP)


# A worker keeps the pages it served last for PAGE_CACHE_LOCAL_SECONDS (a second by
# default) without asking Redis whether they are still current: a change reaches
# anonymous visitors at most that much later, and a hit costs no round trip at all.
LOCAL_ENTRIES = 64
_LOCAL: dict = {}


def _suffix(request) -> str:
    """The part of a page's key that the request gives: language, encoding, day, and the
    scheme, host (validated) and path with query."""
    where = "|".join([request.scheme, request.get_host(), request.get_full_path()]).encode()
    return ":".join(
        [
            language_of_anonymous(request),
            # Stored as sent: compressed for those who accept gzip, plain for the rest.
            "gz" if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")) else "id",
            timezone.localdate().isoformat(),
            hashlib.sha256(where).hexdigest()[:32],
        ]
    )


def answer_from_worker_memory(environ):
    """For ``config/wsgi.py``: a page this worker took from the page cache within the last
    PAGE_CACHE_LOCAL_SECONDS, answered before Django's handler and middleware run at all.
    The same rules as the middleware decide; None when they do not allow it."""
    if not _LOCAL or settings.PAGE_CACHE_SECONDS <= 0 or settings.PAGE_CACHE_LOCAL_SECONDS <= 0:
        return None
    from django.core.handlers.wsgi import WSGIRequest

    request = WSGIRequest(environ)
    if not _anonymous_get(request) or request.path_info.startswith(NOT_CACHED_PREFIXES):
        return None
    try:
        found = _LOCAL.get(_suffix(request))
    except DisallowedHost:
        return None
    if not found or found[0] <= time.monotonic() or found[3] is None:
        return None
    headers, body = found[3]
    headers = [(str(name), str(value)) for name, value in headers]
    etag = dict(headers).get("ETag")
    if etag and _etag_matches(request, etag):
        kept = {"ETag", "Cache-Control", "Vary", "Content-Language"}
        return "304 Not Modified", [(n, v) for n, v in headers if n in kept], b""
    return "200 OK", [*headers, ("X-Page-Cache", "hit")], body


def _etag_matches(request, etag: str) -> bool:
    wanted = request.headers.get("If-None-Match", "")
    return any(tag.strip().removeprefix("W/") == etag for tag in wanted.split(","))


class AnonymousPageCacheMiddleware:
    """Answers anonymous visitors from the page cache and stores what they may share.

    Sits at the top of the stack, so a hit skips the session, authentication, CSRF and
    tenant lookups; the stored headers are those the inner middleware set (security, CSP,
    framing, language, Vary, compression).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _anonymous_get(request):
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and "Cache-Control" not in response:
                # Pages for a logged-in person are theirs alone; ask again every time.
                patch_cache_control(response, private=True, no_cache=True)
            return response
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        if settings.PAGE_CACHE_SECONDS <= 0:
            # The server keeps nothing, but browsers and proxies may, with validators.
            response = self.get_response(request)
            if _storable(request, response):
                self._finish(response)
                if _etag_matches(request, response["ETag"]):
                    return self._not_modified(response.items())
            return response
        slug = match.kwargs.get("association")
        try:
            key, association_id, entry = self._lookup(request, slug)
        except DisallowedHost:
            return self.get_response(request)  # answered with a 400 below, as always
        except Exception:
            logger.warning("page cache unavailable", exc_info=True)
            return self.get_response(request)
        if entry is not None:
            return self._respond(request, entry)
        response = self.get_response(request)
        if _storable(request, response):
            current = getattr(request, "association", None)
            current_id = current.pk if current is not None else 0
            if slug is not None and current is not None and association_id != current_id:
                # First visit, or the slug now names another association: remember which
                # one it names; the next request can use the cache.
                self._safe(redis_client().set, _key(f"slug:{slug}"), current_id, ex=86400)
            elif key is not None and association_id == current_id:
                self._store(key, response)
            self._finish(response)
        return response

    @staticmethod
    def _safe(function, *args, **kwargs):
        try:
            return function(*args, **kwargs)
        except Exception:
            logger.warning("page cache unavailable", exc_info=True)
            return None

    def _lookup(self, request, slug):
        """One round trip to Redis: the slug's association, both versions, the page key
        built from them and the stored page (if any)."""
        suffix = _suffix(request)
        seconds = settings.PAGE_CACHE_LOCAL_SECONDS
        local_key = suffix  # the path in it names the association
        if seconds > 0 and (found := _LOCAL.get(local_key)) and found[0] > time.monotonic():
            return found[1:]
        key, association_id, raw = _lookup_script()(args=[_key(""), slug or "", suffix])
        if not key:
            return None, None, None
        entry = None
        if raw:
            head, _, body = raw.partition(b"\n")
            entry = json.loads(head), body
        result = key.decode(), int(association_id), entry
        if seconds > 0 and entry is not None:
            _LOCAL[local_key] = (time.monotonic() + seconds, *result)
            while len(_LOCAL) > LOCAL_ENTRIES:
                _LOCAL.pop(next(iter(_LOCAL)), None)
        return result

    def _store(self, key, response):
        self._finish(response)
        head = json.dumps(list(response.items())).encode()
        self._safe(
            redis_client().set, key, head + b"\n" + response.content,
            ex=settings.PAGE_CACHE_SECONDS,
        )  # fmt: skip

    @staticmethod
    def _finish(response):
        if "ETag" not in response:
            response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        patch_cache_control(response, **ANONYMOUS_CACHE_CONTROL)

    @staticmethod
    def _not_modified(headers):
        response = HttpResponseNotModified()
        for name, value in headers:
            if name in {"ETag", "Cache-Control", "Vary", "Content-Language"}:
                response[name] = value
        return response

    def _respond(self, request, entry):
        headers, body = entry
        etag = dict(headers).get("ETag")
        if etag and _etag_matches(request, etag):
            return self._not_modified(headers)
        response = HttpResponse(body)
        for name, value in headers:
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return response
