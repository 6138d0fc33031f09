"""The empty Textual app whose first frame is the floor of every start-up figure.

A Header, a Label and a Footer, nothing loaded: what any Textual app costs to start and draw
in a terminal on this machine (`python benchmarks/floor_app.py`).
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Label

MARKER = "Empty app drawn"


class EmptyApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(MARKER)
        yield Footer()


if __name__ == "__main__":
    EmptyApp().run()
