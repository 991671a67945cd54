"""Facts about the logged-in person that every page asks and that rarely change: which
associations they work in (the header's switcher), whether they still need a second
factor, their rights in an association.

They are kept in the cache under a key holding the versions of the person's own rows
(``pagecache.user_token``): a role, seat, permission or authenticator saved or deleted
bumps it, so a change is seen on the next request. One cache read per request replaces
the queries these facts cost.
"""

from django.core.cache import cache
from django.utils import timezone

from association import pagecache

TIMEOUT = 60 * 60


def _bundle(user):
    facts = getattr(user, "_samverka_facts", None)
    if facts is None:
        try:
            # Seats and roles may end on a date: a new day is a new key.
            key = f"userfacts:{user.pk}:{pagecache.user_token(user)}:{timezone.localdate()}"
            stored = cache.get(key) or {}
        except Exception:
            pagecache.logger.warning("user facts: cache unavailable", exc_info=True)
            key, stored = None, {}
        facts = user._samverka_facts = {"key": key, "values": stored}
    return facts


def fact(user, name: str, compute):
    """``compute()`` once per change of the person's rows, not once per request."""
    facts = _bundle(user)
    values = facts["values"]
    if name not in values:
        values[name] = compute()
        if facts["key"] is not None:
            try:
                cache.set(facts["key"], values, TIMEOUT)
            except Exception:
                pagecache.logger.warning("user facts: cache unavailable", exc_info=True)
    return values[name]
