"""metro-tui: a keyboard-first terminal app for usage-based billing on Metronome and Stripe."""

__version__ = "0.1.0"
