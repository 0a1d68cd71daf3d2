"""The personal-data key (conf.data_key): from KOTACERDAS_DATA_KEY, else generated once into the
data directory with owner-only permissions; a malformed key stops the platform with its name."""

from __future__ import annotations

import base64
import os
import stat

import pytest
from cryptography.fernet import Fernet

from kotacerdas import conf


@pytest.fixture
def no_data_key(monkeypatch):
    monkeypatch.delenv("KOTACERDAS_DATA_KEY", raising=False)


def test_a_fresh_machine_generates_the_key_once_readable_by_its_owner_only(tmp_path, no_data_key):
    # Given a data directory with no key and no KOTACERDAS_DATA_KEY
    key_file = tmp_path / "data_key"
    assert not key_file.exists()
    # When the key is asked for
    key = conf.data_key(tmp_path)
    # Then it is written to <dir>/data_key, readable and writable by the owner alone
    assert key_file.read_text().strip() == key
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    # ...and it is a Fernet key: 32 random bytes in url-safe base64
    assert len(base64.urlsafe_b64decode(key)) == 32
    assert Fernet(key).decrypt(Fernet(key).encrypt(b"0812")) == b"0812"


def test_the_generated_key_is_kept_on_the_next_start(tmp_path, no_data_key):
    # Given a key generated on the first start
    first = conf.data_key(tmp_path)
    written = (tmp_path / "data_key").stat().st_mtime_ns
    # When the platform starts again
    second = conf.data_key(tmp_path)
    # Then the same key is read back, and the file is not written again
    assert second == first
    assert (tmp_path / "data_key").stat().st_mtime_ns == written


def test_two_machines_generate_different_keys(tmp_path, no_data_key):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert conf.data_key(tmp_path / "a") != conf.data_key(tmp_path / "b")


def test_a_key_in_the_environment_is_used_as_is_and_nothing_is_written(tmp_path, monkeypatch):
    # Given a key set by the operator, with stray whitespace around it
    key = Fernet.generate_key().decode()
    monkeypatch.setenv("KOTACERDAS_DATA_KEY", f"  {key}\n")
    # Then that key is used, and no key file is generated beside it
    assert conf.data_key(tmp_path) == key
    assert not (tmp_path / "data_key").exists()


def test_the_environment_wins_over_a_key_file(tmp_path, monkeypatch):
    monkeypatch.delenv("KOTACERDAS_DATA_KEY", raising=False)
    from_file = conf.data_key(tmp_path)
    from_env = Fernet.generate_key().decode()
    monkeypatch.setenv("KOTACERDAS_DATA_KEY", from_env)
    assert conf.data_key(tmp_path) == from_env != from_file


@pytest.mark.parametrize(
    "malformed",
    [
        pytest.param(base64.urlsafe_b64encode(os.urandom(16)).decode(), id="16 bytes"),
        pytest.param(base64.urlsafe_b64encode(os.urandom(33)).decode(), id="33 bytes"),
        pytest.param("not base64 at all!", id="not base64"),
        pytest.param("abc", id="bad padding"),
        pytest.param("é" * 44, id="not ascii"),
    ],
)
def test_a_malformed_key_in_the_environment_stops_the_platform_naming_the_variable(
    tmp_path, monkeypatch, malformed
):
    monkeypatch.setenv("KOTACERDAS_DATA_KEY", malformed)
    with pytest.raises(conf.ConfigError) as refused:
        conf.data_key(tmp_path)
    assert "KOTACERDAS_DATA_KEY" in str(refused.value)
    # The message explains the form, never echoes the (secret) value
    assert malformed not in str(refused.value)


def test_a_damaged_key_file_stops_the_platform(tmp_path, no_data_key):
    # Given a key file cut short (a bad copy from a backup)
    (tmp_path / "data_key").write_text(Fernet.generate_key().decode()[:20])
    # Then it is refused, not replaced by a new key (that would lose every encrypted value)
    with pytest.raises(conf.ConfigError, match="KOTACERDAS_DATA_KEY"):
        conf.data_key(tmp_path)
    assert len((tmp_path / "data_key").read_text()) == 20
