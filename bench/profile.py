"""Where a gunicorn worker spends its time on each kind of page, sampled with py-spy.

    pip install py-spy    # not a project dependency; py-spy samples a running process
    .venv/bin/python bench/profile.py

On the same throw-away data as ``bench/loadtest.py`` it starts the project with production
settings under gunicorn with one sync worker (page cache on, and a second server with it
off), loads each page with wrk for a few seconds on 127.0.0.1 while py-spy samples the
worker, and sorts every sample by the innermost part of the stack it is in: template
rendering, the ORM, database or Redis round trips, gunicorn's own HTTP work, or the rest
of Django. Writes ``bench/results/profile.md``.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import loadtest

CASES = [
    ("on", "/norrbotten/", False),
    ("on", "/alla-290/medlemmar/", False),
    ("off", "/norrbotten/", False),
    ("off", "/norrbotten/medlemmar/", False),
    ("off", "/alla-290/medlemmar/", False),
    ("on", "/norrbotten/", True),
    ("on", "/norrbotten/medlemmar/", True),
    ("on", "/norrbotten/medlemmar/avgifter/", True),
]

# The innermost matching frame decides where a sample belongs.
PARTS = [
    (re.compile(r"\((?:psycopg|psycopg_binary)/"), "database round trips (psycopg)"),
    (re.compile(r"\(redis/"), "Redis round trips"),
    (re.compile(r"\(django/db/"), "ORM (building queries and models)"),
    (re.compile(r"\(django/(?:template|templatetags)/"), "template rendering"),
    # The cache's own functions, not its middleware frame, which every request passes.
    (
        re.compile(r"^(?!AnonymousPageCacheMiddleware\.__call__ )\S+ \(association/pagecache\.py"),
        "the page cache's own work",
    ),
    (re.compile(r"\(config/wsgi\.py"), "the page cache's own work"),
    (re.compile(r"\(gunicorn/"), "gunicorn: accept, parse, write"),
    (re.compile(r"^WSGIHandler\.__call__ "), "Django: middleware, URLs, views, the rest"),
]


def part_of(stack: str) -> str:
    for frame in reversed(stack.split(";")):
        for pattern, name in PARTS:
            if pattern.search(frame):
                return name
    return "gunicorn: accept, parse, write"


def shares(samples_file: Path) -> list[tuple[str, float]]:
    counts: Counter[str] = Counter()
    for line in samples_file.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        counts[part_of(stack)] += int(count)
    total = sum(counts.values()) or 1
    return [(name, count / total) for name, count in counts.most_common()]


def main() -> None:
    spy = shutil.which("py-spy")
    if spy is None or shutil.which("wrk") is None:
        sys.exit("needs py-spy (pip install py-spy) and wrk (apt-get install -y wrk)")
    session, database_url = loadtest.prepare_database()
    static_root = tempfile.mkdtemp(prefix="samverka-profile-static-")
    prefix = f"samverka-profile-{os.getpid()}"
    servers = {}
    sections = []
    try:
        env = loadtest.server_env(database_url, static_root, prefix)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
            cwd=loadtest.ROOT, env=env, check=True,
        )  # fmt: skip
        for name, extra in (("on", {}), ("off", {"PAGE_CACHE_SECONDS": "0"})):
            port = loadtest.free_port()
            command = [
                str(Path(sys.executable).parent / "gunicorn"), "config.wsgi",
                "--chdir", str(loadtest.ROOT), "--bind", f"{loadtest.HOST}:{port}",
                "--workers", "1", "--log-level", "warning",
            ]  # fmt: skip
            process = subprocess.Popen(command, env={**env, **extra}, start_new_session=True)
            servers[name] = (process, port)
            loadtest.wait_until_up(port, "/healthz", {"X-Forwarded-Proto": "https"})
        for server, path, staff in CASES:
            process, port = servers[server]
            headers = {"X-Forwarded-Proto": "https"}
            if staff:
                headers["Cookie"] = f"sessionid={session}"
            for _ in range(5):
                loadtest.fetch(port, path, headers)
            worker = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()[0]
            samples = Path(static_root) / "samples.txt"
            recorder = subprocess.Popen(
                [spy, "record", "-p", worker, "-d", "7", "-r", "250", "-f", "raw", "-o", samples],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            time.sleep(1)
            result = loadtest.wrk(port, path, headers, 5)
            recorder.wait(timeout=60)
            who = "staff" if staff else "anonymous"
            lines = [
                f"### `{path}`, {who}, page cache {server}: "
                f"{result['rps']:.0f} requests/s on one worker",
                "",
                "| where | share of the samples |",
                "|---|---:|",
                *(f"| {name} | {share * 100:.0f} % |" for name, share in shares(samples)),
                "",
            ]
            sections.append("\n".join(lines))
            print(sections[-1], flush=True)
    finally:
        for process, _port in servers.values():
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)
        from association.pagecache import redis_client

        keys = list(redis_client().scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            redis_client().delete(*keys)
        loadtest.drop_database()
    load = os.getloadavg()
    header = (
        f"Sampled with py-spy at 250 Hz on one gunicorn sync worker while wrk (2 threads, "
        f"50 connections, 5 s) loaded the page on 127.0.0.1; load average "
        f"{load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f} (the machine is shared). Each sample "
        "counts where its innermost recognised frame is.\n\n"
    )
    out = loadtest.ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "profile.md").write_text(header + "\n".join(sections))


if __name__ == "__main__":
    main()
