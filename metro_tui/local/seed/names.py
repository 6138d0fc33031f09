"""Believable B2B company names, domains and billing contacts for the demo dataset."""

from __future__ import annotations

import random
from dataclasses import dataclass

from metro_tui.local.seed.draws import chance


def _words(text: str) -> tuple[str, ...]:
    """Word lists are written as running text to keep them readable."""
    return tuple(text.split())


FIRST_WORDS = _words(
    """
    Alder Amber Anvil Apex Arbor Atlas Aurora Basalt Bayou Beacon Birch Bluefin Bolt Bramble
    Brightline Brook Cadence Canopy Cascade Cedar Cinder Citadel Clearwater Cobalt Comet
    Copper Coral Crescent Cypress Delta Drift Dune Echo Elm Ember Evergreen Falcon Fathom Fern
    Fjord Flint Forge Foxglove Gale Garnet Glacier Granite Grove Halcyon Harbor Hawthorn Helix
    Heron Horizon Indigo Iris Ironwood Jade Juniper Kestrel Keystone Kite Lantern Larch Lark
    Loom Lotus Lumen Magnolia Maple Marble Meridian Mesa Mosaic Nexus Nimbus Northwind Nova
    Oakridge Oasis Obsidian Onyx Opal Orbit Orchid Osprey Pacific Parallel Pebble Pine
    Pinnacle Pixel Polar Prairie Prism Quarry Quartz Quill Radiant Raven Redwood Ridge Rook
    Sable Saffron Saga Sequoia Shoal Sierra Signal Silverline Slate Solace Solstice Sparrow
    Spruce Strata Summit Tandem Tern Thistle Tidal Timber Topaz Torrent Trillium Tundra Umber
    Vale Vantage Vector Velvet Verdant Vertex Vista Wave Willow Wren Yarrow Zenith Zephyr
    """
)
# Joined to a first word to coin one-word names ("Harborgate", "Cedarline").
COMPOUND_ENDINGS = _words(
    """
    base bay bridge craft field gate hub lane leaf light line loop mark path peak point ray
    scale shift side spark stack stone stream ware wise works yard
    """
)
INDUSTRIES = _words(
    """
    AI Analytics Apps Automation Bio Cloud Commerce Data Devices Digital Dynamics Energy
    Finance Freight Games Genomics Health Insights Insurance Interactive Labs Learning Legal
    Logistics Media Metrics Mobility Networks Payments Platforms Retail Robotics Security
    Sensors Software Solutions Studios Systems Technologies Telematics Travel Works
    """
)
LEGAL_SUFFIXES = (", Inc.", " Inc.", " LLC", " Ltd", " GmbH", " B.V.", " Pty Ltd", " SAS")
TLDS = (".com", ".com", ".com", ".com", ".io", ".io", ".co", ".dev", ".app", ".tech")
AI_TLDS = (".ai", ".ai", ".com", ".io")
GIVEN_NAMES = _words(
    """
    Aisha Alex Ana Ben Carlos Chen Chloe Daniel Dev Elena Emma Fatima Grace Hana Ivan James
    Jin Julia Kai Kenji Laura Leo Lucas Maya Mei Mohammed Nadia Noah Olivia Omar Priya Rafael
    Ravi Sara Sofia Tariq Tom Valentina Wei Yusuf Zoe
    """
)
FAMILY_NAMES = _words(
    """
    Adeyemi Alvarez Becker Brown Chen Costa Dubois Fischer Garcia Gupta Haddad Ivanova Jensen
    Kim Kowalski Lee Martin Meyer Murphy Nakamura Nguyen Novak Okafor Patel Rossi Santos
    Schmidt Silva Singh Smith Tanaka Walker Wang Williams Yilmaz Zhang
    """
)
# First words that are compounds already; joining another ending to them reads badly.
NOT_COMPOUNDABLE = frozenset(
    _words("Brightline Clearwater Evergreen Foxglove Hawthorn Ironwood Keystone Magnolia")
    + _words("Northwind Oakridge Silverline Trillium")
)
ROLE_MAILBOXES = ("billing", "finance", "accounts", "ap", "payables", "ops")


@dataclass(frozen=True)
class Company:
    """A customer company: its display name, web domain and billing contact email."""

    name: str
    domain: str
    email: str


class CompanyNamer:
    """Draws companies with names and domains unique within one dataset."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._names: set[str] = set()
        self._domains: set[str] = set()

    def company(self) -> Company:
        core, industry = self._core()
        while core in self._names:
            # The short shapes run out first at large sizes; coined names rarely collide.
            core, industry = self._coined_with_industry()
        self._names.add(core)
        domain = self._domain(core, industry)
        name = core + self._rng.choice(LEGAL_SUFFIXES) if chance(self._rng, 0.15) else core
        return Company(name=name, domain=domain, email=self._email(domain))

    def _core(self) -> tuple[str, str]:
        """The name without legal suffix, and its industry word ("" for one-word names)."""
        rng = self._rng
        first = rng.choice(FIRST_WORDS)
        shape = rng.random()
        if shape < 0.45 or first in NOT_COMPOUNDABLE:
            industry = rng.choice(INDUSTRIES)
            return f"{first} {industry}", industry
        if shape < 0.75:
            return first + rng.choice(COMPOUND_ENDINGS), ""
        return self._coined_with_industry()

    def _coined_with_industry(self) -> tuple[str, str]:
        """A coined word and an industry ("Cedarline Robotics")."""
        rng = self._rng
        first = rng.choice(FIRST_WORDS)
        coined = first if first in NOT_COMPOUNDABLE else first + rng.choice(COMPOUND_ENDINGS)
        industry = rng.choice(INDUSTRIES)
        return f"{coined} {industry}", industry

    def _domain(self, core: str, industry: str) -> str:
        words = core.lower().split()
        # Companies with an industry word usually register the distinctive part alone.
        stem = words[0] if industry and chance(self._rng, 0.6) else "".join(words)
        tld = self._rng.choice(AI_TLDS if industry == "AI" else TLDS)
        for candidate in (
            stem + tld,
            stem + ".com",
            f"get{stem}.com",
            f"{stem}hq.com",
            "".join(words) + ".com",
            f"{stem}-{industry.lower() or 'app'}.io",
        ):
            if candidate not in self._domains:
                break
        else:
            candidate = f"{''.join(words)}{len(self._domains)}.com"
        self._domains.add(candidate)
        return candidate

    def _email(self, domain: str) -> str:
        rng = self._rng
        if chance(rng, 0.55):
            return f"{rng.choice(ROLE_MAILBOXES)}@{domain}"
        given = rng.choice(GIVEN_NAMES).lower()
        family = rng.choice(FAMILY_NAMES).lower()
        local = f"{given}.{family}" if chance(rng, 0.7) else f"{given[0]}{family}"
        return f"{local}@{domain}"
