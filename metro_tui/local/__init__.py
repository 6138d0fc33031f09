"""The bundled local backend: Metronome and Stripe HTTP APIs over SQLite, with demo data.

Nothing here imports the rest of metro_tui: the backend is the client's conformance check,
so it must not share the client's code or definitions.
"""
