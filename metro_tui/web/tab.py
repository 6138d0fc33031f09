"""One browser tab's app process, as textual-serve starts it (`python -m metro_tui.web.tab`).

textual-serve sets TEXTUAL_DRIVER so the app draws to the browser's terminal through the web
driver; the settings come from the environment the server prepared (see `tab_environment`).
"""

from __future__ import annotations

import sys

from metro_tui.config import SettingsError
from metro_tui.session.connection import MissingCredentialError
from metro_tui.session.credentials import CredentialStoreError
from metro_tui.web.browser_app import BrowserApp
from metro_tui.web.tab_environment import tab_connection


def main() -> int:
    try:
        settings, connection = tab_connection()
        app = BrowserApp(settings, connection)
    except (MissingCredentialError, CredentialStoreError) as error:
        return _cannot_start(str(error))
    except SettingsError as error:
        return _cannot_start(f"invalid settings: {'; '.join(error.problems)}")
    app.run()
    return 0


def _cannot_start(reason: str) -> int:
    # textual-serve copies a tab's stderr to the server's output, where the person who can
    # fix the settings is looking.
    print(f"metro-tui: a browser tab could not start: {reason}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
