"""The ``kotacerdas`` command as a newcomer runs it: set up twice, serve, and fail clearly."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

CLI = [sys.executable, "-m", "kotacerdas.cli"]


def run(args, env, timeout=180):
    return subprocess.run(
        [*CLI, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture
def fresh_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    env["KOTACERDAS_DATA_DIR"] = str(tmp_path / "data")
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_init_twice_then_serve(fresh_env, tmp_path):
    first = run(["init", "--demo"], fresh_env)
    assert first.returncode == 0, first.stderr
    assert "91,599 regions" in first.stdout
    assert "Demo data: Kota Kediri masterplan with 17 programmes." in first.stdout
    assert "Reference data: 4 published smart city indices." in first.stdout
    assert "Demo data: evaluations 2022 (final, index 3.31) and 2024 (in progress)." in first.stdout
    passwords = re.findall(r"│ admin\s+│ Administrator │\s+│ (\S+)", first.stdout)
    assert len(passwords) == 1
    assert (tmp_path / "data" / "kotacerdas.sqlite3").exists()
    assert (tmp_path / "data" / "secret_key").stat().st_mode & 0o077 == 0

    second = run(["init", "--demo"], fresh_env)
    assert second.returncode == 0, second.stderr
    assert "Demo data: 0 OPDs added." in second.stdout
    assert "masterplan" not in second.stdout  # loaded once, not again
    assert "evaluations" not in second.stdout and "published" not in second.stdout
    assert "passwords are unchanged" in second.stdout
    assert passwords[0] not in second.stdout

    port = free_port()
    server = subprocess.Popen(
        [*CLI, "serve", "--port", str(port), "--no-worker"],
        env=fresh_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        body = ""
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as response:
                    body = response.read().decode()
                    break
            except OSError:
                time.sleep(0.2)
        assert body == '{"status": "ok", "database": "ok"}'
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as response:
            page = response.read().decode()
        assert "Kota Kediri" in page and "301.424" in page
        assert "gunicorn" in (response.headers.get("Server") or "")
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_unreachable_postgresql_is_one_line_naming_database_url(fresh_env):
    fresh_env["DATABASE_URL"] = "postgres://kota:secret@127.0.0.1:9/cerdas"
    result = run(["migrate"], fresh_env, timeout=60)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "DATABASE_URL=postgres://kota:***@127.0.0.1:9/cerdas" in lines[0]
    assert "secret" not in lines[0]


def test_bad_configuration_is_one_line_naming_the_variable(fresh_env):
    fresh_env["KOTACERDAS_REGION"] = "Kediri"
    result = run(["check"], fresh_env, timeout=60)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "kotacerdas: configuration error: KOTACERDAS_REGION must be a regency/city code "
        "such as 35.71; got 'Kediri'"
    ]


def test_health_check_answers_503_without_a_database(fresh_env):
    fresh_env["DATABASE_URL"] = "postgres://kota@127.0.0.1:9/cerdas"
    probe = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='kotacerdas.settings'; "
        "django.setup(); from django.test import Client; "
        "r = Client().get('/healthz', HTTP_HOST='localhost'); "
        "print(r.status_code, r.content.decode())"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env=fresh_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.strip() == '503 {"status": "unavailable", "database": "unavailable"}'


def test_every_platform_command_has_help(fresh_env):
    for command in ("init", "demo", "serve", "apitoken", "remind_reports", "index"):
        result = run([command, "--help"], fresh_env, timeout=60)
        assert result.returncode == 0
        assert "usage: kotacerdas " + command in result.stdout
