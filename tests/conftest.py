import logging
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests import factories

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _fail_on_logged_errors(caplog):
    """A test that makes the code log an ERROR fails, even if its assertions pass."""
    yield
    errors = [r for r in caplog.get_records("call") if r.levelno >= logging.ERROR]
    if errors:
        pytest.fail("Logged errors: " + "; ".join(r.getMessage() for r in errors))


DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def _national_register(request):
    """The shared municipal register comes from a data migration; a transactional test
    flushes every table when it ends, so later tests get it back from the same CSV files."""
    uses_db = request.node.get_closest_marker("django_db") or (
        DB_FIXTURES & set(request.fixturenames)
    )
    if not uses_db:
        return
    marker = request.node.get_closest_marker("django_db")
    transactional = (
        "transactional_db" in request.fixturenames
        or "live_server" in (request.fixturenames)
        or (marker is not None and marker.kwargs.get("transaction"))
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    from members.models import County, Municipality
    from members.register import load_register

    if Municipality.objects.count() != 290:
        load_register(County, Municipality)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and other cache state must not leak between tests."""
    from django.core.cache import cache

    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=500))
    if keys:
        client.delete(*keys)
    from django.core.cache import caches

    caches["fragments"].clear()  # each worker's own memory (association/pagecache.py)
    yield


@pytest.fixture
def association(db):
    return factories.make_association("norrbotten", name="Norrbottens Kommuner")


@pytest.fixture
def other_association(db):
    return factories.make_association("annat", name="Annat förbund")


@pytest.fixture
def login(client):
    """Log a user in (bypassing the login form, which has its own tests)."""

    def _login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


def database_url_for_test_db() -> str:
    from django.db import connection

    s = connection.settings_dict
    host = s["HOST"]
    if host.startswith("/"):
        return f"postgresql://{s['USER']}:{s['PASSWORD']}@/{s['NAME']}?host={host}"
    return f"postgresql://{s['USER']}:{s['PASSWORD']}@{host}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker):
    """A real Celery worker process on the real broker, using the test database.

    Tests that use it need ``transactional_db`` so the worker sees committed rows.
    """
    from django.conf import settings

    from config.celery import app

    queue = f"test-{uuid.uuid4().hex[:8]}"
    with django_db_blocker.unblock():
        env = {
            **os.environ,
            "DATABASE_URL": database_url_for_test_db(),
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_QUEUE": queue,
            "SAMVERKA_TESTING": "1",
        }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
         "--loglevel=WARNING", "-Q", queue, "--without-heartbeat", "--without-gossip",
         "--without-mingle"],
        cwd=BASE_DIR, env=env,
    )  # fmt: skip
    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=0.5) or []
        if replies:
            break
        if process.poll() is not None:
            raise RuntimeError("The Celery worker exited at start")
    else:
        process.terminate()
        raise RuntimeError("The Celery worker did not answer within 60 s")
    yield app
    app.conf.task_default_queue = previous_queue
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


class _Collector:
    """Keeps each accepted message, and in ``connections`` the client's (address, port) it
    came over: one entry per message, so messages that share one are one SMTP connection."""

    def __init__(self):
        self.messages = []
        self.connections = []

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes
        from email.policy import default

        self.messages.append(message_from_bytes(envelope.content, policy=default))
        self.connections.append(session.peer)
        return "250 Message accepted"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback; Django sends to it over the wire."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    collector = _Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 10},
        }
    }
    yield collector
    controller.stop()


def pytest_sessionfinish(session, exitstatus):
    # A test run that had to start the embedded Redis stops it again; PostgreSQL stops
    # itself when its last user process exits.
    if hasattr(session.config, "workerinput"):
        return
    from config import embedded

    embedded.stop_redis_if_started_here()
    embedded.release_postgres()


# --- notifications (association/notifications) ----------------------------------------------


@pytest.fixture
def eager_tasks():
    """Celery tasks run in the test's own process when queued (the real task code, no
    worker): for tests of what a task does rather than of the worker around it."""
    from config.celery import app

    before = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = before


class ControlledCollector(_Collector):
    """An SMTP server's handler the test steers: ``refuse`` answers the next so many
    messages with 451 (try again later); ``delay`` holds each RCPT so long, and
    ``waiting`` is set while it does (a worker can be killed mid-message, before the
    message was accepted)."""

    def __init__(self):
        import threading

        super().__init__()
        self.refuse = 0
        self.refused = 0
        self.delay = 0.0
        self.waiting = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        import asyncio

        if self.delay:
            self.waiting.set()
            await asyncio.sleep(self.delay)
            self.waiting.clear()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse > 0:
            self.refuse -= 1
            self.refused += 1
            return "451 4.3.0 Try again later"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def controlled_smtp():
    """A real SMTP server on loopback with a ``ControlledCollector``; ``.port`` is its port
    (for a worker process, which reads its mail settings from the environment)."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    collector = ControlledCollector()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    collector.port = port
    yield collector
    controller.stop()


class WorkerProcess:
    """A Celery worker process on its own queue that a test may kill (SIGKILL) and start
    again. Mail goes to ``smtp_port``; a killed worker's unacknowledged message comes back
    after ``visibility`` seconds (the Redis transport's visibility timeout)."""

    def __init__(self, app, env, queue):
        self.app, self.env, self.queue, self.process = app, env, queue, None

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
             "--loglevel=WARNING", "-Q", self.queue, "--without-heartbeat",
             "--without-gossip", "--without-mingle", "-n", f"{self.queue}@%h"],
            cwd=BASE_DIR, env=self.env,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            replies = self.app.control.ping(destination=[f"{self.queue}@{_host()}"], timeout=0.5)
            if replies:
                return
            if self.process.poll() is not None:
                raise RuntimeError("The Celery worker exited at start")
        self.stop()
        raise RuntimeError("The Celery worker did not answer within 60 s")

    def kill(self):
        import signal

        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=20)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def _host() -> str:
    import socket

    return socket.gethostname()


@pytest.fixture
def notification_worker(django_db_setup, django_db_blocker, controlled_smtp):
    """Start a worker (``notification_worker(batch_size=..., visibility=...)``) that mails
    to ``controlled_smtp``; stopped when the test ends. Use with ``transactional_db``."""
    from django.conf import settings

    from config.celery import app

    queue = f"test-n-{uuid.uuid4().hex[:8]}"
    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    workers = []

    def start(*, batch_size: int = 100, visibility: int = 3600) -> WorkerProcess:
        with django_db_blocker.unblock():
            env = {
                **os.environ,
                "DATABASE_URL": database_url_for_test_db(),
                "REDIS_URL": settings.REDIS_URL,
                "CELERY_QUEUE": queue,
                "SAMVERKA_TESTING": "1",
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(controlled_smtp.port),
                "NOTIFICATIONS_BATCH_SIZE": str(batch_size),
                "CELERY_VISIBILITY_TIMEOUT": str(visibility),
                "CELERY_UNACKED_RESTORE_INTERVAL": "1",
            }
        worker = WorkerProcess(app, env, queue)
        worker.start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
    app.conf.task_default_queue = previous_queue
