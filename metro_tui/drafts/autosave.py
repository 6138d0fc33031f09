"""Wizard drafts on disk: one JSON file per Stripe customer, so an unfinished contract survives.

Each save writes a temporary file beside the draft and renames it over the old one, so a crash
mid-write leaves the previous draft whole. A file that does not read back as a draft (truncated,
edited, from an incompatible version) is removed and treated as no draft at all.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from metro_tui.config import data_dir
from metro_tui.drafts.draft import ContractDraft
from metro_tui.stale_files import sweep_stale_temporaries

_SAFE_ID = re.compile(r"[A-Za-z0-9_-]+", flags=re.ASCII)
"""Stripe ids ("cus_...") are safe file names; anything else could escape the drafts folder."""

_SUFFIX = ".json"
_TEMPORARY_PREFIX = ".draft-"
_TEMPORARY_SUFFIX = ".tmp"


def default_drafts_dir() -> Path:
    return data_dir() / "drafts"


class DraftStore:
    """Saves, loads, lists and deletes contract drafts under `root`."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root if root is not None else default_drafts_dir()

    def path_for(self, stripe_customer_id: str) -> Path:
        if not _SAFE_ID.fullmatch(stripe_customer_id):
            raise ValueError(f"Not a Stripe customer id: {stripe_customer_id!r}")
        return self.root / f"{stripe_customer_id}{_SUFFIX}"

    def save(self, draft: ContractDraft) -> None:
        """Write the draft atomically, replacing any earlier draft for the same customer."""
        target = self.path_for(draft.stripe_customer_id)
        self.root.mkdir(parents=True, exist_ok=True)
        sweep_stale_temporaries(self.root, f"{_TEMPORARY_PREFIX}*{_TEMPORARY_SUFFIX}")
        handle, temporary = tempfile.mkstemp(
            dir=self.root, prefix=_TEMPORARY_PREFIX, suffix=_TEMPORARY_SUFFIX
        )
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(draft.model_dump_json(indent=2))
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise

    def load(self, stripe_customer_id: str) -> ContractDraft | None:
        """The customer's saved draft, or None if there is none or it was damaged."""
        return self._read(self.path_for(stripe_customer_id))

    def saved_at(self, stripe_customer_id: str) -> datetime | None:
        """When the customer's draft was last saved (UTC), or None if there is no file."""
        try:
            modified = self.path_for(stripe_customer_id).stat().st_mtime
        except FileNotFoundError:
            return None
        return datetime.fromtimestamp(modified, tz=UTC)

    def list(self) -> list[ContractDraft]:
        """Every readable saved draft, ordered by Stripe customer id."""
        if not self.root.is_dir():
            return []
        drafts = (self._read(path) for path in sorted(self.root.glob(f"*{_SUFFIX}")))
        return [draft for draft in drafts if draft is not None]

    def delete(self, stripe_customer_id: str) -> None:
        """Forget the customer's draft (after its contract is created, or on discard)."""
        with contextlib.suppress(FileNotFoundError):
            self.path_for(stripe_customer_id).unlink()

    def _read(self, path: Path) -> ContractDraft | None:
        try:
            content = path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            draft: ContractDraft | None = ContractDraft.model_validate_json(content)
        except ValidationError:
            draft = None
        if draft is None or path.name != f"{draft.stripe_customer_id}{_SUFFIX}":
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            return None
        return draft
