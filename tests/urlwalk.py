"""Enumerate the project's own URL patterns from the resolver, so new pages are covered
by the isolation and permission tests without new test code."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Top-level prefixes that belong to third-party apps with their own tests (allauth, admin)
# or to Django itself.
THIRD_PARTY_PREFIXES = ("accounts/", "admin/", "i18n/")

# URL parameters that are not references to stored objects.
NON_OBJECT_PARAMS = {"association", "year", "format", "export_format"}


@dataclass(frozen=True)
class Page:
    route: str  # e.g. "<slug:association>/organ/<slug:body>/"
    name: str  # "namespace:name"
    callback: object
    params: tuple[str, ...]
    converters: dict

    @property
    def access(self):
        view_class = getattr(self.callback, "view_class", None)
        return getattr(view_class, "access", None) or getattr(self.callback, "access", None)

    @property
    def is_tenant(self) -> bool:
        return "association" in self.params

    @property
    def object_params(self) -> tuple[str, ...]:
        return tuple(p for p in self.params if p not in NON_OBJECT_PARAMS)

    @property
    def post_only(self) -> bool:
        view_class = getattr(self.callback, "view_class", None)
        methods = getattr(view_class, "http_method_names", None) or []
        return bool(methods) and "get" not in methods

    def url(self, **values) -> str:
        path = self.route
        for param, converter in self.converters.items():
            path = path.replace(f"<{converter}:{param}>", str(values[param]))
            path = path.replace(f"<{param}>", str(values[param]))
        return "/" + path


def _walk(patterns, prefix="", namespace="", converters=None):
    converters = dict(converters or {})
    for entry in patterns:
        route = str(entry.pattern)
        entry_converters = {**converters, **_converter_names(route)}
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from _walk(
                entry.url_patterns, prefix + route, ns if ns else namespace, entry_converters
            )
        elif isinstance(entry, URLPattern):
            full = prefix + route
            name = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
            yield Page(
                route=full,
                name=name,
                callback=entry.callback,
                params=tuple(entry_converters),
                converters=entry_converters,
            )


def _converter_names(route: str) -> dict[str, str]:
    import re

    result = {}
    for converter, param in re.findall(r"<(?:(\w+):)?(\w+)>", route):
        result[param] = converter or "str"
    return result


def project_pages() -> list[Page]:
    return [
        page
        for page in _walk(get_resolver().url_patterns)
        if not page.route.startswith(THIRD_PARTY_PREFIXES)
    ]
