"""Facts about the logged-in person that every page asks and that rarely change: which
associations they work in (the header's switcher), whether they still need a second
factor, their rights in an association.

They are kept in the cache with the versions of the person's own rows they were computed
under: a role, seat, permission or authenticator saved or deleted bumps them (see
``association/pagecache.py``), so a change is seen on the next request. One cache read
per request replaces the queries these facts cost.
"""

from django.core.cache import cache
from django.utils import timezone

from association import pagecache

TIMEOUT = 60 * 60


def _bundle(user):
    facts = getattr(user, "_samverka_facts", None)
    if facts is None:
        # One round trip: the versions the facts depend on (the platform, people in general
        # for writes that cannot be attributed, this person's own rows) and the facts.
        names = [
            "pagecache:v:global",
            "pagecache:v:people",
            f"pagecache:v:u:{user.pk}",
            f"userfacts:{user.pk}",
        ]
        try:
            found = cache.get_many(names)
        except Exception:
            pagecache.logger.warning("user facts: cache unavailable", exc_info=True)
            found = None
        # Seats and roles may end on a date: a new day is a new token.
        token = ".".join(str((found or {}).get(name) or 0) for name in names[:3])
        token += f":{timezone.localdate()}"
        stored = (found or {}).get(names[3])
        values = stored["values"] if stored and stored.get("token") == token else {}
        key = names[3] if found is not None else None
        facts = user._samverka_facts = {"key": key, "token": token, "values": values}
    return facts


def fact(user, name: str, compute):
    """``compute()`` once per change of the person's rows, not once per request."""
    facts = _bundle(user)
    values = facts["values"]
    if name not in values:
        values[name] = compute()
        if facts["key"] is not None:
            try:
                cache.set(facts["key"], {"token": facts["token"], "values": values}, TIMEOUT)
            except Exception:
                pagecache.logger.warning("user facts: cache unavailable", exc_info=True)
    return values[name]
