from datetime import timedelta

from celery import shared_task


@shared_task(bind=True, acks_late=True)
def build_planning_pdf(self, association_id: int, kind: str, pk: int, language: str) -> dict:
    """Make the PDF of a plan or a follow-up report as it is now and store it
    (``planning/pdfs.py``; the running, progress and storing are
    ``association.pdfjobs.produce``). Progress goes to the result backend as ``PROGRESS
    {"done": n, "total": m}``; the PDF goes to the storage. Safe to run twice: a stored
    file of the same key is kept."""
    from association import pdfjobs
    from association.models import Association
    from association.tenancy import tenant_scope
    from planning import pdfs, queries

    association = Association.objects.filter(pk=association_id).first()
    if association is None or kind not in pdfs.KINDS:
        return {"status": "gone"}
    with tenant_scope(association):
        found = (queries.plans if kind == "plan" else queries.reports)(association)
        obj = found.filter(pk=pk).first()
        if obj is None:
            return {"status": "gone"}
        key = pdfs.document_key(kind, obj, language)
        return pdfjobs.produce(
            self,
            kind=pdfs.PLANNING_PDFS,
            name=pdfs.storage_name(association_id, kind, pk, key),
            key=key,
            render=lambda progress: pdfs.render_document(kind, obj, language, progress=progress),
        )


@shared_task(acks_late=True)
def make_public_pdfs(association_id: int, kind: str, pk: int) -> int:
    """Sent on commit when a plan or report is published: ask for its PDFs in every
    language (``pdfs.make_public_pdfs``), so that a visitor finds them made. Returns how
    many were queued or already there."""
    from association.models import Association
    from planning import pdfs

    association = Association.objects.filter(pk=association_id).first()
    if association is None or kind not in pdfs.KINDS:
        return 0
    return pdfs.make_public_pdfs(kind, association, pk)


# An outcome file left at the preview step this long is taken as abandoned (as the
# members' figure imports: members.tasks.STALE_IMPORT_AGE).
STALE_IMPORT_AGE = timedelta(days=2)


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def discard_stale_outcome_imports() -> dict:
    """Every association's outcome imports nobody confirmed, each in its own scope."""
    from association.tenancy import in_each_association
    from planning.services import discard_stale_outcome_imports as discard

    return in_each_association(discard, older_than=STALE_IMPORT_AGE)
