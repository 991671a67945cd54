"""Replaced and cleared uploads leave storage once the change commits, and only then."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from association.models import Association
from association.services import update_association
from association.tenancy import scopes_disabled
from tests import factories
from tests.association.test_bad_input import _png_bytes, settings_form_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def with_logo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # real files, in a folder of this test's own
    association = factories.make_association("norrbotten", name="Norrbottens Kommuner")
    association.logo.save("gammal.png", ContentFile(_png_bytes()))
    path = Path(association.logo.path)
    assert path.exists() and path.is_relative_to(tmp_path)
    return association, path


def test_a_replaced_logo_is_deleted_after_commit(client, with_logo):
    association, old = with_logo
    client.force_login(factories.make_staff(association, "administrator"))
    new_logo = SimpleUploadedFile("ny.png", _png_bytes((30, 30)), "image/png")
    response = client.post(
        "/norrbotten/installningar/", settings_form_data(association, logo=new_logo)
    )
    assert response.status_code == 302
    association.refresh_from_db()
    assert Path(association.logo.path).exists()
    assert Path(association.logo.path) != old
    assert not old.exists()


def test_a_cleared_logo_is_deleted_after_commit(client, with_logo):
    association, old = with_logo
    client.force_login(factories.make_staff(association, "administrator"))
    response = client.post(
        "/norrbotten/installningar/", {**settings_form_data(association), "logo-clear": "on"}
    )
    assert response.status_code == 302
    association.refresh_from_db()
    assert not association.logo
    assert not old.exists()


def test_the_old_logo_stays_if_the_change_rolls_back(with_logo):
    association, old = with_logo
    with pytest.raises(RuntimeError), transaction.atomic(), scopes_disabled():
        update_association(
            association=association, actor=None, expected_version=association.version,
            data={"logo": ""},
        )  # fmt: skip
        raise RuntimeError("something later in the same transaction failed")
    association.refresh_from_db()
    assert association.logo.name and old.exists()


def test_a_deleted_association_takes_its_logo_along(with_logo):
    association, old = with_logo
    Association.objects.filter(pk=association.pk).delete()
    assert not old.exists()
