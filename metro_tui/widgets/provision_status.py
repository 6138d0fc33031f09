"""Provision status as coloured text, in the theme's success / warning / error colours."""

from __future__ import annotations

from textual.content import Content

from metro_tui.models import ProvisionStatus

STATUS_STYLES = {
    ProvisionStatus.ACTIVE: "$success",
    ProvisionStatus.ACTIVE_SOON: "$warning",
    ProvisionStatus.RECENTLY_ENDED: "$error",
}


def status_text(status: ProvisionStatus | None) -> Content:
    """ "Active" in green and so on; no status reads as a dim "None"."""
    if status is None:
        return Content.styled("None", "$text-muted")
    return Content.styled(status.value, STATUS_STYLES[status])
