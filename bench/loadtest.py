"""Side by side: the project's pages against a bare Django view, both under gunicorn.

    python3 dev.py bench --http                # 15 s per measurement (about 9 minutes)
    python3 dev.py bench --http --duration 5   # a quicker look

Needs ``wrk`` (Debian: ``apt-get install -y wrk``). On a throw-away copy of the demo data
(plus a bench-only association with all 290 municipalities as members) it starts, on
127.0.0.1 only:

- the project with production settings (``DEBUG=0``, ``HTTPS=1`` behind a proxy header,
  second factors required, collected and compressed static files) under gunicorn with
  2 sync workers, on the embedded PostgreSQL and Redis;
- the same with the anonymous page cache turned off (``PAGE_CACHE_SECONDS=0``), for the
  uncached figures;
- a bare Django view returning a short string (``bench/bare.py``) under the same gunicorn
  settings.

Then, for each page, wrk (2 threads, 50 connections) loads the bare view and the page in
turn for ``--duration`` seconds each; each page's requests/s is divided by the bare view's
from the run just before it, so both see the same machine. Results go to
``bench/results/http.json`` and ``bench/results/http.md``, and the table into README.md.
Every server is stopped and the database dropped at the end.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SECRET_KEY = "bench-only-secret-key-" + "y" * 40
BENCH_DB = "samverka_bench_http"
HOST = "127.0.0.1"

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.update(
    {
        # The preparing process only builds the database; the servers get production settings.
        "DEBUG": "0",
        "HTTPS": "0",
        "SAMVERKA_TESTING": "1",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "testserver",
        "REQUIRE_MFA_FOR_STAFF": "0",
    }
)

STAFF = "administrator.norrbotten@demo.samverka.se"

# (label, server, path, logged in, goal kind)
PAGES = [
    ("/ (all associations)", "cached", "/", False, "cached"),
    ("/norrbotten/", "cached", "/norrbotten/", False, "cached"),
    ("members, 14", "cached", "/norrbotten/medlemmar/", False, "cached"),
    ("members, 290", "cached", "/alla-290/medlemmar/", False, "cached"),
    ("board page", "cached", "/norrbotten/organ/styrelse/", False, "cached"),
    ("/norrbotten/", "uncached", "/norrbotten/", False, "uncached"),
    ("members, 14", "uncached", "/norrbotten/medlemmar/", False, "uncached"),
    ("members, 290", "uncached", "/alla-290/medlemmar/", False, "uncached-290"),
    ("board page", "uncached", "/norrbotten/organ/styrelse/", False, "uncached"),
    ("/healthz", "cached", "/healthz", False, None),
    ("/norrbotten/ (staff)", "cached", "/norrbotten/", True, "staff"),
    ("members, 14 (staff)", "cached", "/norrbotten/medlemmar/", True, "staff"),
    ("fee schedule (staff)", "cached", "/norrbotten/medlemmar/avgifter/", True, "staff"),
]

GOALS = {"cached": 0.8, "uncached": 0.3, "staff": 0.15}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def prepare_database() -> tuple[str, str]:
    """A fresh database with the demo data and the 290-member association; returns the
    staff member's session cookie and the database URL."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from config import embedded

    connection.settings_dict["TEST"]["NAME"] = BENCH_DB
    global _old_database_name
    _old_database_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, keepdb=False
    )
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    import run  # bench/run.py: the same 290-member association as the in-process bench

    run.add_association_with_all_municipalities()
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from association.models import User

    staff = User.objects.get(email=STAFF)
    TOTP.activate(staff, generate_totp_secret())  # production requires a second factor
    client = Client()
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    session = client.cookies["sessionid"].value
    connection.close()
    url = urlsplit(os.environ.get("DATABASE_URL") or embedded.database_url())
    return session, urlunsplit(url._replace(path="/" + BENCH_DB))


_old_database_name = None


def drop_database() -> None:
    from django.db import connection

    connection.close()
    connection.creation.destroy_test_db(_old_database_name, verbosity=0)


def server_env(database_url: str, static_root: str, prefix: str, **extra) -> dict:
    from django.conf import settings

    env = {
        key: value
        for key, value in os.environ.items()
        # The preparing process's own settings (bench/run.py sets some) stay here; the
        # servers get the defaults.
        if key not in {"SAMVERKA_TESTING", "REQUIRE_MFA_FOR_STAFF", "DEBUG", "HTTPS"}
        and not key.startswith("PAGE_CACHE")
    }
    env.update(
        DEBUG="0",
        HTTPS="1",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=database_url,
        REDIS_URL=settings.REDIS_URL,
        CACHE_KEY_PREFIX=prefix,
        STATIC_ROOT=static_root,
        LOG_LEVEL="WARNING",
        **extra,
    )
    return env


def start_gunicorn(app: str, port: int, env: dict, chdir: Path) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).parent / "gunicorn"), app,
        "--chdir", str(chdir), "--bind", f"{HOST}:{port}",
        "--workers", "2", "--worker-class", "sync", "--log-level", "warning",
    ]  # fmt: skip
    return subprocess.Popen(command, env=env, start_new_session=True)


def wait_until_up(port: int, path: str, headers: dict) -> None:
    for _ in range(200):
        try:
            fetch(port, path, headers)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server on port {port} did not answer")


def fetch(port: int, path: str, headers: dict) -> tuple[int, bytes, dict]:
    request = urllib.request.Request(f"http://{HOST}:{port}{path}", headers=headers)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(port: int, path: str, headers: dict, duration: int) -> dict:
    command = ["wrk", "-t2", "-c50", f"-d{duration}s", "--latency", "--timeout", "10s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://{HOST}:{port}{path}")
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=duration + 60
    ).stdout

    def latency(percent: str) -> float:
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        return round(float(match.group(1)) * UNITS[match.group(2)], 2)

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1).strip() if socket_errors else "",
    }


def worker_rss_mib(master: subprocess.Popen) -> list[float]:
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        kib = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))
        sizes.append(round(kib / 1024, 1))
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=15, help="seconds per measurement")
    parser.add_argument("--only", help="measure only pages whose path contains this")
    args = parser.parse_args()
    if not 1 <= args.duration <= 60:
        parser.error("--duration must be between 1 and 60 seconds")
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install -y wrk")
    sys.path.insert(0, str(ROOT / "bench"))
    servers: dict[str, subprocess.Popen] = {}
    static_root = tempfile.mkdtemp(prefix="samverka-bench-static-")
    prefix = f"samverka-bench-{os.getpid()}"
    session, database_url = prepare_database()
    try:
        env = server_env(database_url, static_root, prefix)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
            cwd=ROOT, env=env, check=True,
        )  # fmt: skip
        ports = {name: free_port() for name in ("cached", "uncached", "bare")}
        servers["cached"] = start_gunicorn("config.wsgi", ports["cached"], env, ROOT)
        servers["uncached"] = start_gunicorn(
            "config.wsgi", ports["uncached"], {**env, "PAGE_CACHE_SECONDS": "0"}, ROOT
        )
        servers["bare"] = start_gunicorn("bare:application", ports["bare"], env, ROOT / "bench")
        proxy = {"X-Forwarded-Proto": "https"}
        for name in ("cached", "uncached"):
            wait_until_up(ports[name], "/healthz", proxy)
        wait_until_up(ports["bare"], "/", {})
        rows = []
        pages = [p for p in PAGES if not args.only or args.only in p[2]]
        for label, server, path, logged_in, goal in pages:
            headers = dict(proxy)
            if logged_in:
                headers["Cookie"] = f"sessionid={session}"
            status, body, response_headers = fetch(ports[server], path, headers)
            if status != 200:
                raise RuntimeError(f"{path} answered {status} ({label})")
            gzipped = fetch(ports[server], path, {**headers, "Accept-Encoding": "gzip"})[1]
            for _ in range(3):  # warm: the page cache needs a second and third visit
                fetch(ports[server], path, headers)
            bare = wrk(ports["bare"], "/", {}, args.duration)
            page = wrk(ports[server], path, headers, args.duration)
            row = {
                "page": label,
                "path": path,
                "who": "staff" if logged_in else "anonymous",
                "page_cache": "on" if server == "cached" else "off",
                "bytes": len(body),
                "gzip_bytes": len(gzipped),
                "cache_hit": response_headers.get("X-Page-Cache") == "hit"
                or fetch(ports[server], path, headers)[2].get("X-Page-Cache") == "hit",
                **page,
                "bare_rps": bare["rps"],
                "ratio": round(page["rps"] / bare["rps"], 3),
                "goal": goal,
            }
            if goal == "cached" and not row["cache_hit"]:
                raise RuntimeError(f"{path} is not answered from the page cache")
            rows.append(row)
            print(
                f"{label:24} {row['who']:9} cache {row['page_cache']:3} {page['rps']:8.0f}/s"
                f" p50 {page['p50_ms']:7.2f} ms p99 {page['p99_ms']:7.2f} ms"
                f"  bare {bare['rps']:6.0f}/s  ratio {row['ratio']:.3f}",
                flush=True,
            )
        memory = {name: worker_rss_mib(process) for name, process in servers.items()}
    finally:
        for process in servers.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in servers.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        shutil.rmtree(static_root, ignore_errors=True)
        from association.pagecache import redis_client

        client = redis_client()
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
        drop_database()
    write_results(rows, memory, args.duration)


def check_goals(rows: list[dict]) -> list[str]:
    lines = []
    for row in rows:
        target = GOALS.get(row["goal"] or "")
        if target is not None:
            met = "met" if row["ratio"] >= target else "NOT met"
            lines.append(
                f"- {row['page']} ({row['who']}, page cache {row['page_cache']}): "
                f"{row['ratio']:.3f} of bare, goal {target}: {met}"
            )
    big = [r for r in rows if r["path"] == "/alla-290/medlemmar/"]
    for row in big:
        small = next(
            (
                r
                for r in rows
                if r["path"] == "/norrbotten/medlemmar/"
                and r["page_cache"] == row["page_cache"]
                and r["who"] == row["who"]
            ),
            None,
        )
        if small:
            share = row["rps"] / small["rps"]
            met = "met" if share >= 0.5 else "NOT met"
            lines.append(
                f"- 290-member page at {share:.2f} of the 14-member page's requests/s "
                f"(page cache {row['page_cache']}), goal 0.5: {met}"
            )
    return lines


def write_results(rows: list[dict], memory: dict, duration: int) -> None:
    import platform

    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = os.getloadavg()
    conditions = (
        f"{now}; {os.cpu_count()} cores, load average before the report "
        f"{load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}; {platform.python_implementation()} "
        f"{platform.python_version()}; gunicorn 2 sync workers per server; wrk 2 threads, "
        f"50 connections, {duration} s per measurement, bare view and page alternating; "
        "loopback only"
    )
    bare = [row["bare_rps"] for row in rows]
    lines = [
        f"Measured {conditions}.",
        "",
        f"Bare view: median {statistics.median(bare):.0f} requests/s "
        f"(min {min(bare):.0f}, max {max(bare):.0f} over the run).",
        "",
        "| page | who | page cache | req/s | p50 ms | p99 ms | × bare | KB (gzip) |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        errors = f" ({row['non_2xx']} non-2xx)" if row["non_2xx"] else ""
        lines.append(
            f"| {row['page']} `{row['path']}` | {row['who']} | {row['page_cache']} | "
            f"{row['rps']:.0f}{errors} | {row['p50_ms']} | {row['p99_ms']} | "
            f"{row['ratio']:.3f} | {row['bytes'] / 1024:.0f} ({row['gzip_bytes'] / 1024:.0f}) |"
        )
    lines += ["", "Goals:", *check_goals(rows), ""]
    lines.append(
        "Worker memory (RSS after the run, MiB): "
        + "; ".join(f"{name}: {', '.join(map(str, sizes))}" for name, sizes in memory.items())
    )
    table = "\n".join(lines) + "\n"
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "http.json").write_text(
        json.dumps({"conditions": conditions, "rows": rows, "memory_mib": memory}, indent=2)
    )
    (out / "http.md").write_text(table)
    readme = ROOT / "README.md"
    text = readme.read_text()
    start, end = "<!-- bench:http -->", "<!-- /bench:http -->"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        _, after = rest.split(end, 1)
        readme.write_text(before + start + "\n" + table + end + after)
    print()
    print(table)


if __name__ == "__main__":
    main()
