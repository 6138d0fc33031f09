"""Read and type into the terminal textual-serve's page draws, through Playwright.

xterm.js draws on a canvas, so the screen's text is not in the DOM. textual-serve's page keeps
its xterm.js `Terminal` in a local variable; an init script catches it when the page stores it
as `this.terminal` (a setter on Object.prototype, before the page's own scripts run) and the
tests read the terminal's buffer. Waits resolve on xterm's own write events, never on a clock;
the deadline only turns a hang into a failure that shows the screen.
"""

from __future__ import annotations

from playwright.sync_api import Page

DEADLINE_MS = 180_000
"""How long a wait may take before it fails; generous, for a busy 2-core machine."""

CATCH_TERMINAL = """
(() => {
  let found;
  window.metroTerminal = new Promise((resolve) => { found = resolve; });
  Object.defineProperty(Object.prototype, "terminal", {
    configurable: true,
    set(value) {
      Object.defineProperty(this, "terminal", {
        value, writable: true, configurable: true, enumerable: true,
      });
      if (value && value.buffer && typeof value.onWriteParsed === "function") found(value);
    },
  });
  // Record every text the page puts on the clipboard, after the browser has taken it.
  const writeText = Clipboard.prototype.writeText;
  const copies = [];
  const waiting = [];
  const record = (entry) => {
    copies.push(entry);
    for (const [index, resolve] of waiting.splice(0)) {
      if (copies.length > index) resolve(copies[index]);
      else waiting.push([index, resolve]);
    }
  };
  window.metroCopies = copies;
  window.metroCopy = (index) => new Promise((resolve) => {
    if (copies.length > index) resolve(copies[index]);
    else waiting.push([index, resolve]);
  });
  Clipboard.prototype.writeText = function (text) {
    return writeText.call(this, text).then(
      () => record({ text, error: null }),
      (error) => record({ text, error: String(error) }),
    );
  };
})();
"""

SCREEN_TEXT = """
(terminal) => {
  const buffer = terminal.buffer.active;
  const lines = [];
  for (let row = 0; row < terminal.rows; row++) {
    const line = buffer.getLine(buffer.viewportY + row);
    lines.push(line ? line.translateToString(true) : "");
  }
  return lines.join("\\n");
}
"""

WAIT_FOR_TEXT = (
    """
async ([needles, absent, deadlineMs]) => {
  const terminal = await window.metroTerminal;
  const screen = """
    + SCREEN_TEXT
    + """;
  return await new Promise((resolve, reject) => {
    let subscription;
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`${JSON.stringify(needles)} did not appear (or `
        + `${JSON.stringify(absent)} did not go); the screen shows:\\n${screen(terminal)}`));
    }, deadlineMs);
    const check = () => {
      const text = screen(terminal);
      if (needles.every((needle) => text.includes(needle))
          && !absent.some((gone) => text.includes(gone))) {
        subscription.dispose();
        clearTimeout(timer);
        resolve(text);
      }
    };
    subscription = terminal.onWriteParsed(check);
    check();
  });
}
"""
)


class Terminal:
    """The app's screen in one browser page."""

    def __init__(self, page: Page) -> None:
        self.page = page
        page.add_init_script(CATCH_TERMINAL)

    def open(self, url: str) -> None:
        self.page.goto(url)
        # Keys go to xterm's input element; a click would also reach the app as a mouse event.
        self.page.locator(".xterm-helper-textarea").focus()

    def wait_for(self, *needles: str, absent: tuple[str, ...] = ()) -> str:
        """The screen's text, once every one of `needles` is on it and none of `absent`."""
        text: str = self.page.evaluate(WAIT_FOR_TEXT, [list(needles), list(absent), DEADLINE_MS])
        return text

    def press(self, *keys: str) -> None:
        for key in keys:
            self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def copies_so_far(self) -> int:
        """How many texts the page has put on the browser's clipboard."""
        count: int = self.page.evaluate("window.metroCopies.length")
        return count

    def copied(self, index: int) -> dict[str, str | None]:
        """The `index`-th text the page put on the browser's clipboard, once it has."""
        result: dict[str, str | None] = self.page.evaluate(f"window.metroCopy({index})")
        return result
