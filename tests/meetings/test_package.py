"""The meeting package: built by the worker, followed on the package page, downloaded by the
member who asked and nobody else; reused while nothing changed; failures shown, not 500s;
old files removed by the periodic cleanup."""

import io
import json
import os
import time
from datetime import timedelta

import pytest
from celery.result import AsyncResult
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from association.documents import add_version
from association.pdf import render_pdf
from association.tasks import remove_old_generated_files as remove_old_packages
from association.tenancy import scopes_disabled, tenant_scope
from config.celery import app as celery_app
from governance.meetings import package, services
from governance.meetings.models import ItemDocument
from governance.meetings.permissions import Reader
from governance.meetings.tasks import build_meeting_package
from governance.models import Assignment
from tests import factories
from tests.meetings.conftest import pdf_text, upload

pytestmark = pytest.mark.django_db


def url(meeting, name="package"):
    return reverse(
        f"meetings:{name}", kwargs={"association": meeting.association.slug, "pk": meeting.pk}
    )


def text_pdf(association, text: str) -> bytes:
    return render_pdf(
        association=association,
        template_name="meetings/pdf/demo_document.html",
        context={"text": text},
        title=text,
    )


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def meeting(association, board):
    """A noticed board meeting: an item with a PDF (merged) and an image (listed)."""
    meeting = factories.make_meeting(board, notice=True)
    item = factories.make_item(
        meeting, "Budget 2027", proposed_decision="Styrelsen fastställer budgeten."
    )
    with scopes_disabled():
        services.attach_document(
            item=item, actor=None, title="Budgetunderlag",
            upload=upload("underlag.pdf", text_pdf(association, "Lokalkostnaderna ökar")),
        )  # fmt: skip
        services.attach_document(
            item=item,
            actor=None,
            title="Karta",
            upload=ContentFile(png_bytes(), name="karta.png"),
        )
    return meeting


def the_pdf_document(meeting):
    with scopes_disabled():
        return ItemDocument.objects.get(item__meeting=meeting, document__title="Budgetunderlag")


def noted(meeting, user) -> dict | None:
    return package.note(association_id=meeting.association_id, meeting_id=meeting.pk,
                        user_id=user.pk)  # fmt: skip


def wait_for_build(meeting, user) -> AsyncResult:
    """The worker's result of the user's latest request (waits for it, at most a minute)."""
    task = noted(meeting, user)["task"]
    assert task
    result = AsyncResult(task)
    result.get(timeout=60, propagate=False)
    return result


def stored(meeting) -> set[str]:
    folder = f"packages/{meeting.association_id}/{meeting.pk}"
    try:
        return set(default_storage.listdir(folder)[1])
    except FileNotFoundError:
        return set()


def key_now(meeting, user, language="sv") -> str:
    with tenant_scope(meeting.association):
        reader = Reader(user=user, association=meeting.association)
        from governance.meetings.queries import meeting as meeting_query

        fresh = meeting_query(meeting.association, meeting.pk).get()
        items, may_see = package.contents(reader, fresh)
        return package.package_key(
            meeting=fresh, items=items, may_see_document=may_see, language=language
        )


def build_here(meeting, user) -> dict:
    """Run the task in this process (no worker) and note it as the user's request."""
    outcome = build_meeting_package.apply(
        args=[meeting.association_id, meeting.pk, user.pk, "sv"]
    ).get()
    if outcome["status"] == package.READY:
        package.remember(association_id=meeting.association_id, meeting_id=meeting.pk,
                         user_id=user.pk, key=outcome["key"])  # fmt: skip
    return outcome


# --- with the real worker -----------------------------------------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_the_package_and_reports_progress(
    client, association, people, meeting, celery_worker
):
    client.force_login(people["member"])
    # Every state the worker writes to the result backend is also published on Redis.
    updates = celery_worker.backend.client.pubsub()
    updates.psubscribe("celery-task-meta-*")
    response = client.post(url(meeting))
    assert response.status_code == 302 and response["Location"] == url(meeting)
    page = client.get(url(meeting)).content.decode()  # the progress page, whatever its state
    assert ('aria-live="polite"' in page and "<progress" in page) or "är klara" in page
    result = wait_for_build(meeting, people["member"])
    assert result.state == "SUCCESS"
    states = []
    while (message := updates.get_message(timeout=1)) is not None:
        channel = message["channel"].decode() if message["type"] == "pmessage" else ""
        if channel == f"celery-task-meta-{result.id}":  # not the notice's e-mail task
            meta = json.loads(message["data"])
            states.append((meta["status"], meta["result"]))
    updates.close()
    progress = [info for state, info in states if state == "PROGRESS"]
    # The cover, then the one PDF document (the image is listed, not merged).
    assert progress == [
        {"done": 0, "total": 2},
        {"done": 1, "total": 2},
        {"done": 2, "total": 2},
    ]
    assert states[-1][0] == "SUCCESS"

    page = client.get(url(meeting)).content.decode()
    assert "Möteshandlingarna är klara." in page
    assert url(meeting, "package_download") in page
    # htmx asks with what it shows: the finished state comes once, without polling again.
    poll = client.get(url(meeting), {"seen": "waiting-0-0"}, headers={"HX-Request": "true"})
    assert poll.status_code == 200 and 'data-state="ready"' in poll.content.decode()
    assert "hx-trigger" not in poll.content.decode()
    download = client.get(url(meeting, "package_download"))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    text = pdf_text(b"".join(download.streaming_content))
    assert "Budget 2027" in text and "Styrelsen fastställer budgeten." in text  # the agenda
    assert "Lokalkostnaderna ökar" in text  # the merged document
    assert "karta.png" in text  # listed for separate download


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_package_is_reused_until_a_document_gets_a_new_version(
    client, association, people, meeting, celery_worker
):
    member, substitute = people["member"], people["personal"]
    client.force_login(member)
    client.post(url(meeting))
    first_key = wait_for_build(meeting, member).result["key"]
    assert first_key == key_now(meeting, member)
    # Asked again: the fresh package is taken as it is, no task is queued.
    client.post(url(meeting))
    assert noted(meeting, member) == {**noted(meeting, member), "task": "", "key": first_key}
    # Another reader who sees exactly the same gets the same file without a build.
    client.force_login(substitute)
    client.post(url(meeting))
    assert noted(meeting, substitute)["task"] == ""
    assert "Lokalkostnaderna ökar" in pdf_text(
        b"".join(client.get(url(meeting, "package_download")).streaming_content)
    )
    # A new version of the document: a new key, a new build with the new text.
    link = the_pdf_document(meeting)
    with tenant_scope(association):
        new = upload("underlag-2.pdf", text_pdf(association, "Hyran sänks"))
        add_version(document=link.document, actor=None, upload=new)
    assert key_now(meeting, member) != first_key
    client.force_login(member)
    client.post(url(meeting))
    result = wait_for_build(meeting, member)
    assert result.result["key"] == key_now(meeting, member)
    text = pdf_text(b"".join(client.get(url(meeting, "package_download")).streaming_content))
    assert "Hyran sänks" in text and "Lokalkostnaderna ökar" not in text


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_failed_build_says_so_and_offers_to_try_again(
    client, association, people, meeting, celery_worker
):
    with scopes_disabled():
        version = the_pdf_document(meeting).document.current_version
    default_storage.delete(version.file.name)  # storage lost the file: the build cannot read it
    member = people["member"]
    client.force_login(member)
    client.post(url(meeting))
    failed = wait_for_build(meeting, member)
    assert failed.state == "FAILURE"
    response = client.get(url(meeting))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Möteshandlingarna kunde inte byggas." in page
    assert "Försök igen" in page
    assert client.get(url(meeting, "package_download")).status_code == 404
    response = client.post(url(meeting))  # the retry button
    assert response.status_code == 302
    retried = noted(meeting, member)["task"]
    assert retried and retried != failed.id
    AsyncResult(retried).get(timeout=60, propagate=False)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_periodic_cleanup_removes_only_old_packages(celery_worker):
    old = default_storage.save("packages/999001/1/gammal.pdf", ContentFile(b"%PDF-old"))
    fresh = default_storage.save("packages/999001/1/ny.pdf", ContentFile(b"%PDF-new"))
    long_ago = time.time() - timedelta(days=2).total_seconds()
    os.utime(default_storage.path(old), (long_ago, long_ago))
    try:
        assert remove_old_packages.delay().get(timeout=30) >= 1
        assert not default_storage.exists(old)
        assert default_storage.exists(fresh)
    finally:
        default_storage.delete(fresh)


def test_the_cleanup_is_scheduled_and_expires_before_its_next_run():
    entry = next(
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "association.tasks.remove_old_generated_files"
    )
    assert entry["options"]["expires"] < entry["schedule"].total_seconds()


# --- who may ask, follow and download -----------------------------------------------------


@pytest.mark.parametrize("who", ["outsider", "other_association", "anonymous"])
def test_outsiders_cannot_start_follow_or_download(client, people, meeting, who):
    if who == "outsider":  # a member of another body of the same association
        user = people["outsider"]
        expected = 403
    elif who == "other_association":
        other = factories.make_association("annat")
        user = factories.make_staff(other, "administrator")
        expected = 404
    else:
        user, expected = None, 302
    if user is not None:
        client.force_login(user)
    build_here(meeting, people["member"])  # a finished package exists for the member
    for method, name in (("post", "package"), ("get", "package"), ("get", "package_download")):
        target = url(meeting, name)
        if who == "other_association":  # the meeting's id under the visitor's own association
            target = target.replace(f"/{meeting.association.slug}/", "/annat/", 1)
        response = getattr(client, method)(target)
        assert response.status_code == expected, (method, name)
        if expected == 302:
            assert response["Location"].startswith("/accounts/login/")
    if user is not None:
        assert noted(meeting, user) is None


def test_another_members_package_is_a_404(client, association, people, meeting):
    build_here(meeting, people["member"])
    client.force_login(people["member"])
    assert client.get(url(meeting, "package_download")).status_code == 200
    # The substitute and staff may see the meeting, but asked for no package themselves.
    for reader in (people["personal"], factories.make_staff(association, "administrator")):
        client.force_login(reader)
        assert client.get(url(meeting, "package_download")).status_code == 404
        assert client.get(url(meeting)).status_code == 200  # the page offers to build it


def test_a_member_who_lost_the_seat_gets_nothing_built(client, people, meeting):
    member = people["member"]
    client.force_login(member)
    assert client.post(url(meeting)).status_code == 302
    assert noted(meeting, member)["task"]  # queued after the commit (none in this test)
    with scopes_disabled():
        Assignment.objects.filter(person__user=member).update(
            ends_on=meeting.starts_at.date() - timedelta(days=400),
            starts_on=meeting.starts_at.date() - timedelta(days=800),
        )
    before = stored(meeting)
    outcome = build_meeting_package.apply(
        args=[meeting.association_id, meeting.pk, member.pk, "sv"]
    ).get()
    assert outcome == {"status": package.REFUSED}
    assert stored(meeting) == before
    client.force_login(member)
    assert client.get(url(meeting, "package_download")).status_code == 403


def test_the_progress_page_shows_the_workers_progress(client, people, meeting):
    member = people["member"]
    client.force_login(member)
    task = "test-" + os.urandom(8).hex()
    celery_app.backend.store_result(task, {"done": 2, "total": 4}, "PROGRESS")
    package.remember(association_id=meeting.association_id, meeting_id=meeting.pk,
                     user_id=member.pk, task=task)  # fmt: skip
    page = client.get(url(meeting)).content.decode()
    assert '<progress id="package-progress" max="4" value="2">' in page
    assert '<label for="package-progress">' in page
    assert "Handlingarna läggs till: 1 av 3." in page
    assert 'aria-live="polite"' in page
    # Without JavaScript the page reloads itself, and a plain link does it at once.
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    assert "Uppdatera nu" in page
    # htmx polls with what it shows: nothing new is a 204 (no swap), a change the new state.
    same = client.get(url(meeting), {"seen": "building-2-4"}, headers={"HX-Request": "true"})
    assert same.status_code == 204
    celery_app.backend.store_result(task, {"done": 3, "total": 4}, "PROGRESS")
    changed = client.get(url(meeting), {"seen": "building-2-4"}, headers={"HX-Request": "true"})
    assert changed.status_code == 200
    assert 'value="3"' in changed.content.decode()
    assert 'hx-trigger="every 1s"' in changed.content.decode()


# --- the key ------------------------------------------------------------------------------


def test_the_key_changes_with_a_new_version_and_the_language_only(association, people, meeting):
    member = people["member"]
    first = key_now(meeting, member)
    assert key_now(meeting, member) == first
    assert key_now(meeting, people["personal"]) == first  # the same visibility
    assert key_now(meeting, member, language="en") != first
    link = the_pdf_document(meeting)
    with tenant_scope(association):
        new = upload("underlag-2.pdf", text_pdf(association, "Hyran sänks"))
        add_version(document=link.document, actor=None, upload=new)
    assert key_now(meeting, member) != first


def test_a_built_package_is_reused_without_a_new_task(client, people, meeting):
    member = people["member"]
    outcome = build_here(meeting, member)
    name = package.storage_name(meeting.association_id, meeting.pk, outcome["key"])
    built = default_storage.get_modified_time(name)
    client.force_login(people["personal"])
    client.post(url(meeting))
    assert noted(meeting, people["personal"]) == {
        **noted(meeting, people["personal"]),
        "task": "",
        "key": outcome["key"],
    }
    assert default_storage.get_modified_time(name) == built
    assert "Möteshandlingarna är klara." in client.get(url(meeting)).content.decode()


def test_the_page_says_when_a_finished_package_is_out_of_date(client, association, people, meeting):
    member = people["member"]
    build_here(meeting, member)
    client.force_login(member)
    page = client.get(url(meeting)).content.decode()
    assert "Möteshandlingarna är klara." in page and "Byggdes " in page
    assert "har ändrats sedan" not in page
    link = the_pdf_document(meeting)
    with tenant_scope(association):
        new = upload("underlag-2.pdf", text_pdf(association, "Hyran sänks"))
        add_version(document=link.document, actor=None, upload=new)
    page = client.get(url(meeting)).content.decode()
    assert "Dagordningen eller dess handlingar har ändrats sedan" in page
    assert "Bygg dem igen med ändringarna" in page
    # The old package can still be downloaded until the new one is asked for.
    assert client.get(url(meeting, "package_download")).status_code == 200


def test_a_request_lost_on_the_way_can_be_tried_again(client, people, meeting):
    """A task that never ran (the broker lost it) is not waited for longer than the limit."""
    from django.core.cache import cache

    member = people["member"]
    client.force_login(member)
    ids = {"association_id": meeting.association_id, "meeting_id": meeting.pk,
           "user_id": member.pk}  # fmt: skip
    package.remember(**ids, task="lost-" + os.urandom(8).hex())
    assert package.status(**ids).state == package.WAITING
    noted_now = package.note(**ids)
    late = noted_now["asked"] - package.PACKAGE_WAIT_LIMIT.total_seconds() - 1
    cache.set(package._note_key(*ids.values()), {**noted_now, "asked": late})
    assert package.status(**ids).state == package.FAILED
    page = client.get(url(meeting)).content.decode()
    assert "Möteshandlingarna kunde inte byggas." in page and "Försök igen" in page
