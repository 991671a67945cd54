"""Benchmark: the plan PDF (planning/pdfs.py) for plans of about 10, 50 and 200 pages.

    .venv/bin/python bench/planning_pdf.py

Builds, on a throw-away database (as ``bench/meeting_package.py``), a direction with goal
areas and goals and a plan with as many activities (each with a short description and a
responsible body) as fill the wanted number of pages, then times
``planning.pdfs.render_document`` as the worker's task (``planning.tasks.build_planning_pdf``)
calls it, progress reports included, and measures its peak Python memory (tracemalloc).
Prints one line per size and writes ``bench/results/planning_pdf.json``.
"""

import io
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

# Activities per plan: about six fit a page with their description, goal headings and table
# headers.
SIZES = {10: 42, 50: 355, 200: 1500}
if os.environ.get("BENCH_SIZES"):
    SIZES = {
        int(pages): int(activities)
        for pages, activities in (pair.split(":") for pair in os.environ["BENCH_SIZES"].split(","))
    }
GOALS_PER_AREA = 4
ACTIVITIES_PER_GOAL = 25


def build_plan(association, board, activities: int, year: int):
    from planning import services

    direction = services.create_direction(
        association=association, actor=None, title=f"Inriktning {year}", first_year=year,
        last_year=year, vision="Starka kommuner i samverkan.", mission="Vi samordnar.",
    )  # fmt: skip
    for number, primary in ((3, True), (4, True), (11, True), (5, False)):
        services.link_sdg(direction=direction, actor=None, number=number, is_primary=primary)
    plan = services.create_plan(direction=direction, actor=None, year=year)
    goals_needed = max(1, activities // ACTIVITIES_PER_GOAL)
    goals = []
    for area_number in range(max(1, goals_needed // GOALS_PER_AREA)):
        area = services.add_goal_area(direction=direction, actor=None,
                                      title=f"Målområde {area_number + 1}")  # fmt: skip
        for goal_number in range(GOALS_PER_AREA):
            goals.append(services.add_goal(
                direction=direction, actor=None, area=area,
                text=f"Vi verkar för mål {area_number + 1}.{goal_number + 1} i hela länet.",
            ))  # fmt: skip
    from planning.models import Activity

    Activity.objects.bulk_create(
        Activity(
            association=association,
            plan=plan,
            goal=goals[n % len(goals)],
            position=n,
            title=f"Aktivitet {n + 1}: samordna nätverket och följa upp arbetet",
            description="Ett kortare stycke om vad som görs, med vem och när. " * 2,
            responsible_body=board,
        )
        for n in range(activities)
    )
    return plan


def main() -> None:
    import logging

    from pypdf import PdfReader

    # WeasyPrint logs every page it lays out at INFO; the worker's settings keep that off.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)

    from association.tenancy import tenant_scope
    from planning import pdfs
    from planning.models import Plan
    from tests import factories

    connection.settings_dict.setdefault("TEST", {})["NAME"] = "bench_planning_pdf"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    results = []
    try:
        association = factories.make_association("bench-planering", name="Bench förbund")
        board = factories.make_body(association, "styrelse")
        with tenant_scope(association):
            for index, (wanted, activities) in enumerate(SIZES.items()):
                plan = build_plan(association, board, activities, 2030 + index)
                plan = Plan.objects.select_related("association", "direction").get(pk=plan.pk)
                reports = []
                tracemalloc.start()
                began = time.perf_counter()
                pdf = pdfs.render_document(
                    "plan", plan, "sv", progress=lambda done, total, seen=reports: seen.append(done)
                )
                seconds = time.perf_counter() - began
                _current, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                pages = len(PdfReader(io.BytesIO(pdf)).pages)
                result = {
                    "wanted_pages": wanted, "pages": pages, "activities": activities,
                    "seconds": round(seconds, 2),
                    "seconds_per_page": round(seconds / pages, 3),
                    "peak_mib": round(peak / 2**20, 1), "pdf_kib": len(pdf) // 1024,
                    "progress_reports": len(reports),
                }  # fmt: skip
                print(json.dumps(result), flush=True)
                results.append(result)
        out = ROOT / "bench" / "results"
        out.mkdir(exist_ok=True)
        (out / "planning_pdf.json").write_text(json.dumps(results, indent=2) + "\n")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
