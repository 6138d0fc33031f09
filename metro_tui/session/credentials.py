"""Where the Metronome token and the Stripe key are kept between runs.

In the OS keyring when a usable one exists; otherwise in a JSON file that only its owner can
read (mode 0600), created with that mode from the first byte so it is never readable by
others, even briefly. Never in the snapshot cache. Environment variables override whatever is
stored (see `config.Settings`). The base URLs are stored alongside, because a token is only
good for the API it was issued by.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    # keyring is imported when the keyring is first used: a tenth of a second or more at
    # every start, for nothing when it is switched off.
    from keyring.backend import KeyringBackend

KEYRING_SERVICE = "metro-tui"
KEYRING_ENTRY = "credentials"
KEYRING_SWITCH = "METRO_TUI_KEYRING"
"""Set to 0 to keep credentials out of the keyring (tests, shared machines)."""
CREDENTIALS_FILE = "credentials.json"
FILE_MODE = 0o600
_OFF = frozenset({"0", "false", "no", "off"})


class CredentialStoreError(Exception):
    """The stored credentials could not be read, written or removed."""


@dataclass(frozen=True)
class StoredCredentials:
    """A Metronome token and a Stripe key, and the APIs they belong to."""

    metronome_bearer_token: str = field(repr=False)
    metronome_base_url: str
    stripe_api_key: str | None = field(repr=False)
    stripe_api_base: str

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)

    @classmethod
    def from_json(cls, text: str) -> StoredCredentials:
        try:
            values: Any = json.loads(text)
            return cls(
                metronome_bearer_token=_required_text(values, "metronome_bearer_token"),
                metronome_base_url=_required_text(values, "metronome_base_url"),
                stripe_api_key=values.get("stripe_api_key") or None,
                stripe_api_base=_required_text(values, "stripe_api_base"),
            )
        except (ValueError, AttributeError, TypeError) as error:
            raise CredentialStoreError(
                f"the stored credentials are damaged ({error}); "
                "`metro-tui connect --forget` removes them"
            ) from None


def _required_text(values: dict[str, Any], name: str) -> str:
    value = values.get(name)
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} is missing")
    return value


def masked(secret: str) -> str:
    """Four dots and the last four characters: enough to tell two tokens apart."""
    return "••••" + secret[-4:] if len(secret) > 8 else "••••"


class CredentialStore(Protocol):
    """Saves, loads and forgets one set of credentials."""

    @property
    def location(self) -> str:
        """Where the credentials are kept, in words for the user."""
        ...

    def load(self) -> StoredCredentials | None: ...

    def save(self, credentials: StoredCredentials) -> None: ...

    def clear(self) -> bool:
        """Forget the credentials; False when there were none."""
        ...


def stored_token_origin(store: CredentialStore, token: str) -> str:
    """Where a Metronome token not from the environment comes from, in words: "stored in
    <where>", or "from the config file" when the stored credentials hold another one."""
    try:
        stored = store.load()
    except CredentialStoreError as error:
        return f"stored credentials unreadable: {error}"
    if stored is not None and stored.metronome_bearer_token == token:
        return f"stored in {store.location}"
    return "from the config file"


class FileCredentialStore:
    """A 0600 JSON file, replaced atomically so a crash never leaves half a file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def location(self) -> str:
        return str(self.path)

    def load(self) -> StoredCredentials | None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as error:
            raise CredentialStoreError(
                f"{self.path} could not be read ({error.strerror})"
            ) from None
        return StoredCredentials.from_json(text)

    def save(self, credentials: StoredCredentials) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            # mkstemp creates the file 0600 (owner only) before a byte is written.
            fd, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".credentials-")
        except OSError as error:
            raise CredentialStoreError(
                f"{self.path} could not be written ({error.strerror})"
            ) from None
        try:
            os.fchmod(fd, FILE_MODE)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(credentials.to_json())
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def clear(self) -> bool:
        try:
            self.path.unlink()
        except FileNotFoundError:
            return False
        except OSError as error:
            raise CredentialStoreError(
                f"{self.path} could not be removed ({error.strerror})"
            ) from None
        return True


class KeyringCredentialStore:
    """One keyring entry holding the credentials as JSON."""

    def __init__(self, backend: KeyringBackend) -> None:
        self._backend = backend

    @property
    def location(self) -> str:
        return f"the OS keyring ({self._backend.name})"

    def load(self) -> StoredCredentials | None:
        from keyring.errors import KeyringError

        try:
            text = self._backend.get_password(KEYRING_SERVICE, KEYRING_ENTRY)
        except KeyringError as error:
            raise CredentialStoreError(f"the OS keyring could not be read ({error})") from None
        return None if text is None else StoredCredentials.from_json(text)

    def save(self, credentials: StoredCredentials) -> None:
        from keyring.errors import KeyringError

        try:
            self._backend.set_password(KEYRING_SERVICE, KEYRING_ENTRY, credentials.to_json())
        except KeyringError as error:
            raise CredentialStoreError(f"the OS keyring could not be written ({error})") from None

    def clear(self) -> bool:
        from keyring.errors import KeyringError, PasswordDeleteError

        try:
            self._backend.delete_password(KEYRING_SERVICE, KEYRING_ENTRY)
        except PasswordDeleteError:
            return False
        except KeyringError as error:
            raise CredentialStoreError(f"the OS keyring could not be changed ({error})") from None
        return True


def usable_keyring() -> KeyringBackend | None:
    """The OS keyring, unless it is switched off or only keyring's fail/null stand-ins exist."""
    if os.environ.get(KEYRING_SWITCH, "").strip().lower() in _OFF:
        return None
    import keyring
    from keyring.backends import fail, null

    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken keyring configuration means there is no keyring to use
        return None
    if isinstance(backend, fail.Keyring | null.Keyring):
        return None
    return backend


def open_credential_store(directory: Path, backend: KeyringBackend | None) -> CredentialStore:
    """The keyring store when `backend` is given, else the file store in `directory`."""
    if backend is not None:
        return KeyringCredentialStore(backend)
    return FileCredentialStore(directory / CREDENTIALS_FILE)
