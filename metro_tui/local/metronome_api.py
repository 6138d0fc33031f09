"""The local backend's Metronome API, mounted at the root like api.metronome.com."""

from __future__ import annotations

from fastapi import APIRouter

from metro_tui.local import (
    metronome_contracts,
    metronome_customers,
    metronome_pricing,
    metronome_usage,
)

router = APIRouter()
router.include_router(metronome_customers.router)
router.include_router(metronome_contracts.router)
router.include_router(metronome_pricing.router)
router.include_router(metronome_usage.router)
