"""Generated files: a PDF made by a Celery task while a page shows its progress, stored
through the storage API under a key that names what it holds, and reused while that key
is current. The meeting package (``governance/meetings/package.py``) and the planning PDFs
(``planning/pdfs.py``) both run on this; an app declares a ``Kind`` and supplies what only
it knows: the key (a hash of everything the bytes depend on), the task that loads its
objects in the tenant scope, and the rendering.

The pieces:

- ``Kind(folder=, keep=)``: files live under ``<folder>/<association id>/<place>/<key>.pdf``
  (``storage_name``), never under a public URL; views serve them after checking
  permission. With ``keep`` a file is reused for that long and then removed by the
  hourly ``sweep`` (``association.tasks.remove_old_generated_files``); without it a file
  is served until its key changes (the planning PDFs: the key holds the version).
- A note in the cache per association and *subject* (the meeting package: meeting and
  user, so only who asked may download; a planning PDF: the document and language)
  names the task making the file and the key it was asked for (``remember``, ``note``).
- ``status``: where the subject's file stands (``NONE``, ``WAITING``, ``BUILDING`` with
  ``done``/``total``, ``READY``, ``FAILED``, ``REFUSED``), read from the storage, the note
  and the Celery result backend, which holds only progress and the key.
- ``request``: reuse a usable file, follow a task already under way, or queue the task
  after the commit with a task id noted first, so the page can follow it at once.
- ``produce``: the task's side: report ``PROGRESS {"done": n, "total": m}`` through
  ``update_state``, render unless the file is there, store it.
- ``PdfJobViewMixin``: GET shows the progress page (htmx polls with what it shows and
  gets a 204 while nothing changed; without JavaScript the page reloads itself), POST
  starts the job, and ``pdf_file_response`` serves the finished file. The progress partial
  is ``templates/pdfjobs/_status.html``; an app's partial extends it with its wording.
"""

import datetime
import posixpath
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

# The states ``status`` reports.
NONE, WAITING, BUILDING, READY, FAILED, REFUSED = (
    "none",
    "waiting",
    "building",
    "ready",
    "failed",
    "refused",
)
IN_FLIGHT = {WAITING, BUILDING}
# A request not finished after this long counts as lost (a broker restart, a killed
# worker): the page then offers to try again instead of waiting for ever.
WAIT_LIMIT = datetime.timedelta(minutes=15)

# Every kind declared, by folder, for the sweep.
KINDS: dict[str, "Kind"] = {}


@dataclass(frozen=True)
class Status:
    state: str
    done: int = 0
    total: int = 0
    key: str = ""
    built: datetime.datetime | None = None

    @property
    def in_flight(self) -> bool:
        return self.state in IN_FLIGHT

    @property
    def token(self) -> str:
        """Changes whenever what the progress page shows changes."""
        return f"{self.state}-{self.done}-{self.total}"


@dataclass(frozen=True)
class Kind:
    """One kind of generated file. ``folder`` is its top folder in the storage and its
    name in the notes; ``keep`` how long a file is reused and kept (None: until its key
    changes)."""

    folder: str
    keep: datetime.timedelta | None = None
    wait_limit: datetime.timedelta = WAIT_LIMIT

    def __post_init__(self):
        KINDS[self.folder] = self

    # --- the stored file -------------------------------------------------------------

    def storage_name(self, association_id: int, place: str, key: str) -> str:
        """``place`` names the object within the association (made by the app from ids)."""
        return f"{self.folder}/{int(association_id)}/{place}/{key}.pdf"

    def built_at(self, name: str) -> datetime.datetime | None:
        """When the stored file was written, or None if there is none."""
        try:
            return default_storage.get_modified_time(name)
        except OSError:
            return None

    def is_current(self, built: datetime.datetime | None) -> bool:
        if built is None:
            return False
        return self.keep is None or timezone.now() - built < self.keep

    def usable(self, name: str) -> bool:
        """The file exists and is young enough to be served and reused."""
        return self.is_current(self.built_at(name))

    def store(self, name: str, pdf: bytes) -> None:
        """Save the file under ``name``. A stale file of the same name goes first; if
        another run of the same key saved it meanwhile, that one is kept (the same key is
        the same bytes)."""
        if self.usable(name):
            return
        if default_storage.exists(name):
            default_storage.delete(name)
        saved = default_storage.save(name, ContentFile(pdf))
        if saved != name:
            default_storage.delete(saved)

    def open(self, name: str):
        """The stored file opened for reading, or None (also when it is past ``keep``)."""
        if self.keep is not None and not self.usable(name):
            return None
        try:
            return default_storage.open(name, "rb")
        except OSError:
            return None

    # --- notes -----------------------------------------------------------------------

    def note_key(self, association_id: int, subject: tuple) -> str:
        return ":".join(["pdfjobs", self.folder, str(int(association_id)), *map(str, subject)])

    def remember(self, association_id: int, subject: tuple, *, task: str = "", key: str = ""):
        """Note the subject's latest request: the task making the file (if any) and the
        key it was asked for."""
        timeout = self.keep or self.wait_limit * 4
        cache.set(
            self.note_key(association_id, subject),
            {"task": task, "key": key, "asked": timezone.now().timestamp()},
            timeout=int(timeout.total_seconds()),
        )

    def note(self, association_id: int, subject: tuple) -> dict | None:
        return cache.get(self.note_key(association_id, subject))

    # --- following -------------------------------------------------------------------

    def status(self, *, association_id: int, subject: tuple, place: str, key: str = "") -> Status:
        """Where the subject's file stands. With ``key`` (the current one), a usable file
        of that key is ready whoever asked, and a note about another key is ignored;
        without it, the subject's latest request is followed to the key its task made."""
        if key:
            built = self.built_at(self.storage_name(association_id, place, key))
            if self.is_current(built):
                return Status(READY, key=key, built=built)
        noted = self.note(association_id, subject)
        if not noted or (key and noted.get("key") != key):
            return Status(NONE, key=key)
        found, finished = str(noted.get("key", "")), False
        if noted.get("task"):
            from celery.result import AsyncResult

            result = AsyncResult(noted["task"])
            state = result.state
            if state in {"FAILURE", "REVOKED"}:
                return Status(FAILED, key=key)
            if state != "SUCCESS":
                waited = timezone.now().timestamp() - float(noted.get("asked", 0))
                if waited > self.wait_limit.total_seconds():
                    return Status(FAILED, key=key)  # lost on the way
                if state == "PROGRESS":
                    info = result.info if isinstance(result.info, dict) else {}
                    done, total = int(info.get("done", 0)), int(info.get("total", 0))
                    return Status(BUILDING, done=done, total=total, key=key)
                return Status(WAITING, key=key)  # PENDING, RECEIVED, STARTED, RETRY
            outcome = result.result if isinstance(result.result, dict) else {}
            if outcome.get("status") == REFUSED:
                return Status(REFUSED, key=key)
            found, finished = str(outcome.get("key", "")), True
        if found:
            built = self.built_at(self.storage_name(association_id, place, found))
            if self.is_current(built):
                return Status(READY, key=found, built=built)
        # Asked for the current key, the task finished, yet there is no file: removed or
        # never stored. Without a key, an expired file simply means there is none now.
        return Status(FAILED if finished and key else NONE, key=key)

    def request(
        self, *, association_id: int, subject: tuple, place: str, key: str, task, args: list
    ) -> Status:
        """Ask for the file of ``key``: a usable one is reused (and noted as the subject's),
        a run of the same key already under way is followed, else ``task`` is queued with
        ``args`` after the commit."""
        name = self.storage_name(association_id, place, key)
        built = self.built_at(name)
        if self.is_current(built):
            self.remember(association_id, subject, key=key)
            return Status(READY, key=key, built=built)
        current = self.status(association_id=association_id, subject=subject, place=place, key=key)
        if current.in_flight:
            return current
        task_id = uuid.uuid4().hex
        self.remember(association_id, subject, task=task_id, key=key)
        transaction.on_commit(lambda: task.apply_async(args=args, task_id=task_id))
        return Status(WAITING, key=key)


# --- the task's side ------------------------------------------------------------------


def produce(task, *, kind: Kind, name: str, key: str, render: Callable) -> dict:
    """Run inside a bound Celery task that has loaded its objects in the tenant scope:
    unless a usable file is stored under ``name``, call ``render(progress)`` (which calls
    ``progress(done, total)`` as it goes and returns the bytes) and store what it returns.
    The last report says everything is done. Safe to run twice."""
    last = {"done": 0, "total": 0}

    def progress(done: int, total: int) -> None:
        last.update(done=done, total=total)
        task.update_state(state="PROGRESS", meta={"done": done, "total": total})

    if not kind.usable(name):
        kind.store(name, render(progress))
        if last["total"] and last["done"] != last["total"]:
            progress(last["total"], last["total"])
    return {"status": READY, "key": key}


def sweep(*, now: datetime.datetime | None = None) -> int:
    """Delete stored files older than their kind's ``keep`` (every association, every
    kind that has one); returns how many."""
    now = now or timezone.now()
    removed = 0
    for kind in list(KINDS.values()):
        if kind.keep is None:
            continue
        folders = [kind.folder]
        while folders:
            folder = folders.pop()
            try:
                subfolders, files = default_storage.listdir(folder)
            except OSError:
                continue
            folders.extend(posixpath.join(folder, name) for name in subfolders)
            for name in files:
                path = posixpath.join(folder, name)
                try:
                    old = now - default_storage.get_modified_time(path) >= kind.keep
                except OSError:
                    continue
                if old:
                    default_storage.delete(path)
                    removed += 1
    return removed


# --- views ----------------------------------------------------------------------------


def pdf_file_response(handle, *, filename: str, public: bool = False) -> FileResponse:
    """A stored file, already permitted, as an attachment."""
    from association.documents import content_disposition

    response = FileResponse(handle, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(filename)
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class PdfJobViewMixin:
    """Start (POST) and progress (GET, also the htmx poll) of a generated file, on a
    ``TemplateView`` whose page includes ``status_template``. A view supplies
    ``job_status()``, ``start_job()``, ``job_url()`` and the partial's context
    (``job_context(status)``: at least ``status``, ``page_url``, ``prefix`` for the element
    ids, and ``download_url``)."""

    status_template = ""

    def job_status(self) -> Status:
        raise NotImplementedError

    def start_job(self) -> None:
        raise NotImplementedError

    def job_url(self) -> str:
        raise NotImplementedError

    def job_context(self, status: Status) -> dict:
        return {"status": status, "page_url": self.job_url()}

    def page_context(self, status: Status) -> dict:
        """What the whole page adds to the partial's context."""
        return {}

    def get(self, request, *args, **kwargs):
        status = self.job_status()
        if request.htmx:
            if request.GET.get("seen") == status.token:
                return HttpResponse(status=204)  # nothing new: htmx keeps what it shows
            return render(request, self.status_template, self.job_context(status))
        return self.render_to_response(
            self.get_context_data(**self.job_context(status), **self.page_context(status))
        )

    def post(self, request, *args, **kwargs):
        self.start_job()
        return redirect(self.job_url())


def ready_file_or_404(kind: Kind, name: str):
    handle = kind.open(name)
    if handle is None:  # removed by the sweep, or never made
        raise Http404
    return handle
