"""Reading and writing one field of a draft by its path, the key validation messages use.

A form control named "discounts.0.percent" edits exactly the field a message for
"discounts.0.percent" is about, so a screen needs no per-field code to keep the two together.
Under a dict (subscription quantities, entitlements) the rest of the path is one key, so a
product id is never split.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from metro_tui.drafts.draft import ContractDraft

FieldValue = str | bool | list[str] | None
"""What a form control holds: text, a check, chosen tags, or a choice (None when cleared)."""


def read_field(draft: ContractDraft, path: str) -> FieldValue:
    """The value at `path`; None for a dict key that is not set. Raises KeyError for a bad path."""
    container, key = _parent(draft, path)
    if isinstance(container, dict):
        value: FieldValue = container.get(key)
        return value
    return _child(container, key)  # type: ignore[no-any-return]


def write_field(draft: ContractDraft, path: str, value: FieldValue) -> None:
    """Set the value at `path`; the draft's models check the type (pydantic ValidationError)."""
    container, key = _parent(draft, path)
    if isinstance(container, dict):
        container[key] = value
    elif isinstance(container, BaseModel) and key in type(container).model_fields:
        setattr(container, key, value)
    else:
        raise KeyError(path)


def _parent(draft: ContractDraft, path: str) -> tuple[Any, str]:
    """The model or dict holding the field at `path`, and the field's name or key in it."""
    container: Any = draft
    rest = path
    while True:
        if isinstance(container, dict):
            return container, rest
        head, dot, tail = rest.partition(".")
        if not dot:
            return container, head
        container = _child(container, head)
        rest = tail


def _child(container: Any, key: str) -> Any:
    if isinstance(container, list):
        if not key.isdigit() or int(key) >= len(container):
            raise KeyError(key)
        return container[int(key)]
    if isinstance(container, BaseModel) and key in type(container).model_fields:
        return getattr(container, key)
    raise KeyError(key)
