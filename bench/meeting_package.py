"""Benchmark: the meeting package PDF of a meeting with 40 items and 60 documents.

    .venv/bin/python bench/meeting_package.py

Builds, on a throw-away database (as ``bench/run.py``), a board meeting with 40 agenda items
and 60 attached PDFs of 1–3 pages each (rendered with the letterhead), then times
``governance.meetings.package.build_package`` as the worker's task
(``governance.meetings.tasks.build_meeting_package``) calls it, progress reports included,
and measures its peak Python memory (tracemalloc). The task adds only the permission check,
the key and one write to the storage around it. Prints one line and writes
``bench/results/meeting_package.json``.
"""

import json
import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.update(
    {
        "DEBUG": "0",
        "HTTPS": "0",
        "SAMVERKA_TESTING": "1",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
        "ALLOWED_HOSTS": "testserver",
        "REQUIRE_MFA_FOR_STAFF": "0",
    }
)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

ITEMS, DOCUMENTS = 40, 60


def main() -> None:
    import datetime
    from zoneinfo import ZoneInfo

    from django.core.files.base import ContentFile

    from association.pdf import render_pdf
    from association.tenancy import tenant_scope
    from governance.meetings import package, queries, services
    from tests import factories

    # Its own throw-away database, so it can run beside the test suite.
    connection.settings_dict.setdefault("TEST", {})["NAME"] = "bench_meeting_package"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        association = factories.make_association("bench-moten")
        board = factories.make_body(association, "styrelse")
        with tenant_scope(association):
            start = datetime.datetime(2030, 2, 1, 10, tzinfo=ZoneInfo("Europe/Stockholm"))
            meeting = services.create_meeting(
                body=board, actor=None, starts_at=start, ends_at=start + datetime.timedelta(hours=3)
            )
            items = [
                services.add_item(
                    meeting=meeting,
                    actor=None,
                    title=f"Ärende {n + 1}",
                    description="Beskrivning " * 40,
                )
                for n in range(ITEMS)
            ]
            pages = ["<p>" + "Text i handlingen. " * 150 + "</p>"] * 3
            for number in range(DOCUMENTS):
                content = render_pdf(
                    association=association,
                    template_name="meetings/pdf/demo_document.html",
                    context={"text": f"Handling {number + 1} " + " ".join(pages[: 1 + number % 3])},
                    title=f"Handling {number + 1}",
                )
                services.attach_document(
                    item=items[number % ITEMS],
                    actor=None,
                    upload=ContentFile(content, name=f"h{number}.pdf"),
                )
            agenda = queries.agenda(meeting)
            tracemalloc.start()
            began = time.perf_counter()
            reports = []
            pdf = package.build_package(
                meeting=meeting,
                items=agenda,
                may_see_document=lambda link: True,
                progress=lambda done, total: reports.append((done, total)),
            )
            seconds = time.perf_counter() - began
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        result = {
            "items": ITEMS,
            "documents": DOCUMENTS,
            "seconds": round(seconds, 2),
            "peak_mib": round(peak / 2**20, 1),
            "pdf_kib": len(pdf) // 1024,
            "progress_reports": len(reports),
        }
        print(json.dumps(result))
        out = ROOT / "bench" / "results"
        out.mkdir(exist_ok=True)
        (out / "meeting_package.json").write_text(json.dumps(result, indent=2) + "\n")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
