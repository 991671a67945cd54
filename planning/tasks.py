from celery import shared_task


@shared_task(bind=True, acks_late=True)
def build_planning_pdf(self, association_id: int, kind: str, pk: int, language: str) -> dict:
    """Make the PDF of a plan or a follow-up report as it is now and store it
    (``planning/pdfs.py``). Progress goes to the result backend as ``PROGRESS {"done": n,
    "total": m}``; the PDF goes to the storage. Safe to run twice: a stored file of the same
    key is kept."""
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
        name = pdfs.storage_name(association_id, kind, pk, key)

        def report(done: int, total: int) -> None:
            self.update_state(state="PROGRESS", meta={"done": done, "total": total})

        pdf = pdfs.render_document(kind, obj, language, progress=report)
        pdfs.store(name, pdf)
        report(pdfs.STEPS, pdfs.STEPS)
    return {"status": "ready", "key": key}
