"""Async adapters over the official Metronome and Stripe SDKs, returning our domain models."""
