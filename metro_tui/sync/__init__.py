"""Loading the account: the sync engine, its snapshot and the on-disk cache."""
