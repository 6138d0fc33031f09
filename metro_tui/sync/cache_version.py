"""The cache format's version, apart from the format itself (`snapshot_codec.py`): the first
paint, read before the first frame, names it without importing the codec and the domain
models it decodes into."""

SNAPSHOT_VERSION = 4
"""3: a snapshot may be a checkpoint of an unfinished load. An older metro-tui would take
one for a complete account, so it must discard these files as being of another version.
4: the customer pages opened (contract terms, balances, invoices of every status)."""
