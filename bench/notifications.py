"""Benchmark: a real Celery worker delivering 1 000 and 10 000 notifications to a local
SMTP server.

    .venv/bin/python bench/notifications.py

On a throw-away database (as ``bench/run.py``), makes a board meeting and N meeting-notice
notifications with their e-mail deliveries (the iCalendar invitation included), starts a
worker process (solo pool, as in production one process per core) that mails to an
aiosmtpd server in this process, queues the deliveries in batches of
``NOTIFICATIONS_BATCH_SIZE`` (100) and times until every delivery is marked sent. The
worker's peak memory is its resident set's high-water mark (``VmHWM``). Prints one line
per size and writes ``bench/results/notifications.json``.
"""

import json
import os
import socket
import subprocess
import sys
import time
import uuid
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

SIZES = (1_000, 10_000)


class Counting:
    """An SMTP handler that counts and drops (the bench measures our side)."""

    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 Message accepted"


def _database_url() -> str:
    s = connection.settings_dict
    host = s["HOST"]
    if host.startswith("/"):
        return f"postgresql://{s['USER']}:{s['PASSWORD']}@/{s['NAME']}?host={host}"
    return f"postgresql://{s['USER']}:{s['PASSWORD']}@{host}:{s['PORT'] or 5432}/{s['NAME']}"


def _peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _make(association, meeting, size: int) -> list[int]:
    from association.notifications.models import Delivery, Notification
    from association.tenancy import tenant_scope

    with tenant_scope(association):
        key = f"meeting:{meeting.pk}:notice:{uuid.uuid4().hex[:6]}"
        rows = [
            Notification(
                association=association, kind="meetings.notice", occasion_key=key,
                recipient_key=f"e:bench{n}@example.org", email=f"bench{n}@example.org",
                language="sv", subject=f"Kallelse: Styrelsen ({n})",
                body="Du kallas till sammanträde med Styrelsen.\n" * 20,
                data={"meeting": meeting.pk, "occasion": "notice"},
            )
            for n in range(size)
        ]  # fmt: skip
        Notification.objects.bulk_create(rows, batch_size=2000)
        ids = Notification.objects.filter(occasion_key=key).values_list("pk", flat=True)
        Delivery.objects.bulk_create(
            [Delivery(association=association, notification_id=pk, channel="email") for pk in ids],
            batch_size=2000,
        )
        return list(
            Delivery.objects.filter(notification__occasion_key=key)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def _run(association, meeting, size: int, handler) -> dict:
    from django.conf import settings

    from association.notifications.models import Delivery, Status
    from association.notifications.services import batch_size
    from association.notifications.tasks import deliver_batch
    from association.tenancy import scopes_disabled
    from config.celery import app

    ids = _make(association, meeting, size)
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    app.conf.task_default_queue = queue
    env = {
        **os.environ, "DATABASE_URL": _database_url(), "REDIS_URL": settings.REDIS_URL,
        "CELERY_QUEUE": queue, "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(handler.port),
    }  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
         "--loglevel=WARNING", "-Q", queue, "--without-heartbeat", "--without-gossip",
         "--without-mingle", "-n", f"{queue}@%h"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        while not app.control.ping(destination=[f"{queue}@{socket.gethostname()}"], timeout=0.5):
            if worker.poll() is not None:
                raise RuntimeError("the worker exited at start")
        before = handler.count
        began = time.perf_counter()
        size_of_batch = batch_size()
        for start in range(0, len(ids), size_of_batch):
            deliver_batch.delay(association.pk, ids[start : start + size_of_batch])
        # The server's own count first (free to read), then the log must agree.
        while handler.count - before < len(ids):
            time.sleep(0.05)
        with scopes_disabled():
            while Delivery.objects.filter(pk__in=ids, status=Status.SENT).count() < len(ids):
                time.sleep(0.05)
        seconds = time.perf_counter() - began
        peak = _peak_kib(worker.pid)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    return {
        "notifications": size,
        "seconds": round(seconds, 1),
        "per_second": round(size / seconds),
        "worker_peak_mib": round(peak / 1024, 1),
        "received": handler.count - before,
    }


def main() -> None:
    import logging

    from aiosmtpd.controller import Controller

    # aiosmtpd logs every SMTP command at INFO: that would measure the log, not the worker.
    logging.getLogger("mail.log").setLevel(logging.WARNING)

    from tests import factories

    connection.settings_dict.setdefault("TEST", {})["NAME"] = "bench_notifications"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Counting()
    handler.port = port
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        association = factories.make_association("bench-aviseringar")
        board = factories.make_body(association, "styrelse")
        meeting = factories.make_meeting(board, items=5)
        results = []
        for size in SIZES:
            result = _run(association, meeting, size, handler)
            print(json.dumps(result))
            results.append(result)
        out = ROOT / "bench" / "results"
        out.mkdir(exist_ok=True)
        (out / "notifications.json").write_text(json.dumps(results, indent=2) + "\n")
    finally:
        controller.stop()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
