#!/usr/bin/env python3
"""One command to set up and run Samverka on a machine that has only Python.

    python3 dev.py up      # install, migrate, load demo data, serve web + worker + beat
    python3 dev.py test    # install, then run the whole test suite
    python3 dev.py bench   # run the benchmarks under bench/ (--http: gunicorn + wrk)

Needs Python 3.12+ (if this interpreter is older, a newer one on the PATH or under pyenv
is used). Everything is installed into .venv from requirements.lock; PostgreSQL and Redis
start embedded under .local/ unless DATABASE_URL / REDIS_URL point elsewhere.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VENV_PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".requirements.sha256"
MINIMUM = (3, 12)


def say(message: str) -> None:
    print(f"\033[1m==> {message}\033[0m", flush=True)


def find_python() -> str:
    if sys.version_info >= MINIMUM:
        return sys.executable
    candidates = [shutil.which(name) for name in ("python3.13", "python3.12")]
    candidates += sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.1[2-9]*/bin/python")))
    for candidate in filter(None, candidates):
        try:
            out = subprocess.run(
                [candidate, "-c", "import sys; print(sys.version_info >= (3, 12))"],
                capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
        except (OSError, subprocess.CalledProcessError):
            continue
        if out.strip() == "True":
            return candidate
    sys.exit("Samverka needs Python 3.12 or newer; none was found.")


def ensure_venv() -> None:
    if not VENV_PYTHON.exists():
        say(f"Creating {VENV.name} with {find_python()}")
        subprocess.run([find_python(), "-m", "venv", str(VENV)], check=True)
    digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != digest:
        say("Installing the locked dependencies")
        pip = [str(VENV_PYTHON), "-m", "pip", "--disable-pip-version-check"]
        subprocess.run([*pip, "install", "--quiet", "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "install", "--quiet", "-r", str(LOCK)], check=True)
        STAMP.write_text(digest)


def in_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def manage(*args: str, env: dict | None = None) -> None:
    subprocess.run([str(VENV_PYTHON), "manage.py", *args], cwd=ROOT, check=True, env=env)


def compile_messages() -> None:
    """Compile .po to .mo with polib, so no GNU gettext is needed on the machine."""
    import polib

    for po_path in (ROOT / "locale").glob("*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))


def up() -> None:
    env = {**os.environ}
    env.setdefault("DEBUG", "1")
    env.setdefault("REQUIRE_MFA_FOR_STAFF", "0")
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    from config import embedded

    # This process owns the embedded services, so web, worker and beat share them and they
    # stop together when this command ends.
    (ROOT / ".local").mkdir(exist_ok=True)
    if "DATABASE_URL" not in env:
        embedded.database_url()
    if "REDIS_URL" not in env:
        embedded.ensure_redis(own=True)
    compile_messages()
    say("Migrating the database")
    manage("migrate", "--no-input", env=env)
    say("Loading the demo associations")
    manage("seed_demo", env=env)
    python = str(VENV_PYTHON)
    processes = {
        "web": [python, "manage.py", "runserver", "127.0.0.1:8000", "--noreload"],
        "worker": [python, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO",
                   "--pool=solo"],
        "beat": [python, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO"],
    }  # fmt: skip
    children = {name: subprocess.Popen(cmd, cwd=ROOT, env=env) for name, cmd in processes.items()}
    say("Samverka is serving on http://127.0.0.1:8000 (Ctrl-C stops everything)")
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    try:
        while not stopping:
            for name, child in children.items():
                if child.poll() is not None:
                    say(f"{name} exited with {child.returncode}; stopping")
                    stopping = True
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for child in children.values():
            if child.poll() is None:
                # SIGINT lets runserver and Celery exit normally, running their exit
                # handlers (which release the embedded PostgreSQL).
                child.send_signal(signal.SIGINT)
        for child in children.values():
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
        embedded.release_postgres()
        say("Stopped")


def test(args: list[str]) -> int:
    compile_messages()
    if not any(arg == "-n" or arg.startswith(("-n", "--numprocesses")) for arg in args):
        # Two pytest-xdist workers, each with its own test database, cache prefix, Celery
        # queue and browser: the suite waits on PostgreSQL, workers and Chromium often
        # enough that two processes on two cores finish it sooner. TEST_WORKERS=0 runs it
        # in this one process (``-n 0``), as does any -n given on the command line.
        args = ["-n", os.environ.get("TEST_WORKERS", "2"), "--dist", "worksteal", *args]
    return subprocess.run([str(VENV_PYTHON), "-m", "pytest", *args], cwd=ROOT).returncode


def bench(args: list[str]) -> int:
    # --http: the gunicorn + wrk side-by-side benchmark (bench/loadtest.py); else in-process.
    script = "bench/loadtest.py" if "--http" in args else "bench/run.py"
    args = [arg for arg in args if arg != "--http"]
    return subprocess.run([str(VENV_PYTHON), script, *args], cwd=ROOT).returncode


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else "up"
    if command not in {"up", "test", "bench"}:
        sys.exit(__doc__)
    ensure_venv()
    if not in_venv():
        # Re-run this script inside the project's own environment.
        os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), str(ROOT / "dev.py"), *sys.argv[1:]])  # noqa: S606
    os.chdir(ROOT)
    if command == "up":
        up()
    elif command == "test":
        sys.exit(test(sys.argv[2:]))
    else:
        sys.exit(bench(sys.argv[2:]))


if __name__ == "__main__":
    main()
