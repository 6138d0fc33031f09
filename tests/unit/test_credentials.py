"""The credentials store: a 0600 file, or the OS keyring when a real one exists."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.errors import PasswordDeleteError

from metro_tui.session.credentials import (
    CREDENTIALS_FILE,
    KEYRING_ENTRY,
    KEYRING_SERVICE,
    CredentialStoreError,
    FileCredentialStore,
    KeyringCredentialStore,
    StoredCredentials,
    masked,
    open_credential_store,
    usable_keyring,
)

CREDENTIALS = StoredCredentials(
    metronome_bearer_token="mtok-secret-4821",
    metronome_base_url="https://api.metronome.com",
    stripe_api_key="rk_test_secret-9917",
    stripe_api_base="https://api.stripe.com",
)


class MemoryKeyring(KeyringBackend):
    """A working keyring kept in a dict, standing in for the OS one."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError("not found")


@pytest.fixture
def restore_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("METRO_TUI_KEYRING", raising=False)
    before = keyring.get_keyring()
    yield
    keyring.set_keyring(before)


def test_file_round_trip_is_owner_only(tmp_path: Path) -> None:
    store = FileCredentialStore(tmp_path / "config" / CREDENTIALS_FILE)

    store.save(CREDENTIALS)

    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert store.load() == CREDENTIALS
    assert [p.name for p in store.path.parent.iterdir()] == [CREDENTIALS_FILE]


def test_file_is_owner_only_before_it_gets_its_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even with a permissive umask, the bytes are never in a file others can read."""
    modes: list[int] = []
    real_replace = os.replace

    def watching_replace(source: str, target: Path) -> None:
        modes.append(stat.S_IMODE(os.stat(source).st_mode))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", watching_replace)
    previous_umask = os.umask(0)
    try:
        FileCredentialStore(tmp_path / CREDENTIALS_FILE).save(CREDENTIALS)
    finally:
        os.umask(previous_umask)

    assert modes == [0o600]
    assert stat.S_IMODE((tmp_path / CREDENTIALS_FILE).stat().st_mode) == 0o600


def test_saving_again_replaces_and_clear_removes(tmp_path: Path) -> None:
    store = FileCredentialStore(tmp_path / CREDENTIALS_FILE)
    store.save(CREDENTIALS)
    newer = StoredCredentials("mtok-newer-0001", "http://127.0.0.1:1", None, "http://s")

    store.save(newer)

    assert store.load() == newer
    assert store.clear() is True
    assert not store.path.exists()
    assert store.load() is None
    assert store.clear() is False


def test_damaged_file_is_reported_not_ignored(tmp_path: Path) -> None:
    path = tmp_path / CREDENTIALS_FILE
    path.write_text('{"metronome_base_url": "https://api.metronome.com"}')

    with pytest.raises(CredentialStoreError, match="damaged"):
        FileCredentialStore(path).load()


def test_secrets_stay_out_of_repr() -> None:
    shown = repr(CREDENTIALS)

    assert "mtok-secret-4821" not in shown
    assert "rk_test_secret-9917" not in shown
    assert "https://api.metronome.com" in shown


def test_masked_shows_only_the_last_four() -> None:
    assert masked("mtok-secret-4821") == "••••4821"
    assert masked("short") == "••••"


@pytest.mark.usefixtures("restore_keyring")
def test_a_working_keyring_is_used_and_round_trips(tmp_path: Path) -> None:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)

    found = usable_keyring()
    store = open_credential_store(tmp_path, found)
    store.save(CREDENTIALS)

    assert found is backend
    assert isinstance(store, KeyringCredentialStore)
    assert store.location == f"the OS keyring ({MemoryKeyring.name})"
    assert list(backend.entries) == [(KEYRING_SERVICE, KEYRING_ENTRY)]
    assert store.load() == CREDENTIALS
    assert list(tmp_path.iterdir()) == []
    assert store.clear() is True
    assert store.load() is None
    assert store.clear() is False


@pytest.mark.parametrize("stand_in", [fail.Keyring, null.Keyring])
@pytest.mark.usefixtures("restore_keyring")
def test_fail_and_null_keyrings_mean_the_file(
    stand_in: type[KeyringBackend], tmp_path: Path
) -> None:
    keyring.set_keyring(stand_in())

    store = open_credential_store(tmp_path, usable_keyring())

    assert usable_keyring() is None
    assert isinstance(store, FileCredentialStore)
    assert store.location == str(tmp_path / CREDENTIALS_FILE)


@pytest.mark.usefixtures("restore_keyring")
def test_the_switch_turns_a_working_keyring_off(monkeypatch: pytest.MonkeyPatch) -> None:
    keyring.set_keyring(MemoryKeyring())
    monkeypatch.setenv("METRO_TUI_KEYRING", "0")

    assert usable_keyring() is None
