"""Project-wide checks that CI must enforce: migrations, deploy settings, compose file."""

import os
import subprocess
import sys
from pathlib import Path

import yaml

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def run_manage(*args, env_overrides=None):
    env = {**os.environ, **(env_overrides or {})}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_migrations_are_committed():
    result = run_manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_pass_the_deploy_check():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        env_overrides={
            "DEBUG": "0",
            "HTTPS": "1",
            "SAMVERKA_TESTING": "0",
            "REQUIRE_MFA_FOR_STAFF": "1",
            "ALLOWED_HOSTS": "portal.example.se",
            "SECRET_KEY": "k8#Qz!v2Lr7@xW4pT9^mN1&bY6*cH3%jD5-sF0+gA8=eU2~iO7",
        },
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
    env["DEBUG"] = "0"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=BASE_DIR, env=env,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_compose_file_runs_the_production_shape():
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    for name in ("postgres", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
    assert compose.get("volumes"), "a named volume keeps the database"
    # Settings come only through the environment, never a mounted settings file.
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert "DATABASE_URL" in env and "REDIS_URL" in env and "SECRET_KEY" in env
    # Only one beat may run.
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1


def test_code_is_ruff_clean():
    ruff = [sys.executable, "-m", "ruff"]
    lint = subprocess.run([*ruff, "check", "."], cwd=BASE_DIR, capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout
    fmt = subprocess.run(
        [*ruff, "format", "--check", "."], cwd=BASE_DIR, capture_output=True, text=True
    )
    assert fmt.returncode == 0, fmt.stdout


def test_static_files_collect_with_the_production_storage(tmp_path):
    """The Docker build runs this; the manifest storage fails on any broken url() in CSS."""
    result = run_manage(
        "collectstatic", "--no-input",
        env_overrides={
            "DEBUG": "0", "SAMVERKA_TESTING": "0", "SECRET_KEY": "collectstatic-" + "x" * 40,
            "STATIC_ROOT": str(tmp_path),
        },
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("css/samverka.*.css.gz"))
