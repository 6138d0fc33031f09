"""The customer page's contracts panel: its contract cards, drawn line by line, or one line
while they load (or saying there are none).

The cards are not widgets: the panel is one widget whose height is the sum of its cards'
wrapped lines (and the blank line under each), and Textual asks it only for the lines in view
(the Line API). A card's lines are worked out once for the panel's width and kept; a card whose
text changes has only its own lines worked out again, and if it keeps its height only its lines
are repainted, with no layout of the page. As ten Static cards, every frame that laid the page
out measured and arranged each card, and a card's growth repainted the panel's every line.

Each card is drawn cell for cell as the Static it was (`padding: 0 1; margin-bottom: 1` and a
thick left edge, green if the contract is active now, grey if not), so the page looks as it did.
Its text can be selected with the mouse and copied as a Static's can: each cell of text carries
its place in the panel's text (`Strip.apply_offsets`), which is how Textual's selection finds
it; the edge and the padding carry none, so a selection copies the cards' words alone.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.app import RenderResult
from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Region, Size
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual
from textual.widget import Widget

from metro_tui.widgets.contract_card import ContractCard
from metro_tui.widgets.selectable_text import selectable_lines

LOADING_CONTRACTS = "Loading contracts…"
CARD_EDGE = "█"
"""A thick left border, as Textual draws one: a full block in the border's colour."""
CARD_INSET = 3
"""The card's edge and the padding either side of its text, in cells."""
CARD_GAP = 1
"""The blank line under each card (its bottom margin)."""


class ContractsPanel(Widget):
    """Contract cards drawn line by line; "Loading contracts…" until they are shown."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "contracts-panel--active",
        "contracts-panel--inactive",
    }
    DEFAULT_CSS = """
    ContractsPanel {
        height: auto;
        & > .contracts-panel--active { color: $success; }
        & > .contracts-panel--inactive { color: $panel-lighten-2; }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._loading = True
        self._message: Content | None = None
        """What the panel says in place of cards (there are none), if anything."""
        self._cards: tuple[ContractCard, ...] = ()
        self._tops: list[int] = []
        """Where each card starts, in the panel's content lines, at `_laid_out_width`."""
        self._heights: list[int] = []
        self._laid_out_width = -1
        self._lines: dict[int, list[Strip]] = {}
        """Each card's lines drawn, by its index, at the width and in the styles drawn last."""
        self._drawn_width = -1
        self._edges: tuple[RichStyle, RichStyle, RichStyle] | None = None
        """The background, and the active and inactive edges, as last resolved."""

    @property
    def loading_contracts(self) -> bool:
        """Whether the panel says the contracts are loading (it has no cards yet)."""
        return self._loading

    @property
    def cards(self) -> tuple[ContractCard, ...]:
        """The cards shown, in order."""
        return self._cards

    def show_loading(self) -> None:
        """Say "Loading contracts…" until the cards are shown."""
        self._show((), loading=True, message=None)

    def show_message(self, text: str) -> None:
        """Say `text` where the cards would be (the customer has none)."""
        self._show((), loading=False, message=Content(text))

    def show_cards(self, cards: tuple[ContractCard, ...]) -> None:
        """Draw `cards`, and again whenever one of them changes."""
        self._show(cards, loading=False, message=None)

    def _show(
        self, cards: tuple[ContractCard, ...], *, loading: bool, message: Content | None
    ) -> None:
        for card in self._cards:
            card.attach(None)
        self._cards, self._loading, self._message = cards, loading, message
        for card in cards:
            card.attach(self.card_changed)
        self._forget_layout()
        self.refresh(layout=True)

    def card_region(self, card: ContractCard) -> Region:
        """Where `card` is drawn, in the panel's content (its edge included, not the gap)."""
        width = self.content_size.width
        self._lay_out(width)
        index = self._cards.index(card)
        return Region(0, self._tops[index], width, self._heights[index])

    def card_changed(self, card: ContractCard) -> None:
        """Draw `card` again: where it is if it keeps its height, else lay the page out."""
        index = self._cards.index(card)
        self._lines.pop(index, None)
        width = self._laid_out_width
        if width < 0 or not self.is_mounted:
            self.refresh(layout=True)
            return
        height = self._card_height(card, width)
        if height == self._heights[index]:
            # Only this card's lines are drawn again: laying out the whole page again is the
            # page's costliest frame.
            self.refresh(Region(0, self._tops[index], width, height))
        else:
            self._forget_layout()
            self.refresh(layout=True)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The cards' words under `selection`, line by line as the panel shows them."""
        if not self._cards:
            return super().get_selection(selection)
        return selection.extract("\n".join(self._text_lines())), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self._lines.clear()  # the kept lines were drawn with the selection before
        self.refresh()

    def _text_lines(self) -> list[str]:
        """Each line of the panel as text, a card's words without its edge or padding."""
        width = self.size.width
        self._lay_out(width)
        text_lines: list[str] = []
        for card in self._cards:
            wrapped = self._card_text(card, max(width - CARD_INSET, 1))
            text_lines.extend(line.text.rstrip() for line in wrapped)
            text_lines.extend([""] * CARD_GAP)
        return text_lines

    def _forget_layout(self) -> None:
        self._laid_out_width = -1
        self._lines.clear()

    def notify_style_update(self) -> None:
        # The colours the kept lines were drawn in may have changed (a theme, a class).
        self._edges = None
        self._lines.clear()
        super().notify_style_update()

    def _card_height(self, card: ContractCard, width: int, rules: RulesMap | None = None) -> int:
        rules = self.styles.get_rules() if rules is None else rules
        return card.content().get_height(rules, max(width - CARD_INSET, 1))

    def _lay_out(self, width: int) -> None:
        if width == self._laid_out_width:
            return
        rules = self.styles.get_rules()
        self._heights = [self._card_height(card, width, rules) for card in self._cards]
        self._tops = []
        top = 0
        for height in self._heights:
            self._tops.append(top)
            top += height + CARD_GAP
        self._laid_out_width = width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if not self._cards:
            return super().get_content_height(container, viewport, width)
        self._lay_out(width)
        return sum(self._heights) + CARD_GAP * len(self._heights)

    def render(self) -> RenderResult:
        """The panel's line when it has no cards."""
        if self._loading:
            return Content.styled(LOADING_CONTRACTS, "$text-muted")
        return self._message or Content()

    def render_line(self, y: int) -> Strip:
        if not self._cards:
            return super().render_line(y)
        width = self.size.width
        if width != self._drawn_width:
            self._drawn_width = width
            self._lines.clear()
        self._lay_out(width)
        index = bisect_right(self._tops, y) - 1
        background = self._look()[0]
        if index < 0:
            return Strip.blank(width, background)
        lines = self._lines.get(index)
        if lines is None:
            card_lines = self._draw_card(self._cards[index], width, self._tops[index])
            lines = self._lines[index] = card_lines
        line = y - self._tops[index]
        return lines[line] if line < len(lines) else Strip.blank(width, background)

    def _look(self) -> tuple[RichStyle, RichStyle, RichStyle]:
        """The background, and the active and inactive edges, as Textual draws a border over
        the panel's background."""
        if self._edges is None:
            base, own = self.background_colors
            background = base + own
            inner = Style(background=background)
            edges = [
                (inner + Style(foreground=background + self.get_component_styles(name).color))
                for name in ("contracts-panel--active", "contracts-panel--inactive")
            ]
            self._edges = (inner.rich_style, edges[0].rich_style, edges[1].rich_style)
        return self._edges

    def _card_text(self, card: ContractCard, text_width: int) -> list[Strip]:
        return Visual.to_strips(self, card.content(), text_width, None, self.visual_style)

    def _draw_card(self, card: ContractCard, width: int, top: int) -> list[Strip]:
        """The card's lines: its edge, a space, its text wrapped to fit, a space. `top` is
        its first line's place in the panel, which selecting its text goes by."""
        background, active, inactive = self._look()
        text_width = max(width - CARD_INSET, 1)
        edge = Segment(CARD_EDGE, active if card.is_active else inactive)
        space = Segment(" ", background)
        wrapped = self._card_text(card, text_width)
        return [
            Strip([edge, space, *text, space], width)
            for text in selectable_lines(self, wrapped, top, text_width, background)
        ]
