"""The shared mechanism for generated files (association/pdfjobs.py): reuse by key, a
stale file made again, the progress states read back from the result backend, the task's
side, the sweep, and tenant isolation of notes, files and pages."""

import datetime
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from association import pdfjobs
from association.tenancy import scopes_disabled
from config.celery import app as celery_app
from tests import factories

pytestmark = pytest.mark.django_db

KEPT = pdfjobs.Kind(folder="test-pdfjobs-kept", keep=datetime.timedelta(hours=1))
VERSIONED = pdfjobs.Kind(folder="test-pdfjobs-versioned")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


class FakeTask:
    """Stands in for a Celery task: records what ``apply_async`` and ``update_state`` get."""

    def __init__(self):
        self.queued, self.states = [], []

    def apply_async(self, *, args, task_id):
        self.queued.append((args, task_id))

    def update_state(self, *, state, meta):
        self.states.append((state, meta))


def ask(kind, task, *, key="k1", association_id=1, subject=("doc", 7)):
    return kind.request(association_id=association_id, subject=subject, place="doc-7",
                        key=key, task=task, args=[association_id, 7])  # fmt: skip


def status(kind, *, key="", association_id=1, subject=("doc", 7)):
    return kind.status(association_id=association_id, subject=subject, place="doc-7", key=key)


def age(name: str, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(default_storage.path(name), (then, then))


def test_the_storage_name_carries_the_association():
    assert KEPT.storage_name(42, "doc-7", "abc") == "test-pdfjobs-kept/42/doc-7/abc.pdf"
    assert KEPT.note_key(42, ("doc", 7)) != KEPT.note_key(43, ("doc", 7))


def test_a_usable_file_of_the_key_is_reused_without_a_task(django_capture_on_commit_callbacks):
    task = FakeTask()
    KEPT.store(KEPT.storage_name(1, "doc-7", "k1"), b"%PDF-1")
    with django_capture_on_commit_callbacks(execute=True):
        got = ask(KEPT, task)
    assert got.state == pdfjobs.READY and got.key == "k1" and got.built is not None
    assert task.queued == []
    assert status(KEPT).state == pdfjobs.READY  # noted as the subject's


def test_a_new_key_is_made_and_followed_not_asked_twice(django_capture_on_commit_callbacks):
    task = FakeTask()
    KEPT.store(KEPT.storage_name(1, "doc-7", "k1"), b"%PDF-1")
    with django_capture_on_commit_callbacks(execute=True):
        first = ask(KEPT, task, key="k2")  # the version changed: a new key
        again = ask(KEPT, task, key="k2")
    assert first.state == again.state == pdfjobs.WAITING
    assert len(task.queued) == 1  # the second request follows the first
    args, task_id = task.queued[0]
    assert args == [1, 7] and KEPT.note(1, ("doc", 7))["task"] == task_id


def test_a_stale_file_is_not_served_and_is_made_again(django_capture_on_commit_callbacks):
    task = FakeTask()
    name = KEPT.storage_name(1, "doc-7", "k1")
    KEPT.store(name, b"%PDF-old")
    age(name, 2 * 3600)
    assert KEPT.open(name) is None
    with django_capture_on_commit_callbacks(execute=True):
        assert ask(KEPT, task).state == pdfjobs.WAITING
    assert len(task.queued) == 1
    KEPT.store(name, b"%PDF-new")  # the stale file gives way
    with KEPT.open(name) as handle:
        assert handle.read() == b"%PDF-new"


def test_a_versioned_file_is_ready_for_its_key_only():
    VERSIONED.store(VERSIONED.storage_name(1, "doc-7", "v1"), b"%PDF-v1")
    assert status(VERSIONED, key="v1").state == pdfjobs.READY
    assert status(VERSIONED, key="v2").state == pdfjobs.NONE  # a new version: not made yet


def test_the_progress_states_come_from_the_result_backend():
    task_id = "pdfjobs-" + os.urandom(8).hex()
    VERSIONED.remember(1, ("doc", 7), task=task_id, key="v1")
    assert status(VERSIONED, key="v1").state == pdfjobs.WAITING
    celery_app.backend.store_result(task_id, {"done": 1, "total": 3}, "PROGRESS")
    building = status(VERSIONED, key="v1")
    assert (building.state, building.done, building.total) == (pdfjobs.BUILDING, 1, 3)
    assert building.in_flight and building.token == "building-1-3"
    # Finished, but the file is missing: failed, so the page offers to try again.
    celery_app.backend.store_result(task_id, {"status": "ready", "key": "v1"}, "SUCCESS")
    assert status(VERSIONED, key="v1").state == pdfjobs.FAILED
    VERSIONED.store(VERSIONED.storage_name(1, "doc-7", "v1"), b"%PDF")
    assert status(VERSIONED, key="v1").state == pdfjobs.READY
    # Following the subject's own request (no key given): the key the task made.
    other = "pdfjobs-" + os.urandom(8).hex()
    KEPT.remember(1, ("doc", 7), task=other)
    celery_app.backend.store_result(other, {"status": "refused"}, "SUCCESS")
    assert status(KEPT).state == pdfjobs.REFUSED
    made = "pdfjobs-" + os.urandom(8).hex()  # (a finished result is cached by its id)
    KEPT.remember(1, ("doc", 7), task=made)
    celery_app.backend.store_result(made, {"status": "ready", "key": "k9"}, "SUCCESS")
    assert status(KEPT).state == pdfjobs.NONE  # no such file (any more)
    KEPT.store(KEPT.storage_name(1, "doc-7", "k9"), b"%PDF")
    assert status(KEPT) == pdfjobs.Status(pdfjobs.READY, key="k9", built=status(KEPT).built)


def test_a_failed_or_lost_task_is_failed():
    from django.core.cache import cache

    task_id = "pdfjobs-" + os.urandom(8).hex()
    VERSIONED.remember(1, ("doc", 7), task=task_id, key="v1")
    celery_app.backend.store_result(task_id, ValueError("broken"), "FAILURE")
    assert status(VERSIONED, key="v1").state == pdfjobs.FAILED
    lost = "pdfjobs-" + os.urandom(8).hex()
    VERSIONED.remember(1, ("doc", 7), task=lost, key="v1")
    noted = VERSIONED.note(1, ("doc", 7))
    late = noted["asked"] - pdfjobs.WAIT_LIMIT.total_seconds() - 1
    cache.set(VERSIONED.note_key(1, ("doc", 7)), {**noted, "asked": late})
    assert status(VERSIONED, key="v1").state == pdfjobs.FAILED


def test_produce_reports_progress_and_stores_once():
    task = FakeTask()
    name = VERSIONED.storage_name(1, "doc-7", "v1")
    calls = []

    def render(progress):
        calls.append(1)
        progress(0, 3)
        progress(2, 3)
        return b"%PDF-made"

    outcome = pdfjobs.produce(task, kind=VERSIONED, name=name, key="v1", render=render)
    assert outcome == {"status": pdfjobs.READY, "key": "v1"}
    # The last report says everything is done, once the file is stored.
    assert [meta for _state, meta in task.states] == [
        {"done": 0, "total": 3},
        {"done": 2, "total": 3},
        {"done": 3, "total": 3},
    ]
    assert pdfjobs.produce(task, kind=VERSIONED, name=name, key="v1", render=render) == outcome
    assert len(calls) == 1  # run twice: the stored file is kept, nothing made again


def test_the_sweep_removes_only_old_files_of_kinds_that_keep_them():
    old = KEPT.storage_name(5, "doc-1", "old")
    fresh = KEPT.storage_name(5, "doc-1", "fresh")
    versioned = VERSIONED.storage_name(5, "doc-1", "v1")
    for name in (old, fresh, versioned):
        default_storage.save(name, ContentFile(b"%PDF"))
    age(old, 2 * 3600)
    age(versioned, 30 * 24 * 3600)
    assert pdfjobs.sweep() >= 1
    assert not default_storage.exists(old)
    assert default_storage.exists(fresh) and default_storage.exists(versioned)


def test_another_associations_job_is_not_found(association, client):
    """Notes and files are per association; a PDF page or download under another
    association's address is a 404."""
    from planning import pdfs
    from planning.models import Plan
    from tests.planning.conftest import make_plan

    VERSIONED.remember(association.pk, ("doc", 7), task="t", key="v1")
    VERSIONED.store(VERSIONED.storage_name(association.pk, "doc-7", "v1"), b"%PDF")
    assert status(VERSIONED, key="v1", association_id=association.pk + 1).state == pdfjobs.NONE
    assert status(VERSIONED, association_id=association.pk + 1).state == pdfjobs.NONE

    with scopes_disabled():
        plan = Plan.objects.get(pk=make_plan(association).pk)
        key = pdfs.document_key("plan", plan, "sv")
        pdfs.store(pdfs.storage_name(association.pk, "plan", plan.pk, key), b"%PDF-plan")
    other = factories.make_association("annat")
    client.force_login(factories.make_staff(other, "administrator"))
    for suffix in ("pdf/", "pdf/hamta/"):
        response = client.get(f"/annat/planering/alla/plan/{plan.pk}/{suffix}")
        assert response.status_code == 404, suffix
    assert client.post(f"/annat/planering/alla/plan/{plan.pk}/pdf/").status_code == 404
    own = factories.make_staff(association, "viewer", "lasare@example.org")
    client.force_login(own)
    response = client.get(f"/{association.slug}/planering/alla/plan/{plan.pk}/pdf/hamta/")
    assert response.status_code == 200
