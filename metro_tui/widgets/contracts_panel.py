"""The customer page's contracts panel: its contract cards, or one line while they load.

The line "Loading contracts…" is the panel's own content rather than a Static inside it: the
frame that first shows the page is the opening's longest, and one more widget to mount, lay
out and draw in it is about 3,000 Python calls more.
"""

from __future__ import annotations

from textual.app import RenderResult
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size

LOADING_CONTRACTS = "Loading contracts…"


class ContractsPanel(Vertical):
    """A Vertical of contract cards that says "Loading contracts…" until they are mounted."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._loading = True

    @property
    def loading_contracts(self) -> bool:
        """Whether the panel says the contracts are loading (it has no cards yet)."""
        return self._loading

    def show_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.refresh(layout=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self._loading:
            return 1
        return super().get_content_height(container, viewport, width)

    def render(self) -> RenderResult:
        if self._loading:
            return Content.styled(LOADING_CONTRACTS, "$text-muted")
        return super().render()
