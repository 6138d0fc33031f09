"""Provision status as coloured text, in the theme's success / warning / error colours."""

from __future__ import annotations

from textual.content import Content

from metro_tui.figures import ProvisionStatus
from metro_tui.services.provisioning import provision_status_text

STATUS_STYLES = {
    ProvisionStatus.ACTIVE: "$success",
    ProvisionStatus.ACTIVE_SOON: "$warning",
    ProvisionStatus.RECENTLY_ENDED: "$error",
}


def status_text(status: ProvisionStatus | None) -> Content:
    """ "Active" in green and so on; no status reads as a dim "Not provisioned"."""
    style = "$text-muted" if status is None else STATUS_STYLES[status]
    return Content.styled(provision_status_text(status), style)
