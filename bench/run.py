"""Benchmarks: response time and query count of the main pages, on the demo data.

    python3 dev.py bench [--requests N]

Runs against a throw-away database on the same embedded PostgreSQL (or DATABASE_URL's
server), never the one you work in. Results are printed and written to bench/results/.
"""

import argparse
import json
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Production-like rendering (cached templates, no debug toolbar of any kind); the testing
# flag only keeps static files served from the finders, so no collectstatic is needed.
os.environ.update(
    {
        "DEBUG": "0",
        "HTTPS": "0",
        "SAMVERKA_TESTING": "1",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
        "ALLOWED_HOSTS": "testserver",
        "REQUIRE_MFA_FOR_STAFF": "0",
        # The pages' own cost: queries and rendering, not the anonymous page cache (which
        # bench/loadtest.py measures side by side with a bare view).
        "PAGE_CACHE_SECONDS": "0",
    }
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

PAGES = [
    "/",
    "/norrbotten/",
    "/norrbotten/organ/",
    "/norrbotten/organ/styrelse/",
    "/norrbotten/medlemmar/",
    "/umearegionen/medlemmar/",
    # Every Swedish municipality a member: the page's size limit, not a real association.
    "/alla-290/medlemmar/",
]


def add_association_with_all_municipalities() -> None:
    from datetime import date
    from decimal import Decimal

    from association.models import Association
    from association.tenancy import scopes_disabled
    from members.models import FeeRule, Membership, Municipality, PopulationFigure

    association = Association.objects.create(slug="alla-290", name="Alla 290 kommuner")
    with scopes_disabled():
        covered = set(PopulationFigure.objects.values_list("municipality_id", "year"))
        figures = []
        for municipality in Municipality.objects.all():
            Membership.objects.create(
                association=association, municipality=municipality, joined_on=date(1993, 1, 1)
            )
            for year in range(2021, 2026):
                if (municipality.pk, year) not in covered:
                    figures.append(
                        PopulationFigure(
                            municipality=municipality, year=year, population=10_000, is_demo=True
                        )
                    )
        PopulationFigure.objects.bulk_create(figures)
        FeeRule.objects.create(
            association=association, name="Bench", first_year=2023, last_year=2026,
            basis="tax_base", rate=Decimal("0.34"), cap_per_mille=Decimal("0.34"),
            base_year_offset=-1, rounding="krona", pro_rata=True,
        )  # fmt: skip


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    # Its own database name, so it never collides with the test suite's reused one.
    connection.settings_dict["TEST"]["NAME"] = "samverka_bench"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        add_association_with_all_municipalities()
        from django.test import Client

        client = Client()
        rows = []
        for url in PAGES:
            client.get(url)  # warm caches and templates
            timings = []
            counter = QueryCounter()
            with connection.execute_wrapper(counter):
                client.get(url)
            for _ in range(args.requests):
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            # Memory in a separate request: tracing slows Python down several times over.
            tracemalloc.start()
            client.get(url)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            rows.append(
                {
                    "url": url,
                    "status": response.status_code,
                    "queries": counter.count,
                    "median_ms": round(statistics.median(timings), 2),
                    "p95_ms": round(sorted(timings)[int(len(timings) * 0.95) - 1], 2),
                    "peak_kib": round(peak / 1024, 1),
                }
            )
        header = ("page", "status", "queries", "median ms", "p95 ms", "peak KiB")
        print("{:32} {:>6} {:>7} {:>10} {:>8} {:>9}".format(*header))
        for row in rows:
            print(
                f"{row['url']:32} {row['status']:>6} {row['queries']:>7} "
                f"{row['median_ms']:>10} {row['p95_ms']:>8} {row['peak_kib']:>9}"
            )
        out = ROOT / "bench" / "results"
        out.mkdir(exist_ok=True)
        (out / "pages.json").write_text(json.dumps(rows, indent=2))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
