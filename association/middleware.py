from django.conf import settings
from django.http import Http404
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

from association.pagecache import association_by_slug
from association.tenancy import tenant_scope
from association.userfacts import fact


class TenantScopeMiddleware:
    """Opens the tenant scope once per request from the URL's ``<association>`` prefix."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.association = None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        slug = match.kwargs.get("association")
        if slug is None:
            return self.get_response(request)
        association = association_by_slug(slug)
        if association is None:
            raise Http404
        request.association = association
        with tenant_scope(association):
            return self.get_response(request)


# Paths a person without a second factor may still reach: setting one up, logging out,
# the language switch, static files and the health check.
MFA_EXEMPT_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/healthz")


class RequireSecondFactorMiddleware:
    """Staff and platform admins must have TOTP or WebAuthn before they work in the portal."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.REQUIRE_MFA_FOR_STAFF
            and request.user.is_authenticated
            and not request.path_info.startswith(MFA_EXEMPT_PREFIXES)
            and fact(request.user, "needs_second_factor", lambda: needs_second_factor(request.user))
        ):
            return redirect("mfa_index")
        return self.get_response(request)


def needs_second_factor(user) -> bool:
    from allauth.mfa.models import Authenticator

    from association.queries import user_has_staff_role

    if not (user.is_superuser or user_has_staff_role(user)):
        return False
    return not Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


class SwedishFirstLocaleMiddleware:
    """Swedish unless the person has chosen otherwise with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so most visitors
    with English-language browsers would land in English; a Swedish public body's portal
    speaks Swedish first and offers English as a choice (the choice lives in a cookie).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen is None and request.user.is_authenticated:
            chosen = request.user.preferred_language
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary = response.get("Vary", "")
        if "Cookie" not in patch_vary:
            from django.utils.cache import patch_vary_headers

            patch_vary_headers(response, ("Cookie",))
        return response


class PermissionsPolicyMiddleware:
    """Sends ``settings.PERMISSIONS_POLICY`` (feature -> allowed origins, ``[]`` for none,
    ``"self"`` for our own) as the Permissions-Policy header on every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(_origin(origin) for origin in origins)})"
            for feature, origins in getattr(settings, "PERMISSIONS_POLICY", {}).items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


def _origin(origin: str) -> str:
    return origin if origin in {"self", "*"} else f'"{origin}"'


# Pages whose bodies carry secrets that a BREACH attacker could guess byte by byte (TOTP
# set-up keys, recovery codes, reset links) are never compressed; elsewhere the CSRF token
# is masked per response and Django pads each gzip stream with random bytes.
GZIP_EXEMPT_PREFIXES = ("/accounts/", "/admin/")


class SafeGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, for HTML pages only: static files arrive from WhiteNoise
    already compressed (or not worth it), and the account pages are left alone."""

    def process_response(self, request, response):
        if request.path_info.startswith(GZIP_EXEMPT_PREFIXES) or not response.get(
            "Content-Type", ""
        ).startswith("text/html"):
            return response
        return super().process_response(request, response)
