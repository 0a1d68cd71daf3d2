"""Typed helpers that read the platform's configuration from environment variables.

Every setting comes from the environment (docs/operations.md lists them). A bad value stops the
platform at start-up with one line naming the variable, rather than failing later in a request.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}
REGENCY_CODE = re.compile(r"^\d{2}\.\d{2}$")


class ConfigError(ImproperlyConfigured):
    """A configuration value is missing or malformed; the message names the variable."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number; got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def data_dir() -> Path:
    """The directory that holds the SQLite database, uploads, collected static files and the
    generated secret key (default ``./var``)."""
    path = Path(env_str("KOTACERDAS_DATA_DIR", "var")).expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"KOTACERDAS_DATA_DIR {str(path)!r} cannot be created: {exc}") from None
    return path


def secret_key(directory: Path) -> str:
    """SECRET_KEY from the environment, else from ``<data dir>/secret_key``, generated on first
    run so that a fresh machine needs no configuration and no key is ever committed."""
    key = env_str("SECRET_KEY")
    if key:
        return key
    key_file = directory / "secret_key"
    if not key_file.exists():
        # Write with owner-only permissions from the start, so the key is never world-readable.
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


def data_key(directory: Path) -> str:
    """The key that encrypts personal data (a Fernet key: 32 bytes, url-safe base64):
    KOTACERDAS_DATA_KEY from the environment, else ``<data dir>/data_key``, generated on first
    run. It is kept apart from the database on purpose: a copy of the database alone reveals no
    NIK, phone number or address. Losing it loses that data; back it up with the database."""
    key = env_str("KOTACERDAS_DATA_KEY")
    if not key:
        key_file = directory / "data_key"
        if not key_file.exists():
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
        key = key_file.read_text().strip()
    try:
        raw = base64.urlsafe_b64decode(key.encode())
    except (ValueError, binascii.Error):
        raw = b""
    if len(raw) != 32:
        raise ConfigError(
            "KOTACERDAS_DATA_KEY must be 32 bytes in url-safe base64 (44 characters), such as "
            "the output of: python -c 'import base64,os;print(base64.urlsafe_b64encode("
            "os.urandom(32)).decode())'"
        )
    return key


def database(directory: Path) -> dict[str, Any]:
    """PostgreSQL when DATABASE_URL is set, else the embedded SQLite file in the data directory.

    SQLite runs in WAL mode with IMMEDIATE transactions and a busy timeout, so that the several
    gunicorn workers of a small deployment queue for the write lock instead of failing.
    """
    url = env_str("DATABASE_URL")
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": directory / "kotacerdas.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ConfigError(
            f"DATABASE_URL is not a database URL this platform understands: {exc}"
        ) from None
    engine = config.get("ENGINE", "")
    if engine not in {"django.db.backends.postgresql", "django.db.backends.sqlite3"}:
        raise ConfigError(
            f"DATABASE_URL must start with postgres:// (or sqlite:///path); got engine {engine!r}"
        )
    if engine == "django.db.backends.postgresql":
        config.setdefault("OPTIONS", {})["connect_timeout"] = env_int("DATABASE_CONNECT_TIMEOUT", 5)
    return config


def region_code() -> str:
    """The Kemendagri code of the regency or city this deployment serves (default Kota Kediri)."""
    code = env_str("KOTACERDAS_REGION", "35.71")
    if not REGENCY_CODE.match(code):
        raise ConfigError(
            f"KOTACERDAS_REGION must be a regency/city code such as 35.71; got {code!r}"
        )
    return code


def describe_database_url() -> str:
    """DATABASE_URL with any password hidden, for error messages."""
    url = env_str("DATABASE_URL")
    return re.sub(r"(//[^:/@]+:)[^@]*@", r"\1***@", url) if url else "(unset: embedded SQLite)"
