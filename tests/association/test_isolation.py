"""Tenant isolation, generically: every URL, every tenant-owned model."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django_scopes import ScopeError

from association.tenancy import TenantModel, scopes_disabled, tenant_models
from tests import factories
from tests.urlwalk import project_pages


@pytest.fixture
def demo_data(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def other_tenant_values(converter: str) -> set[str]:
    """Identifiers of tenant-owned objects in the demo associations: of every model, the
    first and the last of each association.

    A view that fetches its object without the tenant scope answers 200 for any object of
    another association, so one object of each model and association finds the leak; trying
    every row would make the walk grow with the demo data (URLs times rows).
    """
    from django.db.models import Max, Min

    values: set[str] = set()
    with scopes_disabled():
        for model in tenant_models():
            if converter in {"int", "str"}:
                ends = model.objects.values("association").annotate(first=Min("pk"), last=Max("pk"))
                for row in ends:
                    values.update({str(row["first"]), str(row["last"])})
            if converter in {"slug", "str"} and any(
                f.name == "slug" for f in model._meta.get_fields()
            ):
                values.update(model.objects.values_list("slug", flat=True))
    return values


def test_every_tenant_owned_model_refuses_unscoped_queries(db):
    models_found = tenant_models()
    assert len(models_found) >= 3  # roles, history, bodies, seats … at least
    for model in models_found:
        with pytest.raises(ScopeError):
            list(model.objects.all())


def test_every_model_with_an_association_key_is_scoped():
    """A new model that points at an association but forgets TenantModel fails here."""
    from association.models import Association

    for model in apps.get_models():
        if model._meta.app_label not in {"association", "members", "governance", "networks",
                                         "agreements", "planning", "rooms",
                                         "noticeboard", "decisions"}:  # fmt: skip
            continue
        points_at_association = any(
            isinstance(field, models.ForeignKey) and field.related_model is Association
            and field.name == "association"
            for field in model._meta.get_fields()
        )  # fmt: skip
        if points_at_association:
            assert issubclass(model, TenantModel), f"{model.__name__} is not scoped"


def test_every_url_with_another_associations_object_answers_404(client, demo_data):
    """Walk every project URL from the resolver; fill each object parameter with objects of
    the demo associations while the URL names an empty association. As platform admin
    (who may see everything), anything but 404 would be a leak across tenants."""
    empty = factories.make_association("tomt-forbund", name="Tomt förbund")
    client.force_login(factories.make_platform_admin())
    checked = 0
    for page in project_pages():
        if not page.is_tenant or not page.object_params:
            continue
        for param in page.object_params:
            candidates = other_tenant_values(page.converters[param])
            assert candidates, f"no demo objects to try for {page.name} {param}"
            for value in sorted(candidates):
                values = dict.fromkeys(page.object_params, value)
                values["association"] = empty.slug
                for extra in set(page.params) - set(values):
                    values[extra] = 2025
                url = page.url(**values)
                response = client.post(url) if page.post_only else client.get(url)
                assert response.status_code == 404, f"{page.name} {url} -> {response.status_code}"
                checked += 1
    assert checked > 0


def test_unknown_association_is_404_like_any_missing_page(client, db):
    for page in project_pages():
        if not page.is_tenant:
            continue
        values = dict.fromkeys(page.params, 1)
        values["association"] = "finns-inte"
        for p, converter in page.converters.items():
            if converter == "slug" and p != "association":
                values[p] = "x"
        response = (
            client.post(page.url(**values)) if page.post_only else client.get(page.url(**values))
        )
        assert response.status_code == 404, page.name


def test_another_associations_object_looks_exactly_like_a_missing_one(client, demo_data):
    """Same status, same page: nothing tells a visitor the object exists elsewhere."""
    from governance.models import Body

    with scopes_disabled():
        foreign = Body.objects.filter(association__slug="umearegionen").first()
    assert foreign.slug not in {"styrelse"}
    other_url = f"/norrbotten/organ/{foreign.slug}/"
    missing_url = "/norrbotten/organ/finns-inte-alls/"
    other = client.get(other_url)
    missing = client.get(missing_url)
    assert other.status_code == missing.status_code == 404
    import re

    def without_csrf_token(html: bytes) -> bytes:
        # The language form's CSRF token is masked differently on every response.
        return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", html)

    # The page links back to its own address (language switch, login); that differs by design.
    other_html = without_csrf_token(other.content).replace(other_url.encode(), b"URL")
    missing_html = without_csrf_token(missing.content).replace(missing_url.encode(), b"URL")
    assert other_html.replace(b"%2F", b"/") == missing_html.replace(b"%2F", b"/")
