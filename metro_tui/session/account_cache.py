"""Which snapshot cache belongs to which account, and forgetting a stored account.

Apart from the connection so that forgetting one does not load the SDKs.
"""

from __future__ import annotations

from pathlib import Path

from metro_tui.session.credentials import CredentialStore, CredentialStoreError
from metro_tui.sync.cache import SnapshotCache, account_key


def live_cache(cache_root: Path, metronome_base_url: str, bearer_token: str) -> SnapshotCache:
    """The snapshot cache of the account this token opens at this URL."""
    return SnapshotCache(cache_root, account_key(metronome_base_url, bearer_token))


def forget_stored_account(store: CredentialStore, cache_root: Path) -> bool:
    """Remove the stored credentials and the cached snapshot of the account they open.

    False when nothing was stored. The cache goes too because it was fetched with those
    credentials: whoever connects next on this machine must not see that account's data.
    """
    try:
        stored = store.load()
    except CredentialStoreError:
        stored = None  # damaged: no account to find a cache by, but still remove them
    if stored is not None:
        live_cache(cache_root, stored.metronome_base_url, stored.metronome_bearer_token).clear()
    return store.clear()
